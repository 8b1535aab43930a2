import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayInLondon } from "#/platform/context.ts";
import { textOf } from "./support/assessment.ts";
import { launchChromium, screenshot, withoutJavaScriptAt320 } from "./support/browser.ts";
import { type PageChecks, pageChecks } from "./support/page-checks.ts";
import { demoStaff, startServer, type TestServer } from "./support/server.ts";

/**
 * A finance officer in a browser, with JavaScript on and with it off at 320px: sign in, open Charging, find a
 * person, start a financial assessment, answer every page (one sent empty, with its errors), add incomes one
 * at a time without JavaScript, check the answers with what they come to (demonstration figures named as
 * supplied by the council), complete it, and read the person's money statement, which shows it. Every page is
 * checked by axe against WCAG 2.2 AA, must have one h1 and a title, and must not stick out sideways (reflow).
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

async function go(page: Page, click: () => Promise<void>) {
  await click();
  await page.waitForLoadState("load");
}

async function signIn(page: Page, checks: PageChecks, who: { email: string; password: string }) {
  await page.goto(`${server.baseUrl}/`);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForLoadState("load");
  await checks.check();
  await page.getByLabel("Email address").fill(who.email);
  await page.getByLabel("Password", { exact: true }).fill(who.password);
  await go(page, () => page.getByRole("button", { name: "Sign in" }).click());
}

const POUNDS = /£\d{1,3}(,\d{3})*\.\d{2}/;

async function financeOfficerJourney(context: BrowserContext, javaScript: boolean, reference: string) {
  const page = await context.newPage();
  const checks = pageChecks(page);
  const shot = (name: string) =>
    screenshot(page, `/tmp/upfront-e2e-charging-${javaScript ? "js" : "nojs"}-${name}.png`);
  const save = () => go(page, () => page.getByRole("button", { name: "Save and continue" }).click());

  await signIn(page, checks, demoStaff("finance_officer"));
  await go(page, () => page.getByRole("link", { name: "Charging" }).click());
  expect(await h1(page)).toBe("Financial assessments");
  await checks.check();

  // Find the person by reference.
  await page.getByLabel("Name or reference").fill(reference);
  await go(page, () => page.getByRole("button", { name: "Search" }).click());
  await checks.check("Search results");
  await go(page, () => page.getByRole("main").getByRole("list").getByRole("link").first().click());
  expect(await h1(page)).toBe("Financial assessment");
  await checks.check();
  await go(page, () => page.getByRole("button", { name: "Start a financial assessment" }).click());

  // About: sent empty first, then answered.
  expect(await h1(page)).toBe("About this financial assessment");
  await checks.check();
  await save();
  const summary = page.locator(".govuk-error-summary");
  expect(await summary.count()).toBe(1);
  expect(await page.title()).toMatch(/^Error: /);
  await checks.check("About, with errors");
  for (const link of await summary.getByRole("link").all()) {
    const target = (await link.getAttribute("href")) ?? "";
    expect(await page.locator(`[id="${target.slice(1)}"]`).count(), `the field ${target}`).toBe(1);
  }
  const [year, month, day] = todayInLondon().split("-");
  await page.locator("#appliesFrom-day").fill(String(Number(day)));
  await page.locator("#appliesFrom-month").fill(String(Number(month)));
  await page.locator("#appliesFrom-year").fill(year!);
  await page
    .getByRole("group", { name: /reached pension credit age/ })
    .getByLabel("No")
    .check();
  await page.getByLabel("A full financial assessment").check();
  await save();

  expect(await h1(page)).toBe("Circumstances");
  await checks.check();
  // The couple question's own "No" (the partner question inside its "Yes" has one too).
  await page.locator("#couple-2").check();
  await page.getByLabel(/How many children/).fill("0");
  await page.getByLabel("Disability premium", { exact: true }).check();
  await save();

  // Incomes, one at a time: the form adds each and comes back; Continue with one typed adds it and moves on.
  expect(await h1(page)).toBe("Income");
  await checks.check();
  await page.getByLabel("Kind of income").selectOption({ label: "Employment and Support Allowance" });
  await page.getByLabel("Amount", { exact: true }).fill("140.55");
  await go(page, () => page.getByRole("button", { name: "Add this income" }).click());
  expect(await textOf(page.getByRole("main"))).toContain("Added. The list below is up to date.");
  await checks.check("Income, one added");
  await page
    .getByLabel("Kind of income")
    .selectOption({ label: "Personal Independence Payment (daily living component)" });
  await page.getByLabel("Amount", { exact: true }).fill("434.20");
  await page.getByLabel("Every 4 weeks").check();
  await go(page, () => page.getByRole("button", { name: "Continue" }).click());

  expect(await h1(page)).toBe("Savings, investments and property");
  await checks.check();
  await go(page, () => page.getByRole("button", { name: "Continue" }).click());

  expect(await h1(page)).toBe("Housing costs");
  await checks.check();
  await page.getByLabel("Council Tax").check();
  await page.getByLabel("What they pay").fill("15");
  await go(page, () => page.getByRole("button", { name: "Continue" }).click());

  expect(await h1(page)).toBe("Disability-related expenditure");
  await checks.check();
  await page.getByLabel("The council's standard allowance").check();
  await save();

  expect(await h1(page)).toBe("Cost of care");
  await checks.check();
  const estimate = page.getByLabel("Estimated weekly cost of care");
  if ((await estimate.count()) > 0) await estimate.fill("250");
  else
    expect(await textOf(page.getByRole("main"))).toMatch(/the indicative budget from assessment version \d+/);
  await save();

  // Check the answers: what it comes to, every figure the demo council supplied named as such.
  expect(await h1(page)).toBe("Check the answers");
  const check = await textOf(page.getByRole("main"));
  expect(check).toContain("What this comes to");
  expect(check).toContain(
    "Supplied by the council, source: Demo Council: demonstration figures, not the statutory amounts",
  );
  await checks.check();
  await shot("check-answers");
  await go(page, () => page.getByRole("button", { name: "Complete the financial assessment" }).click());

  expect(await h1(page)).toMatch(/^Financial assessment version 1$/);
  const result = await textOf(page.getByRole("main"));
  expect(result).toContain("Financial assessment completed");
  const contribution = /The weekly contribution is (£[\d,]+\.\d{2})/.exec(result)?.[1];
  expect(contribution).toMatch(POUNDS);
  await checks.check();
  await shot("result");

  // The money statement shows it.
  await go(page, () => page.getByRole("link", { name: "Read the money statement" }).click());
  expect(await h1(page)).toBe("Your money statement");
  const statement = await textOf(page.getByRole("main"));
  expect(statement).toContain(`You pay ${contribution} a week`);
  expect(statement).toContain("Employment and Support Allowance");
  expect(statement).toMatch(/After your contribution, that leaves you £[\d,]+\.\d{2} a week/);
  expect(await page.getByRole("link", { name: "download it as a PDF" }).count()).toBe(1);
  await checks.check();
  await shot("statement");

  if (javaScript) expect(checks.scriptErrors, checks.scriptErrors.join("\n")).toEqual([]);
  checks.expectClean();
  expect(checks.visited.length).toBeGreaterThanOrEqual(15);
  return checks.visited;
}

async function settingsPages(context: BrowserContext) {
  const page = await context.newPage();
  const checks = pageChecks(page);
  await signIn(page, checks, demoStaff("administrator"));
  await page.goto(`${server.baseUrl}/charging/settings`);
  expect(await h1(page)).toBe("Charging settings");
  await checks.check();
  await go(page, () => page.getByRole("button", { name: "Add a policy version" }).click());
  await checks.check();
  await go(page, () => page.getByRole("button", { name: "Add the policy version" }).click());
  expect(await page.locator(".govuk-error-summary").count()).toBe(1);
  await checks.check("Policy version, with errors");
  await page.goto(`${server.baseUrl}/charging/settings/figures/new`);
  await checks.check();

  // The yearly uprating (issue 12): choose next year, send it unconfirmed (errors), then confirm it.
  await page.goto(`${server.baseUrl}/charging/settings`);
  await go(page, () => page.getByRole("link", { name: "uprate the charging figures" }).click());
  expect(await h1(page)).toBe("Uprate the charging figures");
  await checks.check();
  await go(page, () =>
    page
      .getByRole("link", { name: /Financial year \d{4} to \d{4}/ })
      .last()
      .click(),
  );
  expect(await h1(page)).toMatch(/^Uprate the charging figures for \d{4} to \d{4}$/);
  await checks.check();
  await go(page, () => page.getByRole("button", { name: /^Confirm the figures/ }).click());
  expect(await page.locator(".govuk-error-summary").count()).toBe(1);
  await checks.check("Uprating, with errors");
  await page.getByLabel("Where these figures come from").fill("LAC(DHSC)(2027)1 Annex A");
  await page.getByLabel("I have checked every figure above against the circular").check();
  await go(page, () => page.getByRole("button", { name: /^Confirm the figures/ }).click());
  expect(await h1(page)).toBe("Charging settings");
  expect(await textOf(page.getByRole("main"))).toContain("The year's figures were added.");
  await checks.check("Charging settings, uprated");
  checks.expectClean();
}

describe("a finance officer completes a financial assessment and the money statement shows it", () => {
  it("with JavaScript on", async () => {
    const context = await browser.newContext();
    try {
      const visited = await financeOfficerJourney(context, true, "DEMO-00120");
      console.log(`JavaScript on: ${visited.length} pages checked`);
    } finally {
      await context.close();
    }
  });

  it("with JavaScript off, 320px wide", async () => {
    await withoutJavaScriptAt320(browser, async (context) => {
      const visited = await financeOfficerJourney(context, false, "DEMO-00121");
      console.log(`JavaScript off: ${visited.length} pages checked`);
    });
  });

  it("the council's charging settings pages, the yearly uprating among them, are accessible (JavaScript off, 320px)", async () => {
    await withoutJavaScriptAt320(browser, settingsPages);
  });
});
