import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { meanConfidenceInterval } from "#/features/calibration/statistics.calc.ts";
import { fairnessDashboard, outwardCode } from "#/features/reports/fairness.calc.ts";
import type { FairnessBudget, FairnessSettings } from "#/features/reports/fairness-data.calc.ts";
import { quarterOf, quartersUpTo } from "#/features/reports/fairness-quarters.calc.ts";

/**
 * The public fairness dashboard's figures (fairness.calc.ts, fairness-money.calc.ts) for a population built by
 * hand, every figure worked out in the comments. Rule checked: equal money for equal need, as budget per need
 * point by group with a 95% t-interval, groups beyond the margin named; small numbers hidden (issue 15).
 */

const source = { title: "test", url: "https://example.test" };
const settings: FairnessSettings = {
  suppressFewerThan: 3,
  marginPercent: 10,
  priceIndex: {
    id: "t",
    name: "Test",
    description: "",
    uplifts: [{ from: "2025-04-01", percent: 3.4, source }],
  },
};
// The people's fields as the CLD return writes them (its Release 2 values), one budget each.
const person = (id: string, dateOfBirth: string, sex: string) => ({
  personId: id,
  dateOfBirth,
  sex: sex === "F" ? "Female" : "Male",
  ethnicity: null,
  postcode: "ZX4 7QP",
});
const QUARTER = quarterOf("2026-06-30");
const inQuarter = (budgets: readonly FairnessBudget[]) => [{ quarter: QUARTER, budgets }];
const withPeople = (ps: readonly ReturnType<typeof person>[], bs: readonly FairnessBudget[]) =>
  bs.map((b) => ({ ...b, ...ps.find((p) => p.personId === b.personId)! }));
const budget = (
  id: string,
  weeklyPence: number,
  needPoints: number | null,
  extra: Partial<FairnessBudget> = {},
) =>
  ({
    budgetId: `b-${id}`,
    personId: id,
    startDate: "2026-01-01",
    endDate: null,
    weeklyPence,
    deployments: ["Direct payment"],
    needPoints,
    primarySupportReason: "p",
    previousPackage: null,
    dateOfBirth: "1980-01-01",
    sex: null,
    ethnicity: null,
    postcode: null,
    ...extra,
  }) satisfies FairnessBudget;

const previous = { previousPackage: { weeklyPence: 10_000, date: "2025-03-01" } };
const people = [
  person("A", "1996-01-01", "F"),
  person("B", "1996-01-01", "F"),
  person("C", "1996-01-01", "F"),
  person("D", "1996-01-01", "M"),
  person("E", "1956-01-01", "M"), // 70 on 30 June 2026
  person("F", "1936-01-01", "M"), // 90
  person("G", "1980-01-01", "M"), // no need points: counted, not compared
  person("H", "1980-01-01", "M"), // budget ended 10 April: in the spend, not the snapshot
];
const budgets = withPeople(people, [
  budget("A", 10_000, 10, previous),
  budget("B", 10_000, 10, previous),
  budget("C", 10_000, 10, previous),
  budget("D", 20_000, 10),
  budget("E", 20_000, 10),
  budget("F", 20_000, 10),
  budget("G", 7_000, null),
  budget("H", 7_000, 10, { endDate: "2026-04-10" }),
]);
const dashboard = fairnessDashboard({ today: "2026-06-30", quarters: inQuarter(budgets), settings });
const q = dashboard.quarters[0]!;

describe("the fairness dashboard for a hand-built population", () => {
  it("takes the quarter's figures on its last day", () => {
    expect(q.quarter).toEqual({
      id: "2026-27-q1",
      label: "April to June 2026",
      start: "2026-04-01",
      end: "2026-06-30",
    });
    expect(q.snapshotDate).toBe("2026-06-30");
  });

  it("everyone: budget per need point, and its 95% t-interval", () => {
    // Per point: A–C £10.00, D–F £20.00 → mean £15.00. sd = 500 × √(6/5) = 547.72p; t(0.975, 5) = 2.5706;
    // half-width = 2.5706 × 547.72 / √6 = 574.80p → £9.25 to £20.75. Mean budget £150.00; mean points 10.
    expect(q.everyone).toMatchObject({
      people: 6,
      perPointPence: 1500,
      ciLowPence: 925,
      ciHighPence: 2075,
      meanWeeklyPence: 15_000,
      meanNeedPoints: 10,
    });
    expect(q.notCompared).toBeNull(); // 1 person: fewer than 3, hidden
  });

  it("names the groups beyond the margin whose interval leaves out everyone's figure", () => {
    const sex = q.dimensions.find((d) => d.id === "sex")!;
    // Women: £10.00 a point, 33.3% less than £15.00; every one the same, so the interval is £10.00 to £10.00.
    expect(sex.groups.map((g) => [g.label, g.people, g.perPointPence, g.differencePercent, g.named])).toEqual(
      [
        ["Female", 3, 1000, -33.3, "less"],
        ["Male", 3, 2000, 33.3, "more"],
      ],
    );
    expect(q.named.map((n) => n.statement)).toContain(
      "Sex: Female (3 people) had £10.00 a week for each point of need on average, 33.3% less than everyone's £15.00 (95% confidence interval £10.00 to £10.00).",
    );
  });

  it("hides small groups, and the next-smallest so the total cannot give them back", () => {
    // Ages 30, 30, 30, 30, 70, 90: 65–74 (1) and 85+ (1) are below 3; together 2, still below 3, so 25–44 goes too.
    const age = q.dimensions.find((d) => d.id === "age_band")!;
    expect(age.groups.map((g) => [g.id, g.hidden, g.people])).toEqual([
      ["25-44", true, null],
      ["65-74", true, null],
      ["85+", true, null],
    ]);
    const area = q.dimensions.find((d) => d.id === "area")!;
    expect(area.groups.map((g) => [g.label, g.people])).toEqual([["ZX4", 6]]);
  });

  it("cover for cuts: the replaced packages in the same year's prices", () => {
    // £100.00 a week in March 2025 × 1.034 (April 2025) = £103.40; each budget £100.00 → £3.40 less each.
    expect(q.cuts).toMatchObject({
      hidden: false,
      people: 3,
      meanBudgetPence: 10_000,
      meanPreviousPence: 10_340,
      meanDifferencePence: -340,
      ciLowPence: -340,
      ciHighPence: -340,
      less: 3,
      same: 0,
      more: 0,
      verdict: "lower",
      pricesFrom: "2025-04-01",
    });
  });

  it("spend on long-term support in the quarter, and per person", () => {
    // 91 days: (3 × £100 + 3 × £200 + £70) × 91 / 7 = £12,610.00; H: £70 × 10 days / 7 = £100.00.
    // £12,710.00 for 8 people = £1,588.75 each.
    expect(q.spend).toMatchObject({
      hidden: false,
      people: 8,
      totalPence: 1_271_000,
      perPersonPence: 158_875,
    });
    // One quarter: the total over time is that quarter's.
    expect(dashboard.spendOverTime).toMatchObject({ hidden: false, people: 8, totalPence: 1_271_000 });
  });

  it("hides everything about a quarter with fewer people than the setting", () => {
    const small = fairnessDashboard({
      today: "2026-06-30",
      quarters: inQuarter(budgets.slice(0, 2)),
      settings,
    }).quarters[0]!;
    expect(small.everyone.hidden).toBe(true);
    expect(small.dimensions).toEqual([]);
    expect(small.cuts.hidden).toBe(true);
    expect(small.spend).toMatchObject({ hidden: true, totalPence: null });
  });
});

describe("quarters and areas", () => {
  it("financial-year quarters, oldest first", () => {
    expect(quarterOf("2027-02-14")).toMatchObject({
      id: "2026-27-q4",
      start: "2027-01-01",
      end: "2027-03-31",
    });
    expect(quartersUpTo("2026-05-01", 3).map((x) => x.id)).toEqual([
      "2025-26-q3",
      "2025-26-q4",
      "2026-27-q1",
    ]);
  });

  it("the outward code is the postcode before its last three characters", () => {
    expect(outwardCode("sw1a 1aa")).toBe("SW1A");
    expect(outwardCode(null)).toBeUndefined();
  });
});

describe("the 95% interval", () => {
  it("property: it holds the mean, and is wider at 95% than it would be at 80%", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 2, maxLength: 40 }), (xs) => {
        const ci = meanConfidenceInterval(xs, 0.95)!;
        expect(ci.low).toBeLessThanOrEqual(ci.mean + 1e-6);
        expect(ci.high).toBeGreaterThanOrEqual(ci.mean - 1e-6);
        const narrower = meanConfidenceInterval(xs, 0.8)!;
        expect(ci.high - ci.low).toBeGreaterThanOrEqual(narrower.high - narrower.low - 1e-6);
        expect(ci.high - ci.mean).toBeCloseTo(ci.mean - ci.low, 6);
      }),
    );
  });

  it("property: a group whose interval includes everyone's figure is never named", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 50_000 }), { minLength: 6, maxLength: 30 }),
        (weekly) => {
          const ps = weekly.map((_, i) => person(`p${i}`, "1980-01-01", i % 2 === 0 ? "F" : "M"));
          const bs = withPeople(
            ps,
            weekly.map((w, i) => budget(`p${i}`, w, 10)),
          );
          const d = fairnessDashboard({ today: "2026-06-30", quarters: inQuarter(bs), settings });
          const quarter = d.quarters[0]!;
          const everyone = quarter.everyone.perPointPence!;
          for (const g of quarter.dimensions.flatMap((x) => x.groups)) {
            if (g.named !== null) {
              expect(g.ciLowPence! > everyone || g.ciHighPence! < everyone).toBe(true);
              expect(Math.abs(g.differencePercent!)).toBeGreaterThan(settings.marginPercent - 0.05);
            }
          }
        },
      ),
    );
  });
});

describe("suppression on the dashboard", () => {
  const people = fc.array(
    fc.record({
      weekly: fc.integer({ min: 1_000, max: 50_000 }),
      points: fc.integer({ min: 1, max: 40 }),
      sex: fc.constantFrom("F", "M"),
      born: fc.constantFrom("1940-01-01", "1960-01-01", "1980-01-01", "2000-01-01"),
      area: fc.constantFrom("ZX1 1AA", "ZX2 1AA", "ZX3 1AA", null),
      mechanism: fc.constantFrom("Direct payment", "CASSR managed personal budget"),
      startMonth: fc.integer({ min: 1, max: 12 }),
    }),
    { minLength: 0, maxLength: 60 },
  );

  it("property: in every panel, hidden groups come two or more at a time and hold enough people together; the total over time never gives a quarter back", () => {
    fc.assert(
      fc.property(people, fc.integer({ min: 2, max: 8 }), (ps, fewerThan) => {
        const budgets = ps.map((p, i) => ({
          ...budget(`p${i}`, p.weekly, p.points, { deployments: [p.mechanism] }),
          ...person(`p${i}`, p.born, p.sex),
          postcode: p.area,
          startDate: `2026-${String(p.startMonth).padStart(2, "0")}-01`,
        }));
        const quarters = quartersUpTo("2026-12-31", 4).map((quarter) => ({ quarter, budgets }));
        const d = fairnessDashboard({
          today: "2026-12-31",
          quarters,
          settings: { ...settings, suppressFewerThan: fewerThan },
        });
        for (const q of d.quarters) {
          if (q.everyone.hidden) {
            expect(q.dimensions).toEqual([]);
            continue;
          }
          for (const dimension of q.dimensions) {
            const hidden = dimension.groups.filter((g) => g.hidden);
            const shown = dimension.groups.reduce((s, g) => s + (g.people ?? 0), 0);
            // Everyone less the groups shown is what the hidden groups hold together: never one group, never few.
            expect(hidden.length === 0 || hidden.length >= 2).toBe(true);
            if (hidden.length > 0) expect(q.everyone.people! - shown).toBeGreaterThanOrEqual(fewerThan);
          }
        }
        const hiddenQuarters = d.quarters.filter((q) => q.spend.hidden).length;
        if (hiddenQuarters > 0) expect(d.spendOverTime.hidden).toBe(true);
        if (!d.spendOverTime.hidden) {
          expect(d.spendOverTime.totalPence).toBe(d.quarters.reduce((s, q) => s + q.spend.totalPence!, 0));
        }
      }),
      { numRuns: 60 },
    );
  });
});
