import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { financialYearOf } from "#/features/funding/settings.calc.ts";
import { type SpendLine, settingOfLine, spendBySetting } from "#/features/reports/asc-fr.calc.ts";
import { type AscFrRules, rulesFor } from "#/rules/registry.ts";
import { DEPLOYMENTS } from "#/vocabulary/deployments.ts";
import { DEFAULT_SUPPORT_CATEGORIES } from "#/vocabulary/support-categories.ts";

// The settings and mapping: rulesFor("england", …).ascFr (REPORTING.md §2, §6.8; ASC-FR general guidance for
// gross expenditure with contributions as income).
const YEAR = financialYearOf("2025-04-01"); // 2025-04-01 to 2026-03-31: 365 days
const rules = rulesFor("england", YEAR.start).ascFr.rules as AscFrRules;

const line = (over: Partial<SpendLine> & Pick<SpendLine, "budgetId">): SpendLine => ({
  personId: `person-${over.budgetId}`,
  lineNo: 1,
  category: "personal_care",
  deployment: "council_arranged",
  startDate: "2024-01-01",
  endDate: null,
  weeklyPence: 0,
  oneOffPence: 0,
  contributionWeeklyPence: 0,
  ...over,
});

const LINES: SpendLine[] = [
  // L1 DP personal care £100/wk all year, £20/wk contribution: 10000 × 365 / 7 = 521,428.57 → 521,429;
  //    contribution 2000 × 365 / 7 = 104,285.71 → 104,286 (income; the gross is not reduced).
  line({ budgetId: "L1", deployment: "direct_payment", weeklyPence: 10_000, contributionWeeklyPence: 2_000 }),
  // L2 council-arranged personal care £350/wk from 1 Oct 2025: 182 days → 35000 × 182 / 7 = 910,000 (home care).
  line({ budgetId: "L2", startDate: "2025-10-01", weeklyPence: 35_000 }),
  // L3 ISF housing support £70/wk, budget ended 14 Apr 2025: 14 days → 14,000 (supported living).
  line({
    budgetId: "L3",
    category: "housing_support",
    deployment: "individual_service_fund",
    endDate: "2025-04-14",
    weeklyPence: 7_000,
  }),
  // L4 council-managed equipment, one-off £1,200, budget starts in the year → 120,000 (equipment).
  line({
    budgetId: "L4",
    category: "equipment_adaptations",
    deployment: "council_managed",
    startDate: "2025-06-01",
    oneOffPence: 120_000,
  }),
  // L5 a council's own category the mapping does not name, £7/wk all year: 700 × 365 / 7 = 36,500 → fallback.
  line({ budgetId: "L5", category: "gardening", weeklyPence: 700 }),
  // L6 DP short breaks £14/wk all year = 73,000; its one-off £500 was in 2024-25, when the budget started.
  line({
    budgetId: "L6",
    category: "short_breaks",
    deployment: "direct_payment",
    startDate: "2025-03-01",
    weeklyPence: 1_400,
    oneOffPence: 50_000,
  }),
  // L7 replaced on its first day (ends the day before it starts): nothing.
  line({
    budgetId: "L7",
    startDate: "2025-05-01",
    endDate: "2025-04-30",
    weeklyPence: 7_000,
    oneOffPence: 5_000,
  }),
];

describe("spend by ASC-FR setting: every budget line carries its setting", () => {
  const spend = spendBySetting(LINES, YEAR, rules);
  const bySetting = Object.fromEntries(spend.settings.map((s) => [s.id, s]));

  it("a direct payment is Community: Direct Payments whatever it buys; otherwise the category decides", () => {
    expect(bySetting.community_direct_payments?.grossPence).toBe(521_429 + 73_000);
    expect(bySetting.community_home_care?.grossPence).toBe(910_000);
    expect(bySetting.community_supported_living?.grossPence).toBe(14_000);
    expect(bySetting.equipment_and_technology?.grossPence).toBe(120_000);
    expect(bySetting.community_other_long_term?.grossPence).toBe(36_500);
    expect(bySetting.nursing?.grossPence).toBe(0);
    expect(spend.settings.map((s) => s.id)).toEqual(rules.settings.map((s) => s.id));
  });

  it("a category the mapping does not name takes the fallback and is marked unmapped", () => {
    expect(spend.lines.filter((l) => !l.mapped).map((l) => l.budgetId)).toEqual(["L5"]);
  });

  it("gross is the whole line; contributions are income beside it, never netted", () => {
    // 594,429 + 910,000 + 14,000 + 120,000 + 36,500 = 1,674,929.
    expect(spend.grossPence).toBe(1_674_929);
    expect(spend.contributionIncomePence).toBe(104_286);
    expect(bySetting.community_direct_payments?.contributionIncomePence).toBe(104_286);
  });

  it("leaves out lines with nothing in the year (L7)", () => {
    expect(spend.lines.map((l) => l.budgetId)).toEqual(["L1", "L2", "L3", "L4", "L5", "L6"]);
    expect(bySetting.community_direct_payments?.people).toBe(2);
  });

  it("personalised = Community: Direct Payments (+ carers' DP): 594,429 of 1,674,929 = 35.5%", () => {
    // 594,429 / 1,674,929 = 35.489…% → 35.5.
    expect(spend.personalisedPence).toBe(594_429);
    expect(spend.nonPersonalisedPence).toBe(1_080_500);
    expect(spend.personalisedPercent).toBe(35.5);
    expect(spend.managedPersonalBudgetsCounted).toBe(false);
  });

  it("counting managed personal budgets too (the option) adds the ISF and council-managed lines", () => {
    const withManaged = {
      ...rules,
      personalised: { ...rules.personalised, includeManagedPersonalBudgets: true },
    };
    const spendWith = spendBySetting(LINES, YEAR, withManaged);
    // + L3 14,000 + L4 120,000 = 728,429; 728,429 / 1,674,929 = 43.49…% → 43.5.
    expect(spendWith.personalisedPence).toBe(728_429);
    expect(spendWith.personalisedPercent).toBe(43.5);
  });

  it("maps every default category under every deployment to a setting the return has", () => {
    const ids = new Set(rules.settings.map((s) => s.id));
    for (const c of DEFAULT_SUPPORT_CATEGORIES) {
      for (const deployment of DEPLOYMENTS) {
        const { setting, mapped } = settingOfLine({ category: c.id, deployment }, rules);
        expect(mapped, `${c.id} × ${deployment}`).toBe(true);
        expect(ids.has(setting)).toBe(true);
      }
    }
  });

  it("keeps the totals whole: settings sum to gross, personalised + not = gross, for any lines", () => {
    const arbitraryLine = fc.record({
      budgetId: fc.string({ minLength: 1, maxLength: 4 }),
      personId: fc.constantFrom("a", "b", "c"),
      lineNo: fc.nat(20),
      category: fc.constantFrom(...DEFAULT_SUPPORT_CATEGORIES.map((c) => c.id), "own_category"),
      deployment: fc.constantFrom(...DEPLOYMENTS),
      startDate: fc.constantFrom("2024-02-29", "2025-04-01", "2025-09-15", "2026-03-31", "2026-04-01"),
      endDate: fc.constantFrom(null, "2025-03-31", "2025-04-01", "2025-12-31", "2027-01-01"),
      weeklyPence: fc.nat(1_000_000),
      oneOffPence: fc.nat(1_000_000),
      contributionWeeklyPence: fc.nat(100_000),
    });
    fc.assert(
      fc.property(fc.array(arbitraryLine, { maxLength: 30 }), (lines) => {
        const s = spendBySetting(lines, YEAR, rules);
        expect(s.settings.reduce((t, x) => t + x.grossPence, 0)).toBe(s.grossPence);
        expect(s.personalisedPence + s.nonPersonalisedPence).toBe(s.grossPence);
        expect(Number.isSafeInteger(s.grossPence)).toBe(true);
      }),
    );
  });

  it("has no ASC-FR settings before 2014-15", () => {
    expect(rulesFor("england", "2014-03-31").ascFr.rules).toBeUndefined();
  });
});
