import * as Plot from "@observablehq/plot";
import type { CalibrationReport, GroupDimension } from "#/features/calibration/calibration-report.calc.ts";
import { renderSvgChart } from "#/platform/web/svg-chart.ts";

/**
 * The calibration report's charts, drawn on the server as SVG by Observable Plot over linkedom's DOM, so the
 * page needs no JavaScript. Each chart is an image with a text alternative (role="img", aria-label); the page
 * puts it in a <figure> with a caption and the same figures in a table beside it, which is the accessible
 * version (WCAG 1.1.1). Colour is never the only signal: named groups also get a different mark and label.
 *
 * Plot adds a <style> element to each chart; it is removed here because the Content Security Policy allows no
 * inline styles, and public/stylesheets/calibration.css gives the charts their size instead. Plot's aria-labels
 * on the marks inside are removed too (platform/web/svg-chart.ts).
 */

const BLUE = "#1d70b8"; // GOV.UK blue
const RED = "#d4351c"; // GOV.UK red
const GREY = "#505a5f"; // GOV.UK secondary text

const pounds = (pence: number) => pence / 100;

/** Each person's current package against the proposed model's indicative budget; on the line, they agree. */
export function packagesAgainstModelChart(report: CalibrationReport): string {
  const people = report.people.map((p) => ({
    actual: pounds(p.actualPence),
    proposed: pounds(p.proposedPence),
  }));
  const top = Math.max(1, ...people.map((p) => Math.max(p.actual, p.proposed)));
  return renderSvgChart(
    `Scatter chart of ${people.length} people: the current weekly package cost across, the proposed model's indicative weekly budget up. People above the diagonal line would get more from the model than their package costs; below it, less.`,
    {
      width: 640,
      height: 420,
      marginLeft: 60,
      grid: true,
      x: { label: "Current package, £ a week →", domain: [0, top], nice: true },
      y: { label: "↑ Proposed model, £ a week", domain: [0, top], nice: true },
      marks: [
        Plot.line(
          [
            [0, 0],
            [top, top],
          ],
          { stroke: GREY, strokeDasharray: "4,4" },
        ),
        Plot.dot(people, { x: "actual", y: "proposed", stroke: BLUE, r: 3.5 }),
      ],
    },
  );
}

/** How far each person's package is from the model: the spread of the residuals. */
export function residualsChart(report: CalibrationReport): string {
  const residuals = report.people.map((p) => ({ residual: pounds(p.residualPence) }));
  return renderSvgChart(
    `Histogram of the ${residuals.length} residuals (current package minus proposed model, £ a week). Bars to the right of zero are people whose package costs more than the model gives.`,
    {
      width: 640,
      height: 300,
      marginLeft: 50,
      x: { label: "Package − model, £ a week →" },
      y: { label: "↑ People", grid: true },
      marks: [
        Plot.rectY(residuals, { ...Plot.binX({ y: "count" }, { x: "residual" }), fill: BLUE, inset: 1 }),
        Plot.ruleX([0], { stroke: GREY }),
        Plot.ruleY([0]),
      ],
    },
  );
}

/** One group dimension: each group's mean residual with its 95% confidence interval. */
export function groupChart(dimension: GroupDimension): string {
  const rows = dimension.groups.map((g) => ({
    label: `${g.label}${g.flag ? " (named)" : ""}`,
    mean: pounds(g.meanResidualPence),
    low: g.ciLowPence === null ? null : pounds(g.ciLowPence),
    high: g.ciHighPence === null ? null : pounds(g.ciHighPence),
    named: g.flag !== null,
  }));
  const withInterval = rows.filter((r) => r.low !== null);
  const xs = rows.flatMap((r) => [r.mean, r.low ?? r.mean, r.high ?? r.mean]);
  return renderSvgChart(
    `Chart of the mean residual for each ${dimension.label.toLowerCase()} group, with its 95% confidence interval. Right of zero, the model gives the group less than their packages cost; left, more.${
      rows.some((r) => r.named)
        ? ` Named groups: ${rows
            .filter((r) => r.named)
            .map((r) => r.label.replace(" (named)", ""))
            .join(", ")}.`
        : " No group is named."
    }`,
    {
      width: 640,
      height: Math.max(140, 46 * rows.length + 60),
      marginLeft: 260,
      x: {
        label: "Mean of package − model, £ a week →",
        grid: true,
        domain: [Math.min(0, ...xs), Math.max(0, ...xs)],
        nice: true,
      },
      y: { label: null, domain: rows.map((r) => r.label) },
      marks: [
        Plot.ruleX([0], { stroke: GREY }),
        Plot.ruleY(withInterval, {
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

/** What adopting the model would do to each person's indicative budget, compared with the current model. */
export function impactChart(report: CalibrationReport): string {
  const changes = report.people.map((p) => ({ change: pounds(p.changePence) }));
  return renderSvgChart(
    `Histogram of the change in each person's indicative weekly budget if the proposed model were adopted (proposed minus current model, £ a week). ${report.impact.fall.people} people would see it fall and ${report.impact.rise.people} rise.`,
    {
      width: 640,
      height: 300,
      marginLeft: 50,
      x: { label: "Proposed − current model, £ a week →" },
      y: { label: "↑ People", grid: true },
      marks: [
        Plot.rectY(changes, { ...Plot.binX({ y: "count" }, { x: "change" }), fill: BLUE, inset: 1 }),
        Plot.ruleX([0], { stroke: GREY }),
        Plot.ruleY([0]),
      ],
    },
  );
}
