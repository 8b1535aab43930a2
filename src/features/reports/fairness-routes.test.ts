import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { studentTQuantile } from "#/features/calibration/statistics.calc.ts";
import { withSystem } from "#/platform/db/tenant.ts";
import { formatPounds, type Pence } from "#/platform/money/pence.ts";
import { rulesFor } from "#/rules/registry.ts";
import { buildTestApp } from "../../../test/app.ts";
import { databaseFor, demoTenantId, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { pageText } from "../../../test/inject-browser.ts";
import { TODAY } from "../../../test/today.ts";

/**
 * Done-when for the public fairness dashboard (issue 15): every figure /demo/fairness and its API give for the
 * demo council equals the figure worked out by hand from the seed's records. The records are read here with
 * plain SQL, not through the dashboard's service, and the figures worked out with plain arithmetic: a mean is a
 * sum over a count; an interval is mean ± t(0.975, n − 1) × sd ÷ √n; a package before 1 April 2025 is × 1.034
 * (ONS CPIH, 12 months to March 2025; rules/england/fairness-rules.ts) in any later quarter's prices.
 */

// The four quarters up to the tests' today (2026-11-23), worked out by hand: the last is taken on today.
const QUARTERS = [
  { label: "January to March 2026", start: "2026-01-01", snap: "2026-03-31" },
  { label: "April to June 2026", start: "2026-04-01", snap: "2026-06-30" },
  { label: "July to September 2026", start: "2026-07-01", snap: "2026-09-30" },
  { label: "October to December 2026", start: "2026-10-01", snap: "2026-11-23" },
];
const FEWER_THAN = 10;

type Row = {
  budget_id: string;
  person_id: string;
  start_date: string;
  end_date: string | null;
  weekly_pence: number;
  points: string | null;
  previous_weekly: number | null;
  previous_date: string | null;
  postcode: string | null;
  sex: string | null;
  ethnicity: string | null;
  date_of_birth: string;
  psr: string | null;
  deployments: string | null;
};

const round = (x: number) => Math.sign(x) * Math.round(Math.abs(x));
const days = (a: string, b: string) =>
  (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000;

function byHand(values: number[]) {
  const n = values.length;
  const mean = values.reduce((s, x) => s + x, 0) / n;
  const sd = Math.sqrt(values.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
  const half = (studentTQuantile(0.975, n - 1) * sd) / Math.sqrt(n);
  return { n, mean: round(mean), low: round(mean - half), high: round(mean + half), exact: mean };
}

describe.each(enginesUnderTest())("the public fairness dashboard for the demo council on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let rows: Row[];
  let api: {
    settings: { suppressFewerThan: number };
    quarters: {
      quarter: { label: string };
      everyone: Record<string, unknown>;
      dimensions: { id: string; groups: Record<string, unknown>[] }[];
      named: { statement: string }[];
      cuts: Record<string, unknown>;
      spend: Record<string, unknown>;
    }[];
    spendOverTime: Record<string, unknown>;
  };

  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
    app = await buildTestApp(database);
    const tenantId = await demoTenantId(database);
    rows = await withSystem(database.db, async (trx) => {
      const result = await sql<Row>`
        SELECT b.budget_id, b.person_id, b.start_date::text AS start_date, b.end_date::text AS end_date,
          b.weekly_pence::int AS weekly_pence, l.working->>'totalPoints' AS points,
          sp.previous_package_weekly_pence::int AS previous_weekly, sp.previous_package_date::text AS previous_date,
          p.postcode, p.sex, p.ethnicity, p.date_of_birth::text AS date_of_birth,
          a.answers->>'primarySupportReason' AS psr,
          (SELECT string_agg(DISTINCT bl.deployment, ',') FROM personal_budget_lines bl
            WHERE bl.tenant_id = b.tenant_id AND bl.budget_id = b.budget_id AND bl.weekly_pence > 0) AS deployments
        FROM personal_budgets b
        JOIN support_plans sp ON sp.tenant_id = b.tenant_id AND sp.plan_id = b.plan_id
        JOIN people p ON p.tenant_id = b.tenant_id AND p.person_id = b.person_id
        JOIN assessments a ON a.tenant_id = sp.tenant_id AND a.assessment_id = sp.assessment_id
        LEFT JOIN allocations l ON l.tenant_id = sp.tenant_id AND l.assessment_id = sp.assessment_id
        WHERE b.tenant_id = ${tenantId}`.execute(trx);
      return result.rows;
    });
    const response = await app.inject({ method: "GET", url: "/api/v1/councils/demo/fairness" });
    expect(response.statusCode).toBe(200);
    api = response.json();
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const liveOn = (date: string) =>
    rows.filter((r) => r.start_date <= date && (r.end_date === null || date <= r.end_date));

  it("everyone's budget per need point in each quarter, with its interval; a small quarter hidden", () => {
    expect(api.settings.suppressFewerThan).toBe(FEWER_THAN);
    expect(api.quarters.map((q) => q.quarter.label)).toEqual(QUARTERS.map((q) => q.label));
    QUARTERS.forEach((q, i) => {
      const compared = liveOn(q.snap).filter((r) => Number(r.points) > 0);
      const shown = api.quarters[i]!.everyone;
      if (compared.length < FEWER_THAN) {
        expect(shown).toMatchObject({ hidden: true, people: null, perPointPence: null });
        return;
      }
      const perPoint = byHand(compared.map((r) => r.weekly_pence / Number(r.points)));
      const weekly = compared.reduce((s, r) => s + r.weekly_pence, 0) / compared.length;
      expect(shown).toMatchObject({
        hidden: false,
        people: compared.length,
        perPointPence: perPoint.mean,
        ciLowPence: perPoint.low,
        ciHighPence: perPoint.high,
        meanWeeklyPence: round(weekly),
      });
    });
    // The seed starts budgets ten days apart from 320 days ago: the first quarter has too few to show.
    expect(api.quarters[0]!.everyone.hidden).toBe(true);
    expect(api.quarters[3]!.everyone.hidden).toBe(false);
  });

  it("by every grouping: each group shown has the figures worked by hand; small groups hidden", () => {
    const q = QUARTERS[3]!;
    const shown = api.quarters[3]!;
    const compared = liveOn(q.snap).filter((r) => Number(r.points) > 0);
    const everyone = byHand(compared.map((r) => r.weekly_pence / Number(r.points))).exact;
    // Groups are the CLD return's values for the codes recorded (its mapping, rules/england/cld.ts): the
    // dashboard is built from the return's events. Council-managed budgets and individual service funds are
    // both "CASSR managed personal budget" there, so one group.
    const m = rulesFor("england", q.snap).cld.rules!.mappings;
    const cld = (table: Readonly<Record<string, string>>, code: string | null) =>
      code ? (table[code] ?? code) : "not_recorded";
    const mechanisms = (r: Row) => [
      ...new Set((r.deployments?.split(",") ?? []).map((d) => m.service.deliveryMechanismByDeployment[d]!)),
    ];
    const keys = {
      area: (r: Row) => (r.postcode ?? "").replace(/\s+/g, "").toUpperCase().slice(0, -3) || "not_recorded",
      sex: (r: Row) => cld(m.gender, r.sex),
      ethnicity: (r: Row) => cld(m.ethnicity, r.ethnicity),
      primary_support_reason: (r: Row) => cld(m.primarySupportReason, r.psr || null),
      deployment: (r: Row) => {
        const d = mechanisms(r);
        return d.length > 1 ? "mixed" : (d[0] ?? "none");
      },
      age_band: (r: Row) => {
        // Whole years on the day (23 November 2026), then the bands 18–24, 25–44, 45–64, 65–74, 75–84, 85+.
        const age = 2026 - Number(r.date_of_birth.slice(0, 4)) - (r.date_of_birth.slice(5) > "11-23" ? 1 : 0);
        const bands: [number, string][] = [
          [85, "85+"],
          [75, "75-84"],
          [65, "65-74"],
          [45, "45-64"],
          [25, "25-44"],
          [18, "18-24"],
        ];
        return bands.find(([from]) => age >= from)?.[1] ?? "under-18";
      },
    };
    for (const [dimension, key] of Object.entries(keys)) {
      const groups = shown.dimensions.find((d) => d.id === dimension)!.groups;
      const byKey = Map.groupBy(compared, key);
      expect(new Set(groups.map((g) => g.id))).toEqual(new Set(byKey.keys()));
      for (const g of groups) {
        const members = byKey.get(g.id as string)!;
        if (members.length < FEWER_THAN) expect(g.hidden).toBe(true);
        if (g.hidden) continue;
        const perPoint = byHand(members.map((r) => r.weekly_pence / Number(r.points)));
        const difference = Math.round(((perPoint.exact - everyone) / everyone) * 1000) / 10;
        expect(g).toMatchObject({
          people: members.length,
          perPointPence: perPoint.mean,
          ciLowPence: perPoint.low,
          ciHighPence: perPoint.high,
          differencePercent: difference,
        });
      }
      // No hidden group alone: the total would give it back.
      expect(groups.filter((g) => g.hidden).length).not.toBe(1);
    }
    // ZX92 plans cost 70% of their indicative budget, ZX91 100%: ZX92 is named as getting less.
    expect(shown.named.map((n) => n.statement).join("\n")).toMatch(
      /^Area \(postcode district\): ZX92 \(\d+ people\)/m,
    );
  });

  it("cover for cuts: each replaced package in the quarter's prices, against the budget", () => {
    QUARTERS.forEach((q, i) => {
      const pairs = liveOn(q.snap)
        .filter((r) => r.previous_date !== null && r.previous_date <= q.snap)
        .map((r) => {
          const risen = r.previous_date! < "2025-04-01" && q.snap >= "2025-04-01";
          const previous = risen ? round((r.previous_weekly! * 1034) / 1000) : r.previous_weekly!;
          return { budget: r.weekly_pence, previous };
        });
      const cuts = api.quarters[i]!.cuts;
      if (pairs.length < FEWER_THAN) {
        expect(cuts).toMatchObject({ hidden: true, people: null });
        return;
      }
      const difference = byHand(pairs.map((p) => p.budget - p.previous));
      expect(cuts).toMatchObject({
        hidden: false,
        people: pairs.length,
        meanBudgetPence: round(pairs.reduce((s, p) => s + p.budget, 0) / pairs.length),
        meanPreviousPence: round(pairs.reduce((s, p) => s + p.previous, 0) / pairs.length),
        meanDifferencePence: difference.mean,
        ciLowPence: difference.low,
        ciHighPence: difference.high,
      });
    });
    // The seed's packages cost 5% more than the budgets that replaced them: budgets are lower.
    expect(api.quarters[3]!.cuts.verdict).toBe("lower");
  });

  it("spend on long-term support in each quarter, people supported and per person", () => {
    QUARTERS.forEach((q, i) => {
      let weeklyTimesDays = 0;
      const people = new Set<string>();
      for (const r of rows) {
        // Days live in the quarter: from the later of the two starts to the earlier of the two ends.
        const first = [r.start_date, q.start].sort()[1]!;
        const last = r.end_date === null ? q.snap : [r.end_date, q.snap].sort()[0]!;
        if (last < first) continue;
        weeklyTimesDays += r.weekly_pence * (days(first, last) + 1);
        people.add(r.person_id);
      }
      const spend = api.quarters[i]!.spend;
      if (people.size < FEWER_THAN) {
        expect(spend).toMatchObject({ hidden: true, totalPence: null });
        return;
      }
      const total = Math.round(weeklyTimesDays / 7);
      expect(spend).toMatchObject({
        people: people.size,
        totalPence: total,
        perPersonPence: Math.round(total / people.size),
      });
    });
    // The total over time is the quarters' totals added: with a quarter hidden it would give that quarter back,
    // so it is hidden too (the seed's first quarter has too few people).
    const quarters = api.quarters.map((q) => q.spend);
    expect(quarters[0]!.hidden).toBe(true);
    expect(api.spendOverTime).toMatchObject({ hidden: true, totalPence: null, people: null });
  });

  it("the page shows the same figures, with a table beside every chart, and says what it hides", async () => {
    const page = await app.inject({ method: "GET", url: "/demo/fairness" });
    expect(page.statusCode).toBe(200);
    const text = pageText(page.body);
    expect(text).toContain("we do not show any figure about fewer than 10 people");
    expect(text).toContain("Some other figures are hidden to protect them");
    expect(text).toContain("All 4 quarters together");
    const latest = api.quarters[3]!;
    expect(text).toContain(formatPounds(latest.everyone.perPointPence as Pence));
    expect(text).toContain(formatPounds(latest.spend.totalPence as Pence));
    expect(text).toContain(latest.named[0]!.statement);
    const charts = page.body.match(/<figure class="app-chart"/g)?.length ?? 0;
    const tables = page.body.match(/<table class="govuk-table app-chart-table">/g)?.length ?? 0;
    expect(charts).toBeGreaterThan(3);
    expect(tables).toBe(charts);
    expect(page.body).not.toContain("<style");
  });

  it("rule: an unknown council is a plain 404, on the page and the API", async () => {
    expect((await app.inject({ method: "GET", url: "/no-such-council/fairness" })).statusCode).toBe(404);
    expect(
      (await app.inject({ method: "GET", url: "/api/v1/councils/no-such-council/fairness" })).statusCode,
    ).toBe(404);
  });
});

it("the test's own quarters are the tests' today's", () => {
  expect(TODAY).toBe("2026-11-23");
});
