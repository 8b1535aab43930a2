import { describe, expect, it } from "vitest";
import { apportion, linesFromCosting } from "#/features/funding/apportion.calc.ts";
import { financialYearOf } from "#/features/funding/settings.calc.ts";
import { budgetFromPlan, committedInYear } from "#/features/planning/budget.calc.ts";
import { costPlan } from "#/features/planning/plan.calc.ts";
import { supportPlanSchema } from "#/features/planning/schemas.ts";
import { dayBefore } from "#/platform/dates/calendar.ts";
import { pence } from "#/platform/money/pence.ts";

const YEAR = financialYearOf("2026-11-23"); // 2026-04-01 to 2027-03-31

describe("committedInYear: what budgets commit from a stream's pot in a financial year", () => {
  it("counts each week a budget runs in the year, a part week as a week (as the apportionment's period does)", () => {
    // 2027-03-25 to 2027-03-31: 7 days = 1 week; one-off counted when it starts in the year.
    expect(
      committedInYear([{ startDate: "2027-03-25", endDate: null, weeklyPence: 100, oneOffPence: 50 }], YEAR),
    ).toBe(150);
    // 8 days: 2 weeks.
    expect(
      committedInYear([{ startDate: "2027-03-24", endDate: null, weeklyPence: 100, oneOffPence: 0 }], YEAR),
    ).toBe(200);
  });

  it("counts only the part of a budget inside the year, and its one-off only in the year it starts", () => {
    const lastYear = { startDate: "2026-01-01", endDate: "2026-04-07", weeklyPence: 100, oneOffPence: 999 };
    expect(committedInYear([lastYear], YEAR)).toBe(100);
  });

  it("a budget replaced on its first day (ends the day before it starts) commits nothing", () => {
    expect(
      committedInYear(
        [{ startDate: "2026-12-01", endDate: "2026-11-30", weeklyPence: 100, oneOffPence: 500 }],
        YEAR,
      ),
    ).toBe(0);
  });

  it("dayBefore crosses months and leap days", () => {
    expect(dayBefore("2028-03-01")).toBe("2028-02-29");
    expect(dayBefore("2027-01-01")).toBe("2026-12-31");
  });
});

describe("budgetFromPlan: one line per support × stream × deployment", () => {
  const plan = supportPlanSchema.parse({
    outcomes: [{ id: "o", inTheirWords: "Stay well", howWeWillKnow: "No hospital stays" }],
    supports: [
      {
        id: "care",
        what: "Personal care",
        category: "personal_care",
        from: { kind: "provider", providerId: "p1", name: "Care Co" },
        cost: { basis: "weekly", unitCostPence: 10_000, unit: "week", unitsPerWeek: 1 },
        deployment: "council_managed",
        outcomeIds: ["o"],
      },
      {
        id: "rail",
        what: "A grab rail",
        category: "equipment_adaptations",
        from: { kind: "self_arranged", description: "Local handyman" },
        cost: { basis: "one_off", amountPence: 5_000 },
        deployment: "direct_payment",
        outcomeIds: ["o"],
      },
    ],
    contingency: "Family",
  });
  const costing = costPlan(plan);
  const apportionment = apportion({
    lines: linesFromCosting(costing),
    streams: [
      {
        id: "asc",
        name: "Adult social care",
        categories: ["personal_care", "equipment_adaptations"],
        meansTested: true,
        availablePence: pence(10_000_000),
      },
      {
        id: "phb",
        name: "NHS PHB",
        categories: ["personal_care"],
        meansTested: false,
        availablePence: pence(10_000_000),
      },
    ],
    payerOrder: { personal_care: ["phb", "asc"] },
    periodWeeks: 52,
    contributionWeeklyPence: pence(2_000),
  });

  it("rule (issue 5): the NHS stream pays personal care uncharged; the contribution falls on means-tested lines only", () => {
    const budget = budgetFromPlan(costing, apportionment, [
      { supportId: "care", what: "Personal care", providerId: "p1", payeeName: "Care Co" },
      { supportId: "rail", what: "A grab rail", providerId: null, payeeName: null },
    ]);
    expect(budget.lines).toEqual([
      expect.objectContaining({
        lineNo: 1,
        supportId: "care",
        streamId: "phb",
        deployment: "council_managed",
        meansTested: false,
        weeklyPence: 10_000,
        contributionWeeklyPence: 0,
        providerId: "p1",
        payeeName: "Care Co",
      }),
      expect.objectContaining({
        lineNo: 2,
        supportId: "rail",
        streamId: "asc",
        deployment: "direct_payment",
        weeklyPence: 0,
        oneOffPence: 5_000,
        contributionWeeklyPence: 0,
      }),
    ]);
    // Nothing weekly is means-tested, so none of the contribution can be applied.
    expect(budget.contributionWeeklyPence).toBe(0);
    expect(budget).toMatchObject({ weeklyPence: 10_000, oneOffPence: 5_000 });
  });
});
