import { latestSubmittedAssessmentIn } from "#/features/assessment/service.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * The weekly cost of the care a charge is for. The law lets a charge cover only what the council's meeting of
 * the needs costs, so the calculator caps the contribution at it. In order:
 *   1. the agreed support plan's weekly cost, once plans exist (budgets' `agreedPlanCostIn`, passed in);
 *   2. otherwise the indicative budget from the person's latest submitted assessment;
 *   3. otherwise nothing is known, and the finance officer gives an estimate (the page asks, and says so).
 * Every page and result says which one was used.
 */

export type CostOfCareFound = {
  weeklyPence: number;
  basis: "agreed_plan" | "indicative_budget";
  /** In plain English, for the pages: "The indicative budget from assessment version 2 (decided 3 March 2026)". */
  description: string;
  /** The record the cost came from. */
  source: { kind: "support_plan" | "assessment"; id: string; version: number; date: string | null };
};

/**
 * Where the agreed plan's weekly cost comes from (null while there is none). The plan and its budget belong to
 * features above charging, so the caller passes the lookup in: budgets' `agreedPlanCostIn`, wired in app.ts.
 */
export type AgreedPlanCost = (tx: TenantTx, personId: string) => Promise<CostOfCareFound | null>;

/** The indicative budget from the person's latest submitted assessment, or null (none, or not eligible). */
export async function indicativeBudgetCostIn(
  tx: TenantTx,
  personId: string,
): Promise<CostOfCareFound | null> {
  const latest = await latestSubmittedAssessmentIn({ tx }, personId);
  if (!latest || latest.weeklyPence === null) return null;
  return {
    weeklyPence: latest.weeklyPence,
    basis: "indicative_budget",
    description: `The indicative budget from assessment version ${latest.version}`,
    source: {
      kind: "assessment",
      id: latest.assessmentId,
      version: latest.version,
      date: latest.decisionDate,
    },
  };
}

/** The cost of care to charge against: the agreed plan's, else the indicative budget, else null. */
export async function costOfCareIn(
  tx: TenantTx,
  personId: string,
  agreedPlanCost: AgreedPlanCost,
): Promise<CostOfCareFound | null> {
  return (await agreedPlanCost(tx, personId)) ?? (await indicativeBudgetCostIn(tx, personId));
}
