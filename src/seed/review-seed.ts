import { personReviewsIn, recordReviewIn } from "#/features/reviews/service.ts";
import type { TxContext } from "#/platform/context.ts";
import type { Actor, TenantTx } from "#/platform/db/tenant.ts";
import type { ReviewMethod } from "#/vocabulary/review-methods.ts";
import { castStaff, type DemoCast } from "./cast.ts";

/**
 * Demo Council's reviews, recorded through the reviews use case as the social worker would: the person with the
 * live budget (person2, plans-seed.ts) has had the light-touch first review, held face to face, so the person's
 * reviews page, the next due date and the CLD return's review event (with its Method of Review) have something
 * real to show. A review cannot predate the plan's sign-off, which is the moment the seed runs: so the review is
 * held on `today`, and left out when `today` is earlier than that (tests that seed an earlier fixed date).
 */

export const DEMO_REVIEW_METHOD: ReviewMethod = "face_to_face";

/** Runs `fn` as a member of staff in the seed's transaction, so the review is recorded (and audited) as theirs. */
async function actingAs<T>(t: TxContext, actor: Actor, fn: () => Promise<T>): Promise<T> {
  const tx = t.tx as TenantTx & { scope: TenantTx["scope"] };
  const saved = tx.scope;
  tx.scope = { ...saved, actor };
  try {
    return await fn();
  } finally {
    tx.scope = saved;
  }
}

export async function seedDemoReviews(t: TxContext, cast: DemoCast): Promise<{ reviews: number }> {
  const worker = castStaff(cast, "social.worker@demo.upfront.test")?.actor;
  // person2: plans-seed.ts approves their plan and starts the live budget.
  const personId = cast.withAllocations[1]?.personId;
  if (!worker || !personId) return { reviews: 0 };
  const { plan } = await personReviewsIn(t, personId);
  if (!plan || plan.agreedOn > t.today || plan.outcomes.length === 0) return { reviews: 0 };

  await actingAs(t, worker, () =>
    recordReviewIn(t, {
      personId,
      heldOn: t.today,
      kinds: ["plan"],
      method: DEMO_REVIEW_METHOD,
      outcomes: plan.outcomes.map((o, i) => ({
        outcomeId: o.id,
        rating: i === 0 ? "met" : "partly_met",
        inTheirWords:
          i === 0
            ? "It is going well, I am glad I chose this"
            : "Getting there, some weeks are better than others",
      })),
      working: "The personal assistant: reliable, and the times suit me",
      notWorking: "The morning visits sometimes come late",
      result: "no_change",
    }),
  );
  return { reviews: 1 };
}
