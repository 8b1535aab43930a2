import { checkBudgetEnd } from "#/features/budgets/end-service.ts";
import type { EndBudgetRequest } from "#/features/budgets/schemas.ts";
import type { PersonalBudget } from "#/features/budgets/service.ts";
import { paymentsForPerson } from "#/features/payments/service.ts";
import type { ServiceContext } from "#/platform/context.ts";

/**
 * The confirmation page's view of ending a budget: budgets check the end; payments say how far the budget has
 * already been paid for, so the page can warn of money to recover.
 */

export type EndPreview = {
  budget: PersonalBudget;
  request: EndBudgetRequest;
  /** The end of the latest period already paid for, when it is after the end date (money to recover). */
  paidUpTo: string | null;
};

/** Checks an end without writing anything, for the confirmation page; a ValidationError says what to fix. */
export async function previewBudgetEnd(
  ctx: ServiceContext,
  budgetId: string,
  input: unknown,
  options: { personId?: string } = {},
): Promise<EndPreview> {
  const { budget, request } = await checkBudgetEnd(ctx, budgetId, input, options);
  const paid = (await paymentsForPerson(ctx, budget.personId)).payments
    .filter((p) => p.budgetId === budgetId && p.status === "made")
    .map((p) => p.cycleEnd)
    .sort()
    .at(-1);
  return { budget, request, paidUpTo: paid && paid > request.endDate ? paid : null };
}
