import { sql } from "kysely";
import { anyUuid, uuidBounds } from "#/platform/db/any-of.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * Submitted needs assessments of some people, for the reports feature's Client Level Data return: one query for a
 * page of people, each with its eligibility decision and the primary support reason the assessment recorded.
 */

export type AssessmentForReports = {
  assessmentId: string;
  personId: string;
  version: number;
  /** The day the assessment was started (the record was made), London time. */
  startedOn: string;
  /** The decision date the assessor gave; null only for an assessment submitted before it was asked. */
  decisionDate: string | null;
  /** The eligibility decision; null where none was recorded. */
  eligible: boolean | null;
  /** The questionnaire's primary support reason id, as answered; null if not answered. */
  primarySupportReason: string | null;
};

export async function submittedAssessmentsForReportsIn(
  tx: TenantTx,
  personIds: readonly string[],
): Promise<AssessmentForReports[]> {
  // The ids' first and last beside ANY: the planner then reads a page of people by the index (any-of.ts).
  const bounds = uuidBounds(personIds);
  if (bounds === null) return [];
  const rows = await tx
    .selectFrom("assessments as a")
    .leftJoin("eligibility_decisions as d", (j) =>
      j.onRef("d.tenant_id", "=", "a.tenant_id").onRef("d.assessment_id", "=", "a.assessment_id"),
    )
    .select([
      "a.assessment_id",
      "a.person_id",
      "a.version",
      "a.decision_date",
      "d.eligible",
      sql<string>`to_char(a.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD')`.as("started_on"),
      sql<string | null>`a.answers->>'primarySupportReason'`.as("primary_support_reason"),
    ])
    .where("a.tenant_id", "=", tx.scope.tenantId)
    .where("a.status", "=", "submitted")
    .where("a.person_id", ">=", bounds.first)
    .where("a.person_id", "<=", bounds.last)
    .where("a.person_id", "=", anyUuid(personIds))
    .orderBy("a.person_id")
    .orderBy("a.version")
    .execute();
  return rows.map((r) => ({
    assessmentId: r.assessment_id,
    personId: r.person_id,
    version: r.version,
    startedOn: r.started_on,
    decisionDate: r.decision_date,
    eligible: r.eligible,
    primarySupportReason: r.primary_support_reason,
  }));
}

/**
 * The people these assessments, or the assessments these eligibility decisions were made on, are about (for a
 * refresh of the CLD rows of people whose records changed).
 */
export async function peopleOfAssessmentsForReportsIn(
  tx: TenantTx,
  ids: { assessmentIds: readonly string[]; decisionIds: readonly string[] },
): Promise<string[]> {
  const people = new Set<string>();
  if (ids.assessmentIds.length > 0) {
    const rows = await tx
      .selectFrom("assessments")
      .select("person_id")
      .distinct()
      .where("tenant_id", "=", tx.scope.tenantId)
      .where("assessment_id", "=", anyUuid(ids.assessmentIds))
      .execute();
    for (const r of rows) people.add(r.person_id);
  }
  if (ids.decisionIds.length > 0) {
    const rows = await tx
      .selectFrom("eligibility_decisions as d")
      .innerJoin("assessments as a", (j) =>
        j.onRef("a.tenant_id", "=", "d.tenant_id").onRef("a.assessment_id", "=", "d.assessment_id"),
      )
      .select("a.person_id")
      .distinct()
      .where("d.tenant_id", "=", tx.scope.tenantId)
      .where("d.decision_id", "=", anyUuid(ids.decisionIds))
      .execute();
    for (const r of rows) people.add(r.person_id);
  }
  return [...people];
}
