import { budgetIn, type PersonalBudget } from "#/features/budgets/service.ts";
import { recoveryShares } from "#/features/payments/debts.calc.ts";
import { deductionTakes, type Take } from "#/features/payments/deductions.calc.ts";
import * as repo from "#/features/payments/deductions-repository.ts";
import { addDays } from "#/features/payments/pay-dates.calc.ts";
import type { PaymentRow } from "#/features/payments/repository.ts";
import * as paymentsRepo from "#/features/payments/repository.ts";
import { type PlannedPayment, payDateFor, payeeMaps, scheduleInput } from "#/features/payments/run-plan.ts";
import { paymentSchedule, ScheduleError } from "#/features/payments/schedule.calc.ts";
import { settingsOnIn } from "#/features/payments/service.ts";
import { councilRulesIn } from "#/features/tenants/rules.ts";
import { audit } from "#/platform/audit/audit.ts";
import { actorRef, type TxContext } from "#/platform/context.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";
import { ConflictError, ValidationError } from "#/platform/errors.ts";

/**
 * Money a person owes back, taken from their future direct payments (migrations/0031). Raised by another
 * feature's decision (a direct-payment audit's recovery, inside its transaction); a payment run then takes what
 * is still owed from each direct payment it makes, oldest deduction first and at most the payment
 * (deductions.calc.ts): the payment sent is that much smaller, its parts say so (a "deduction" part per stream,
 * negative), and the ledger moves the amount from the budget's account back to the streams that paid it, keyed
 * by the payment and the deduction, so it moves once however often the run is repeated.
 */

export type DeductionView = {
  deductionId: string;
  budgetId: string;
  personId: string;
  amountPence: number;
  takenPence: number;
  status: repo.DeductionRow["status"];
  reason: string;
  createdOn: string;
  /** What each payment took, oldest first. */
  takes: { paymentId: string; payDate: string; amountPence: number }[];
  /** While money is still owed: the pay date of the next direct payment it will come off, when one is known. */
  nextPayDate: string | null;
};

/**
 * The pay date of a live budget's next direct payment not made yet, under the council's payment settings in
 * force today (the same schedule the payment run works out); null when there is none in the next 17 weeks or it
 * cannot be worked out (no settings, a schedule the run would refuse).
 */
async function nextDirectPayDateIn(t: TxContext, budgetId: string): Promise<string | null> {
  const budget = await budgetIn(t.tx, budgetId);
  const settings = await settingsOnIn(t.tx, t.today);
  if (budget.status !== "live" || !settings) return null;
  const made = new Set((await paymentsRepo.paymentsOfBudgets(t.tx, [budgetId])).map((p) => p.payment_key));
  try {
    const schedule = paymentSchedule(
      scheduleInput(budget, settings, await payeeMaps(t.tx), addDays(t.today, 120)),
      (await councilRulesIn(t.tx, t.today)).payments.rules,
    );
    for (const cycle of schedule.cycles)
      for (const p of cycle.payments) {
        const payDate = payDateFor(cycle.dueDate, settings);
        const dp = p.parts.some((x) => x.deployment === "direct_payment");
        if (dp && !made.has(p.key) && payDate >= t.today && p.amount > 0) return payDate;
      }
  } catch (error) {
    if (error instanceof ScheduleError) return null;
    throw error;
  }
  return null;
}

async function viewsOf(t: TxContext, rows: readonly repo.DeductionRow[]): Promise<DeductionView[]> {
  const takes = await repo.takesOf(
    t.tx,
    rows.map((r) => r.deduction_id),
  );
  const next = new Map<string, string | null>();
  for (const r of rows)
    if (r.status === "to_take" && !next.has(r.budget_id))
      next.set(r.budget_id, await nextDirectPayDateIn(t, r.budget_id));
  return rows.map((r) => {
    const mine = takes.filter((k) => k.deduction_id === r.deduction_id);
    return {
      deductionId: r.deduction_id,
      budgetId: r.budget_id,
      personId: r.person_id,
      amountPence: Number(r.amount),
      takenPence: mine.reduce((s, k) => s + Number(k.amount), 0),
      status: r.status,
      reason: r.reason,
      createdOn: r.created_on,
      takes: mine.map((k) => ({
        paymentId: k.payment_id,
        payDate: k.pay_date,
        amountPence: Number(k.amount),
      })),
      nextPayDate: r.status === "to_take" ? (next.get(r.budget_id) ?? null) : null,
    };
  });
}

/**
 * Records money to take from a live direct-payment budget's future payments, once per source (a second call for
 * the same source is refused). Inside the caller's transaction, with its audit event.
 */
export async function raiseDeductionIn(
  t: TxContext,
  input: {
    budget: PersonalBudget;
    amountPence: number;
    source: { kind: "dp_audit"; id: string };
    reason: string;
  },
): Promise<DeductionView> {
  const { budget, amountPence } = input;
  if (!Number.isSafeInteger(amountPence) || amountPence <= 0)
    throw new ValidationError([
      { path: "amountPence", message: "Give an amount to take from future payments of more than £0" },
    ]);
  if (budget.status !== "live" || !budget.lines.some((l) => l.deployment === "direct_payment"))
    throw new ConflictError("Money can only be taken from the future payments of a live direct payment");
  const row = await repo.insertDeduction(t.tx, {
    deduction_id: uuidv7(),
    budget_id: budget.budgetId,
    person_id: budget.personId,
    amount: amountPence,
    source_kind: input.source.kind,
    source_id: input.source.id,
    reason: input.reason.trim().slice(0, 500),
    created_by: actorRef(t.tx.scope.actor),
    created_on: t.today,
  });
  await audit(t.tx, {
    action: "payment_deduction.create",
    recordType: "personal_budget",
    recordId: budget.budgetId,
    changes: { deductionId: row.deduction_id, amountPence, source: input.source },
  });
  return (await viewsOf(t, [row]))[0]!;
}

/** A person's deductions, newest first, inside the caller's transaction (the caller checks who may see). */
export async function deductionsForPersonIn(t: TxContext, personId: string): Promise<DeductionView[]> {
  return viewsOf(t, await repo.deductionsOfPerson(t.tx, personId));
}

/** One deduction by id, or undefined. */
export async function deductionIn(t: TxContext, deductionId: string): Promise<DeductionView | undefined> {
  const row = await repo.findDeduction(t.tx, deductionId);
  return row ? (await viewsOf(t, [row]))[0] : undefined;
}

// ---- the payment run's side ------------------------------------------------------------------------------------

/**
 * Before a batch's payments are inserted: locks the open deductions of the batch's budgets and takes what is
 * owed from the direct payments not made yet, making each planned payment smaller and adding its deduction
 * parts. Returns the takes by payment key, for `recordTakes` once the batch knows which rows it inserted.
 */
export async function applyDeductions(
  tx: TenantTx,
  planned: readonly PlannedPayment[],
): Promise<Map<string, Take[]>> {
  const dp = planned.filter(
    (p) => p.row.deployment === "direct_payment" && p.row.kind === "bank" && p.row.amount > 0,
  );
  if (dp.length === 0) return new Map();
  const open = await repo.openDeductionsOfBudgets(tx, [...new Set(dp.map((p) => p.row.budget_id))], {
    forUpdate: true,
  });
  if (open.length === 0) return new Map();
  // A payment an earlier run made is not made again, so takes nothing.
  const made = new Set(
    (await paymentsRepo.paymentsOfBudgets(tx, [...new Set(open.map((d) => d.budget_id))])).map(
      (p) => p.payment_key,
    ),
  );
  const takes = deductionTakes(
    open.map((d) => ({
      deductionId: d.deduction_id,
      budgetId: d.budget_id,
      outstandingPence: d.amount - d.taken,
    })),
    dp
      .filter((p) => !made.has(p.row.payment_key))
      .sort((a, b) => (a.row.payment_key < b.row.payment_key ? -1 : 1))
      .map((p) => ({ key: p.row.payment_key, budgetId: p.row.budget_id, amountPence: p.row.amount })),
  );
  for (const p of dp) {
    const mine = takes.get(p.row.payment_key);
    if (!mine) continue;
    const total = mine.reduce((s, k) => s + k.amountPence, 0);
    p.row.parts = [
      ...p.row.parts,
      ...recoveryShares(total, p.row.parts).map((share) => ({
        kind: "deduction" as const,
        fundingStreamId: share.streamId,
        deployment: "direct_payment",
        amount: -share.amount,
        description: "Money owed back, taken from this payment",
      })),
    ];
    p.row.amount -= total;
  }
  return takes;
}

/** Each stream's part of what a payment took (its deduction parts, as positive amounts). */
export function deductedByStream(
  parts: readonly { kind: string; fundingStreamId?: string; amount: number }[],
) {
  return parts
    .filter((x) => x.kind === "deduction" && x.fundingStreamId)
    .map((x) => ({ streamId: x.fundingStreamId!, amount: -x.amount }));
}

/** After the batch's insert: records what the payments it inserted took, and closes deductions paid in full. */
export async function recordTakes(
  tx: TenantTx,
  made: readonly PaymentRow[],
  takes: Map<string, Take[]>,
): Promise<void> {
  if (takes.size === 0) return;
  const rows = made.flatMap((m) =>
    (takes.get(m.payment_key) ?? []).map((k) => ({
      deduction_id: k.deductionId,
      payment_id: m.payment_id,
      amount: k.amountPence,
      pay_date: m.pay_date,
    })),
  );
  await repo.insertTakes(tx, rows);
  const budgets = [...new Set(made.map((m) => m.budget_id))];
  const done = (await repo.openDeductionsOfBudgets(tx, budgets)).filter((d) => d.taken >= d.amount);
  await repo.markTaken(
    tx,
    done.map((d) => d.deduction_id),
  );
  for (const r of rows)
    await audit(tx, {
      action: "payment_deduction.take",
      recordType: "payment_deduction",
      recordId: r.deduction_id,
      changes: { paymentId: r.payment_id, amountPence: r.amount, payDate: r.pay_date },
    });
}
