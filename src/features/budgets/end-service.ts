import { longDate } from "#/features/budgets/page-service.ts";
import { type EndBudgetRequest, endBudgetSchema } from "#/features/budgets/schemas.ts";
import {
  budgetIn,
  currentBudgetIn,
  endBudgetIn,
  getBudget,
  type PersonalBudget,
} from "#/features/budgets/service.ts";
import { paymentsForPerson } from "#/features/payments/service.ts";
import { audit } from "#/platform/audit/audit.ts";
import { inTenant, type ServiceContext, type TxContext } from "#/platform/context.ts";
import { dayBefore } from "#/platform/dates/calendar.ts";
import { NotFoundError, ValidationError } from "#/platform/errors.ts";
import { type FieldError, fieldErrorsFrom } from "#/platform/validation.ts";

/**
 * Ending a live budget (Upfront issue 6: support no longer needed, the person died or moved to another council),
 * as a use case for the staff pages and the API. endBudgetIn (service.ts) does the writing, under a lock, with
 * its audit event; this checks the request first and says what is wrong in words a member of staff can act on.
 * From the end date payments stop (the payment run works each schedule out to it), what was already paid for
 * later days becomes money to recover at the next run, and reviews stop (they are worked out for live budgets).
 */

export function parseEndRequest(input: unknown): EndBudgetRequest {
  const parsed = endBudgetSchema.safeParse(input);
  if (!parsed.success) {
    throw new ValidationError(fieldErrorsFrom(parsed.error), "The budget's end needs correcting");
  }
  return parsed.data;
}

/** Why this budget cannot end on this date (empty when it can). */
export function endProblems(budget: PersonalBudget, endDate: string): FieldError[] {
  const problems: FieldError[] = [];
  if (budget.status !== "live") {
    problems.push({
      path: "budgetId",
      message: budget.endDate
        ? `This budget has already ended (on ${longDate(budget.endDate)})`
        : "This budget has already ended",
    });
  }
  // The day before the start is allowed: a budget that never paid anything.
  if (endDate < dayBefore(budget.startDate)) {
    problems.push({
      path: "endDate",
      message: `The end date cannot be before the budget starts on ${longDate(budget.startDate)}`,
    });
  }
  return problems;
}

async function budgetOfPersonIn(t: TxContext, budgetId: string, personId?: string) {
  const budget = await budgetIn(t.tx, budgetId);
  if (personId !== undefined && budget.personId !== personId) throw new NotFoundError("The personal budget");
  return budget;
}

/** The person's live budget, for the form; not found when they have none to end. */
export const liveBudgetToEnd = (ctx: ServiceContext, personId: string) =>
  inTenant(ctx, async ({ tx }) => {
    const budget = await currentBudgetIn(tx, personId);
    if (budget?.status !== "live") throw new NotFoundError("A live personal budget");
    await audit(tx, { action: "view", recordType: "personal_budget", recordId: budget.budgetId });
    return budget;
  });

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
  const request = parseEndRequest(input);
  const budget = await getBudget(ctx, budgetId);
  if (options.personId !== undefined && budget.personId !== options.personId)
    throw new NotFoundError("The personal budget");
  const problems = endProblems(budget, request.endDate);
  if (problems.length > 0) throw new ValidationError(problems, "The budget cannot end like this");
  const paid = (await paymentsForPerson(ctx, budget.personId)).payments
    .filter((p) => p.budgetId === budgetId && p.status === "made")
    .map((p) => p.cycleEnd)
    .sort()
    .at(-1);
  return { budget, request, paidUpTo: paid && paid > request.endDate ? paid : null };
}

/** Ends the budget from the end date (the last day it pays for), audited; returns it as it now is. */
export async function endBudget(
  ctx: ServiceContext,
  budgetId: string,
  input: unknown,
  options: { personId?: string } = {},
): Promise<PersonalBudget> {
  const request = parseEndRequest(input);
  return inTenant(ctx, async (t) => {
    const budget = await budgetOfPersonIn(t, budgetId, options.personId);
    const problems = endProblems(budget, request.endDate);
    if (problems.length > 0) throw new ValidationError(problems, "The budget cannot end like this");
    await endBudgetIn(t.tx, budgetId, request.endDate, request.reason);
    return budgetIn(t.tx, budgetId);
  });
}
