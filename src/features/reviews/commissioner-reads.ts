import { liveBudgetsIn } from "#/features/reviews/live-budgets.ts";
import * as repo from "#/features/reviews/repository.ts";
import { dueReviews, reviewSettingsIn } from "#/features/reviews/service.ts";
import { councilJurisdictionIn } from "#/features/tenants/rules.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * Reviews as the commissioner's reports read them (features/reports): when each was held and by whom, the
 * person's own rating of each outcome, and the reason recorded for an underspend; and each live plan's next
 * review. Nobody's words leave the feature.
 */
export type ReviewFact = {
  reviewId: string;
  personId: string;
  planId: string;
  planVersion: number;
  heldOn: string;
  recordedBy: string;
  ratings: { outcomeId: string; rating: string }[];
  /** Why money went unspent, when the review recorded it (reviews/schemas.ts UNDERSPEND_REASONS). */
  underspendReason: string | null;
};

type StoredRecord = {
  outcomes?: { outcomeId?: unknown; rating?: unknown }[];
  underspend?: { reason?: unknown };
};

/** Reviews held in [from, to], oldest first. */
export async function reviewFactsIn(tx: TenantTx, from: string, to: string): Promise<ReviewFact[]> {
  const rows = await tx
    .selectFrom("reviews")
    .select(["review_id", "person_id", "plan_id", "plan_version", "held_on", "recorded_by", "record"])
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("held_on", ">=", from)
    .where("held_on", "<=", to)
    .orderBy("held_on")
    .orderBy("review_id")
    .execute();
  return rows.map((r) => {
    const record = (typeof r.record === "string" ? JSON.parse(r.record) : r.record) as StoredRecord | null;
    return {
      reviewId: r.review_id,
      personId: r.person_id,
      planId: r.plan_id,
      planVersion: r.plan_version,
      heldOn: r.held_on,
      recordedBy: r.recorded_by,
      ratings: (record?.outcomes ?? []).flatMap((o) =>
        typeof o.outcomeId === "string" && typeof o.rating === "string"
          ? [{ outcomeId: o.outcomeId, rating: o.rating }]
          : [],
      ),
      underspendReason: typeof record?.underspend?.reason === "string" ? record.underspend.reason : null,
    };
  });
}

/** Each live plan's next review on `date` (plan and direct-payment reviews), with the plan's lead worker. */
export async function reviewsDueForReportsIn(
  tx: TenantTx,
  date: string,
): Promise<{ dueSoonDays: number; due: { personId: string; dueOn: string; leadWorkerId: string | null }[] }> {
  const { settings } = await reviewSettingsIn({ tx }, date);
  const budgets = await liveBudgetsIn(tx);
  const reviews = await repo.reviewsOf(tx, [...new Set(budgets.map((b) => b.person_id))]);
  const due = dueReviews(budgets, reviews, settings, await councilJurisdictionIn(tx));
  return {
    dueSoonDays: settings.dueSoonDays,
    due: due.map((d) => ({ personId: d.personId, dueOn: d.dueDate, leadWorkerId: d.leadWorkerId })),
  };
}
