import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Council, makeCouncil } from "#/features/accounts/portal.fixture.ts";
import { recordReferral } from "#/features/referrals/service.ts";
import { exportCldReturn } from "#/features/reports/cld-export.ts";
import { bringCldEventsUpToDate, cldDerivationIn, peopleChangedIn } from "#/features/reports/cld-refresh.ts";
import {
  CLD_CATCH_UP_JOB,
  CLD_REBUILD_JOB,
  refreshCldForEveryCouncil,
  registerCldRefreshJobs,
} from "#/features/reports/cld-refresh-jobs.ts";
import { latestCldRefreshIn } from "#/features/reports/cld-store.ts";
import { makeLiveBudget } from "#/features/reviews/reviews.fixture.ts";
import { recordReview } from "#/features/reviews/service.ts";
import { withTenant } from "#/platform/db/tenant.ts";
import { startJobs } from "#/platform/jobs/jobs.ts";
import { cldRulesFrom, rulesFor } from "#/rules/registry.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";

/**
 * Keeping the CLD events table up to date (issue 15, "Scale and correctness"): the catch-up finds who changed
 * from the audit trail (through each owner's read of whose records they are), re-derives exactly those people,
 * and the next export has the change; nobody else's rows are written again.
 */
const TODAY = "2026-01-15";
const PERIOD = "2025-02-01..2026-01-14";

type Versions = Map<string, string>;

describe.each(enginesUnderTest())("refreshing the CLD events table on %s", (engine) => {
  let database: TestDatabase;
  let council: Council;

  /** Each row's key and the transaction that wrote it (xmin): a row written again has a new one. */
  const versions = async (): Promise<Versions> => {
    const { rows } = await sql<{ key: string; person_id: string; version: string }>`
      SELECT source_kind || ' ' || source_id || ' ' || part AS key, person_id, xmin::text AS version
      FROM cld_events WHERE tenant_id = ${council.tenantId}`.execute(database.db);
    return new Map(rows.map((r) => [`${r.person_id} ${r.key}`, r.version]));
  };

  const derivation = () =>
    withTenant(database.db, council.staff.scope, (tx) =>
      cldDerivationIn(tx, rulesFor("england", TODAY).cld!.rules!),
    );

  beforeAll(async () => {
    expect(cldRulesFrom() <= TODAY).toBe(true);
    database = await databaseFor(engine, "migrated");
    council = await makeCouncil(database.db, "cld-refresh", TODAY);
    await recordReferral(council.staff, {
      personId: council.ann.personId,
      receivedOn: "2025-12-01",
      routeOfAccess: "community_or_other",
      requestSource: "self",
    });
    await makeLiveBudget(database.db, {
      tenantId: council.tenantId,
      personId: council.ann.personId,
      assessmentId: council.annAssessmentId,
      leadWorkerId: null,
      agreedOn: "2025-12-20",
      startDate: "2026-01-01",
      directPayment: true,
    });
  }, 120_000);
  afterAll(() => database?.drop());

  it("rule (issue 15): a new review is in the next export after the catch-up, and only its person's rows are rewritten", async () => {
    const ctx = { ...council.staff, today: TODAY };
    const full = await bringCldEventsUpToDate(database.db, ctx.scope, await derivation(), {
      forceFull: true,
    });
    expect(full).toMatchObject({ kind: "full", people: 3 });
    const before = await versions();
    expect(before.size).toBeGreaterThan(0);
    const since = await withTenant(database.db, ctx.scope, async (tx) => {
      const { rows } = await sql<{ now: Date }>`SELECT clock_timestamp() AS now`.execute(tx);
      return new Date(rows[0]!.now);
    });

    const review = await recordReview(ctx, {
      personId: council.ann.personId,
      heldOn: "2026-01-10",
      method: "video",
      kinds: ["plan"],
      outcomes: [
        { outcomeId: "cook", rating: "partly_met", inTheirWords: "Most nights" },
        { outcomeId: "football", rating: "met", inTheirWords: "Every home game" },
      ],
      working: "Jo the PA",
      notWorking: "Sunday cover",
      result: "no_change",
    });

    // Who changed: Ann alone, from the review's audit event through the reviews feature's read.
    const changed = await withTenant(database.db, ctx.scope, (tx) =>
      peopleChangedIn(tx, { after: since, upTo: new Date(Date.now() + 60_000) }),
    );
    expect(changed).toEqual([council.ann.personId]);

    const caughtUp = await bringCldEventsUpToDate(database.db, ctx.scope, await derivation(), {
      overlapMs: 0,
    });
    expect(caughtUp).toMatchObject({ kind: "catch_up", people: 1 });
    const after = await versions();
    for (const [key, version] of before) {
      if (key.startsWith(council.ann.personId)) expect(after.get(key)).not.toBe(version);
      else expect(after.get(key)).toBe(version);
    }
    const reviewKey = `${council.ann.personId} review ${review.review.reviewId} 0`;
    expect(before.has(reviewKey)).toBe(false);
    expect(after.has(reviewKey)).toBe(true);

    // The export (which catches up again first) reports the review's row.
    let quality = "";
    await exportCldReturn(
      ctx,
      { period: PERIOD },
      {
        open: async () => ({
          qualityFile: {
            write: (t) => {
              quality += t;
            },
            end: () => undefined,
          },
        }),
      },
    );
    expect(quality).toContain(`review ${review.review.reviewId}`);
  });

  it("the catch-up is scheduled every 10 minutes and the rebuild nightly, and a run refreshes every council", async () => {
    const jobs = await startJobs(database, { schedule: false });
    try {
      await registerCldRefreshJobs(jobs);
      expect((await jobs.boss.getSchedules(CLD_CATCH_UP_JOB)).map((s) => s.cron)).toEqual(["*/10 * * * *"]);
      expect((await jobs.boss.getSchedules(CLD_REBUILD_JOB)).map((s) => s.cron)).toEqual(["30 2 * * *"]);
    } finally {
      await jobs.stop();
    }
    // What the rebuild job runs: every council, here the one council made above, in full.
    const results = await refreshCldForEveryCouncil(database, { full: true, today: TODAY });
    expect(results.find((r) => r.slug === "cld-refresh")?.outcome).toMatchObject({ kind: "full", people: 3 });
    const last = await withTenant(database.db, council.staff.scope, (tx) => latestCldRefreshIn(tx));
    expect(last).toMatchObject({ kind: "full", people: 3 });
  });
});
