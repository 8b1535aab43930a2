import { liveBudgetsIn, type PersonalBudget } from "#/features/budgets/service.ts";
import type { BudgetFacts } from "#/features/dp-audits/findings.calc.ts";
import {
  type ContributionInvoice,
  contributionInvoicesOfPeopleIn,
  contributionInvoicesOfPersonIn,
} from "#/features/payments/contribution-invoices.ts";
import { type SpendEvidence, spendEvidenceIn } from "#/features/spending/spends.ts";
import { surplusInputsIn, surplusInputsOfBudgetsIn } from "#/features/spending/surplus.ts";
import type { TxContext } from "#/platform/context.ts";

/**
 * A direct-payment budget's facts for the audit calc, read through the owners' read functions: the budget and its
 * lines (budgets), the money held and the person's top-ups (spending's surplus inputs, over the ledger), the spends
 * with their merchant codes, transfers and receipts (spending), and the contribution invoices (payments). The
 * queue reads them a page of budgets at a time, one query per owner per page (budgetFactsOfPageIn); opening one
 * audit reads one budget's (budgetFactsIn). Both give the same facts: service.test.ts checks it on the demo.
 */

/** Budgets per page of the queue's reads: one query per owner per page. */
export const FACTS_PAGE_SIZE = 500;

/** Whether any line of the budget is paid as a direct payment. */
export const isDirectPayment = (budget: PersonalBudget) =>
  budget.lines.some((l) => l.deployment === "direct_payment");

/** The live budgets on a date that pay anything as a direct payment. */
export async function directPaymentBudgetsIn(t: TxContext, date: string): Promise<PersonalBudget[]> {
  return (await liveBudgetsIn(t.tx, date)).filter(isDirectPayment);
}

type Held = { weeklyBudgetPence: number; balancePence: number; topUpPence: number };

function factsOf(
  budget: PersonalBudget,
  held: Held,
  spends: readonly SpendEvidence[],
  invoices: readonly ContributionInvoice[],
): BudgetFacts {
  return {
    budgetId: budget.budgetId,
    personId: budget.personId,
    firstPaymentDate: budget.firstPaymentDate,
    weeklyDirectPaymentPence: held.weeklyBudgetPence,
    councilBalancePence: held.balancePence - held.topUpPence,
    spends: spends.filter((s) => s.budgetId === budget.budgetId && s.deployment === "direct_payment"),
    planPayeeNames: budget.lines.flatMap((l) => (l.payeeName ? [l.payeeName] : [])),
    contributionInvoices: invoices
      .filter((i) => i.budgetId === budget.budgetId)
      .map((i) => ({
        invoiceId: i.invoiceId,
        raisedOn: i.raisedAt.toISOString().slice(0, 10),
        cycleStart: i.cycleStart,
        cycleEnd: i.cycleEnd,
        amountPence: i.amount,
        paid: i.status === "paid",
      })),
  };
}

/** One budget's facts (opening an audit). */
export async function budgetFactsIn(t: TxContext, budget: PersonalBudget): Promise<BudgetFacts> {
  const held = await surplusInputsIn(t, budget);
  const spends = await spendEvidenceIn(t, [budget.budgetId]);
  const invoices = await contributionInvoicesOfPersonIn(t, budget.personId);
  return factsOf(budget, held, spends, invoices);
}

/** The facts of a page of budgets, in the budgets' order: one query per owner for the whole page. */
export async function budgetFactsOfPageIn(
  t: TxContext,
  budgets: readonly PersonalBudget[],
): Promise<BudgetFacts[]> {
  if (budgets.length === 0) return [];
  // One after the other: a transaction has one connection.
  const held = await surplusInputsOfBudgetsIn(t, budgets);
  const spends = await spendEvidenceIn(
    t,
    budgets.map((b) => b.budgetId),
  );
  const invoices = await contributionInvoicesOfPeopleIn(t, [...new Set(budgets.map((b) => b.personId))]);
  return budgets.map((b) => factsOf(b, held.get(b.budgetId)!, spends, invoices));
}

/** Every budget's facts, a page at a time. */
export async function budgetFactsOfAllIn(
  t: TxContext,
  budgets: readonly PersonalBudget[],
  pageSize: number = FACTS_PAGE_SIZE,
): Promise<BudgetFacts[]> {
  const out: BudgetFacts[] = [];
  for (let i = 0; i < budgets.length; i += pageSize)
    out.push(...(await budgetFactsOfPageIn(t, budgets.slice(i, i + pageSize))));
  return out;
}
