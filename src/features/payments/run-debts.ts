import { budgetIn, endedBudgetsIn } from "#/features/budgets/service.ts";
import * as debtsRepo from "#/features/payments/debts-repository.ts";
import { deductedByStream } from "#/features/payments/deductions.ts";
import * as repo from "#/features/payments/repository.ts";
import { payeeMaps, scheduleInput } from "#/features/payments/run-plan.ts";
import { paymentSchedule, reconcilePayments } from "#/features/payments/schedule.calc.ts";
import type { StoredSettings } from "#/features/payments/service.ts";
import { councilRulesIn } from "#/features/tenants/rules.ts";
import { audit } from "#/platform/audit/audit.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";
import { pence } from "#/platform/money/pence.ts";

/**
 * A payment run, step 3 (see run.ts): budgets that have ended — what was paid for days after the end date is
 * recorded as a debt to recover, once per payment.
 */

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
export async function recordDebts(tx: TenantTx, settings: StoredSettings, runId: string): Promise<number> {
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
      (await councilRulesIn(tx, budget.startDate)).payments.rules,
    );
    const byKey = new Map(mine.map((p) => [p.payment_key, p]));
    for (const r of reconcilePayments(
      schedule,
      // What the schedule paid: money owed back taken off a payment (deductions.ts) was paid, then recovered.
      mine.map((p) => ({
        key: p.payment_key,
        amount: pence(Number(p.amount) + deductedByStream(p.parts).reduce((s, x) => s + x.amount, 0)),
      })),
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
