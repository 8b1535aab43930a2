import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Council, makeCouncil } from "#/features/accounts/portal.fixture.ts";
import { closeReferral, recordReferral } from "#/features/referrals/service.ts";
import type { CldFacts } from "#/features/reports/cld-events.calc.ts";
import { eachCldFactsPage } from "#/features/reports/cld-facts.ts";
import { buildCldReturn } from "#/features/reports/service.ts";
import { makeLiveBudget } from "#/features/reviews/reviews.fixture.ts";
import { recordReview } from "#/features/reviews/service.ts";
import { withTenant } from "#/platform/db/tenant.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";

/**
 * The facts the CLD return is derived from, read through each owner's read function (issue 15: reports read
 * through their owners): one council's records only, every person once however the pages fall, and each
 * owner's fields as recorded — a closed referral, a submitted assessment with its decision and primary support
 * reason, a live budget's line, and a review with the person's ratings summed up.
 */
const TODAY = "2026-01-15";

describe.each(enginesUnderTest())("CLD facts through their owners on %s", (engine) => {
  let database: TestDatabase;
  let a: Council;
  let b: Council;

  const gather = async (council: Council, pageSize: number) => {
    const pages: Omit<CldFacts, "laCode">[] = [];
    const progress: [number, number][] = [];
    await withTenant(database.db, council.staff.scope, (tx) =>
      eachCldFactsPage(tx, (facts) => pages.push(facts), {
        pageSize,
        onProgress: (done, total) => progress.push([done, total]),
      }),
    );
    type Key = Exclude<keyof CldFacts, "laCode">;
    const all = <K extends Key>(key: K) =>
      pages.flatMap((p) => [...p[key]] as unknown as CldFacts[K][number][]);
    return { pages, progress, all };
  };

  beforeAll(async () => {
    database = await databaseFor(engine, "migrated");
    a = await makeCouncil(database.db, "cld-one", TODAY);
    b = await makeCouncil(database.db, "cld-two", TODAY);
    const referral = await recordReferral(a.staff, {
      personId: a.ann.personId,
      receivedOn: "2025-12-01",
      routeOfAccess: "community_or_other",
      requestSource: "self",
    });
    await closeReferral(a.staff, {
      referralId: referral.referralId,
      outcome: "progress_to_assessment",
      closedOn: "2025-12-03",
    });
    await makeLiveBudget(database.db, {
      tenantId: a.tenantId,
      personId: a.ann.personId,
      assessmentId: a.annAssessmentId,
      leadWorkerId: null,
      agreedOn: "2025-12-20",
      startDate: "2026-01-01",
      directPayment: true,
    });
    await recordReview(a.staff, {
      personId: a.ann.personId,
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
  }, 120_000);
  afterAll(() => database?.drop());

  it("reads every person of the council once, page by page, in one query per owner per page", async () => {
    const one = await gather(a, 1);
    const all = await gather(a, 1000);
    expect(one.pages).toHaveLength(3);
    expect(all.pages).toHaveLength(1);
    expect(one.all("people").map((p) => p.personId)).toEqual(all.all("people").map((p) => p.personId));
    expect(new Set(all.all("people").map((p) => p.givenName))).toEqual(new Set(["Ann", "Bob", "Cara"]));
    expect(one.progress).toEqual([
      [0, 3],
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
  });

  it("gives each owner's records as recorded, and nothing of another council", async () => {
    const { all } = await gather(a, 1000);
    expect(all("referrals")).toEqual([
      expect.objectContaining({
        personId: a.ann.personId,
        receivedOn: "2025-12-01",
        routeOfAccess: "community_or_other",
        requestSource: "self",
        selfReferral: false,
        outcome: "progress_to_assessment",
        closedOn: "2025-12-03",
      }),
    ]);
    expect(all("assessments").find((x) => x.assessmentId === a.annAssessmentId)).toMatchObject({
      personId: a.ann.personId,
      eligible: expect.any(Boolean),
      primarySupportReason: expect.any(String),
    });
    expect(all("budgetLines")).toEqual([
      expect.objectContaining({
        personId: a.ann.personId,
        lineNo: 1,
        category: "personal_care",
        deployment: "direct_payment",
        weeklyPence: 30_000,
        oneOffPence: 0,
        startDate: "2026-01-01",
        endDate: null,
        endReason: null,
      }),
    ]);
    // One outcome met, one partly: some of the outcomes were achieved.
    expect(all("reviews")).toEqual([
      expect.objectContaining({
        personId: a.ann.personId,
        heldOn: "2026-01-10",
        kinds: ["plan"],
        result: "no_change",
        outcomesAchieved: "some",
        method: "video",
      }),
    ]);
    const other = await gather(b, 1000);
    expect(other.all("referrals")).toEqual([]);
    expect(other.all("budgetLines")).toEqual([]);
    expect(other.all("people").map((p) => p.personId)).not.toContain(a.ann.personId);
  });

  it("rule (REPORTING.md §1.11): with no NHS number and no LA code, no row can be sent, and each says why", async () => {
    const result = await buildCldReturn(a.staff, { period: "2025-10-01..2026-01-15" });
    expect(result.rows).toBe(0);
    expect(result.csv.split("\r\n").filter(Boolean)).toHaveLength(1); // the header only
    expect(result.failureCount).toBe(result.rowsFailing);
    expect(result.failures.length).toBeGreaterThan(0);
    for (const f of result.failures) {
      expect(f).toMatchObject({ field: "Person identifier", message: expect.stringContaining("NHS number") });
    }
    expect(result.failures.map((f) => f.personName)).toContain("Ann Able");
  });
});
