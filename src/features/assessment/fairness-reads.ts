import * as repo from "#/features/assessment/fairness-repository.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * What the reports feature reads of assessments (issue 15, the public fairness dashboard): for each submitted
 * assessment, the need points its allocation's working scored (null when no allocation was made) and the
 * primary support reason answered. Not audited: figures, not a person's record, leave through the reports.
 */

export type NeedFacts = {
  assessmentId: string;
  needPoints: number | null;
  primarySupportReason: string | null;
};

export async function needFactsForReportsIn(
  tx: TenantTx,
  assessmentIds: readonly string[],
): Promise<NeedFacts[]> {
  return (await repo.needFacts(tx, [...new Set(assessmentIds)])).map((r) => {
    const points = r.total_points === null ? Number.NaN : Number(r.total_points);
    return {
      assessmentId: r.assessment_id,
      needPoints: Number.isFinite(points) ? points : null,
      primarySupportReason: r.primary_support_reason || null,
    };
  });
}
