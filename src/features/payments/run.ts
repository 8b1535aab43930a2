import { processSettings } from "#/config.ts";
import { earliestPayDate, isBankingDay, PayDateError } from "#/features/payments/pay-dates.calc.ts";
import * as repo from "#/features/payments/repository.ts";
import { makeBatch } from "#/features/payments/run-batch.ts";
import { recordDebts } from "#/features/payments/run-debts.ts";
import { type PlannedBudget, payDateFor, planBudgets } from "#/features/payments/run-plan.ts";
import { ScheduleError } from "#/features/payments/schedule.calc.ts";
import { paymentRunRequestSchema } from "#/features/payments/schemas.ts";
import { settingsOnIn } from "#/features/payments/service.ts";
import { audit } from "#/platform/audit/audit.ts";
import { actorRef, inTenant, type ServiceContext, type TxContext } from "#/platform/context.ts";
import { crashPoint } from "#/platform/crash-points.ts";
import { dateInWords } from "#/platform/date-words.calc.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import { ConflictError, ValidationError } from "#/platform/errors.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";

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

/** Step 1, reading only: the settings in force on the pay date, the run's state, and what is due. */
async function readDue(t: TxContext, payDate: string) {
  const { tx, today } = t;
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
}

/** Step 3: the planned budgets in batches, each committed on its own, reporting progress after each. */
async function makeBatches(
  ctx: ServiceContext,
  payDate: string,
  runId: string,
  planned: readonly PlannedBudget[],
  options: { batchSize: number; pauseMs: number; onProgress?: RunOptions["onProgress"] },
): Promise<{ made: number; madePence: number; invoicesRaised: number }> {
  const { batchSize, pauseMs } = options;
  let made = 0;
  let madePence = 0;
  let invoicesRaised = 0;
  options.onProgress?.({ budgetsDone: 0, budgetsTotal: planned.length, paymentsMade: 0 });
  for (let i = 0; i < planned.length; i += batchSize) {
    const batch = planned.slice(i, i + batchSize);
    const result = await inTenant(ctx, async ({ tx, today }) => {
      // The run may have been reviewed since we looked: then it is final and nothing more goes in it.
      const current = await repo.findRun(tx, runId, true);
      if (current?.status !== "prepared")
        throw new ConflictError(
          `The run for ${dateInWords(payDate)} was ${current?.status} while it was being prepared`,
        );
      return makeBatch(tx, today, runId, batch);
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
  return { made, madePence, invoicesRaised };
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
  const hooks = processSettings();
  const batchSize = Math.max(1, options.batchSize ?? hooks.paymentBatchSize ?? 200);
  const pauseMs = options.pauseMs ?? hooks.paymentBatchPauseMs ?? 0;

  // 1. Read: settings, the run's state, and what is due.
  const { settings, planned, held, run, fresh } = await inTenant(ctx, (t) => readDue(t, payDate));
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
  const { made, madePence, invoicesRaised } = await makeBatches(ctx, payDate, runRow.run_id, planned, {
    ...options,
    batchSize,
    pauseMs,
  });

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
