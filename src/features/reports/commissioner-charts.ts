import * as Plot from "@observablehq/plot";
import type { ReportTable } from "#/features/reports/commissioner-report.ts";
import { dateParts } from "#/platform/date-words.calc.ts";
import { renderSvgChart } from "#/platform/web/svg-chart.ts";

/**
 * The commissioner's reports' charts, drawn on the server as SVG by Observable Plot over linkedom's DOM (as
 * calibration/charts.ts does), so the pages need no JavaScript. Each chart is one image (role="img") with a text
 * alternative; the page puts the same figures in a table beside it, which is the accessible version. Plot's
 * inline <style> is removed because the Content Security Policy allows no inline styles
 * (public/stylesheets/calibration.css sizes the charts). Series differ by mark shape as well as colour.
 */

// GOV.UK colours: blue, orange, green, purple, red, dark grey; named for the key under each line chart.
const COLOURS = ["#1d70b8", "#f47738", "#00703c", "#4c2c92", "#d4351c", "#505a5f"];
const COLOUR_NAMES = ["blue", "orange", "green", "purple", "red", "grey"];
const SYMBOLS = ["circle", "square", "triangle", "diamond", "star", "cross"];
const SYMBOL_NAMES = ["circles", "squares", "triangles", "diamonds", "stars", "crosses"];

type Point = { x: string; series: string; value: number };

/** A group's name as the chart's axis shows it: at most 26 characters (the table beside it has it in full). */
export const axisLabel = (label: string): string =>
  label.length > 28 ? `${label.slice(0, 27).trimEnd()}…` : label;

/**
 * The key to a line chart, in words, for the figure's caption: which colour and mark is which series (bar
 * charts name each bar on the chart itself).
 */
export function chartKey(table: ReportTable): string | null {
  if (table.chart?.kind !== "lines" || table.rows.length === 0) return null;
  const labels = table.chart.series.map((key) => table.columns.find((c) => c.key === key)!.label);
  return `Key: ${labels.map((l, i) => `${l}, ${COLOUR_NAMES[i]} line with ${SYMBOL_NAMES[i]}`).join("; ")}.`;
}

/** The chart for a table that has one (null when it has none or no rows); money is drawn in pounds. */
/** A week's Monday on the axis in words ("31 Aug"), as dates are everywhere on a page; other labels as they are. */
function axisDate(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const { day, month } = dateParts(value);
  return `${day} ${month.slice(0, 3)}`;
}

export function tableChart(table: ReportTable): string | null {
  const spec = table.chart;
  if (!spec || table.rows.length === 0) return null;
  const columns = spec.series.map((key) => table.columns.find((c) => c.key === key)!);
  const points: Point[] = table.rows.flatMap((row) =>
    columns.map((column) => {
      const raw = row[table.columns.indexOf(column)];
      const value = typeof raw === "number" ? raw : 0;
      return {
        x: String(row[0]),
        series: column.label,
        value: column.kind === "pence" ? value / 100 : value,
      };
    }),
  );
  const names = columns.map((c) => c.label);
  // A scale from zero to at least 1, so a chart of nothing but zeros still has a sensible axis.
  const values = points.map((p) => p.value);
  const domain = [Math.min(0, ...values), Math.max(1, ...values)];
  // Counts are whole numbers: no ticks between them when they are small.
  const ticks = columns.every((c) => c.kind === "count") ? Math.min(10, domain[1]!) : undefined;
  const color = { domain: names, range: COLOURS.slice(0, names.length) };
  const alt = `${spec.kind === "lines" ? "Line" : "Bar"} chart: ${table.caption}. ${names.join(", ")}. The table below gives the same figures.`;
  if (spec.kind === "lines") {
    return renderSvgChart(alt, {
      width: 640,
      height: 320,
      marginLeft: 50,
      marginRight: 20,
      marginBottom: 60,
      color,
      symbol: { domain: names, range: SYMBOLS.slice(0, names.length) },
      x: { label: null, tickRotate: -30, type: "point", tickFormat: axisDate },
      y: { label: `↑ ${spec.label}`, grid: true, nice: true, domain, ticks },
      marks: [
        Plot.ruleY([0]),
        Plot.line(points, { x: "x", y: "value", stroke: "series" }),
        // A different mark on each line (named in the key), so colour is not the only way to tell them apart.
        Plot.dot(points, { x: "x", y: "value", stroke: "series", symbol: "series", r: 3.5 }),
      ],
    });
  }
  const labels = [...new Set(points.map((p) => p.x))];
  return renderSvgChart(alt, {
    width: 640,
    height: Math.max(160, labels.length * (14 * names.length + 16) + 60),
    marginLeft: 190,
    marginRight: 190,
    color,
    x: { label: `${spec.label} →`, grid: true, nice: true, domain, ticks },
    // Each bar is named (right), each group too (left): colour is not the only way to tell them apart.
    y: { label: null, domain: names, axis: "right", tickFormat: axisLabel },
    fy: { label: null, domain: labels, axis: "left", tickFormat: axisLabel },
    marks: [Plot.barX(points, { x: "value", y: "series", fy: "x", fill: "series" }), Plot.ruleX([0])],
  });
}
