import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { textOf } from "./support/assessment.ts";
import { clickAndLoad, launchChromium, withoutJavaScriptAt320 } from "./support/browser.ts";
import { pageChecks } from "./support/page-checks.ts";
import { demoStaff, startServer, type TestServer } from "./support/server.ts";

/**
 * The measures page in a browser (issue 15), with JavaScript off at 320px: a commissioner follows the link from
 * the reports index, reads ASCOF and spend by setting with charts beside tables, asks for a year before the CLD
 * rules (refused, the error linked from the summary), then a good year, and downloads a table as CSV. Every page:
 * axe WCAG 2.2 AA, one h1, nothing sticking out sideways.
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

async function signInAsCommissioner(page: Page) {
  const who = demoStaff("commissioner");
  await page.goto(`${server.baseUrl}/sign-in`);
  await page.getByLabel("Email address").fill(who.email);
  await page.getByLabel("Password", { exact: true }).fill(who.password);
  await clickAndLoad(page, page.getByRole("button", { name: "Sign in" }));
}

describe("the measures page in a browser", () => {
  it("with JavaScript off, 320px wide: ASCOF and spend by setting read, a bad year is refused, a table downloads", async () => {
    await withoutJavaScriptAt320(browser, async (context) => {
      const page = await context.newPage();
      const checks = pageChecks(page);
      await signInAsCommissioner(page);
      await page.goto(`${server.baseUrl}/reports`);
      await clickAndLoad(page, page.getByRole("link", { name: "ASCOF and spend measures" }));
      expect(await textOf(page.getByRole("heading", { level: 1 }))).toBe("ASCOF and spend measures");
      expect(await page.locator("table.govuk-table").count()).toBeGreaterThan(0);
      expect(await page.locator("figure.app-chart svg[role=img]").count()).toBeGreaterThan(0);
      await checks.check("Measures");

      await page.getByLabel("Financial year starting in April of").fill("2019");
      await clickAndLoad(page, page.getByRole("button", { name: "Show the measures" }));
      expect(await page.title()).toMatch(/^Error: /);
      expect(await textOf(page.locator(".govuk-error-summary"))).toContain("no Client Level Data return");
      await checks.check("Measures with a year before the rules");

      await page.getByLabel("Financial year starting in April of").fill("2026");
      await clickAndLoad(page, page.getByRole("button", { name: "Show the measures" }));
      expect(await page.locator(".govuk-error-summary").count()).toBe(0);
      const [csv] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("link", { name: "CSV of ascof measures from the client level data rows" }).click(),
      ]);
      expect(csv.suggestedFilename()).toBe("measures-ascof-2026-04-01-to-2027-03-31.csv");
    });
  });
});
