import { readFile } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QUALITY_REPORT_HEADER } from "#/features/reports/cld-csv.ts";
import { CLD_COLUMNS } from "#/features/reports/cld-record.ts";
import { clickAndLoad, launchChromium, withoutJavaScriptAt320 } from "./support/browser.ts";
import { type PageChecks, pageChecks } from "./support/page-checks.ts";
import { demoStaff, startServer, type TestServer } from "./support/server.ts";

/**
 * Issue 15 in a browser, JavaScript off, 320px wide: a commissioner opens the Client Level Data page from their
 * navigation, asks for a period wrongly (over 12 months) and sees the error, then works the return out (the
 * streamed page with its progress) and downloads the return and its data-quality report. Every page: axe (WCAG
 * 2.2 AA), one h1, a title, nothing sticking out sideways.
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

/** Clicks a download link and gives the file's text, as the browser saved it. */
async function download(page: Page, name: string): Promise<{ fileName: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name }).click()]);
  const path = await file.path();
  return { fileName: file.suggestedFilename(), text: await readFile(path, "utf8") };
}

async function journey(page: Page, checks: PageChecks) {
  await signInAsCommissioner(page);
  await clickAndLoad(page, page.getByRole("link", { name: "Client Level Data" }));
  await checks.check("The Client Level Data page");
  const period = await page.getByLabel("Period").inputValue();
  expect(period).toMatch(/^\d{4}-\d{2}-01\.\.\d{4}-\d{2}-\d{2}$/);

  // A period over 12 months: the error summary and the field say so.
  await page.getByLabel("Period").fill("2025-01-01..2026-06-30");
  await clickAndLoad(page, page.getByRole("button", { name: "Work out the return" }));
  expect(await page.title()).toMatch(/^Error: /);
  expect(await page.locator(".govuk-error-summary").textContent()).toContain("12 months");
  await checks.check("The Client Level Data page, with an error");

  // The suggested period: the return worked out, its progress shown as it went.
  await page.getByLabel("Period").fill(period);
  await clickAndLoad(page, page.getByRole("button", { name: "Work out the return" }));
  const progress = await page.getByRole("list", { name: "Progress" }).textContent();
  expect(progress).toMatch(/Read (\d[\d,]*) of \1 people/);
  await checks.check("The return worked out");

  const [from, to] = period.split("..");
  const cld = await download(page, "Download the return (CSV)");
  expect(cld.fileName).toBe(`demo-cld-${from}-to-${to}.csv`);
  const [header, ...rows] = cld.text.trimEnd().split("\r\n");
  expect(header).toBe(CLD_COLUMNS.map(([, name]) => name).join(","));
  const rowsShown = await page
    .locator(".govuk-summary-list")
    .getByText(/^\s*\d+\s*$/)
    .first()
    .textContent();
  expect(rows.length).toBe(Number(rowsShown));

  const quality = await download(page, "Download the data-quality report (CSV)");
  expect(quality.fileName).toBe(`demo-cld-data-quality-${from}-to-${to}.csv`);
  expect(quality.text.split("\r\n")[0]).toBe(QUALITY_REPORT_HEADER.join(","));
}

describe("the Client Level Data return in a browser (issue 15)", () => {
  it("a commissioner works out the return and downloads it and its data-quality report, JavaScript off, at 320px", async () => {
    await withoutJavaScriptAt320(browser, async (context) => {
      const page = await context.newPage();
      const checks = pageChecks(page);
      await journey(page, checks);
      checks.expectClean();
      expect(checks.scriptErrors).toEqual([]);
    });
  });
});
