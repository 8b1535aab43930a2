import { sql } from "kysely";
import { anyUuid, uuidBounds } from "#/platform/db/any-of.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * Completed financial assessments of some people, for the reports feature's Client Level Data return (Assessment
 * events of type "Financial Assessment", and the Client Funding Status): one query for a page of people.
 */

/** What the person pays towards their care under the assessment: nothing, part of it, or all of it. */
export type PersonPays = "nothing" | "part" | "all";

export type FinancialAssessmentForReports = {
  financialAssessmentId: string;
  personId: string;
  version: number;
  /** The day it was started (the record was made), London time. */
  startedOn: string;
  /** The day it was completed, London time. */
  completedOn: string;
  appliesFrom: string | null;
  appliesTo: string | null;
  /** Null when it cannot be told (no contribution or no cost of care recorded). */
  personPays: PersonPays | null;
};

/**
 * Nothing when the weekly contribution is nil (or nothing to charge), all when it meets the cost of care or the
 * person chose to pay the full cost (light touch), part otherwise.
 */
export function personPays(row: {
  assessmentKind: "full" | "light_touch" | "nothing_to_charge" | null;
  weeklyContributionPence: number | null;
  costOfCareWeeklyPence: number | null;
}): PersonPays | null {
  if (row.assessmentKind === "nothing_to_charge") return "nothing";
  if (row.assessmentKind === "light_touch") return "all";
  if (row.weeklyContributionPence === null) return null;
  if (row.weeklyContributionPence === 0) return "nothing";
  if (row.costOfCareWeeklyPence === null) return null;
  return row.weeklyContributionPence >= row.costOfCareWeeklyPence ? "all" : "part";
}

const londonDay = (column: string) =>
  sql<string>`to_char(${sql.ref(column)} AT TIME ZONE 'Europe/London', 'YYYY-MM-DD')`;

export async function completedFinancialAssessmentsForReportsIn(
  tx: TenantTx,
  personIds: readonly string[],
): Promise<FinancialAssessmentForReports[]> {
  // The ids' first and last beside ANY: the planner then reads a page of people by the index (any-of.ts).
  const bounds = uuidBounds(personIds);
  if (bounds === null) return [];
  const rows = await tx
    .selectFrom("financial_assessments")
    .select([
      "financial_assessment_id",
      "person_id",
      "version",
      "applies_from",
      "applies_to",
      "assessment_kind",
      "weekly_contribution_pence",
      "cost_of_care_weekly_pence",
      londonDay("created_at").as("started_on"),
      londonDay("completed_at").as("completed_on"),
    ])
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("status", "=", "completed")
    .where("person_id", ">=", bounds.first)
    .where("person_id", "<=", bounds.last)
    .where("person_id", "=", anyUuid(personIds))
    .orderBy("person_id")
    .orderBy("version")
    .execute();
  return rows.map((r) => ({
    financialAssessmentId: r.financial_assessment_id,
    personId: r.person_id,
    version: r.version,
    startedOn: r.started_on,
    completedOn: r.completed_on,
    appliesFrom: r.applies_from,
    appliesTo: r.applies_to,
    personPays: personPays({
      assessmentKind: r.assessment_kind,
      weeklyContributionPence: r.weekly_contribution_pence,
      costOfCareWeeklyPence: r.cost_of_care_weekly_pence,
    }),
  }));
}

/** The people these financial assessments are about (for a refresh of the CLD rows of people whose records changed). */
export async function peopleOfFinancialAssessmentsForReportsIn(
  tx: TenantTx,
  financialAssessmentIds: readonly string[],
): Promise<string[]> {
  if (financialAssessmentIds.length === 0) return [];
  const rows = await tx
    .selectFrom("financial_assessments")
    .select("person_id")
    .distinct()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("financial_assessment_id", "=", anyUuid(financialAssessmentIds))
    .execute();
  return rows.map((r) => r.person_id);
}
