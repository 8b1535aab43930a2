import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./support/browser.ts";
import { pageChecks } from "./support/page-checks.ts";
import { startServer, type TestServer } from "./support/server.ts";

/**
 * The public fairness dashboard in a browser, with JavaScript off, as anyone (no sign-in): the charts are
 * server-rendered SVG, each with a table of the same figures beside it, and the page says what it hides. axe
 * checks it against WCAG 2.2 AA; then at 320px wide (reflow).
 */

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("the public fairness dashboard in a browser", () => {
  it("without JavaScript: charts with tables beside them, small numbers hidden and said so, axe-clean", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const checks = pageChecks(page);
    await page.goto(`${server.baseUrl}/demo/fairness`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Is support fair?");
    const charts = await page.locator("figure.app-chart svg[role=img]").count();
    expect(charts).toBeGreaterThan(3);
    expect(await page.locator("table.app-chart-table").count()).toBe(charts);
    const main = (await page.locator("main").textContent()) ?? "";
    expect(main.replace(/\s+/g, " ")).toContain("we do not show any figure about fewer than 10 people");
    expect(main.replace(/\s+/g, " ")).toContain("Some other figures are hidden to protect them");
    expect(main).toContain("Hidden");
    await checks.check("Fairness dashboard");

    await page.setViewportSize({ width: 320, height: 640 });
    await checks.check("Fairness dashboard at 320px");
    await context.close();
    checks.expectClean();
  });
});
