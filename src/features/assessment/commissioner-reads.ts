import { sql } from "kysely";
import { todayInLondon } from "#/platform/context.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * Submitted assessments as the commissioner's reports count them (features/reports): when each was completed
 * and by whom, its eligibility outcome, its weekly allocation and the person's primary support reason. No
 * answers beyond that leave the feature.
 */
export type AssessmentFact = {
  assessmentId: string;
  personId: string;
  /** The decision date (else the London date it was submitted). */
  completedOn: string;
  submittedBy: string | null;
  questionnaireId: string;
  eligible: boolean | null;
  weeklyAllocationPence: number | null;
  primarySupportReason: string | null;
  submittedAt: Date | null;
};

/** Every submitted assessment, oldest first. */
export async function assessmentFactsIn(tx: TenantTx): Promise<AssessmentFact[]> {
  const rows = await tx
    .selectFrom("assessments as a")
    .leftJoin("eligibility_decisions as d", (j) =>
      j.onRef("d.tenant_id", "=", "a.tenant_id").onRef("d.assessment_id", "=", "a.assessment_id"),
    )
    .leftJoin("allocations as l", (j) =>
      j.onRef("l.tenant_id", "=", "a.tenant_id").onRef("l.assessment_id", "=", "a.assessment_id"),
    )
    .select([
      "a.assessment_id",
      "a.person_id",
      "a.decision_date",
      "a.submitted_at",
      "a.submitted_by",
      "a.questionnaire_id",
      // Only the one answer the reports group by, not the whole answers document.
      sql<string | null>`a.answers->>'primarySupportReason'`.as("primary_support_reason"),
      "d.eligible",
      "l.weekly_pence",
    ])
    .where("a.tenant_id", "=", tx.scope.tenantId)
    .where("a.status", "=", "submitted")
    .orderBy("a.submitted_at")
    .orderBy("a.assessment_id")
    .execute();
  return rows.map((r) => {
    const submittedAt = r.submitted_at === null ? null : new Date(r.submitted_at);
    return {
      assessmentId: r.assessment_id,
      personId: r.person_id,
      completedOn: r.decision_date ?? (submittedAt ? todayInLondon(submittedAt) : ""),
      submittedBy: r.submitted_by,
      questionnaireId: r.questionnaire_id,
      eligible: r.eligible,
      weeklyAllocationPence: r.weekly_pence === null ? null : Number(r.weekly_pence),
      primarySupportReason: r.primary_support_reason,
      submittedAt,
    };
  });
}
