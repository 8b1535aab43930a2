import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PERSON_ACCOUNTS } from "#/seed/accounts-seed.ts";
import { DEMO_PASSWORD } from "#/seed/seed.ts";
import { expectNoErrorSummary, textOf } from "./support/assessment.ts";
import { clickAndLoad, launchChromium, screenshot, withoutJavaScriptAt320 } from "./support/browser.ts";
import { pageChecks } from "./support/page-checks.ts";
import { demoStaff, startServer, type TestServer } from "./support/server.ts";

/**
 * The budget in a browser (Upfront issue 6): the demo budget holder (person2, whose approved plan has a live
 * budget with card spending) signs in, sees their balance, the chart with its table and their statement, sends
 * the receipt form empty (an error linked to each field), then uploads a receipt and sees it listed; a finance
 * officer opens the same budget. With JavaScript on, and off at 320px. Every page: axe WCAG 2.2 AA, one h1.
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

const h1 = (page: Page) => textOf(page.getByRole("heading", { level: 1 }));
const RECEIPT = Buffer.from(
  "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
);

async function holderJourney(
  context: BrowserContext,
  javaScript: boolean,
): Promise<{ visited: string[]; personId: string }> {
  const page = await context.newPage();
  const checks = pageChecks(page);
  await page.goto(`${server.baseUrl}/my/sign-in`);
  await page.getByLabel("Email address").fill(DEMO_PERSON_ACCOUNTS[1]!.email);
  await page.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
  await clickAndLoad(page, page.getByRole("button", { name: "Sign in" }));
  await expectNoErrorSummary(page);
  const personId = /\/my\/people\/([0-9a-f-]{36})\//.exec(await page.content())?.[1];
  expect(personId, "the person's home page links to their own records").toBeDefined();

  await page.goto(`${server.baseUrl}/my/people/${personId}/budget`);
  expect(await h1(page)).toBe("Your budget");
  const main = await textOf(page.locator("main"));
  expect(main).toMatch(/Your personal budget is £[\d,]+\.\d\d a week/);
  expect(main).toMatch(/Direct payment .*£[\d,]+\.\d\d/);
  expect(main).toContain("Riverside Swimming Club");
  expect(main).toContain("Spending outside the plan");
  expect(await page.locator('svg[role="img"][aria-label^="Bar chart of the budget"]').count()).toBe(1);
  expect(await page.locator("#budget-table").count()).toBe(1);
  await checks.check();

  // The form sent empty: each problem in the summary, linked to its field.
  await clickAndLoad(page, page.getByRole("button", { name: "Upload receipt" }));
  expect(await page.locator(".govuk-error-summary a").count()).toBe(2);
  await checks.check("Receipt form with errors");

  await page.getByLabel("Which payment is the receipt for?").selectOption({ index: 1 });
  await page
    .getByLabel("Receipt", { exact: true })
    .setInputFiles({ name: "swimming.pdf", mimeType: "application/pdf", buffer: RECEIPT });
  await clickAndLoad(page, page.getByRole("button", { name: "Upload receipt" }));
  await expectNoErrorSummary(page);
  expect(await textOf(page.locator(".govuk-notification-banner"))).toContain("swimming.pdf");
  expect(await page.getByRole("link", { name: "swimming.pdf" }).count()).toBeGreaterThan(0);
  await checks.check("Receipt uploaded");
  await screenshot(page, `/tmp/upfront-e2e-budget-${javaScript ? "js" : "nojs"}.png`);

  if (javaScript) expect(checks.scriptErrors, checks.scriptErrors.join("\n")).toEqual([]);
  checks.expectClean();
  return { visited: checks.visited, personId: personId! };
}

async function financeJourney(context: BrowserContext, personId: string): Promise<string[]> {
  const page = await context.newPage();
  const checks = pageChecks(page);
  const staff = demoStaff("finance_officer");
  await page.goto(`${server.baseUrl}/sign-in`);
  await page.getByLabel("Email address").fill(staff.email);
  await page.getByLabel("Password", { exact: true }).fill(staff.password);
  await clickAndLoad(page, page.getByRole("button", { name: "Sign in" }));
  await page.goto(`${server.baseUrl}/people/${personId}/budget`);
  expect(await h1(page)).toMatch(/^Budget for /);
  expect(await page.getByRole("link", { name: "swimming.pdf" }).count()).toBeGreaterThan(0);
  await checks.check();
  await page.goto(`${server.baseUrl}/spending/card-feeds`);
  expect(await h1(page)).toBe("Import a card feed");
  await checks.check();
  await page.goto(`${server.baseUrl}/surplus`);
  expect(await h1(page)).toBe("Surplus recoveries");
  await checks.check();
  checks.expectClean();
  return checks.visited;
}

describe("the budget in a browser", () => {
  it("with JavaScript on: the budget holder, then a finance officer", async () => {
    const context = await browser.newContext();
    try {
      const { visited, personId } = await holderJourney(context, true);
      const staffContext = await browser.newContext();
      try {
        visited.push(...(await financeJourney(staffContext, personId)));
      } finally {
        await staffContext.close();
      }
      console.log(`Budget, JavaScript on: ${visited.length} pages checked`);
    } finally {
      await context.close();
    }
  });

  it("with JavaScript off, 320px wide", async () => {
    await withoutJavaScriptAt320(browser, async (context) => {
      const { visited } = await holderJourney(context, false);
      console.log(`Budget, JavaScript off: ${visited.length} pages checked`);
    });
  });
});
