import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";

/**
 * A chart drawn on the server as SVG by Observable Plot over linkedom's DOM, so a page needs no JavaScript; used
 * by every report that has charts (calibration, the commissioner's reports, the fairness dashboard). Each chart
 * is one image (role="img") whose text alternative is `label`; the page puts the same figures in a table beside
 * it, which is the accessible version (WCAG 1.1.1).
 *
 * Plot adds a <style> element to each chart; it is removed because the Content Security Policy allows no inline
 * styles (public/stylesheets/calibration.css sizes the charts). Plot's aria-labels on the marks inside are removed
 * too: ARIA forbids aria-label on an element with no role.
 */
export function renderSvgChart(label: string, options: Plot.PlotOptions): string {
  const { document } = parseHTML("<!doctype html><html><body></body></html>");
  const svg = Plot.plot({
    ...options,
    document: document as unknown as Document,
    ariaLabel: label,
    style: undefined,
    className: "app-chart__svg",
  }) as unknown as Element;
  for (const style of svg.querySelectorAll("style")) style.remove();
  for (const el of svg.querySelectorAll("[aria-label], [aria-description]")) {
    el.removeAttribute("aria-label");
    el.removeAttribute("aria-description");
  }
  svg.setAttribute("role", "img");
  svg.setAttribute("focusable", "false");
  return svg.outerHTML;
}
