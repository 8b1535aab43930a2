import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./support/browser.ts";
import { pageChecks } from "./support/page-checks.ts";
import { demoStaff, startServer, type TestServer } from "./support/server.ts";

/**
 * The commissioner's reports in a browser with JavaScript off: the Reports link, every report with its charts
 * beside tables, a period chosen with the GET form, a bad period refused, and a CSV and an XLSX downloaded.
 * axe checks every page against WCAG 2.2 AA.
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
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForLoadState("load");
}

describe("the commissioner's reports in a browser", () => {
  it("without JavaScript: every report reads with charts beside tables, a bad period is refused, and tables download", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, acceptDownloads: true });
    const page = await context.newPage();
    const checks = pageChecks(page);
    await signInAsCommissioner(page);
    await page.getByRole("link", { name: "Reports", exact: true }).click();
    await page.waitForLoadState("load");
    await checks.check("Reports index");

    for (const title of ["Caseload flow", "Money", "Outcomes", "Market gaps"]) {
      await page.goto(`${server.baseUrl}/reports`);
      await page.getByRole("link", { name: title, exact: true }).click();
      await page.waitForLoadState("load");
      expect(await page.locator("h1").textContent()).toContain(title);
      expect(await page.locator("table.govuk-table").count()).toBeGreaterThan(0);
      await checks.check(`${title} report`);
    }

    await page.goto(`${server.baseUrl}/reports/caseload`);
    await page.getByLabel("From (YYYY-MM-DD)").fill("2026-12-01");
    await page.getByLabel("To (YYYY-MM-DD)").fill("2026-11-01");
    await page.getByRole("button", { name: "Show the report" }).click();
    await page.waitForLoadState("load");
    expect(await page.title()).toMatch(/^Error: /);
    expect(await page.locator(".govuk-error-summary").textContent()).toContain(
      "The start date must be on or before the end date",
    );
    await checks.check("Caseload report with a bad period");

    await page.getByLabel("From (YYYY-MM-DD)").fill("2026-09-01");
    await page.getByLabel("To (YYYY-MM-DD)").fill("2026-11-30");
    await page.getByRole("button", { name: "Show the report" }).click();
    await page.waitForLoadState("load");
    expect(await page.locator("figure.app-chart svg[role=img]").count()).toBeGreaterThan(0);

    const [csv] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "CSV of caseload flow by week" }).click(),
    ]);
    expect(csv.suggestedFilename()).toBe("caseload-by-week-2026-09-01-to-2026-11-30.csv");
    const [xlsx] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "spreadsheet (XLSX) of caseload flow by week" }).click(),
    ]);
    expect(xlsx.suggestedFilename()).toBe("caseload-by-week-2026-09-01-to-2026-11-30.xlsx");
    await context.close();
  });
});
