import { liveBudgetsIn, type PersonalBudget } from "#/features/budgets/service.ts";
import type { BudgetFacts } from "#/features/dp-audits/findings.calc.ts";
import { contributionInvoicesOfPersonIn } from "#/features/payments/contribution-invoices.ts";
import { spendEvidenceIn } from "#/features/spending/spends.ts";
import { surplusInputsIn } from "#/features/spending/surplus.ts";
import type { TxContext } from "#/platform/context.ts";

/**
 * A direct-payment budget's facts for the audit calc, read through the owners' read functions: the budget and its
 * lines (budgets), the money held and the person's top-ups (spending's surplus inputs, over the ledger), the spends
 * with their merchant codes, transfers and receipts (spending), and the contribution invoices (payments).
 */

/** Whether any line of the budget is paid as a direct payment. */
export const isDirectPayment = (budget: PersonalBudget) =>
  budget.lines.some((l) => l.deployment === "direct_payment");

/** The live budgets on a date that pay anything as a direct payment. */
export async function directPaymentBudgetsIn(t: TxContext, date: string): Promise<PersonalBudget[]> {
  return (await liveBudgetsIn(t.tx, date)).filter(isDirectPayment);
}

export async function budgetFactsIn(t: TxContext, budget: PersonalBudget): Promise<BudgetFacts> {
  const held = await surplusInputsIn(t, budget);
  const spends = await spendEvidenceIn(t, [budget.budgetId]);
  const invoices = (await contributionInvoicesOfPersonIn(t, budget.personId)).filter(
    (i) => i.budgetId === budget.budgetId,
  );
  return {
    budgetId: budget.budgetId,
    personId: budget.personId,
    firstPaymentDate: budget.firstPaymentDate,
    weeklyDirectPaymentPence: held.weeklyBudgetPence,
    councilBalancePence: held.balancePence - held.topUpPence,
    spends: spends.filter((s) => s.deployment === "direct_payment"),
    planPayeeNames: budget.lines.flatMap((l) => (l.payeeName ? [l.payeeName] : [])),
    contributionInvoices: invoices.map((i) => ({
      invoiceId: i.invoiceId,
      raisedOn: i.raisedAt.toISOString().slice(0, 10),
      cycleStart: i.cycleStart,
      cycleEnd: i.cycleEnd,
      amountPence: i.amount,
      paid: i.status === "paid",
    })),
  };
}
