import { z } from "zod";
import { BacsFileError, bacs18DirectCreditFile } from "#/features/payments/bacs18.calc.ts";
import * as debtsRepo from "#/features/payments/debts-repository.ts";
import { FinanceCsvError, type FinancePayment, financeCsv } from "#/features/payments/finance-csv.calc.ts";
import * as invoicesRepo from "#/features/payments/invoices-repository.ts";
import * as messagesRepo from "#/features/payments/messages-repository.ts";
import { addDays, bacsCycleForDueDate, PayDateError } from "#/features/payments/pay-dates.calc.ts";
import * as payeesRepo from "#/features/payments/payees-repository.ts";
import * as repo from "#/features/payments/repository.ts";
import {
  financeCodeMappingSchema,
  originatorSchema,
  type PaymentSettings,
  paymentSettingsSchema,
} from "#/features/payments/schemas.ts";
import { findPersonRow, findPersonRows } from "#/features/people/service.ts";
import { audit } from "#/platform/audit/audit.ts";
import { actorRef, inTenant, type ServiceContext, type TxContext } from "#/platform/context.ts";
import { dateInWords } from "#/platform/date-words.calc.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "#/platform/errors.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";
import { isCalendarDate } from "#/rules/index.ts";
import { rulesFor } from "#/rules/registry.ts";

/**
 * Payments, the use cases besides making a run (run.ts), bank details (bank-details.ts) and returns (returns.ts):
 *  - the council's dated payment settings (cycle and its anchor, how the contribution is collected, the banking
 *    day rule and bank holiday region, the council's own account and Bacs service user number, and the
 *    general-ledger and cost-centre codes per funding stream); a version is never changed, a new one applies
 *    from its date;
 *  - runs: list, read with their payments, review (one finance officer), approve (a DIFFERENT one), and the files
 *    only an approved run releases — the Bacs Standard 18 file of its direct payments and the finance CSV of all
 *    its payments — each download audited.
 */

// ---- settings -------------------------------------------------------------------------------------------------------

export const paymentSettingsInputSchema = paymentSettingsSchema.extend({
  originator: originatorSchema,
  financeCodes: financeCodeMappingSchema,
  validFrom: z
    .string({ error: "Give the date the settings apply from" })
    .refine(isCalendarDate, { error: "Write the date the settings apply from as YYYY-MM-DD" }),
  reason: z
    .string({ error: "Say why the settings change" })
    .trim()
    .min(1, { error: "Say why the settings change" })
    .max(2000, { error: "The reason must be 2000 characters or fewer" }),
});
export type PaymentSettingsInput = z.input<typeof paymentSettingsInputSchema>;

export type StoredSettings = PaymentSettings & {
  originator: z.infer<typeof originatorSchema>;
  financeCodes: z.infer<typeof financeCodeMappingSchema>;
};

export type SettingsVersion = {
  version: number;
  validFrom: string;
  settings: StoredSettings;
  reason: string;
  createdBy: string;
  createdAt: Date;
};

/** What a new council starts from: its rule pack's defaults on the date (the admin page pre-fills them). */
export function defaultPaymentSettings(
  jurisdiction: string,
  date: string,
): Pick<PaymentSettings, "frequency" | "contributionCollection" | "whenNotBankingDay" | "bankHolidayRegion"> {
  const rules = rulesFor(jurisdiction, date).payments.rules;
  return {
    frequency: rules.defaultFrequency,
    contributionCollection: rules.defaultContributionCollection,
    whenNotBankingDay: rules.whenNotBankingDay,
    bankHolidayRegion: "england-and-wales",
  };
}

const toVersion = (r: repo.SettingsRow): SettingsVersion => ({
  version: r.version,
  validFrom: r.valid_from,
  settings: repo.parseJson<StoredSettings>(r.settings),
  reason: r.reason,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

/** The settings in force on a date, or undefined (inside another use case's transaction). */
export async function settingsOnIn(tx: TenantTx, date: string): Promise<StoredSettings | undefined> {
  const row = await repo.settingsOn(tx, date);
  return row ? toVersion(row).settings : undefined;
}

/** Adds a version of the payment settings, in force from its date (inside the caller's transaction). */
export async function savePaymentSettingsIn(tx: TenantTx, input: unknown): Promise<SettingsVersion> {
  const parsed = paymentSettingsInputSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError(fieldErrorsFrom(parsed.error), "The payment settings need correcting");
  const { validFrom, reason, ...settings } = parsed.data;
  await repo.lockSettings(tx);
  const version = await repo.insertSettings(tx, {
    settings_version_id: uuidv7(),
    valid_from: validFrom,
    settings,
    reason,
    created_by: actorRef(tx.scope.actor),
  });
  await audit(tx, {
    action: "payment_settings.create",
    recordType: "payment_settings",
    recordId: tx.scope.tenantId,
    changes: {
      version,
      validFrom,
      frequency: settings.frequency,
      anchorDate: settings.anchorDate,
      contributionCollection: settings.contributionCollection,
      bankHolidayRegion: settings.bankHolidayRegion,
      originatorSortCode: settings.originator.sortCode,
      serviceUserNumber: settings.originator.serviceUserNumber,
      streamsCoded: Object.keys(settings.financeCodes.streams),
    },
  });
  const rows = await repo.listSettings(tx);
  return toVersion(rows.find((r) => r.version === version)!);
}

/** Adds a version of the payment settings, in force from its date. Checked before the transaction opens. */
export async function savePaymentSettings(ctx: ServiceContext, input: unknown): Promise<SettingsVersion> {
  const parsed = paymentSettingsInputSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError(fieldErrorsFrom(parsed.error), "The payment settings need correcting");
  return inTenant(ctx, ({ tx }) => savePaymentSettingsIn(tx, input));
}

export async function listPaymentSettings(ctx: ServiceContext): Promise<SettingsVersion[]> {
  return inTenant(ctx, async ({ tx }) => (await repo.listSettings(tx)).map(toVersion));
}

// ---- runs ---------------------------------------------------------------------------------------------------------------

export type RunSummary = {
  runId: string;
  runNo: number;
  payDate: string;
  /** The date the run's files pay on: its own, or a later one approved when its Bacs file was not sent in time
   * (redate.ts). */
  filePayDate: string;
  status: repo.RunRow["status"];
  held: repo.HeldPayment[];
  createdBy: string;
  createdAt: Date;
  preparedAt: Date;
  reviewedBy: string | null;
  reviewedAt: Date | null;
  approvedBy: string | null;
  approvedAt: Date | null;
} & repo.RunTotals;

export type Payment = {
  paymentId: string;
  paymentKey: string;
  runId: string;
  budgetId: string;
  personId: string;
  cycleStart: string;
  cycleEnd: string;
  dueDate: string;
  payDate: string;
  kind: repo.PaymentRow["kind"];
  deployment: repo.PaymentRow["deployment"];
  payeeId: string | null;
  payeeName: string | null;
  amount: number;
  parts: repo.StoredPart[];
  status: repo.PaymentRow["status"];
};

const NO_TOTALS: repo.RunTotals = { payments: 0, totalPence: 0, bankPayments: 0, bankPence: 0 };

function toRun(
  r: repo.RunRow,
  totals: repo.RunTotals | undefined,
  filePayDate: string = r.pay_date,
): RunSummary {
  return {
    runId: r.run_id,
    runNo: r.run_no,
    payDate: r.pay_date,
    filePayDate,
    status: r.status,
    held: repo.parseJson<repo.HeldPayment[]>(r.held),
    createdBy: r.created_by,
    createdAt: r.created_at,
    preparedAt: r.prepared_at,
    reviewedBy: r.reviewed_by,
    reviewedAt: r.reviewed_at,
    approvedBy: r.approved_by,
    approvedAt: r.approved_at,
    ...(totals ?? NO_TOTALS),
  };
}

export function toPayment(r: repo.PaymentRow): Payment {
  return {
    paymentId: r.payment_id,
    paymentKey: r.payment_key,
    runId: r.run_id,
    budgetId: r.budget_id,
    personId: r.person_id,
    cycleStart: r.cycle_start,
    cycleEnd: r.cycle_end,
    dueDate: r.due_date,
    payDate: r.pay_date,
    kind: r.kind,
    deployment: r.deployment,
    payeeId: r.payee_id,
    payeeName: r.account_name,
    amount: Number(r.amount),
    parts: repo.parseJson<repo.StoredPart[]>(r.parts),
    status: r.status,
  };
}

export async function listRuns(ctx: ServiceContext): Promise<RunSummary[]> {
  return inTenant(ctx, async ({ tx }) => {
    const runs = await repo.listRuns(tx);
    const totals = await repo.runTotals(
      tx,
      runs.map((r) => r.run_id),
    );
    const redated = new Map<string, string>();
    for (const d of await repo.redatesOfRuns(
      tx,
      runs.map((r) => r.run_id),
    ))
      if (d.status === "approved") redated.set(d.run_id, d.pay_date);
    return runs.map((r) => toRun(r, totals.get(r.run_id), redated.get(r.run_id)));
  });
}

/** A payment the run held, with the name of the person whose budget it is (and of the payee, when there is one). */
export type HeldPaymentView = repo.HeldPayment & {
  personName: string | null;
  personReference: string | null;
  payeeName: string | null;
};

/** Held payments with the person's name and reference and the payee's name (inside the caller's transaction). */
async function nameHeldIn(t: TxContext, held: readonly repo.HeldPayment[]): Promise<HeldPaymentView[]> {
  const people = new Map<string, { name: string; reference: string } | null>();
  const payees = new Map<string, string | null>();
  for (const h of held) {
    if (h.personId && !people.has(h.personId)) {
      const row = await findPersonRow(t, h.personId).catch((error: unknown) => {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      });
      people.set(
        h.personId,
        row ? { name: `${row.given_name} ${row.family_name}`, reference: row.reference } : null,
      );
    }
    if (h.payeeId && !payees.has(h.payeeId))
      payees.set(h.payeeId, (await payeesRepo.findPayee(t.tx, h.payeeId))?.name ?? null);
  }
  return held.map((h) => {
    const person = h.personId ? people.get(h.personId) : undefined;
    return {
      ...h,
      personName: person?.name ?? null,
      personReference: person?.reference ?? null,
      payeeName: (h.payeeId && payees.get(h.payeeId)) || null,
    };
  });
}

/**
 * What a run held, named (for the command's output, as the run page shows it). Names people, so it is audited
 * as a view of the run.
 */
export async function namedHeld(
  ctx: ServiceContext,
  runId: string | null,
  held: readonly repo.HeldPayment[],
): Promise<HeldPaymentView[]> {
  if (held.length === 0) return [];
  return inTenant(ctx, async (t) => {
    const named = await nameHeldIn(t, held);
    if (runId) await audit(t.tx, { action: "view", recordType: "payment_run", recordId: runId });
    return named;
  });
}

/** A run and its payments (they name people, so the view is audited). */
export async function getRun(
  ctx: ServiceContext,
  runId: string,
): Promise<{ run: RunSummary; payments: Payment[]; held: HeldPaymentView[] }> {
  return inTenant(ctx, async (t) => {
    const { tx } = t;
    const run = await repo.findRun(tx, runId);
    if (!run) throw new NotFoundError("The payment run");
    const totals = await repo.runTotals(tx, [runId]);
    const payments = (await repo.paymentsOfRun(tx, runId)).map(toPayment);
    const summary = toRun(run, totals.get(runId), await repo.filePayDateOf(tx, run));
    const held = await nameHeldIn(t, summary.held);
    await audit(tx, { action: "view", recordType: "payment_run", recordId: runId });
    return { run: summary, payments, held };
  });
}

/** One payment of the caller's council ("not found" for any other), for the page that records its return. */
export async function getPayment(ctx: ServiceContext, paymentId: string): Promise<Payment> {
  return inTenant(ctx, async ({ tx }) => {
    const payment = await repo.findPayment(tx, paymentId);
    if (!payment) throw new NotFoundError("The payment");
    return toPayment(payment);
  });
}

function staffRef(tx: TenantTx, what: string): string {
  const actor = tx.scope.actor;
  if (actor.type !== "staff" || !actor.id) throw new ForbiddenError(`Only a finance officer may ${what}`);
  return actorRef(actor);
}

/** A finance officer has checked the run's payments: the first of the two keys. */
export async function reviewRun(ctx: ServiceContext, runId: string): Promise<RunSummary> {
  return inTenant(ctx, async ({ tx }) => {
    const by = staffRef(tx, "review a payment run");
    const run = await repo.findRun(tx, runId, true);
    if (!run) throw new NotFoundError("The payment run");
    if (run.status !== "prepared") throw new ConflictError(`This run has already been ${run.status}`);
    await repo.setRunReviewed(tx, runId, by);
    await audit(tx, { action: "payment_run.review", recordType: "payment_run", recordId: runId });
    const totals = await repo.runTotals(tx, [runId]);
    return toRun({ ...run, status: "reviewed", reviewed_by: by, reviewed_at: new Date() }, totals.get(runId));
  });
}

/** A DIFFERENT finance officer approves the reviewed run; only then are its files released. */
export async function approveRun(ctx: ServiceContext, runId: string): Promise<RunSummary> {
  return inTenant(ctx, async ({ tx }) => {
    const by = staffRef(tx, "approve a payment run");
    const run = await repo.findRun(tx, runId, true);
    if (!run) throw new NotFoundError("The payment run");
    if (run.status === "prepared")
      throw new ConflictError("This run has not been reviewed yet: a finance officer must review it first");
    if (run.status === "approved") throw new ConflictError("This run has already been approved");
    if (run.reviewed_by === by)
      throw new ForbiddenError(
        "You reviewed this run, so a different finance officer must approve it (maker-checker)",
      );
    await repo.setRunApproved(tx, runId, by);
    await audit(tx, { action: "payment_run.approve", recordType: "payment_run", recordId: runId });
    const totals = await repo.runTotals(tx, [runId]);
    return toRun({ ...run, status: "approved", approved_by: by, approved_at: new Date() }, totals.get(runId));
  });
}

export type RunFile = {
  filename: string;
  contentType: string;
  body: string;
  count: number;
  totalPence: number;
};

/** Volume serial: the run number in base 36, 6 characters (a different one for every file the council sends). */
const serialOf = (runNo: number) => runNo.toString(36).toUpperCase().padStart(6, "0").slice(-6);

/** The Bacs file (direct payments) or the finance CSV (all payments) of an APPROVED run; the download audited. */
export async function runFile(
  ctx: ServiceContext,
  runId: string,
  kind: "bacs18" | "finance_csv",
): Promise<RunFile> {
  return inTenant(ctx, async ({ tx, today }) => {
    const run = await repo.findRun(tx, runId);
    if (!run) throw new NotFoundError("The payment run");
    if (run.status !== "approved")
      throw new ConflictError(
        "The run's files are released only once it has been reviewed and then approved by a second finance officer",
      );
    // The date the file pays on: the run's, or a later one approved because its file was not sent in time.
    const payDate = await repo.filePayDateOf(tx, run);
    const settings = await settingsOnIn(tx, payDate);
    if (!settings)
      throw new ConflictError(`There are no payment settings in force on ${dateInWords(payDate)}`);
    const payments = await repo.paymentsOfRun(tx, runId);
    let file: RunFile;
    try {
      if (kind === "bacs18") {
        const credits = payments.filter(
          (p) => p.kind === "bank" && p.deployment === "direct_payment" && p.amount > 0,
        );
        const cycle = bacsCycleForDueDate(payDate, settings.whenNotBankingDay);
        // Said in words, not as the file's field: prepare refuses such a date, so only a run left too long gets here.
        if (today > cycle.processingDay)
          throw new ConflictError(
            `The Bacs file for this run cannot be made now: to pay on ${dateInWords(payDate)} it had to reach Bacs by ${dateInWords(cycle.inputDay)}. Ask for the file for a later pay date on the run's page (a second finance officer approves it); the payments are not made again`,
          );
        const bacs = bacs18DirectCreditFile({
          originator: settings.originator,
          credits: credits.map((p) => ({
            paymentId: p.payment_id,
            accountName: p.account_name!,
            sortCode: p.sort_code!,
            accountNumber: p.account_number!,
            amount: Number(p.amount) as never,
            reference: `DP ${run.run_no} ${p.payment_id.slice(-8).toUpperCase()}`,
          })),
          processingDay: cycle.processingDay,
          creationDate: today,
          volumeSerialNumber: serialOf(run.run_no),
          contraNarrative: `UPFRONT RUN ${run.run_no}`,
        });
        file = {
          filename: `upfront-run-${run.run_no}-${payDate}-bacs18.txt`,
          contentType: "text/plain; charset=us-ascii",
          body: bacs.text,
          count: bacs.creditCount,
          totalPence: bacs.creditTotal,
        };
      } else {
        const rows: FinancePayment[] = payments.map((p) => ({
          paymentId: p.payment_id,
          runId,
          // The pay date is the run's file's: the day the money reaches the payee, whatever cycle it is for.
          payDate,
          dueDate: p.due_date,
          budgetId: p.budget_id,
          payeeAccountId: p.payee_id ?? `${p.deployment}`,
          payeeName: p.account_name ?? `Held by the council (${p.deployment.replaceAll("_", " ")})`,
          parts: repo.parseJson<repo.StoredPart[]>(p.parts).map((x) => ({
            kind: x.kind,
            ...(x.fundingStreamId ? { fundingStreamId: x.fundingStreamId } : {}),
            amount: x.amount as never,
            ...(x.description ? { description: x.description } : {}),
          })),
        }));
        const csv = financeCsv(rows, settings.financeCodes);
        file = {
          filename: `upfront-run-${run.run_no}-${payDate}-finance.csv`,
          contentType: "text/csv; charset=utf-8",
          body: csv.text,
          count: csv.rowCount,
          totalPence: csv.totalPence,
        };
      }
    } catch (error) {
      if (error instanceof BacsFileError || error instanceof FinanceCsvError)
        throw new ValidationError(
          error.problems.map((p) => ({
            // The payment's id finance can look up, never the file's internal field names.
            path: "paymentId" in p && p.paymentId ? p.paymentId : "file",
            message: p.message,
          })),
          error.message,
        );
      if (error instanceof PayDateError)
        throw new ValidationError([{ path: "payDate", message: error.message }]);
      throw error;
    }
    await audit(tx, {
      action: "payment_run.download",
      recordType: "payment_run",
      recordId: runId,
      changes: { file: kind, count: file.count, totalPence: file.totalPence },
    });
    return file;
  });
}

// ---- what the person and finance are told, and a person's payments ---------------------------------------------------

export type PaymentMessage = {
  messageId: string;
  paymentId: string;
  personId: string;
  body: string;
  createdAt: Date;
};

const toMessage = (m: messagesRepo.MessageRow): PaymentMessage => ({
  messageId: m.message_id,
  paymentId: m.payment_id,
  personId: m.person_id,
  body: m.body,
  createdAt: m.created_at,
});

export type DatedPaymentMessage = PaymentMessage & {
  /** The day of what the message is about: the bank's return date, or the day it was written. */
  on: string;
};

/** How long a message about a payment counts as recent, for the notice on the person's home page. */
export const RECENT_MESSAGE_DAYS = 60;

/**
 * One person's messages for an audience (what they, or finance, were told to do about a payment), newest first,
 * inside the caller's transaction: the caller has checked who may see them. `recentOnly`: about something in the
 * last RECENT_MESSAGE_DAYS days before today (or later).
 */
export async function paymentMessagesOfPersonIn(
  t: TxContext,
  personId: string,
  audience: messagesRepo.MessageRow["audience"],
  options: { recentOnly?: boolean; limit?: number } = {},
): Promise<DatedPaymentMessage[]> {
  const since = options.recentOnly ? addDays(t.today, -RECENT_MESSAGE_DAYS) : undefined;
  const rows = await messagesRepo.messagesOfPerson(t.tx, {
    personId,
    audience,
    limit: options.limit ?? 50,
    ...(since ? { since } : {}),
  });
  return rows.map((m) => ({ ...toMessage(m), on: m.returned_on ?? m.created_at.toISOString().slice(0, 10) }));
}

/** Messages for finance (returned payments to act on) and money owed back; for the /payments page. */
export async function financeWork(ctx: ServiceContext) {
  return inTenant(ctx, async ({ tx }) => {
    const messages = (await messagesRepo.messagesFor(tx, { audience: "finance" })).map(toMessage);
    const open = await debtsRepo.openDebts(tx);
    const people = await findPersonRows(
      { tx },
      open.map((d) => d.person_id),
    );
    const debts = open.flatMap((d) => {
      const person = people.get(d.person_id);
      if (!person) return [];
      return [
        {
          debtId: d.debt_id,
          paymentId: d.payment_id,
          budgetId: d.budget_id,
          personId: d.person_id,
          personName: `${person.given_name} ${person.family_name}`,
          personReference: person.reference,
          amount: Number(d.amount),
          createdAt: d.created_at,
        },
      ];
    });
    const proposals = (await payeesRepo.proposedBankDetails(tx)).map((d) => ({
      detailsId: d.details_id,
      payeeId: d.payee_id,
      payeeName: d.payee_name,
      accountName: d.account_name,
      sortCode: d.sort_code,
      accountNumberEnding: d.account_number.slice(-4),
      effectiveFrom: d.effective_from,
      proposedBy: d.proposed_by,
    }));
    // The list names people and payees (the Payments page): audited as a view of what was listed.
    await audit(tx, {
      action: "view",
      recordType: "finance_work",
      recordId: tx.scope.tenantId,
      changes: {
        debtIds: debts.map((d) => d.debtId),
        personIds: [...new Set(debts.map((d) => d.personId))],
        bankDetailsIds: proposals.map((p) => p.detailsId),
        messages: messages.length,
      },
    });
    return { messages, debts, proposals };
  });
}

/** A person's payments, contribution invoices and messages, for their record and their portal; audited. */
export async function paymentsForPerson(ctx: ServiceContext, personId: string) {
  return inTenant(ctx, async ({ tx }) => {
    const payments = (await repo.paymentsOfPerson(tx, personId)).map(toPayment);
    const invoices = (await invoicesRepo.invoicesOfPerson(tx, personId)).map((i) => ({
      invoiceId: i.invoice_id,
      cycleStart: i.cycle_start,
      cycleEnd: i.cycle_end,
      amount: Number(i.amount),
      status: i.status,
    }));
    const messages = (await messagesRepo.messagesFor(tx, { personId, audience: "person" })).map(toMessage);
    await audit(tx, { action: "view", recordType: "person_payments", recordId: personId });
    return { payments, invoices, messages };
  });
}
