import { currentBudgetIn } from "#/features/budgets/service.ts";
import type { CostOfCareFound } from "#/features/charging/cost-of-care.ts";
import { dateInWords } from "#/platform/date-words.calc.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * The agreed plan's weekly cost for the person: the weekly amount of their current personal budget, which an
 * approved support plan made; null while there is none. Charging sits below budgets, so it does not look this
 * up itself: the composition root (app.ts), the money statement and the demo seed hand this function to it.
 */
export async function agreedPlanCostIn(tx: TenantTx, personId: string): Promise<CostOfCareFound | null> {
  const budget = await currentBudgetIn(tx, personId);
  if (!budget) return null;
  return {
    weeklyPence: budget.weeklyPence,
    basis: "agreed_plan",
    description: `The agreed support plan (version ${budget.planVersion}), from ${dateInWords(budget.startDate)}`,
    source: { kind: "support_plan", id: budget.planId, version: budget.planVersion, date: budget.startDate },
  };
}
