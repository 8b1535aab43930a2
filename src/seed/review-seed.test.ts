import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reviewsFor } from "#/features/reviews/service.ts";
import { todayInLondon } from "#/platform/context.ts";
import { withSystem } from "#/platform/db/tenant.ts";
import { DEMO_REVIEW_METHOD } from "#/seed/review-seed.ts";
import { seedDemo } from "#/seed/seed.ts";
import { REVIEW_METHODS } from "#/vocabulary/review-methods.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../test/databases.ts";

/**
 * The demo's review (review-seed.ts) on the real date, as `npm start` seeds it: the plan is signed off as the
 * seed runs, and a review cannot be held before that, so the shared demo templates (seeded on a fixed earlier
 * date) have none. A few people are enough for the one live budget.
 */

describe.each(enginesUnderTest())("the demo's reviews on %s", (engine) => {
  let database: TestDatabase;
  const today = todayInLondon();
  beforeAll(async () => {
    database = await databaseFor(engine, "migrated");
    await seedDemo(database, { people: 12, today });
  }, 180_000);
  afterAll(async () => {
    await database?.drop();
  });

  it("rule (issue 15): the demo's review records how it was held (CLD Method of Review, field 47), as the social worker", async () => {
    const { rows, worker } = await withSystem(database.db, async (trx) => {
      const tenant = await trx
        .selectFrom("tenants")
        .select("tenant_id")
        .where("slug", "=", "demo")
        .executeTakeFirstOrThrow();
      const worker = await trx
        .selectFrom("staff_users")
        .select(["user_id", "name"])
        .where("tenant_id", "=", tenant.tenant_id)
        .where("email", "=", "social.worker@demo.upfront.test")
        .executeTakeFirstOrThrow();
      const rows = await trx
        .selectFrom("reviews")
        .select(["person_id", "tenant_id", "recorded_by", "held_on"])
        .where("tenant_id", "=", tenant.tenant_id)
        .execute();
      return { rows, worker };
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.held_on).toBe(today);
    expect(rows[0]!.recorded_by).toContain(worker.user_id);
    const found = await reviewsFor(
      {
        db: database.db,
        scope: {
          tenantId: rows[0]!.tenant_id,
          actor: { type: "staff", id: worker.user_id, name: worker.name },
        },
        today,
      },
      rows[0]!.person_id,
    );
    expect(REVIEW_METHODS).toContain(DEMO_REVIEW_METHOD);
    expect(found.past.map((r) => r.method)).toEqual([DEMO_REVIEW_METHOD]);
    // Every outcome of the plan is rated, so the review's Review Outcomes Achieved can be worked out too.
    expect(found.past[0]!.outcomes.map((o) => o.outcomeId)).toEqual(found.plan?.outcomes.map((o) => o.id));
  });
});
