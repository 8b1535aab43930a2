import { createRequire } from "node:module";
import type { BrowserContext, Frame, Page } from "playwright-core";

/** WCAG 2.2 AA, as axe-core tags it: the A and AA rules of 2.0, 2.1 and 2.2. */
export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/**
 * axe-core's source, the very copy @axe-core/playwright injects (its own dependency, resolved from it).
 *
 * The checks run axe as @axe-core/playwright's legacy mode does (`axe.run` in the page; same-origin frames; its
 * configuration and options), but inject the 1.3 MB source once per document instead of twice per check, and
 * bring back only the violations instead of every pass and inapplicable rule with their elements: the same
 * rules on the same page give the same violations, for about half the browser's work per check (measured:
 * 12 checks took 3.3 s of Chromium and test-process CPU through AxeBuilder, 1.8 s this way).
 */
const AXE_SOURCE: string = createRequire(import.meta.resolve("@axe-core/playwright"))("axe-core").source;

/** What @axe-core/playwright's legacy mode configures before each run. */
const AXE_CONFIGURE = `;axe.configure({ allowedOrigins: ["<same_origin>"], branding: { application: "playwright" } });`;

/** AxeBuilder's context for the whole page (no include or exclude), and `withTags(WCAG_TAGS)`. */
const AXE_CONTEXT = { exclude: [], include: [] };
const AXE_OPTIONS = { runOnly: { type: "tag", values: WCAG_TAGS } };

type AxeNode = { html: string; target: unknown[]; failureSummary?: string };
type AxeViolation = { id: string; impact?: string | null; help: string; helpUrl: string; nodes: AxeNode[] };

const timersWork = new WeakMap<BrowserContext, boolean>();

/**
 * In a context with JavaScript turned off, Chromium still lets the test driver evaluate code, but never fires
 * a timer, and axe-core waits on `setTimeout(…, 0)` between rules. So there (and only there) the page gets a
 * stand-in that runs zero-delay callbacks as promise jobs (queueMicrotask is blocked too) and drops the rest (axe uses those only as guards).
 * Nothing of the page's own runs: its scripts were never executed, so the page audited is the no-JS page.
 */
async function letAxeRunWithoutTimers(page: Page): Promise<void> {
  let works = timersWork.get(page.context());
  if (works === undefined) {
    works = await Promise.race([
      page.evaluate(() => new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 0))),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 250)),
    ]);
    timersWork.set(page.context(), works);
  }
  if (works) return;
  await page.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    w.setTimeout = (fn: (...args: unknown[]) => void, delay?: number, ...args: unknown[]) => {
      if (!delay) void Promise.resolve().then(() => fn(...args));
      return 0;
    };
    w.clearTimeout = () => {};
  });
}

/**
 * The one finding left out, on purpose: GOV.UK Frontend's script puts aria-expanded on a radio that reveals a
 * conditional question, which ARIA 1.2 does not list for the radio role. GOV.UK keeps it because screen readers
 * announce it and research with their users found it helps (alphagov/govuk-frontend#979, a known issue; the ARIA
 * change is w3c/aria#1404). Only that attribute on a GOV.UK radio is left out; anything else is still reported.
 */
function isGovukConditionalRadio(rule: string, node: { html: string; failureSummary?: string }): boolean {
  return (
    rule === "aria-allowed-attr" &&
    /^<input [^>]*class="govuk-radios__input"/.test(node.html) &&
    /^Fix all of the following:\s+ARIA attribute is not allowed: aria-expanded="(true|false)"$/.test(
      (node.failureSummary ?? "").trim(),
    )
  );
}

/** Puts axe in a frame unless this document already has it (a page checked again before it navigates). */
async function injectAxe(frame: Frame): Promise<void> {
  const present = await frame.evaluate(() => typeof (window as { axe?: unknown }).axe === "object");
  if (!present) await frame.evaluate(AXE_SOURCE);
  await frame.evaluate(AXE_CONFIGURE);
}

/**
 * axe.run over the whole page, as @axe-core/playwright's legacy mode runs it: axe in every frame first (a
 * child frame that will not take it is left out, as there), then the run in the page itself. Only the
 * violations come back.
 */
async function runAxe(page: Page): Promise<AxeViolation[]> {
  for (const frame of page.frames()) {
    if (frame === page.mainFrame()) await injectAxe(frame);
    else await injectAxe(frame).catch(() => {});
  }
  const outcome = await page.evaluate(
    ({ context, options }) => {
      type Run = (c: unknown, o: unknown) => Promise<{ violations: AxeViolation[] }>;
      const axe = (window as unknown as { axe: { run: Run } }).axe;
      return axe.run(context, options).then(
        (results) => ({
          error: null,
          violations: results.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            helpUrl: v.helpUrl,
            nodes: v.nodes.map((n) => ({ html: n.html, target: n.target, failureSummary: n.failureSummary })),
          })),
        }),
        (error: Error) => ({ error: error.message, violations: [] }),
      );
    },
    { context: AXE_CONTEXT, options: AXE_OPTIONS },
  );
  if (outcome.error !== null) throw new Error(outcome.error);
  return outcome.violations;
}

/**
 * Runs axe on the page as it is now; returns a report of every violation (rule, help, and the elements it
 * found), or null when there is none. Works with JavaScript on or off.
 */
export async function axeViolations(page: Page, label?: string): Promise<string | null> {
  await letAxeRunWithoutTimers(page);
  const violations = (await runAxe(page))
    .map((v) => ({ ...v, nodes: v.nodes.filter((n) => !isGovukConditionalRadio(v.id, n)) }))
    .filter((v) => v.nodes.length > 0);
  if (violations.length === 0) return null;
  const lines = violations.map((v) => {
    const nodes = v.nodes
      .map((n) => {
        const summary = n.failureSummary
          ? `\n        ${n.failureSummary.replaceAll("\n", "\n        ")}`
          : "";
        return `      - ${n.target.join(" ")}${summary}`;
      })
      .join("\n");
    return `  ${v.id} (${v.impact ?? "unknown impact"}): ${v.help}\n    ${v.helpUrl}\n${nodes}`;
  });
  const where = label ?? `${await page.title()} <${page.url()}>`;
  return `axe found ${violations.length} WCAG 2.2 AA violation(s) on ${where}:\n${lines.join("\n")}`;
}

/** Throws, listing every violation, when axe finds any on the page as it is now. */
export async function expectNoAxeViolations(page: Page, label?: string): Promise<void> {
  const report = await axeViolations(page, label);
  if (report) {
    console.error(report);
    throw new Error(report);
  }
}
