import * as Plot from "@observablehq/plot";
import type { Dimension, FairnessDashboard } from "#/features/reports/fairness.calc.ts";
import { renderSvgChart } from "#/platform/web/svg-chart.ts";

/**
 * The fairness dashboard's charts, drawn on the server as SVG by Observable Plot over linkedom's DOM (as the
 * calibration report's are, features/calibration/charts.ts), so the page needs no JavaScript. Each is one image
 * with a text alternative; the page puts the same figures in a table beside it. Plot's inline <style> is removed
 * (the Content Security Policy allows none; public/stylesheets/calibration.css sizes the charts) and so are its
 * aria-labels on marks (ARIA forbids them on elements with no role). Hidden (suppressed) figures are not drawn.
 */

const BLUE = "#1d70b8"; // GOV.UK blue
const RED = "#d4351c"; // GOV.UK red
const GREY = "#505a5f"; // GOV.UK secondary text

const pounds = (pence: number) => pence / 100;

/** Everyone's budget per need point in each quarter, with its 95% interval. */
export function perPointOverTimeChart(dashboard: FairnessDashboard): string {
  const rows = dashboard.quarters
    .filter((q) => !q.everyone.hidden)
    .map((q) => ({
      quarter: q.quarter.label,
      mean: pounds(q.everyone.perPointPence!),
      low: pounds(q.everyone.ciLowPence ?? q.everyone.perPointPence!),
      high: pounds(q.everyone.ciHighPence ?? q.everyone.perPointPence!),
    }));
  return renderSvgChart(
    `Chart of the average weekly budget for each point of assessed need, in each of ${rows.length} quarters, with its 95% confidence interval. The table below gives the same figures.`,
    {
      width: 640,
      height: 300,
      marginLeft: 60,
      marginBottom: 50,
      x: { label: null, domain: dashboard.quarters.map((q) => q.quarter.label) },
      y: { label: "↑ £ a week per need point", grid: true, zero: true },
      marks: [
        Plot.ruleX(rows, { x: "quarter", y1: "low", y2: "high", stroke: BLUE, strokeWidth: 2 }),
        Plot.dot(rows, { x: "quarter", y: "mean", fill: BLUE, r: 5 }),
      ],
    },
  );
}

/** One way of grouping people in a quarter: each group's budget per need point with its interval. */
export function groupChart(dimension: Dimension, everyonePence: number): string {
  const rows = dimension.groups
    .filter((g) => !g.hidden)
    .map((g) => ({
      label: `${g.label}${g.named ? " (named)" : ""}`,
      mean: pounds(g.perPointPence!),
      low: pounds(g.ciLowPence ?? g.perPointPence!),
      high: pounds(g.ciHighPence ?? g.perPointPence!),
      named: g.named !== null,
    }));
  const named = rows.filter((r) => r.named).map((r) => r.label.replace(" (named)", ""));
  return renderSvgChart(
    `Chart of the average weekly budget per need point for each group by ${dimension.label.toLowerCase()}, with its 95% confidence interval; the grey line is everyone's. ${named.length > 0 ? `Named groups: ${named.join(", ")}.` : "No group is named."} Groups too small to show are left out.`,
    {
      width: 640,
      height: Math.max(140, 46 * rows.length + 60),
      marginLeft: 260,
      x: { label: "£ a week per need point →", grid: true, zero: true },
      y: { label: null, domain: rows.map((r) => r.label) },
      marks: [
        Plot.ruleX([pounds(everyonePence)], { stroke: GREY, strokeDasharray: "4,4" }),
        Plot.ruleY(rows, {
          y: "label",
          x1: "low",
          x2: "high",
          stroke: (d: { named: boolean }) => (d.named ? RED : BLUE),
          strokeWidth: 2,
        }),
        Plot.dot(rows, {
          y: "label",
          x: "mean",
          fill: (d: { named: boolean }) => (d.named ? RED : BLUE),
          symbol: (d: { named: boolean }) => (d.named ? "diamond" : "circle"),
          r: 5,
        }),
      ],
    },
  );
}

/** Budgets against the packages they replaced, both in the same prices, by quarter. */
export function cutsChart(dashboard: FairnessDashboard): string {
  const rows = dashboard.quarters
    .filter((q) => !q.cuts.hidden)
    .flatMap((q) => [
      { quarter: q.quarter.label, what: "Package replaced", pounds: pounds(q.cuts.meanPreviousPence!) },
      { quarter: q.quarter.label, what: "Personal budget", pounds: pounds(q.cuts.meanBudgetPence!) },
    ]);
  return renderSvgChart(
    "Bar chart of the average weekly personal budget beside the average weekly cost of the package it replaced, in the same year's prices, for each quarter with enough people to show. The table below gives the same figures.",
    {
      width: 640,
      height: 300,
      marginLeft: 60,
      marginBottom: 50,
      fx: { label: null, domain: dashboard.quarters.map((q) => q.quarter.label) },
      x: { axis: null, domain: ["Package replaced", "Personal budget"] },
      y: { label: "↑ £ a week", grid: true },
      color: { domain: ["Package replaced", "Personal budget"], range: [GREY, BLUE], legend: false },
      marks: [
        Plot.barY(rows, { fx: "quarter", x: "what", y: "pounds", fill: "what" }),
        Plot.text(rows, {
          fx: "quarter",
          x: "what",
          y: "pounds",
          text: (d: { what: string }) => (d.what === "Package replaced" ? "Before" : "Now"),
          dy: -6,
        }),
        Plot.ruleY([0]),
      ],
    },
  );
}

/** Spend on long-term support per person supported, by quarter. */
export function spendChart(dashboard: FairnessDashboard): string {
  const rows = dashboard.quarters
    .filter((q) => !q.spend.hidden)
    .map((q) => ({ quarter: q.quarter.label, pounds: pounds(q.spend.perPersonPence!) }));
  return renderSvgChart(
    "Bar chart of the spend on long-term support per person supported, in each quarter. The table below gives the same figures, with the total and the number of people.",
    {
      width: 640,
      height: 300,
      marginLeft: 70,
      marginBottom: 50,
      x: { label: null, domain: dashboard.quarters.map((q) => q.quarter.label) },
      y: { label: "↑ £ per person in the quarter", grid: true },
      marks: [Plot.barY(rows, { x: "quarter", y: "pounds", fill: BLUE }), Plot.ruleY([0])],
    },
  );
}
