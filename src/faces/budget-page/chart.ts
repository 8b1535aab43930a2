import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";
import { formatPounds, type Pence } from "#/platform/money/pence.ts";

/**
 * The budget page's chart, drawn on the server as SVG by Observable Plot over linkedom's DOM (as the
 * calibration report's are), so it needs no JavaScript. It is one image (role="img") with a text alternative
 * that says every figure, and the page puts the same figures in a table beside it (WCAG 1.1.1). Each bar is
 * named on the axis and labelled with its amount, so colour is never the only way to tell them apart.
 * Plot's inline <style> is removed (the Content Security Policy allows none); calibration.css sizes the chart.
 * Every amount on it (the bar labels and the axis) is written by formatPounds, as the table writes it:
 * "-£282.00" and "£1,234.56", never "£-282.00" or "£1234.56".
 */

export type ChartRow = {
  /** "Direct payment". */
  deployment: string;
  cameInPence: number;
  wentOutPence: number;
  plannedPence: number;
  projectedPence: number;
};

const MEASURES = [
  ["cameInPence", "Came in"],
  ["wentOutPence", "Went out"],
  ["plannedPence", "Planned"],
  ["projectedPence", "Projected at end"],
] as const;
/** Money as the table beside the chart writes it (the same formatter as the page's `pounds` filter). */
const money = (p: number) => formatPounds(p as Pence);

const COLOURS = ["#00703c", "#d4351c", "#1d70b8", "#505a5f"]; // GOV.UK green, red, blue, secondary grey

export function budgetChartLabel(rows: readonly ChartRow[], period: string): string {
  const parts = rows.map(
    (r) =>
      `${r.deployment}: came in ${money(r.cameInPence)}, went out ${money(r.wentOutPence)}, planned ${money(r.plannedPence)}, projected balance at the end ${money(r.projectedPence)}`,
  );
  return `Bar chart of the budget ${period}, by how the money is held. ${parts.join(". ")}.`;
}

export function budgetChart(rows: readonly ChartRow[], period: string): string {
  const data = rows.flatMap((r) =>
    MEASURES.map(([key, label]) => ({
      deployment: r.deployment,
      measure: label,
      pounds: r[key] / 100,
      pence: r[key],
    })),
  );
  const { document } = parseHTML("<!doctype html><html><body></body></html>");
  const svg = Plot.plot({
    document: document as unknown as Document,
    ariaLabel: budgetChartLabel(rows, period),
    style: undefined,
    className: "app-chart__svg",
    width: 640,
    height: 320,
    marginLeft: 80,
    marginBottom: 40,
    fx: { label: null, padding: 0.15 },
    x: { label: null, domain: MEASURES.map(([, l]) => l), tickRotate: 0, axis: null },
    // The axis in pounds, written as the table writes money (the y values are pounds, so back to pence).
    y: { label: null, grid: true, tickFormat: (pounds: number) => money(Math.round(pounds * 100)) },
    color: { domain: MEASURES.map(([, l]) => l), range: COLOURS },
    marks: [
      Plot.barY(data, { fx: "deployment", x: "measure", y: "pounds", fill: "measure" }),
      Plot.ruleY([0]),
      Plot.text(data, {
        fx: "deployment",
        x: "measure",
        y: "pounds",
        text: (d: { measure: string; pence: number }) => `${d.measure}\n${money(d.pence)}`,
        dy: -12,
        fontSize: 9,
      }),
    ],
  }) as unknown as Element;
  for (const style of svg.querySelectorAll("style")) style.remove();
  for (const el of svg.querySelectorAll("[aria-label], [aria-description]")) {
    if (el === svg) continue;
    el.removeAttribute("aria-label");
    el.removeAttribute("aria-description");
  }
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", budgetChartLabel(rows, period));
  svg.setAttribute("focusable", "false");
  return svg.outerHTML;
}
