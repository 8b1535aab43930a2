import {
  budgetIn,
  endedBudgetsIn,
  liveBudgetsIn,
  type PersonalBudget,
  recordFirstPaymentsIn,
} from "#/features/budgets/service.ts";
import type { NewTransferRequest } from "#/features/ledger/ledger.calc.ts";
import { type AccountSpec, ensureAccountsIn, transfersIn } from "#/features/ledger/service.ts";
import * as debtsRepo from "#/features/payments/debts-repository.ts";
import * as invoicesRepo from "#/features/payments/invoices-repository.ts";
import {
  addDays,
  bankingDayOnOrAfter,
  bankingDayOnOrBefore,
  earliestPayDate,
  isBankingDay,
  PayDateError,
} from "#/features/payments/pay-dates.calc.ts";
import * as payeesRepo from "#/features/payments/payees-repository.ts";
import * as repo from "#/features/payments/repository.ts";
import {
  type OneOffCost,
  paymentSchedule,
  reconcilePayments,
  type ScheduledPayment,
  ScheduleError,
  type ScheduleLine,
} from "#/features/payments/schedule.calc.ts";
import { paymentRunRequestSchema } from "#/features/payments/schemas.ts";
import { type StoredSettings, settingsOnIn } from "#/features/payments/service.ts";
import { audit } from "#/platform/audit/audit.ts";
import { actorRef, inTenant, type ServiceContext, todayInLondon } from "#/platform/context.ts";
import { crashPoint } from "#/platform/crash-points.ts";
import { dateInWords } from "#/platform/date-words.calc.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";
import { ConflictError, ValidationError } from "#/platform/errors.ts";
import { pence } from "#/platform/money/pence.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";
import { paymentRulesFor } from "#/rules/england/payment-rules.ts";

/**
 * A payment run for a pay date: every payment due by then is made EXACTLY ONCE.
 *
 * 1. Work out (reading only) every live budget's schedule and the payments whose pay date (the due date moved
 *    to a banking day of the council's region) is on or before the run's date; a bank payment whose payee has no
 *    approved bank details in force is held (listed on the run with the reason) and made by a later run.
 * 2. Make them in committed batches of budgets. In each batch's one transaction the payments are inserted with
 *    ON CONFLICT DO NOTHING on their key per (budget, cycle, payee) — schedule.calc.ts paymentKey — and only the
 *    rows this transaction inserted move money: stream → the budget's deployment account → the payee (net of a
 *    netted contribution, which goes to contribution income), each transfer keyed by the payment key. A second
 *    run (or one racing this one) finds the key taken — it waits on the unique index until the first commits —
 *    and does nothing; a run killed half-way has committed whole batches only, and running it again makes the
 *    rest. Invoiced contributions are made once per cycle the same way; the first direct payment records the
 *    budget's first payment date (moving the direct payment review).
 * 3. Budgets that have ended: what was paid for days after the end date is recorded as a debt to recover, once
 *    per payment.
 *
 * A run that has been reviewed or approved is final: preparing it again is refused (the next run makes what is
 * due later). Batch size and a pause between batches can be set for tests (UPFRONT_PAYMENT_BATCH_SIZE,
 * UPFRONT_PAYMENT_BATCH_PAUSE_MS) so a run can be killed part-way.
 */

export type RunProgress = { budgetsDone: number; budgetsTotal: number; paymentsMade: number };

export type RunOptions = {
  batchSize?: number;
  pauseMs?: number;
  onProgress?: (progress: RunProgress) => void;
  /** The scheduled job: do not create a run when nothing is due. */
  skipWhenNothingDue?: boolean;
};

export type RunOutcome = {
  runId: string | null;
  runNo: number | null;
  payDate: string;
  due: number;
  made: number;
  madePence: number;
  alreadyMade: number;
  held: repo.HeldPayment[];
  invoicesRaised: number;
  debtsRecorded: number;
};

type PlannedPayment = {
  row: repo.NewPaymentRow;
  streamParts: { streamId: string; deployment: string; amount: number }[];
  netted: number;
};
type PlannedBudget = {
  budget: PersonalBudget;
  payments: PlannedPayment[];
  invoices: Omit<invoicesRepo.InvoiceRow, "tenant_id" | "created_at" | "status" | "paid_on" | "run_id">[];
};

/**
 * A pay date the Bacs three-day cycle cannot meet any more (pay-dates.calc.ts earliestPayDate): refused at
 * prepare, naming the earliest date that works (ISO here; the page writes it in words).
 */
export class PayDateTooEarlyError extends ValidationError {
  readonly payDate: string;
  readonly earliest: string;
  constructor(payDate: string, earliest: string) {
    super(
      [
        {
          path: "date",
          message: `${payDate} is too soon for a Bacs payment made today: the earliest pay date that works is ${earliest}`,
        },
      ],
      "The pay date is too soon for Bacs",
    );
    this.payDate = payDate;
    this.earliest = earliest;
  }
}

/** The earliest pay date a run prepared today can meet, under the council's settings in force today. */
export async function earliestPayDateFor(ctx: ServiceContext): Promise<string> {
  return inTenant(ctx, async ({ tx, today }) => {
    const settings = await settingsOnIn(tx, today);
    if (!settings)
      throw new ValidationError(
        [
          {
            path: "date",
            message: `Set the council's payment settings (in force on ${dateInWords(today)}) before running payments`,
          },
        ],
        "There are no payment settings",
      );
    return earliestPayDate(today, settings.bankHolidayRegion);
  });
}

const envNumber = (name: string): number | undefined => {
  const v = process.env[name];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
};

/** The pay date of a due date: the banking day before (or after) when it is not one, in the council's region. */
export function payDateFor(dueDate: string, settings: StoredSettings): string {
  return settings.whenNotBankingDay === "before"
    ? bankingDayOnOrBefore(dueDate, settings.bankHolidayRegion)
    : bankingDayOnOrAfter(dueDate, settings.bankHolidayRegion);
}

const FUNDING_ONLY = new Set(["council_managed", "council_arranged"]);

/** Which account a budget line pays: the person's payee (direct payment), the provider's (ISF), or none. */
function payeeKeyOf(
  line: { deployment: string; providerId: string | null },
  personPayee: string | undefined,
  providerPayees: Map<string, string>,
): string {
  if (FUNDING_ONLY.has(line.deployment)) return `funding-${line.deployment}`;
  if (line.deployment === "direct_payment") return personPayee ?? "unknown-person-payee";
  return (
    (line.providerId && providerPayees.get(line.providerId)) ??
    `unknown-provider-${line.providerId ?? "none"}`
  );
}

type PayeeMaps = { person: Map<string, string>; provider: Map<string, string> };

async function payeeMaps(tx: TenantTx): Promise<PayeeMaps & { rows: payeesRepo.PayeeRow[] }> {
  const rows = await payeesRepo.listPayees(tx);
  return {
    rows,
    person: new Map(rows.filter((p) => p.kind === "person").map((p) => [p.person_id!, p.payee_id])),
    provider: new Map(rows.filter((p) => p.kind === "provider").map((p) => [p.provider_id!, p.payee_id])),
  };
}

/** The schedule calc's input for a budget under the council's settings. */
function scheduleInput(budget: PersonalBudget, settings: StoredSettings, payees: PayeeMaps, through: string) {
  const person = payees.person.get(budget.personId);
  return {
    budgetId: budget.budgetId,
    startDate: budget.startDate,
    ...(budget.endDate ? { endDate: budget.endDate } : {}),
    approvedOn: todayInLondon(budget.approvedAt),
    anchorDate: settings.anchorDate,
    frequency: settings.frequency,
    lines: budget.lines.map(
      (l): ScheduleLine => ({
        payeeAccountId: payeeKeyOf(l, person, payees.provider),
        fundingStreamId: l.streamId,
        deployment: l.deployment,
        weekly: pence(l.weeklyPence),
      }),
    ),
    oneOffs: budget.lines
      .filter((l) => l.oneOffPence > 0)
      .map(
        (l): OneOffCost => ({
          payeeAccountId: payeeKeyOf(l, person, payees.provider),
          fundingStreamId: l.streamId,
          deployment: l.deployment,
          amount: pence(l.oneOffPence),
          description: `One-off: ${l.supportName}`.slice(0, 200),
        }),
      ),
    contribution: {
      weekly: pence(budget.contributionWeeklyPence),
      collection: settings.contributionCollection,
    },
    through,
  };
}

async function planBudgets(
  tx: TenantTx,
  payDate: string,
  settings: StoredSettings,
): Promise<{ planned: PlannedBudget[]; held: repo.HeldPayment[] }> {
  const rules = paymentRulesFor(payDate);
  const budgets = await liveBudgetsIn(tx, payDate);
  const planned: PlannedBudget[] = [];
  const held: repo.HeldPayment[] = [];
  // Payees, and their approved details on the pay date, in two look-ups for the whole run.
  const payees = await payeeMaps(tx);
  const details = await payeesRepo.approvedDetailsOn(
    tx,
    payees.rows.map((p) => p.payee_id),
    payDate,
  );
  const payeeIds = new Set(payees.rows.map((p) => p.payee_id));

  for (const budget of budgets) {
    // Cycles due a few days after the run's date may pay on it (a weekend or bank holiday before them).
    const schedule = paymentSchedule(scheduleInput(budget, settings, payees, addDays(payDate, 7)), rules);
    const plan: PlannedBudget = { budget, payments: [], invoices: [] };
    for (const cycle of schedule.cycles) {
      const cyclePayDate = payDateFor(cycle.dueDate, settings);
      if (cyclePayDate > payDate) continue;
      for (const p of cycle.payments) {
        const planned = plannedPayment(budget, cycle, p, cyclePayDate, payeeIds, details);
        if ("reason" in planned) held.push(planned);
        else plan.payments.push(planned);
      }
      if (cycle.contribution.invoiced > 0)
        plan.invoices.push({
          invoice_id: uuidv7(),
          invoice_key: `contribution:${budget.budgetId}:${cycle.start}`,
          budget_id: budget.budgetId,
          person_id: budget.personId,
          cycle_start: cycle.start,
          cycle_end: cycle.end,
          amount: cycle.contribution.invoiced,
        });
    }
    if (plan.payments.length > 0 || plan.invoices.length > 0) planned.push(plan);
  }
  return { planned, held };
}

function plannedPayment(
  budget: PersonalBudget,
  cycle: { start: string; end: string; dueDate: string },
  p: ScheduledPayment,
  payDate: string,
  payeeIds: Set<string>,
  details: Map<string, payeesRepo.BankDetailsRow>,
): PlannedPayment | repo.HeldPayment {
  const deployment = (p.parts.find((x) => x.deployment)?.deployment ??
    "direct_payment") as repo.NewPaymentRow["deployment"];
  const funding = FUNDING_ONLY.has(deployment);
  const payeeId = funding ? null : p.payeeAccountId;
  const who = { key: p.key, budgetId: budget.budgetId, personId: budget.personId };
  if (payeeId && !payeeIds.has(payeeId))
    return {
      ...who,
      fix: deployment === "direct_payment" ? "add_person_payee" : "add_payee",
      reason:
        deployment === "direct_payment"
          ? "The person has no payee record: add them as a payee with their bank details"
          : "The provider has no payee record: add them as a payee with their bank details",
    };
  const bank = payeeId ? details.get(payeeId) : undefined;
  if (payeeId && !bank)
    return {
      ...who,
      payeeId,
      fix: "bank_details",
      reason:
        "The payee has no approved bank details in force on the pay date: add them, and a second person must approve them",
    };
  const streamParts = p.parts
    .filter((x) => x.kind !== "contribution_netted" && x.amount > 0)
    .map((x) => ({ streamId: x.fundingStreamId!, deployment: x.deployment ?? deployment, amount: x.amount }));
  const netted = -p.parts.filter((x) => x.kind === "contribution_netted").reduce((s, x) => s + x.amount, 0);
  return {
    streamParts,
    netted,
    row: {
      payment_id: uuidv7(),
      payment_key: p.key,
      run_id: "", // set when the run is known
      budget_id: budget.budgetId,
      person_id: budget.personId,
      cycle_start: cycle.start,
      cycle_end: cycle.end,
      due_date: cycle.dueDate,
      pay_date: payDate,
      kind: funding ? "funding" : "bank",
      deployment,
      payee_id: payeeId,
      amount: p.amount,
      parts: p.parts.map((x) => ({ ...x })),
      bank_details_id: bank?.details_id ?? null,
      account_name: bank?.account_name ?? null,
      sort_code: bank?.sort_code ?? null,
      account_number: bank?.account_number ?? null,
    },
  };
}

/**
 * The ledger accounts a batch needs. While the batch's transfers are built, each account is named by its code;
 * `resolve` then finds or makes them all at once (ensureAccountsIn: a few statements, not two per account) and
 * puts their ids in.
 */
class Accounts {
  private readonly specs = new Map<string, AccountSpec>();
  private named(spec: AccountSpec): string {
    if (!this.specs.has(spec.code)) this.specs.set(spec.code, spec);
    return spec.code;
  }
  stream = (streamId: string) => this.named({ code: `stream:${streamId}`, kind: "stream", streamId });
  budget = (budget: PersonalBudget, deployment: string) =>
    this.named({
      code: `budget:${budget.budgetId}:${deployment}`,
      kind: "budget",
      budgetId: budget.budgetId,
      deployment,
      personId: budget.personId,
      mustNotGoBelowZero: true,
    });
  payee = (payeeId: string) => this.named({ code: `payee:${payeeId}`, kind: "payee" });
  contribution = (budget: PersonalBudget) =>
    this.named({
      code: `contribution:${budget.budgetId}`,
      kind: "contribution",
      budgetId: budget.budgetId,
      personId: budget.personId,
    });
  income = () =>
    this.named({ code: "contribution_income", kind: "income", name: "Contributions from people" });

  /** The transfers with account codes replaced by the accounts' ids, every account found or made. */
  async resolve(
    t: { tx: TenantTx; today: string },
    transfers: NewTransferRequest[],
  ): Promise<NewTransferRequest[]> {
    const byCode = await ensureAccountsIn(t, [...this.specs.values()]);
    const id = (code: string) => byCode.get(code)!.accountId;
    return transfers.map((tr) => ({
      ...tr,
      debitAccountId: id(tr.debitAccountId),
      creditAccountId: id(tr.creditAccountId),
    }));
  }
}

/** One batch in one transaction: insert what is new, move money for exactly those rows. */
async function makeBatch(
  tx: TenantTx,
  today: string,
  runId: string,
  batch: readonly PlannedBudget[],
): Promise<{ made: repo.PaymentRow[]; invoices: number }> {
  const planned = batch
    .flatMap((b) => b.payments)
    .sort((a, b) => (a.row.payment_key < b.row.payment_key ? -1 : 1));
  const made = await repo.insertPayments(
    tx,
    planned.map((p) => ({ ...p.row, run_id: runId })),
  );
  crashPoint("payments.batch.inserted"); // kill -9 trials: payments inserted, no money moved, not committed
  const madeByKey = new Map(made.map((m) => [m.payment_key, m]));
  const invoices = await invoicesRepo.insertInvoices(
    tx,
    batch
      .flatMap((b) => b.invoices.map((i) => ({ ...i, run_id: runId })))
      .sort((a, b) => (a.invoice_key < b.invoice_key ? -1 : 1)),
  );
  const budgets = new Map(batch.map((b) => [b.budget.budgetId, b.budget]));
  const accounts = new Accounts();
  const transfers: NewTransferRequest[] = [];
  for (const p of planned) {
    if (!madeByKey.has(p.row.payment_key)) continue;
    const budget = budgets.get(p.row.budget_id)!;
    const key = p.row.payment_key;
    const ref = { refKind: "payment", refId: madeByKey.get(key)!.payment_id };
    for (const [i, part] of p.streamParts.entries()) {
      transfers.push({
        type: "posted",
        idempotencyKey: `${key}:fund:${i}`,
        debitAccountId: accounts.stream(part.streamId),
        creditAccountId: accounts.budget(budget, part.deployment),
        amount: part.amount,
        code: "funding",
        ...ref,
      });
    }
    const holding = accounts.budget(budget, p.row.deployment);
    if (p.netted > 0)
      transfers.push({
        type: "posted",
        idempotencyKey: `${key}:netted`,
        debitAccountId: holding,
        creditAccountId: accounts.income(),
        amount: p.netted,
        code: "contribution",
        ...ref,
      });
    if (p.row.kind === "bank" && p.row.amount > 0)
      transfers.push({
        type: "posted",
        idempotencyKey: `${key}:pay`,
        debitAccountId: holding,
        creditAccountId: accounts.payee(p.row.payee_id!),
        amount: p.row.amount,
        code: "payment",
        ...ref,
      });
  }
  for (const inv of invoices) {
    const budget = budgets.get(inv.budget_id)!;
    transfers.push({
      type: "posted",
      idempotencyKey: inv.invoice_key,
      debitAccountId: accounts.contribution(budget),
      creditAccountId: accounts.income(),
      amount: inv.amount,
      code: "contribution",
      refKind: "contribution_invoice",
      refId: inv.invoice_id,
    });
  }
  await transfersIn({ tx, today }, await accounts.resolve({ tx, today }, transfers));

  // The first direct payment of a budget sets its review dates (budgets.recordFirstPaymentIn, once).
  const firstDp = new Map<string, string>();
  for (const m of made)
    if (m.deployment === "direct_payment" && m.kind === "bank" && m.amount > 0) {
      const d = firstDp.get(m.budget_id);
      if (!d || m.pay_date < d) firstDp.set(m.budget_id, m.pay_date);
    }
  await recordFirstPaymentsIn(tx, firstDp);
  if (made.length > 0 || invoices.length > 0)
    await audit(tx, {
      action: "payment_run.make",
      recordType: "payment_run",
      recordId: runId,
      changes: {
        payments: made.length,
        totalPence: made.reduce((s, m) => s + Number(m.amount), 0),
        invoices: invoices.length,
        ...(made.length <= 100 ? { paymentIds: made.map((m) => m.payment_id) } : {}),
      },
    });
  return { made, invoices: invoices.length };
}

/** Budgets that have ended and were paid for days after their end date, by id. */
async function endedBudgetsPaidPastTheirEnd(tx: TenantTx): Promise<string[]> {
  const ended = await endedBudgetsIn(tx);
  const lastPaid = await repo.lastCycleEnds(
    tx,
    ended.map((b) => b.budgetId),
  );
  // ISO dates compare as strings.
  return ended.filter((b) => (lastPaid.get(b.budgetId) ?? "") > b.endDate).map((b) => b.budgetId);
}

/** Money paid for days after an ended budget's end date: recorded once per payment as a debt to recover. */
async function recordDebts(tx: TenantTx, settings: StoredSettings, runId: string): Promise<number> {
  const budgetIds = await endedBudgetsPaidPastTheirEnd(tx);
  if (budgetIds.length === 0) return 0;
  const paid = await repo.paymentsOfBudgets(tx, budgetIds);
  const already = new Set((await debtsRepo.debtsOfBudgets(tx, budgetIds)).map((d) => d.payment_id));
  const payees = await payeeMaps(tx);
  const rows: { debt_id: string; payment_id: string; budget_id: string; amount: number }[] = [];
  for (const budgetId of budgetIds) {
    const budget = await budgetIn(tx, budgetId);
    const mine = paid.filter((p) => p.budget_id === budgetId && p.status === "made");
    // ISO dates compare as strings.
    const lastCycle =
      mine
        .map((p) => p.cycle_start)
        .sort()
        .at(-1) ?? budget.startDate;
    // The schedule worked out with the end date, against what was paid: the difference is owed back.
    const schedule = paymentSchedule(
      scheduleInput(budget, settings, payees, lastCycle),
      paymentRulesFor(budget.startDate),
    );
    const byKey = new Map(mine.map((p) => [p.payment_key, p]));
    for (const r of reconcilePayments(
      schedule,
      mine.map((p) => ({ key: p.payment_key, amount: pence(Number(p.amount)) })),
    )) {
      const payment = byKey.get(r.key)!;
      if (r.owedBack > 0 && !already.has(payment.payment_id))
        rows.push({
          debt_id: uuidv7(),
          payment_id: payment.payment_id,
          budget_id: budgetId,
          amount: r.owedBack,
        });
    }
  }
  const inserted = await debtsRepo.insertDebts(tx, rows);
  for (const d of inserted)
    await audit(tx, {
      action: "payment_debt.create",
      recordType: "personal_budget",
      recordId: d.budget_id,
      changes: { paymentId: d.payment_id, amountPence: Number(d.amount), runId },
    });
  return inserted.length;
}

/** Prepares (or finishes preparing) the run for a pay date. */
export async function prepareRun(
  ctx: ServiceContext,
  request: { date: string },
  options: RunOptions = {},
): Promise<RunOutcome> {
  const parsed = paymentRunRequestSchema.safeParse(request);
  if (!parsed.success)
    throw new ValidationError(fieldErrorsFrom(parsed.error), "The payment run date is not valid");
  const payDate = parsed.data.date;
  const batchSize = Math.max(1, options.batchSize ?? envNumber("UPFRONT_PAYMENT_BATCH_SIZE") ?? 200);
  const pauseMs = options.pauseMs ?? envNumber("UPFRONT_PAYMENT_BATCH_PAUSE_MS") ?? 0;

  // 1. Read: settings, the run's state, and what is due.
  const { settings, planned, held, run, fresh } = await inTenant(ctx, async ({ tx, today }) => {
    const settings = await settingsOnIn(tx, payDate);
    if (!settings)
      throw new ValidationError(
        [
          {
            path: "date",
            message: `Set the council's payment settings (in force on ${dateInWords(payDate)}) before running payments`,
          },
        ],
        "There are no payment settings",
      );
    try {
      // The Bacs cycle's lead time: a run for a date its file can no longer meet is refused here, not at download.
      const earliest = earliestPayDate(today, settings.bankHolidayRegion);
      if (payDate < earliest) throw new PayDateTooEarlyError(payDate, earliest);
      if (!isBankingDay(payDate, settings.bankHolidayRegion))
        throw new ValidationError(
          [
            {
              path: "date",
              message: `${dateInWords(payDate)} is a weekend or bank holiday: choose a banking day (payments due then are paid on ${dateInWords(payDateFor(payDate, settings))})`,
            },
          ],
          "The payment run date is not a banking day",
        );
      const run = await repo.runForDate(tx, payDate);
      if (run && run.status !== "prepared")
        throw new ConflictError(
          `The run for ${dateInWords(payDate)} has been ${run.status}, so it is final: payments due later go in the next run`,
        );
      const plan = await planBudgets(tx, payDate, settings);
      // Keys made by earlier runs: for the scheduled job's "anything new?" only; inserts stay ON CONFLICT DO NOTHING.
      const made = new Set(
        (
          await repo.paymentsOfBudgets(
            tx,
            plan.planned.map((b) => b.budget.budgetId),
          )
        ).map((p) => p.payment_key),
      );
      const fresh = plan.planned.reduce(
        (n, b) => n + b.payments.filter((p) => !made.has(p.row.payment_key)).length,
        0,
      );
      return { settings, run, fresh, ...plan };
    } catch (error) {
      if (error instanceof PayDateError)
        throw new ValidationError(
          [{ path: "date", message: error.message }],
          "The payment run date is not valid",
        );
      if (error instanceof ScheduleError)
        throw new ValidationError(
          error.problems.map((p) => ({ path: p.field, message: p.message })),
          "A payment schedule could not be worked out",
        );
      throw error;
    }
  });
  const due = planned.reduce((s, b) => s + b.payments.length, 0);
  if (!run && fresh === 0 && options.skipWhenNothingDue)
    return {
      runId: null,
      runNo: null,
      payDate,
      due,
      made: 0,
      madePence: 0,
      alreadyMade: 0,
      held,
      invoicesRaised: 0,
      debtsRecorded: 0,
    };

  // 2. The run row (committed first, so a batch's payments can point at it).
  const runRow =
    run ??
    (await inTenant(ctx, ({ tx }) =>
      repo.ensureRun(tx, { run_id: uuidv7(), pay_date: payDate, created_by: actorRef(ctx.scope.actor) }),
    ));
  if (runRow.status !== "prepared")
    throw new ConflictError(`The run for ${dateInWords(payDate)} has been ${runRow.status}, so it is final`);

  // 3. Batches, each committed on its own.
  let made = 0;
  let madePence = 0;
  let invoicesRaised = 0;
  options.onProgress?.({ budgetsDone: 0, budgetsTotal: planned.length, paymentsMade: 0 });
  for (let i = 0; i < planned.length; i += batchSize) {
    const batch = planned.slice(i, i + batchSize);
    const result = await inTenant(ctx, async ({ tx, today }) => {
      // The run may have been reviewed since we looked: then it is final and nothing more goes in it.
      const current = await repo.findRun(tx, runRow.run_id, true);
      if (current?.status !== "prepared")
        throw new ConflictError(
          `The run for ${dateInWords(payDate)} was ${current?.status} while it was being prepared`,
        );
      return makeBatch(tx, today, runRow.run_id, batch);
    });
    crashPoint("payments.batch"); // kill -9 trials: this batch committed, its progress not yet reported
    made += result.made.length;
    madePence += result.made.reduce((s, m) => s + Number(m.amount), 0);
    invoicesRaised += result.invoices;
    options.onProgress?.({
      budgetsDone: Math.min(i + batchSize, planned.length),
      budgetsTotal: planned.length,
      paymentsMade: made,
    });
    if (pauseMs > 0 && i + batchSize < planned.length) await new Promise((r) => setTimeout(r, pauseMs));
  }

  // 4. Debts after end dates; what is held; the run's audit event.
  const debtsRecorded = await inTenant(ctx, async ({ tx }) => {
    const debts = await recordDebts(tx, settings, runRow.run_id);
    await repo.setRunPrepared(tx, runRow.run_id, held);
    await audit(tx, {
      action: "payment_run.prepare",
      recordType: "payment_run",
      recordId: runRow.run_id,
      changes: { payDate, due, made, madePence, held: held.length, invoicesRaised, debts },
    });
    return debts;
  });
  return {
    runId: runRow.run_id,
    runNo: runRow.run_no,
    payDate,
    due,
    made,
    madePence,
    alreadyMade: due - made,
    held,
    invoicesRaised,
    debtsRecorded,
  };
}
