import type { Page } from "playwright-core";
import { expect } from "vitest";
import { axeViolations } from "./axe.ts";

/**
 * Checks for every page a browser test visits: axe against WCAG 2.2 AA, exactly one h1, a title, and nothing
 * sticking out sideways (WCAG 1.4.10 reflow; wide tables scroll in their own `.app-table-container`). Problems
 * are collected and the test fails on any at the end, so one run reports every page's. Script errors are
 * collected too (a page answering 400 logs itself: that is the page, not a broken part of it).
 *
 * The page's own facts (title, h1s, what sticks out) come back from one `page.evaluate` (pageFacts), not a
 * DevTools round trip each: the browser process's main thread, busy with that traffic, was most of the browser
 * tests' CPU.
 */
export function pageChecks(page: Page) {
  const visited: string[] = [];
  const problems: string[] = [];
  const scriptErrors: string[] = [];
  page.on("pageerror", (error) => scriptErrors.push(`${page.url()}: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() !== "error" || message.location().url === page.url()) return;
    scriptErrors.push(`${page.url()}: ${message.text()} (${message.location().url})`);
  });
  return {
    visited,
    scriptErrors,
    async check(what?: string) {
      const facts = await pageFacts(page);
      const label = `${what ?? facts.title} <${new URL(page.url()).pathname}>`;
      visited.push(label);
      const report = await axeViolations(page, label);
      if (report) problems.push(report);
      if (facts.h1s !== 1) problems.push(`${label}: ${facts.h1s} h1 headings; a page needs exactly one`);
      if (!facts.title.trim()) problems.push(`${label}: the page has no title`);
      if (facts.wide.length > 0)
        problems.push(
          `${label}: at ${page.viewportSize()?.width}px wide, these stick out to the side (WCAG 1.4.10 reflow): ${facts.wide.join(", ")}`,
        );
    },
    expectClean() {
      expect(problems, problems.join("\n\n")).toEqual([]);
    },
  };
}

/** What pageChecks gives a test: check each page once it has loaded, then expect it clean. */
export type PageChecks = ReturnType<typeof pageChecks>;

/** What one page check needs to know of the page as it is now. */
export type PageFacts = {
  /** `document.title`, as `page.title()` gives it. */
  title: string;
  /** Level-1 headings a screen reader meets, counted as `page.getByRole("heading", { level: 1 }).count()` does. */
  h1s: number;
  /** The first few elements sticking out past the right edge of the window (see overflowingElements). */
  wide: string[];
};

/**
 * The page's title, its level-1 headings and what sticks out sideways, in one evaluate (works with JavaScript
 * off, as axe's does). The headings are counted as Playwright's getByRole counts them: h1 (its tag fixes its
 * level), or role="heading" with aria-level="1"; an explicit other role takes it out, unless it is none or
 * presentation on a focusable element or one with a global aria attribute; left out when hidden from
 * assistive technology (display:none or aria-hidden="true" on it or an ancestor, not rendered, visibility not
 * visible, or a style/script/noscript/template element).
 *
 * Reflow (WCAG 1.4.10), which axe cannot check: a wide table scrolls inside its own `.app-table-container`
 * (see app.css), so the page itself never does.
 */
export async function pageFacts(page: Page): Promise<PageFacts> {
  return page.evaluate(() => {
    const hiddenForAria = (element: Element): boolean => {
      if (["STYLE", "SCRIPT", "NOSCRIPT", "TEMPLATE"].includes(element.tagName)) return true;
      const style = getComputedStyle(element);
      if (!element.checkVisibility() || style.visibility !== "visible") return true;
      for (let at: Element | null = element; at; at = at.parentElement) {
        if (getComputedStyle(at).display === "none") return true;
        if ((at.getAttribute("aria-hidden") ?? "").toLowerCase() === "true") return true;
      }
      return false;
    };
    const isLevelOneHeading = (element: Element): boolean => {
      const explicit = (element.getAttribute("role") ?? "").toLowerCase().split(" ").filter(Boolean)[0];
      const native = element.tagName === "H1";
      const implicitHeading = /^H[1-6]$/.test(element.tagName);
      let role = explicit ?? (implicitHeading ? "heading" : "");
      if ((role === "none" || role === "presentation") && implicitHeading) {
        const globalAria = [...element.attributes].some((a) =>
          [
            "aria-atomic",
            "aria-busy",
            "aria-controls",
            "aria-current",
            "aria-describedby",
            "aria-details",
            "aria-dropeffect",
            "aria-flowto",
            "aria-grabbed",
            "aria-hidden",
            "aria-keyshortcuts",
            "aria-label",
            "aria-labelledby",
            "aria-live",
            "aria-owns",
            "aria-relevant",
            "aria-roledescription",
          ].includes(a.name),
        );
        const focusable = element.hasAttribute("tabindex");
        if (globalAria || focusable) role = "heading";
      }
      if (role !== "heading") return false;
      if (/^H[1-6]$/.test(element.tagName)) return native;
      const level = Number(element.getAttribute("aria-level") ?? Number.NaN);
      return Number.isInteger(level) && level === 1;
    };
    const h1s = [...document.querySelectorAll("h1, [role]")].filter(
      (el) => isLevelOneHeading(el) && !hiddenForAria(el),
    ).length;

    const width = document.documentElement.clientWidth;
    const wide: string[] = [];
    for (const el of document.querySelectorAll("body *")) {
      if (el.parentElement?.closest(".app-table-container")) continue;
      const box = el.getBoundingClientRect();
      if (box.width > 1 && box.right > width + 1) {
        const name = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${[...el.classList].map((c) => `.${c}`).join("")}`;
        wide.push(el.tagName === "TABLE" ? `${name} (wrap it in a div.app-table-container)` : name);
      }
      if (wide.length >= 5) break;
    }
    return { title: document.title, h1s, wide };
  });
}

/** Reflow (WCAG 1.4.10): the first few elements sticking out past the right edge of the window (pageFacts). */
export async function overflowingElements(page: Page): Promise<string[]> {
  return (await pageFacts(page)).wide;
}
