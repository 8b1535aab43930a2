import { z } from "zod";
import { liveBudgetsIn } from "#/features/budgets/service.ts";
import { directoryIn } from "#/features/directory/service.ts";
import * as payeesRepo from "#/features/payments/payees-repository.ts";
import { bankDetailsSchema } from "#/features/payments/schemas.ts";
import { findPersonRow } from "#/features/people/service.ts";
import { audit } from "#/platform/audit/audit.ts";
import { actorRef, inTenant, type ServiceContext, type TxContext } from "#/platform/context.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import {
  ConflictError,
  type FieldError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from "#/platform/errors.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";
import { isCalendarDate } from "#/rules/index.ts";

/**
 * Payees and their bank details. A payee is the person (paid their direct payment), a provider (an individual
 * service fund or an invoice) or a personal assistant. New bank details are proposed by one member of staff and
 * take effect only when a SECOND approves them (maker-checker: the proposer is refused, by the service and by a
 * CHECK in the table); a payment run uses the approved details in force on its pay date, and keeps a copy of them
 * on the payment. Every proposal and decision is audited; audit events carry the last 4 digits, not the account.
 */

export type Payee = {
  payeeId: string;
  kind: payeesRepo.PayeeRow["kind"];
  personId: string | null;
  providerId: string | null;
  name: string;
};

export type BankDetailsRecord = {
  detailsId: string;
  payeeId: string;
  accountName: string;
  sortCode: string;
  /** Only the last 4 digits leave the service for pages; files use the payment's own copy. */
  accountNumberEnding: string;
  effectiveFrom: string;
  status: payeesRepo.BankDetailsRow["status"];
  proposedBy: string;
  proposedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
};

const toPayee = (r: payeesRepo.PayeeRow): Payee => ({
  payeeId: r.payee_id,
  kind: r.kind,
  personId: r.person_id,
  providerId: r.provider_id,
  name: r.name,
});

const toDetails = (r: payeesRepo.BankDetailsRow): BankDetailsRecord => ({
  detailsId: r.details_id,
  payeeId: r.payee_id,
  accountName: r.account_name,
  sortCode: r.sort_code,
  accountNumberEnding: r.account_number.slice(-4),
  effectiveFrom: r.effective_from,
  status: r.status,
  proposedBy: r.proposed_by,
  proposedAt: r.proposed_at,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
});

export const newPayeeSchema = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({
      kind: z.literal("person"),
      personId: z.uuid({ error: "Choose the person" }),
      name: z.string().trim().min(1, { error: "Give the payee's name" }).max(200),
    }),
    z.strictObject({
      kind: z.literal("provider"),
      providerId: z.string().trim().min(1, { error: "Give the provider's directory id" }).max(200),
      name: z.string().trim().min(1, { error: "Give the payee's name" }).max(200),
    }),
    z.strictObject({
      kind: z.literal("personal_assistant"),
      name: z.string().trim().min(1, { error: "Give the personal assistant's name" }).max(200),
    }),
  ],
  { error: "Say whether the payee is the person, a provider or a personal assistant" },
);
export type NewPayee = z.input<typeof newPayeeSchema>;

export const bankDetailsProposalSchema = bankDetailsSchema.extend({
  effectiveFrom: z
    .string({ error: "Give the date the new details apply from" })
    .refine(isCalendarDate, { error: "Write the date the details apply from as YYYY-MM-DD" }),
});
export type BankDetailsProposal = z.input<typeof bankDetailsProposalSchema>;

/** Finds or makes a payee: the person's own, or the provider's (one each); a personal assistant is always new. */
export async function ensurePayeeIn(t: TxContext, input: NewPayee): Promise<Payee> {
  const parsed = newPayeeSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(fieldErrorsFrom(parsed.error), "The payee is not valid");
  const p = parsed.data;
  const existing =
    p.kind === "person"
      ? await payeesRepo.payeeOfPerson(t.tx, p.personId)
      : p.kind === "provider"
        ? await payeesRepo.payeeOfProvider(t.tx, p.providerId)
        : undefined;
  if (existing) return toPayee(existing);
  // A made-up, nil or other council's person id is the caller's mistake to correct, not a foreign-key failure.
  const onRecord = (error: unknown) => {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  };
  if (p.kind === "person" && !(await findPersonRow(t, p.personId).catch(onRecord))) {
    throw new ValidationError(
      [{ path: "personId", message: "Choose a person on the council's records: no person has this id" }],
      "The payee is not valid",
    );
  }
  const payeeId = uuidv7();
  const row = await payeesRepo.insertPayee(t.tx, {
    payee_id: payeeId,
    kind: p.kind,
    person_id: p.kind === "person" ? p.personId : null,
    provider_id: p.kind === "provider" ? p.providerId : null,
    name: p.name,
    created_by: actorRef(t.tx.scope.actor),
  });
  // Another transaction made the same person's or provider's payee first: use theirs.
  const made =
    row ??
    (p.kind === "person"
      ? await payeesRepo.payeeOfPerson(t.tx, p.personId)
      : p.kind === "provider"
        ? await payeesRepo.payeeOfProvider(t.tx, p.providerId)
        : undefined);
  if (!made) throw new Error("payee neither inserted nor found");
  if (row) {
    await audit(t.tx, {
      action: "create",
      recordType: "payee",
      recordId: payeeId,
      changes: { kind: p.kind, name: p.name },
    });
  }
  return toPayee(made);
}

/** Proposes new bank details for a payee; they wait for a second person's approval. */
export async function proposeBankDetailsIn(
  t: TxContext,
  payeeId: string,
  input: BankDetailsProposal,
): Promise<BankDetailsRecord> {
  const parsed = bankDetailsProposalSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError(fieldErrorsFrom(parsed.error), "The bank details are not valid");
  if (t.tx.scope.actor.type !== "staff" || !t.tx.scope.actor.id)
    throw new ForbiddenError("Only a member of staff may propose bank details");
  const payee = await payeesRepo.findPayee(t.tx, payeeId);
  if (!payee) throw new NotFoundError("The payee");
  const d = parsed.data;
  const detailsId = uuidv7();
  await payeesRepo.insertBankDetails(t.tx, {
    details_id: detailsId,
    payee_id: payeeId,
    account_name: d.accountName,
    sort_code: d.sortCode,
    account_number: d.accountNumber,
    effective_from: d.effectiveFrom,
    proposed_by: actorRef(t.tx.scope.actor),
  });
  await audit(t.tx, {
    action: "bank_details.propose",
    recordType: "payee",
    recordId: payeeId,
    changes: {
      detailsId,
      accountName: d.accountName,
      sortCode: d.sortCode,
      accountNumberEnding: d.accountNumber.slice(-4),
      effectiveFrom: d.effectiveFrom,
    },
  });
  const rows = await payeesRepo.bankDetailsOf(t.tx, payeeId);
  return toDetails(rows.find((r) => r.details_id === detailsId)!);
}

/** Approves (or refuses) proposed details: never by the person who proposed them. */
export async function decideBankDetailsIn(
  t: TxContext,
  detailsId: string,
  decision: "approve" | "refuse",
): Promise<BankDetailsRecord> {
  const actor = t.tx.scope.actor;
  if (actor.type !== "staff" || !actor.id)
    throw new ForbiddenError("Only a member of staff may approve bank details");
  const row = await payeesRepo.findBankDetailsForUpdate(t.tx, detailsId);
  if (!row) throw new NotFoundError("The proposed bank details");
  if (row.status !== "proposed")
    throw new ConflictError(`These bank details were already ${row.status}; propose new ones to change them`);
  if (row.proposed_by === actorRef(actor))
    throw new ForbiddenError(
      "You proposed these bank details, so someone else must approve or refuse them (maker-checker)",
    );
  const status = decision === "approve" ? "approved" : "refused";
  await payeesRepo.decideBankDetails(t.tx, detailsId, status, actorRef(actor));
  await audit(t.tx, {
    action: `bank_details.${decision}`,
    recordType: "payee",
    recordId: row.payee_id,
    changes: { detailsId, proposedBy: row.proposed_by, effectiveFrom: row.effective_from },
  });
  return toDetails({ ...row, status, decided_by: actorRef(actor), decided_at: new Date() });
}

export type PayeeWithDetails = Payee & { details: BankDetailsRecord[] };

// ---- use cases: one tenant transaction each -------------------------------------------------------------------

export const createPayee = (ctx: ServiceContext, input: NewPayee) =>
  inTenant(ctx, (t) => ensurePayeeIn(t, input));

export const proposeBankDetails = (ctx: ServiceContext, payeeId: string, input: BankDetailsProposal) =>
  inTenant(ctx, (t) => proposeBankDetailsIn(t, payeeId, input));

export const approveBankDetails = (ctx: ServiceContext, detailsId: string) =>
  inTenant(ctx, (t) => decideBankDetailsIn(t, detailsId, "approve"));

export const refuseBankDetails = (ctx: ServiceContext, detailsId: string) =>
  inTenant(ctx, (t) => decideBankDetailsIn(t, detailsId, "refuse"));

/** A payee and the history of their bank details (last 4 digits only); the view audited. */
export async function getPayee(ctx: ServiceContext, payeeId: string): Promise<PayeeWithDetails> {
  return inTenant(ctx, async ({ tx }) => {
    const payee = await payeesRepo.findPayee(tx, payeeId);
    if (!payee) throw new NotFoundError("The payee");
    const details = (await payeesRepo.bankDetailsOf(tx, payeeId)).map(toDetails);
    await audit(tx, { action: "view", recordType: "payee", recordId: payeeId });
    return { ...toPayee(payee), details };
  });
}

/** Every payee with their details, and the proposals waiting for a second person; the view audited. */
export async function listPayees(ctx: ServiceContext): Promise<PayeeWithDetails[]> {
  return inTenant(ctx, async ({ tx }) => {
    const payees = await payeesRepo.listPayees(tx);
    const out: PayeeWithDetails[] = [];
    for (const p of payees)
      out.push({ ...toPayee(p), details: (await payeesRepo.bankDetailsOf(tx, p.payee_id)).map(toDetails) });
    await audit(tx, { action: "view", recordType: "payees", recordId: tx.scope.tenantId });
    return out;
  });
}

// ---- adding a payee with their bank details (the "Add a payee" page and its API) ------------------------------

/** What the "Add a payee" form sends: who the payee is, and the bank details a second person must approve. */
export type NewPayeeWithDetails = {
  kind: string;
  personId?: string;
  providerId?: string;
  name: string;
  accountName: string;
  sortCode: string;
  accountNumber: string;
  /** YYYY-MM-DD; today when empty. */
  effectiveFrom?: string;
};

export type AddedPayee = { payee: Payee; details: BankDetailsRecord };

/**
 * Adds a payee (or finds the person's or provider's existing one) and proposes their bank details, in one
 * transaction: every field is checked first and all problems reported at once, so nothing is half-written. The
 * details take effect when a second person approves them (maker-checker, decideBankDetailsIn), as ever.
 */
export async function addPayeeWithBankDetails(
  ctx: ServiceContext,
  input: NewPayeeWithDetails,
): Promise<AddedPayee> {
  const kind = input.kind;
  // A person's or provider's payee is named as on their record unless the form gives a name.
  const name = input.name.trim() || (await recordedName(ctx, input)) || "";
  const payeeInput =
    kind === "person"
      ? { kind, personId: input.personId ?? "", name }
      : kind === "provider"
        ? { kind, providerId: input.providerId ?? "", name }
        : kind === "personal_assistant"
          ? { kind, name }
          : { kind };
  const details = {
    accountName: input.accountName,
    sortCode: input.sortCode,
    accountNumber: input.accountNumber,
    effectiveFrom: input.effectiveFrom?.trim() ? input.effectiveFrom.trim() : ctx.today,
  };
  const errors: FieldError[] = [];
  const payee = newPayeeSchema.safeParse(payeeInput);
  if (!payee.success) errors.push(...fieldErrorsFrom(payee.error));
  const bank = bankDetailsProposalSchema.safeParse(details);
  if (!bank.success) errors.push(...fieldErrorsFrom(bank.error));
  if (errors.length > 0) throw new ValidationError(errors, "The payee's details need correcting");
  return inTenant(ctx, async (t) => {
    const p = payee.data!;
    if (p.kind === "person") await findPersonRow(t, p.personId);
    if (p.kind === "provider") {
      const known = (await directoryIn(t)).providers.some((x) => x.id === p.providerId);
      if (!known)
        throw new ValidationError(
          [{ path: "providerId", message: "Choose a provider from the council's directory" }],
          "The payee's details need correcting",
        );
    }
    const made = await ensurePayeeIn(t, p);
    return { payee: made, details: await proposeBankDetailsIn(t, made.payeeId, details) };
  });
}

/** The person's or provider's name on record (undefined when none is chosen or found). */
async function recordedName(ctx: ServiceContext, input: NewPayeeWithDetails): Promise<string | undefined> {
  const personId = input.kind === "person" ? input.personId?.trim() : undefined;
  const providerId = input.kind === "provider" ? input.providerId?.trim() : undefined;
  if (!personId && !providerId) return undefined;
  return inTenant(ctx, async (t) => {
    if (personId) {
      const row = z.uuid().safeParse(personId).success
        ? await findPersonRow(t, personId).catch(() => undefined)
        : undefined;
      return row ? `${row.given_name} ${row.family_name}` : undefined;
    }
    return (await directoryIn(t)).providers.find((p) => p.id === providerId)?.name;
  });
}

export type PayeeChoices = {
  /** People with a live budget who are not payees yet: their direct payments are held until they are. */
  people: { personId: string; name: string; reference: string }[];
  providers: { providerId: string; name: string }[];
};

/** The choices the "Add a payee" form offers (not audited: names only, for a finance officer's form). */
export async function payeeChoices(ctx: ServiceContext): Promise<PayeeChoices> {
  return inTenant(ctx, async (t) => {
    const payees = await payeesRepo.listPayees(t.tx);
    const isPayee = new Set(payees.map((p) => p.person_id).filter(Boolean));
    const providerPayees = new Set(payees.map((p) => p.provider_id).filter(Boolean));
    const personIds = [...new Set((await liveBudgetsIn(t.tx, t.today)).map((b) => b.personId))].filter(
      (id) => !isPayee.has(id),
    );
    const people = [];
    for (const personId of personIds) {
      const row = await findPersonRow(t, personId);
      people.push({ personId, name: `${row.given_name} ${row.family_name}`, reference: row.reference });
    }
    const providers = (await directoryIn(t)).providers
      .filter((p) => !providerPayees.has(p.id))
      .map((p) => ({ providerId: p.id, name: p.name }))
      .sort((a, b) => a.name.localeCompare(b.name));
    return { people: people.sort((a, b) => a.name.localeCompare(b.name)), providers };
  });
}

/** A person's name, for a form that adds them as a payee (undefined when not found). */
export async function personForPayee(
  ctx: ServiceContext,
  personId: string,
): Promise<{ personId: string; name: string } | undefined> {
  return inTenant(ctx, async (t) => {
    try {
      const row = await findPersonRow(t, personId);
      return { personId, name: `${row.given_name} ${row.family_name}` };
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  });
}
