import { z } from "zod";
import * as repo from "#/features/payments/repository.ts";
import { bankDetailsSchema } from "#/features/payments/schemas.ts";
import { audit } from "#/platform/audit/audit.ts";
import { actorRef, inTenant, type ServiceContext, type TxContext } from "#/platform/context.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "#/platform/errors.ts";
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
  kind: repo.PayeeRow["kind"];
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
  status: repo.BankDetailsRow["status"];
  proposedBy: string;
  proposedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
};

const toPayee = (r: repo.PayeeRow): Payee => ({
  payeeId: r.payee_id,
  kind: r.kind,
  personId: r.person_id,
  providerId: r.provider_id,
  name: r.name,
});

const toDetails = (r: repo.BankDetailsRow): BankDetailsRecord => ({
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
      ? await repo.payeeOfPerson(t.tx, p.personId)
      : p.kind === "provider"
        ? await repo.payeeOfProvider(t.tx, p.providerId)
        : undefined;
  if (existing) return toPayee(existing);
  const payeeId = uuidv7();
  const row = await repo.insertPayee(t.tx, {
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
      ? await repo.payeeOfPerson(t.tx, p.personId)
      : p.kind === "provider"
        ? await repo.payeeOfProvider(t.tx, p.providerId)
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
  const payee = await repo.findPayee(t.tx, payeeId);
  if (!payee) throw new NotFoundError("The payee");
  const d = parsed.data;
  const detailsId = uuidv7();
  await repo.insertBankDetails(t.tx, {
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
  const rows = await repo.bankDetailsOf(t.tx, payeeId);
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
  const row = await repo.findBankDetailsForUpdate(t.tx, detailsId);
  if (!row) throw new NotFoundError("The proposed bank details");
  if (row.status !== "proposed")
    throw new ConflictError(`These bank details were already ${row.status}; propose new ones to change them`);
  if (row.proposed_by === actorRef(actor))
    throw new ForbiddenError(
      "You proposed these bank details, so someone else must approve or refuse them (maker-checker)",
    );
  const status = decision === "approve" ? "approved" : "refused";
  await repo.decideBankDetails(t.tx, detailsId, status, actorRef(actor));
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
    const payee = await repo.findPayee(tx, payeeId);
    if (!payee) throw new NotFoundError("The payee");
    const details = (await repo.bankDetailsOf(tx, payeeId)).map(toDetails);
    await audit(tx, { action: "view", recordType: "payee", recordId: payeeId });
    return { ...toPayee(payee), details };
  });
}

/** Every payee with their details, and the proposals waiting for a second person; the view audited. */
export async function listPayees(ctx: ServiceContext): Promise<PayeeWithDetails[]> {
  return inTenant(ctx, async ({ tx }) => {
    const payees = await repo.listPayees(tx);
    const out: PayeeWithDetails[] = [];
    for (const p of payees)
      out.push({ ...toPayee(p), details: (await repo.bankDetailsOf(tx, p.payee_id)).map(toDetails) });
    await audit(tx, { action: "view", recordType: "payees", recordId: tx.scope.tenantId });
    return out;
  });
}
