import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, screenshot } from "./support/browser.ts";
import { pageChecks } from "./support/page-checks.ts";
import { demoStaff, startServer, type TestServer } from "./support/server.ts";

/**
 * The administrator's RAS calibration in a browser: with JavaScript off (upload a file, a refused file, the
 * report, adopt with a reason) and on at 320px wide (reflow). axe checks every page against WCAG 2.2 AA.
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

async function signInAsAdministrator(page: Page) {
  const who = demoStaff("administrator");
  await page.goto(`${server.baseUrl}/sign-in`);
  await page.getByLabel("Email address").fill(who.email);
  await page.getByLabel("Password", { exact: true }).fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForLoadState("load");
}

describe("RAS calibration in a browser", () => {
  it("without JavaScript: a refused file lists its problems; a good file gives the report; adopting needs a reason", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const checks = pageChecks(page);
    await signInAsAdministrator(page);
    await page.goto(`${server.baseUrl}/admin/ras`);
    await checks.check("RAS page");

    // A file with a negative cost: refused, the problem listed by row.
    const lines = readFileSync("examples/packages.csv", "utf8").split("\r\n");
    const cells = lines[1]!.split(",");
    cells[cells.length - 1] = "-5";
    await page.getByLabel("Packages file (CSV)").setInputFiles({
      name: "bad.csv",
      mimeType: "text/csv",
      buffer: Buffer.from([lines[0], cells.join(",")].join("\r\n")),
    });
    await page.getByRole("button", { name: "Fit the model and show the report" }).click();
    await page.waitForLoadState("load");
    expect(await page.title()).toMatch(/^Error: /);
    expect(await page.locator("#problems").textContent()).toContain(
      "The weekly cost must not be negative (-5)",
    );
    await checks.check("RAS page with a refused file");

    // The example file: the report.
    await page.getByLabel("Packages file (CSV)").setInputFiles("examples/packages.csv");
    await page.getByRole("button", { name: "Fit the model and show the report" }).click();
    await page.waitForLoadState("load");
    expect(new URL(page.url()).pathname).toMatch(/^\/admin\/ras\/calibrations\/[0-9a-f-]{36}$/);
    expect(await page.locator("figure.app-chart svg").count()).toBe(7);
    await checks.check("Calibration report");

    await page.getByRole("button", { name: "Adopt this calibration" }).click();
    await page.waitForLoadState("load");
    expect(await page.locator(".govuk-error-summary").textContent()).toContain(
      "Say why the council is adopting this calibration",
    );
    await checks.check("Calibration report with an error");
    await page.getByLabel("Why is the council adopting it?").fill("Agreed by the board on 20 November 2026");
    await page.getByRole("button", { name: "Adopt this calibration" }).click();
    await page.waitForLoadState("load");
    expect(await page.locator(".govuk-notification-banner").textContent()).toContain(
      // Version 2 is the model Demo Council adopted as its own at set-up.
      "The calibration is now version 3 of the model",
    );
    await checks.check("RAS page after adopting");
    await screenshot(page, "/tmp/upfront-e2e-calibration-adopted.png");

    checks.expectClean();
    await context.close();
  });

  it("with JavaScript at 320px wide: the pages reflow and pass axe", async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 800 } });
    const page = await context.newPage();
    const checks = pageChecks(page);
    await signInAsAdministrator(page);
    await page.goto(`${server.baseUrl}/admin/ras`);
    await checks.check("RAS page at 320px");
    await page.getByText("Paste the file's contents instead").click();
    await page.getByLabel("The file's contents").fill(readFileSync("examples/packages.csv", "utf8"));
    await page.getByRole("button", { name: "Fit the model and show the report" }).click();
    await page.waitForLoadState("load");
    expect(await page.locator("figure.app-chart svg").count()).toBe(7);
    await checks.check("Calibration report at 320px");
    await screenshot(page, "/tmp/upfront-e2e-calibration-report-320.png");
    checks.expectClean();
    await context.close();
  });
});
