import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CaseloadFacts,
  caseloadReport,
  FLOW_MEASURES,
  NO_TEAM,
  nearestRank,
  waitToFirstPayment,
  weekStartOf,
} from "#/features/reports/caseload.calc.ts";

const none: CaseloadFacts = {
  requests: [],
  assessments: [],
  eligible: [],
  plansAgreed: [],
  budgetsStarted: [],
  reviewsHeld: [],
  reviewsDue: [],
  firstPayments: [],
};
const teams = [
  { teamId: "t-north", name: "North" },
  { teamId: "t-east", name: "East" },
];

describe("caseload flow (commissioner's reports)", () => {
  it("rule: weeks run Monday to Sunday", () => {
    expect(weekStartOf("2026-12-07")).toBe("2026-12-07"); // a Monday
    expect(weekStartOf("2026-12-13")).toBe("2026-12-07"); // the Sunday after
    expect(weekStartOf("2026-12-06")).toBe("2026-11-30");
  });

  it("rule: the p-th percentile is the nearest rank, the value at rank ⌈p/100 × n⌉ of the sorted values", () => {
    expect(nearestRank([], 50)).toBeNull();
    expect(nearestRank([7], 90)).toBe(7);
    // 10 values: the median is the 5th, the 90th percentile the 9th.
    const ten = [40, 10, 30, 20, 50, 60, 70, 80, 90, 100];
    expect(nearestRank(ten, 50)).toBe(50);
    expect(nearestRank(ten, 90)).toBe(90);
    // 5 values: ⌈2.5⌉ = 3rd for the median, ⌈4.5⌉ = 5th for the 90th.
    expect(nearestRank([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(nearestRank([5, 1, 4, 2, 3], 90)).toBe(5);
  });

  it("rule: a percentile is always one of the values and never falls as p rises", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1 }), (xs) => {
        const median = nearestRank(xs, 50)!;
        const p90 = nearestRank(xs, 90)!;
        expect(xs).toContain(median);
        expect(xs).toContain(p90);
        expect(p90).toBeGreaterThanOrEqual(median);
      }),
    );
  });

  it("rule: each event counts in its week and its team; an unknown or missing team counts as No team", () => {
    const report = caseloadReport({
      facts: {
        ...none,
        requests: [
          { personId: "a", on: "2026-11-23", teamId: "t-north" }, // Monday of week 1
          { personId: "b", on: "2026-11-29", teamId: "t-north" }, // Sunday of week 1
          { personId: "c", on: "2026-11-30", teamId: null }, // Monday of week 2
          { personId: "d", on: "2026-11-22", teamId: "t-north" }, // before the report
        ],
        plansAgreed: [{ personId: "a", on: "2026-12-09", teamId: "t-gone" }],
        reviewsHeld: [{ personId: "e", on: "2026-12-01", teamId: "t-east" }],
      },
      teams,
      to: "2026-12-09",
      weeks: 3,
      dueSoonDays: 28,
    });
    expect(report.from).toBe("2026-11-23");
    expect(report.to).toBe("2026-12-13");
    expect(report.weeks.map((w) => [w.weekStart, w.requests, w.plansAgreed, w.reviewsHeld])).toEqual([
      ["2026-11-23", 2, 0, 0],
      ["2026-11-30", 1, 0, 1],
      ["2026-12-07", 0, 1, 0],
    ]);
    expect(report.teams.map((t) => [t.team, t.requests, t.plansAgreed, t.reviewsHeld])).toEqual([
      ["East", 0, 0, 1],
      ["North", 2, 0, 0],
      [NO_TEAM, 1, 1, 0],
    ]);
    expect(report.totals.requests).toBe(3);
  });

  it("rule: the weeks and the teams each add up to the totals", () => {
    const event = fc.record({
      personId: fc.constantFrom("a", "b", "c"),
      on: fc
        .integer({ min: 0, max: 120 })
        .map((d) => new Date(Date.UTC(2026, 8, 1 + d)).toISOString().slice(0, 10)),
      teamId: fc.constantFrom("t-north", "t-east", null),
    });
    fc.assert(
      fc.property(fc.array(event), fc.array(event), (requests, reviewsHeld) => {
        const report = caseloadReport({
          facts: { ...none, requests, reviewsHeld },
          teams,
          to: "2026-12-01",
          weeks: 8,
          dueSoonDays: 28,
        });
        for (const { id } of FLOW_MEASURES) {
          const byWeek = report.weeks.reduce((s, w) => s + w[id], 0);
          const byTeam = report.teams.reduce((s, t) => s + t[id], 0);
          expect(byWeek).toBe(report.totals[id]);
          expect(byTeam).toBe(report.totals[id]);
        }
      }),
    );
  });

  it("rule: a review due before the report date is overdue; within the due-soon days it is due soon; later, neither", () => {
    const report = caseloadReport({
      facts: {
        ...none,
        reviewsDue: [
          { personId: "a", dueOn: "2026-12-08", teamId: "t-north" }, // overdue
          { personId: "b", dueOn: "2026-12-09", teamId: "t-north" }, // due today: due soon
          { personId: "c", dueOn: "2027-01-06", teamId: null }, // 28 days on: due soon
          { personId: "d", dueOn: "2027-01-07", teamId: "t-east" }, // 29 days on: not yet
        ],
      },
      teams,
      to: "2026-12-09",
      weeks: 1,
      dueSoonDays: 28,
    });
    expect(report.totals.reviewsOverdue).toBe(1);
    // By week: each next review in the week it falls due (the 2027 ones are after the report's one week).
    expect(report.weeks.map((w) => [w.weekStart, w.reviewsFallingDue])).toEqual([["2026-12-07", 2]]);
    expect(report.totals.reviewsDueSoon).toBe(2);
    expect(report.teams.map((t) => [t.team, t.reviewsOverdue, t.reviewsDueSoon])).toEqual([
      ["East", 0, 0],
      ["North", 1, 1],
      [NO_TEAM, 0, 1],
    ]);
  });

  it("rule: the wait runs from each request to the person's earliest first payment on or after it", () => {
    const wait = waitToFirstPayment(
      [
        { personId: "a", on: "2026-10-01", teamId: null }, // paid 2026-10-31: 30 days
        { personId: "b", on: "2026-10-01", teamId: null }, // earlier payment is for an older request; next is 2026-10-11: 10 days
        { personId: "c", on: "2026-10-05", teamId: null }, // no payment yet: waiting
        { personId: "d", on: "2026-10-02", teamId: null }, // paid after the report's end: waiting
        { personId: "e", on: "2026-09-01", teamId: null }, // received before the report: left out
      ],
      [
        { personId: "a", on: "2026-10-31" },
        { personId: "b", on: "2026-01-01" },
        { personId: "b", on: "2026-10-21" },
        { personId: "b", on: "2026-10-11" },
        { personId: "d", on: "2026-12-01" },
        { personId: "e", on: "2026-09-02" },
      ],
      "2026-09-28",
      "2026-11-30",
    );
    expect(wait).toEqual({ paid: 2, waiting: 2, medianDays: 10, p90Days: 30 });
  });
});
