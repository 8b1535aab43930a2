import { sql } from "kysely";
import { anyUuid } from "#/platform/db/any-of.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/** SQL for what the reports need of assessments: the points each scored and its primary support reason. */

export type NeedFactsRow = {
  assessment_id: string;
  total_points: string | null;
  primary_support_reason: string | null;
};

export async function needFacts(tx: TenantTx, assessmentIds: readonly string[]): Promise<NeedFactsRow[]> {
  if (assessmentIds.length === 0) return [];
  return tx
    .selectFrom("assessments as a")
    .leftJoin("allocations as l", (j) =>
      j.onRef("l.tenant_id", "=", "a.tenant_id").onRef("l.assessment_id", "=", "a.assessment_id"),
    )
    .select([
      "a.assessment_id",
      sql<string | null>`l.working->>'totalPoints'`.as("total_points"),
      sql<string | null>`a.answers->>'primarySupportReason'`.as("primary_support_reason"),
    ])
    .where("a.tenant_id", "=", tx.scope.tenantId)
    .where("a.assessment_id", "=", anyUuid(assessmentIds))
    .where("a.status", "=", "submitted")
    .execute();
}
