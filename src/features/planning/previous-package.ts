import { z } from "zod";
import { loadPlan } from "#/features/planning/plan-access.ts";
import type { PreviousPackage } from "#/features/planning/plan-types.ts";
import * as repo from "#/features/planning/previous-package-repository.ts";
import type { PlanRow } from "#/features/planning/repository.ts";
import { audit } from "#/platform/audit/audit.ts";
import { inTenant, type ServiceContext, type TxContext } from "#/platform/context.ts";
import { isCalendarDate } from "#/platform/dates/calendar.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";
import { ForbiddenError, ValidationError } from "#/platform/errors.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";
import { MAX_UNIT_COST_PENCE } from "#/vocabulary/money-limits.ts";

/**
 * The council-arranged package a support plan replaced (issue 15, "cover for cuts?"): its weekly cost and the
 * date of that cost, recorded by staff on the plan (the plan page, the API, the bulk import), so the public
 * fairness dashboard can set the personal budget against it in the same year's prices. Plan-level, not part of a
 * version: it is a fact about what went before, not something the person and planner agree.
 */

export type { PreviousPackage };

export const previousPackageSchema = z.strictObject({
  weeklyPence: z
    .number({ error: "Give the package's weekly cost in pence, as a whole number" })
    .int({ error: "Give the package's weekly cost in whole pence" })
    .min(0, { error: "The package's weekly cost cannot be negative" })
    .max(MAX_UNIT_COST_PENCE, {
      error: `The package's weekly cost must be at most £${MAX_UNIT_COST_PENCE / 100} a week: check it is a weekly figure in pence`,
    }),
  date: z.string({ error: "Give the date of the package's cost as YYYY-MM-DD" }).refine(isCalendarDate, {
    error: "Give the date of the package's cost as a real date written YYYY-MM-DD",
  }),
});

/** Checks a previous package (null clears it); the date may not be after today. */
export function parsePreviousPackage(input: unknown, today: string): PreviousPackage | null {
  if (input === null) return null;
  const parsed = previousPackageSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(fieldErrorsFrom(parsed.error, ["previousPackage"]));
  if (parsed.data.date > today) {
    throw new ValidationError([
      { path: "previousPackage.date", message: "The date of the package's cost cannot be in the future" },
    ]);
  }
  return parsed.data;
}

/** Records (or, with null, clears) the package a plan replaced: the council only, audited. */
export async function setPreviousPackageIn(
  t: TxContext,
  planId: string,
  input: unknown,
): Promise<PreviousPackage | null> {
  // Staff (by session or API token, their role checked by the route) and the operator's import; never a person.
  if (t.tx.scope.actor.type === "person") {
    throw new ForbiddenError("Only council staff may record the package a plan replaced");
  }
  const value = parsePreviousPackage(input, t.today);
  await loadPlan(t.tx, planId, true);
  await repo.setPreviousPackage(t.tx, planId, value);
  await audit(t.tx, {
    action: "update",
    recordType: "support_plan",
    recordId: planId,
    changes: { previousPackage: value },
  });
  return value;
}

export function setPreviousPackage(ctx: ServiceContext, planId: string, input: unknown) {
  return inTenant(ctx, (t) => setPreviousPackageIn(t, planId, input));
}

/** The package a plan replaced, or null; the plan read as its readers may (not audited: no person's record). */
export function getPreviousPackage(ctx: ServiceContext, planId: string): Promise<PreviousPackage | null> {
  return inTenant(ctx, ({ tx }) => previousPackageIn(tx, planId));
}

/** The package a plan replaced, or null. */
export async function previousPackageIn(tx: TenantTx, planId: string): Promise<PreviousPackage | null> {
  return previousPackageOf((await loadPlan(tx, planId)).plan);
}

/** The package recorded on a plan's row: both its weekly cost and its date, or null. */
export function previousPackageOf(
  plan: Pick<PlanRow, "previous_package_weekly_pence" | "previous_package_date">,
): PreviousPackage | null {
  return plan.previous_package_weekly_pence === null || plan.previous_package_date === null
    ? null
    : { weeklyPence: plan.previous_package_weekly_pence, date: plan.previous_package_date };
}

export type PlanFacts = {
  planId: string;
  personId: string;
  assessmentId: string;
  previousPackage: PreviousPackage | null;
};

/** Every plan of the council with the package it replaced, for the reports feature (not audited: no person's record is shown). */
export async function planFactsForReportsIn(tx: TenantTx): Promise<PlanFacts[]> {
  return (await repo.allPlanFacts(tx)).map((r) => ({
    planId: r.plan_id,
    personId: r.person_id,
    assessmentId: r.assessment_id,
    previousPackage: previousPackageOf(r),
  }));
}
