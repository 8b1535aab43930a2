import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  forDays,
  type MoneyFacts,
  moneyReport,
  overlapDays,
  SETTING_NOT_RECORDED,
  weeksOf,
} from "#/features/reports/money.calc.ts";
import { type AscFrRules, rulesFor } from "#/rules/registry.ts";

// The ASC-FR settings and their mapping: rulesFor("england", …).ascFr (REPORTING.md §2, §6.8), applied by the
// ASC-FR measure's own settingOfLine.
const ascFr = rulesFor("england", "2026-04-14").ascFr.rules as AscFrRules;

const line = (over: Partial<MoneyFacts["budgets"][number]["lines"][number]> = {}) => ({
  streamId: "asc",
  deployment: "direct_payment",
  category: "personal_care",
  weeklyPence: 70_000,
  contributionWeeklyPence: 0,
  oneOffPence: 0,
  ...over,
});
const empty: MoneyFacts = {
  budgets: [],
  payments: [],
  spends: [],
  balances: [],
  liveAtEnd: [],
  invoices: [],
};

describe("money report (commissioner's reports)", () => {
  it("rule: a budget counts for the days it was in force in the period, both ends included", () => {
    expect(overlapDays("2026-04-01", null, "2026-04-01", "2026-04-07")).toBe(7);
    expect(overlapDays("2026-04-05", "2026-04-06", "2026-04-01", "2026-04-07")).toBe(2);
    expect(overlapDays("2026-03-01", "2026-03-31", "2026-04-01", "2026-04-07")).toBe(0);
    expect(overlapDays("2026-04-08", null, "2026-04-01", "2026-04-07")).toBe(0);
    // weekly × days ÷ 7, to the nearest penny (half away from zero): £100 a week for 3 days is £42.86.
    expect(forDays(10_000, 3)).toBe(4286);
    expect(forDays(10_000, 7)).toBe(10_000);
  });

  it("rule: allocated, planned, paid and spent by hand for two budgets over two weeks", () => {
    const report = moneyReport(
      {
        ...empty,
        budgets: [
          {
            budgetId: "b1",
            startDate: "2026-01-01",
            endDate: null,
            allocationWeeklyPence: 80_000,
            lines: [
              line({ weeklyPence: 50_000, contributionWeeklyPence: 5_000 }),
              line({
                streamId: "nhs",
                deployment: "council_arranged",
                category: "health",
                weeklyPence: 20_000,
              }),
            ],
          },
          {
            // Starts in the second week: 7 days, and its one-off cost counts.
            budgetId: "b2",
            startDate: "2026-04-08",
            endDate: null,
            allocationWeeklyPence: null,
            lines: [line({ category: "transport", weeklyPence: 14_000, oneOffPence: 30_000 })],
          },
        ],
        payments: [
          {
            parts: [
              { kind: "regular", fundingStreamId: "asc", deployment: "direct_payment", amount: 100_000 },
              { kind: "contribution_netted", amount: -10_000 },
            ],
          },
          {
            parts: [
              { kind: "one_off", fundingStreamId: "asc", deployment: "direct_payment", amount: 30_000 },
            ],
          },
        ],
        spends: [
          { deployment: "direct_payment", category: "personal_care", amountPence: 45_000 },
          { deployment: "direct_payment", category: "personal_care", amountPence: -5_000 }, // a refund
          { deployment: "direct_payment", category: null, amountPence: 2_000 },
        ],
        invoices: [
          { amountPence: 8_000, paidOn: "2026-04-10" },
          { amountPence: 8_000, paidOn: null },
        ],
      },
      "2026-04-01",
      "2026-04-14",
    );
    // b1: 14 days → allocation 2 × £800; lines 2 × £500 and 2 × £200. b2: 7 days → £140 + £300 one-off.
    expect(report.totals).toEqual({
      key: "all",
      allocatedPence: 160_000,
      plannedPence: 100_000 + 40_000 + 14_000 + 30_000,
      paidPence: 130_000,
      spentPence: 42_000,
    });
    expect(report.byStream).toEqual([
      { key: "asc", allocatedPence: null, plannedPence: 144_000, paidPence: 130_000, spentPence: null },
      { key: "nhs", allocatedPence: null, plannedPence: 40_000, paidPence: 0, spentPence: null },
    ]);
    expect(report.byDeployment.find((r) => r.key === "council_arranged")).toEqual({
      key: "council_arranged",
      allocatedPence: null,
      plannedPence: 40_000,
      paidPence: 0,
      spentPence: 0,
    });
    expect(report.byCategory.map((r) => [r.key, r.plannedPence, r.paidPence, r.spentPence])).toEqual([
      ["health", 40_000, null, 0],
      ["personal_care", 100_000, null, 40_000],
      ["transport", 44_000, null, 0],
      ["uncategorised", 0, null, 2_000],
    ]);
    // Contributions are income, shown apart: 2 weeks × £50 assessed; £160 invoiced, £80 paid; £100 netted.
    expect(report.contributions).toEqual({
      invoicedDuePence: 16_000,
      invoicedPaidPence: 8_000,
      nettedPence: 10_000,
      plannedWeeklyPence: 10_000,
    });
  });

  it("rule: surplus held is the live budgets' balances in weeks of their weekly budget net of the contribution", () => {
    const report = moneyReport(
      {
        ...empty,
        budgets: [
          {
            budgetId: "b1",
            startDate: "2026-01-01",
            endDate: null,
            allocationWeeklyPence: null,
            lines: [line({ weeklyPence: 55_000, contributionWeeklyPence: 5_000 })],
          },
          {
            budgetId: "ended",
            startDate: "2026-01-01",
            endDate: "2026-03-01",
            allocationWeeklyPence: null,
            lines: [line({ weeklyPence: 10_000 })],
          },
        ],
        balances: [
          { budgetId: "b1", deployment: "direct_payment", balancePence: 425_000 },
          { budgetId: "ended", deployment: "direct_payment", balancePence: 99_000 },
        ],
        liveAtEnd: ["b1"],
      },
      "2026-04-01",
      "2026-04-14",
    );
    // £4,250 held against £500 a week: 8.5 weeks. The ended budget's balance is not a live surplus.
    expect(report.surplusAll).toEqual({ heldPence: 425_000, weeklyPence: 50_000, weeks: 8.5 });
    expect(report.surplus).toEqual([
      { deployment: "direct_payment", heldPence: 425_000, weeklyPence: 50_000, weeks: 8.5 },
    ]);
    expect(weeksOf(100, 0)).toBeNull();
  });

  it("rule: planned adds up the same by stream, by deployment and by category", () => {
    const lines = fc.array(
      fc.record({
        streamId: fc.constantFrom("asc", "nhs"),
        deployment: fc.constantFrom("direct_payment", "council_arranged"),
        category: fc.constantFrom("personal_care", "transport"),
        weeklyPence: fc.integer({ min: 0, max: 500_000 }),
        contributionWeeklyPence: fc.constant(0),
        oneOffPence: fc.integer({ min: 0, max: 100_000 }),
      }),
      { maxLength: 5 },
    );
    const budget = fc.record({
      budgetId: fc.uuid(),
      startDate: fc.constantFrom("2026-03-01", "2026-04-03", "2026-04-20"),
      endDate: fc.constantFrom(null, "2026-04-05", "2026-05-01"),
      allocationWeeklyPence: fc.constant(null),
      lines,
    });
    fc.assert(
      fc.property(fc.array(budget, { maxLength: 6 }), (budgets) => {
        const r = moneyReport({ ...empty, budgets }, "2026-04-01", "2026-04-30");
        const sum = (rows: { plannedPence: number }[]) => rows.reduce((s, x) => s + x.plannedPence, 0);
        expect(sum(r.byStream)).toBe(r.totals.plannedPence);
        expect(sum(r.byDeployment)).toBe(r.totals.plannedPence);
        expect(sum(r.byCategory)).toBe(r.totals.plannedPence);
        expect(sum(moneyReport({ ...empty, budgets }, "2026-04-01", "2026-04-30", ascFr).bySetting)).toBe(
          r.totals.plannedPence,
        );
        expect(Number.isInteger(r.totals.plannedPence)).toBe(true);
      }),
    );
  });

  it("rule: money by ASC-FR setting, by hand: planned by each line's setting, paid only where the deployment decides the setting, spent by deployment and category", () => {
    const report = moneyReport(
      {
        ...empty,
        budgets: [
          {
            budgetId: "b1",
            startDate: "2026-01-01",
            endDate: null,
            allocationWeeklyPence: 90_000,
            lines: [
              // A direct payment: Community: Direct Payments whatever it buys. 14 days × £500 = £1,000.
              line({ weeklyPence: 50_000, category: "housing_support" }),
              // Council-arranged personal care: Community: Home Care. 14 days × £200 = £400.
              line({ deployment: "council_arranged", category: "personal_care", weeklyPence: 20_000 }),
              // An individual service fund for housing support: Community: Supported Living. £140 + £0 one-off
              // (the budget started before the period).
              line({
                deployment: "individual_service_fund",
                category: "housing_support",
                weeklyPence: 7_000,
                oneOffPence: 9_999,
              }),
              // A council's own category, not in the mapping: the fallback, Community: Other Long Term Care.
              line({ deployment: "council_managed", category: "gardening", weeklyPence: 3_500 }),
            ],
          },
        ],
        payments: [
          {
            parts: [
              { kind: "regular", fundingStreamId: "asc", deployment: "direct_payment", amount: 100_000 },
              { kind: "regular", fundingStreamId: "asc", deployment: "council_arranged", amount: 40_000 },
              {
                kind: "regular",
                fundingStreamId: "asc",
                deployment: "individual_service_fund",
                amount: 14_000,
              },
              { kind: "contribution_netted", amount: -10_000 },
            ],
          },
        ],
        spends: [
          // Any direct-payment spend is Community: Direct Payments, with or without a category.
          { deployment: "direct_payment", category: "personal_care", amountPence: 30_000 },
          { deployment: "direct_payment", category: null, amountPence: 5_000 },
          // Council-arranged household help: Community: Home Care.
          { deployment: "council_arranged", category: "household", amountPence: 12_000 },
          // No category and a deployment that does not decide the setting: not recorded.
          { deployment: "individual_service_fund", category: null, amountPence: 2_500 },
        ],
      },
      "2026-04-01",
      "2026-04-14",
      ascFr,
    );
    expect(report.bySetting).toEqual([
      {
        key: "community_direct_payments",
        allocatedPence: null,
        plannedPence: 100_000,
        paidPence: 100_000,
        spentPence: 35_000,
      },
      // Paid is not recorded for a setting the category decides: a payment has no support line.
      {
        key: "community_home_care",
        allocatedPence: null,
        plannedPence: 40_000,
        paidPence: null,
        spentPence: 12_000,
      },
      {
        key: "community_supported_living",
        allocatedPence: null,
        plannedPence: 14_000,
        paidPence: null,
        spentPence: 0,
      },
      {
        key: "community_other_long_term",
        allocatedPence: null,
        plannedPence: 7_000,
        paidPence: null,
        spentPence: 0,
      },
      // The council-arranged and ISF payments (£400 + £140) and the uncategorised ISF spend (£25).
      {
        key: SETTING_NOT_RECORDED,
        allocatedPence: null,
        plannedPence: 0,
        paidPence: 54_000,
        spentPence: 2_500,
      },
    ]);
    // Every column adds up to its total.
    const sum = (k: "plannedPence" | "paidPence" | "spentPence") =>
      report.bySetting.reduce((s, r) => s + (r[k] ?? 0), 0);
    expect([sum("plannedPence"), sum("paidPence"), sum("spentPence")]).toEqual([
      report.totals.plannedPence,
      report.totals.paidPence,
      report.totals.spentPence,
    ]);
  });

  it("rule: a council with no ASC-FR settings (outside England) has all its money in the setting-not-recorded row", () => {
    const report = moneyReport(
      {
        ...empty,
        budgets: [
          {
            budgetId: "b1",
            startDate: "2026-01-01",
            endDate: null,
            allocationWeeklyPence: null,
            lines: [line({ weeklyPence: 7_000 })],
          },
        ],
        payments: [{ parts: [{ kind: "regular", deployment: "direct_payment", amount: 7_000 }] }],
      },
      "2026-04-01",
      "2026-04-07",
    );
    expect(report.bySetting).toEqual([
      {
        key: SETTING_NOT_RECORDED,
        allocatedPence: null,
        plannedPence: 7_000,
        paidPence: 7_000,
        spentPence: 0,
      },
    ]);
  });
});
