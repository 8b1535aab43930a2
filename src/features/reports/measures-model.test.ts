import { describe, expect, it } from "vitest";
import { financialYearOf } from "#/features/funding/settings.calc.ts";
import { type SpendLine, spendBySetting } from "#/features/reports/asc-fr.calc.ts";
import { computeAscof } from "#/features/reports/ascof.calc.ts";
import { carerRows, serviceUserRows, YEAR_2025_26 } from "#/features/reports/ascof.fixture.ts";
import type { SpendMeasures } from "#/features/reports/measures.ts";
import { byMeasure, MEASURE_MEANINGS, measuresReport } from "#/features/reports/measures-model.ts";
import { type AscFrRules, type AscofRules, rulesFor } from "#/rules/registry.ts";
import { DEPLOYMENTS } from "#/vocabulary/deployments.ts";

/**
 * The measures page's report from figures already worked out (no database): every ASCOF figure in the table
 * with its meaning, grouped by measure; spend by ASC-FR setting gross with contributions beside it (ASC-FR
 * guidance: contributions are income, never netted; REPORTING.md §2); top-ups shown as excluded; personalised
 * spend by year. Rules: rulesFor("england", …).ascof and .ascFr.
 */

const YEAR = financialYearOf(YEAR_2025_26.start);
const ascofRules = rulesFor("england", YEAR.end).ascof.rules as AscofRules;
const ascFrRules = rulesFor("england", YEAR.start).ascFr.rules as AscFrRules;

const line = (over: Partial<SpendLine> & Pick<SpendLine, "budgetId">): SpendLine => ({
  personId: `person-${over.budgetId}`,
  lineNo: 1,
  category: "personal_care",
  deployment: "direct_payment",
  streamId: "asc",
  startDate: "2024-01-01",
  endDate: null,
  weeklyPence: 10_000,
  oneOffPence: 0,
  contributionWeeklyPence: 2_000,
  ...over,
});

function spendMeasuresOf(lines: SpendLine[], topUpPence: number): SpendMeasures {
  const spend = spendBySetting(lines, YEAR, ascFrRules);
  return {
    spend,
    paidByDeployment: DEPLOYMENTS.map((deployment) => ({
      deployment,
      payments: 0,
      netPence: 0,
      contributionNettedPence: 0,
    })),
    contributions: {
      assessedPence: spend.contributionIncomePence,
      nettedFromPaymentsPence: 0,
      invoicedPence: 0,
      invoicesPaidPence: 0,
    },
    topUpsExcluded: { count: topUpPence > 0 ? 1 : 0, pence: topUpPence, people: topUpPence > 0 ? 1 : 0 },
    nothingToReport: false,
  };
}

const ascof = computeAscof([...serviceUserRows(), ...carerRows()], YEAR_2025_26, ascofRules);
const spend = spendMeasuresOf(
  [
    line({ budgetId: "A" }),
    line({ budgetId: "B", category: "a_council_category", deployment: "council_arranged" }),
  ],
  2_500,
);
// The year before had nothing spent; this year, the two lines.
const byYear = [spendBySetting([], financialYearOf("2024-04-01"), ascFrRules), spend.spend].map(
  ({ year, grossPence, personalisedPence, nonPersonalisedPence, personalisedPercent }) => ({
    year,
    grossPence,
    personalisedPence,
    nonPersonalisedPence,
    personalisedPercent,
  }),
);
const report = measuresReport({ year: YEAR, ascof, spend, byYear });
const table = (id: string) => report.tables.find((t) => t.id === id)!;

describe("the measures page's report (issue 15, Measures from the same events)", () => {
  it("rule (REPORTING.md §1.14, §6.5–6.6): every ASCOF figure is in the table once, with its numerator, denominator, percentage and meaning", () => {
    const rows = table("ascof").rows;
    expect(rows).toHaveLength(ascof.figures.length);
    expect(rows.map((r) => [r[0], r[2], r[3], r[4], r[5]])).toEqual(
      byMeasure(ascof.figures).map((f) => [
        f.measure,
        f.numerator,
        f.denominator,
        f.percent,
        MEASURE_MEANINGS[f.measure],
      ]),
    );
    // Grouped by measure, in DHSC's order, each measure's age groups together.
    const order = rows.map((r) => r[0]);
    expect(order.filter((m, i) => m !== order[i - 1])).toEqual([
      "3D1a",
      "3D2a",
      "3D1b",
      "3D2b",
      "2E",
      "2E LD",
    ]);
    // The headline figures are the all-ages percentages.
    const totals = ascof.figures.filter((f) => f.group === "total");
    expect(report.summary.slice(0, totals.length).map((s) => s.value)).toEqual(totals.map((f) => f.percent));
  });

  it("rule (REPORTING.md §2; ASC-FR guidance): spend by setting is gross, contributions are income beside it, never netted", () => {
    const rows = table("settings").rows;
    expect(rows.map((r) => r[2])).toEqual(spend.spend.settings.map((s) => s.grossPence));
    expect(rows.map((r) => r[3])).toEqual(spend.spend.settings.map((s) => s.contributionIncomePence));
    const gross = rows.reduce((t, r) => t + Number(r[2]), 0);
    const income = rows.reduce((t, r) => t + Number(r[3]), 0);
    expect(income).toBeGreaterThan(0);
    // Both lines run all year at £100 a week: the gross is the full cost, with no contribution taken off.
    expect(gross).toBe(spend.spend.grossPence);
    expect(gross).toBe(2 * Math.round((10_000 * 365) / 7));
  });

  it("rule (REPORTING.md §2): third-party top-ups are excluded from spend and shown as excluded", () => {
    const topUps = report.summary.find((s) => s.label.startsWith("Third-party top-ups"))!;
    expect(topUps.value).toBe(2_500);
    expect(topUps.label).toContain("excluded from spend");
    expect(report.summary.find((s) => s.label === "Gross spend in the year")!.value).toBe(
      spend.spend.grossPence,
    );
  });

  it("rule: a category the ASC-FR mapping does not name is said in the notes (it took the fallback setting)", () => {
    expect(report.notes.join(" ")).toContain(
      "1 budget line has a support category the ASC-FR mapping does not name",
    );
  });

  it("rule: personalised spend by year is a line chart with the same figures in its table", () => {
    const personalised = table("personalised");
    expect(personalised.chart?.kind).toBe("lines");
    expect(personalised.rows.map((r) => [r[0], r[1], r[2]])).toEqual(
      byYear.map((y) => [y.year.label, y.personalisedPence, y.nonPersonalisedPence]),
    );
    expect(report).toMatchObject({ year: 2025, from: "2025-04-01", to: "2026-03-31" });
  });
});
