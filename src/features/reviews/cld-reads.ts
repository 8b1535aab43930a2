import { anyUuid, uuidBounds } from "#/platform/db/any-of.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";
import type { ReviewMethod } from "#/vocabulary/review-methods.ts";
import { reviewMethodOf } from "./schemas.ts";

/** Reviews held with some people, for the reports feature's Client Level Data return: one query for a page. */

export type ReviewForReports = {
  reviewId: string;
  personId: string;
  heldOn: string;
  kinds: readonly ("plan" | "direct_payment")[];
  result: "no_change" | "new_plan_version" | "new_assessment";
  /** How the person rated their plan's outcomes: all met, some (met or partly), none; null if none were rated. */
  outcomesAchieved: "all" | "some" | "none" | null;
  /** How the review was held (vocabulary/review-methods.ts); null for a review recorded before Upfront asked. */
  method: ReviewMethod | null;
};

/** The review's outcome ratings (reviews/schemas.ts OUTCOME_RATINGS) summed up as all, some or none met. */
export function outcomesAchieved(record: unknown): ReviewForReports["outcomesAchieved"] {
  const outcomes = (record as { outcomes?: { rating?: string }[] } | null)?.outcomes;
  if (!Array.isArray(outcomes) || outcomes.length === 0) return null;
  const ratings = outcomes.map((o) => o.rating);
  if (ratings.every((r) => r === "met")) return "all";
  if (ratings.every((r) => r === "not_met")) return "none";
  return "some";
}

export async function reviewsForReportsIn(
  tx: TenantTx,
  personIds: readonly string[],
): Promise<ReviewForReports[]> {
  // The ids' first and last beside ANY: the planner then reads a page of people by the index (any-of.ts).
  const bounds = uuidBounds(personIds);
  if (bounds === null) return [];
  const rows = await tx
    .selectFrom("reviews")
    .select(["review_id", "person_id", "held_on", "kinds", "result", "record"])
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("person_id", ">=", bounds.first)
    .where("person_id", "<=", bounds.last)
    .where("person_id", "=", anyUuid(personIds))
    .orderBy("person_id")
    .orderBy("held_on")
    .orderBy("review_id")
    .execute();
  return rows.map((r) => ({
    reviewId: r.review_id,
    personId: r.person_id,
    heldOn: r.held_on,
    kinds: r.kinds,
    result: r.result,
    outcomesAchieved: outcomesAchieved(r.record),
    method: reviewMethodOf(r.record),
  }));
}

/** The people these reviews are about (for a refresh of the CLD rows of people whose records changed). */
export async function peopleOfReviewsForReportsIn(
  tx: TenantTx,
  reviewIds: readonly string[],
): Promise<string[]> {
  if (reviewIds.length === 0) return [];
  const rows = await tx
    .selectFrom("reviews")
    .select("person_id")
    .distinct()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("review_id", "=", anyUuid(reviewIds))
    .execute();
  return rows.map((r) => r.person_id);
}
