import { describe, expect, it } from "vitest";
import { budgetChart, budgetChartLabel } from "#/faces/budget-page/chart.ts";
import { formatPounds, pence } from "#/platform/money/pence.ts";

const rows = [
  {
    deployment: "Direct payment",
    cameInPence: 123_456,
    wentOutPence: 3_600,
    plannedPence: 28_352,
    projectedPence: -28_200,
  },
];

/** The text of every <tspan> or <text> without children in the SVG: what a sighted reader sees. */
const svgTexts = (svg: string) =>
  [...svg.matchAll(/<(?:tspan|text)\b[^>]*>([^<]+)</g)].map((m) => m[1]!.trim()).filter(Boolean);

describe("the budget chart (issue 12)", () => {
  it("rule: the chart writes every amount as the table does (formatPounds): thousands separated, the minus before the pound sign", () => {
    const svg = budgetChart(rows, "from 23 November 2026 to 20 December 2026");
    const texts = svgTexts(svg);
    for (const p of [123_456, 3_600, 28_352, -28_200]) expect(texts).toContain(formatPounds(pence(p)));
    expect(svg).not.toContain("£-");
    expect(svg).not.toContain("£1234.56");
    // The axis too: every money figure on it is written the same way.
    const money = texts.filter((t) => /\d/.test(t) && !/[A-Za-z]/.test(t));
    expect(money.length).toBeGreaterThan(0);
    for (const t of money) expect(t).toMatch(/^-?£\d{1,3}(,\d{3})*\.\d\d$/);
  });

  it("rule: the text alternative says every figure, written the same way", () => {
    expect(budgetChartLabel(rows, "in November")).toContain(
      "came in £1,234.56, went out £36.00, planned £283.52, projected balance at the end -£282.00",
    );
  });
});
