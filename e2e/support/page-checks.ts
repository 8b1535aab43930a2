import type { Page } from "playwright-core";
import { expect } from "vitest";
import { axeViolations } from "./axe.ts";

/**
 * Checks for every page a browser test visits: axe against WCAG 2.2 AA, exactly one h1, a title, and nothing
 * sticking out sideways (WCAG 1.4.10 reflow; wide tables scroll in their own `.app-table-container`). Problems
 * are collected and the test fails on any at the end, so one run reports every page's. Script errors are
 * collected too (a page answering 400 logs itself: that is the page, not a broken part of it).
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
      const title = await page.title();
      const label = `${what ?? title} <${new URL(page.url()).pathname}>`;
      visited.push(label);
      const report = await axeViolations(page, label);
      if (report) problems.push(report);
      const h1s = await page.getByRole("heading", { level: 1 }).count();
      if (h1s !== 1) problems.push(`${label}: ${h1s} h1 headings; a page needs exactly one`);
      if (!title.trim()) problems.push(`${label}: the page has no title`);
      const wide = await overflowingElements(page);
      if (wide.length > 0)
        problems.push(
          `${label}: at ${page.viewportSize()?.width}px wide, these stick out to the side (WCAG 1.4.10 reflow): ${wide.join(", ")}`,
        );
    },
    expectClean() {
      expect(problems, problems.join("\n\n")).toEqual([]);
    },
  };
}

/** What pageChecks gives a test: check each page once it has loaded, then expect it clean. */
export type PageChecks = ReturnType<typeof pageChecks>;

/**
 * Reflow (WCAG 1.4.10), which axe cannot check: the first few elements sticking out past the right edge of the
 * window. A wide table scrolls inside its own `.app-table-container` (see app.css), so the page itself never does.
 */
export async function overflowingElements(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const found: string[] = [];
    for (const el of document.querySelectorAll("body *")) {
      if (el.parentElement?.closest(".app-table-container")) continue;
      const box = el.getBoundingClientRect();
      if (box.width > 1 && box.right > width + 1) {
        const name = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${[...el.classList].map((c) => `.${c}`).join("")}`;
        found.push(el.tagName === "TABLE" ? `${name} (wrap it in a div.app-table-container)` : name);
      }
      if (found.length >= 5) break;
    }
    return found;
  });
}
