import { anyUuid } from "#/platform/db/any-of.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/** Reviews held with some people, for the reports feature's Client Level Data return: one query for a page. */

export type ReviewForReports = {
  reviewId: string;
  personId: string;
  heldOn: string;
  kinds: readonly ("plan" | "direct_payment")[];
  result: "no_change" | "new_plan_version" | "new_assessment";
};

export async function reviewsForReportsIn(
  tx: TenantTx,
  personIds: readonly string[],
): Promise<ReviewForReports[]> {
  if (personIds.length === 0) return [];
  const rows = await tx
    .selectFrom("reviews")
    .select(["review_id", "person_id", "held_on", "kinds", "result"])
    .where("tenant_id", "=", tx.scope.tenantId)
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
  }));
}
