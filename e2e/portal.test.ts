import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PERSON_ACCOUNTS } from "#/seed/accounts-seed.ts";
import { DEMO_PASSWORD } from "#/seed/seed.ts";
import { expectNoErrorSummary, textOf } from "./support/assessment.ts";
import { clickAndLoad, launchChromium, screenshot, withoutJavaScriptAt320 } from "./support/browser.ts";
import { pageChecks } from "./support/page-checks.ts";
import { demoStaff, startServer, type TestServer } from "./support/server.ts";

/**
 * People sign in too, in a browser: a demo person signs in at /my/sign-in, sees their care and support, reads
 * how their indicative budget was worked out and their eligibility decision, their money statement (what they
 * pay) and their budget (money in and out), agrees to a friend helping them,
 * and signs out; a social worker records a representative (the form sent empty first, every error linked to its
 * field) and makes a code. With JavaScript on, and off at 320px. Every page: axe WCAG 2.2 AA, one h1, a title,
 * no sideways scrolling.
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

async function personJourney(context: BrowserContext, email: string, javaScript: boolean): Promise<string[]> {
  const page = await context.newPage();
  const checks = pageChecks(page);

  // A person who is not signed in is sent to their own sign-in, never the staff one.
  await page.goto(`${server.baseUrl}/my`);
  expect(new URL(page.url()).pathname).toBe("/my/sign-in");
  expect(await h1(page)).toBe("Sign in to see your care and support");
  await checks.check();
  await clickAndLoad(page, page.getByRole("button", { name: "Sign in" }));
  expect(await page.locator(".govuk-error-summary").count()).toBe(1);
  await checks.check("Sign in with errors");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
  await clickAndLoad(page, page.getByRole("button", { name: "Sign in" }));
  await expectNoErrorSummary(page);

  expect(await h1(page)).toBe("Your care and support");
  const home = await textOf(page.locator("main"));
  expect(home).toContain("You are eligible for care and support");
  expect(home).toMatch(/Indicative budget £[\d,]+\.\d\d a week/);
  expect(home).toMatch(/Your support plan .*Support plan, version \d/); // features/planning lists the plan here
  await checks.check();

  await clickAndLoad(page, page.getByRole("link", { name: "See how your indicative budget was worked out" }));
  expect(await h1(page)).toBe("How the indicative budget was worked out");
  const working = await textOf(page.locator("main"));
  expect(working).toContain("Points for each answer");
  expect(working).toContain("The working, step by step");
  await checks.check();
  await screenshot(page, `/tmp/upfront-e2e-portal-${javaScript ? "js" : "nojs"}-working.png`);

  await clickAndLoad(page, page.getByRole("link", { name: "Read the eligibility decision" }).first());
  expect(await h1(page)).toBe("Your eligibility decision");
  await checks.check();
  await clickAndLoad(page, page.getByRole("link", { name: "Back" }));
  expect(await h1(page)).toBe("Your care and support");

  await clickAndLoad(page, page.getByRole("link", { name: "See the answers in your assessment" }));
  expect(await h1(page)).toBe("Your assessment");
  await checks.check();
  await clickAndLoad(page, page.getByRole("link", { name: "Your home" }));

  // Issue 12: what they pay (the money statement) and the money in and out of their budget.
  await clickAndLoad(page, page.getByRole("link", { name: /^See your money statement/ }));
  expect(await h1(page)).toBe("Your money statement");
  const statement = await textOf(page.locator("main"));
  expect(statement).toMatch(/You pay £[\d,]+\.\d\d a week/);
  expect(statement).toContain("Who pays for your care");
  expect(statement).toContain("Contact Demo Council");
  expect(statement).not.toMatch(/funding|deployment|\d{4}-\d\d-\d\d/i);
  await checks.check();
  await clickAndLoad(page, page.getByRole("link", { name: /^See your budget/ }));
  expect(await h1(page)).toBe("Your budget");
  const budget = await textOf(page.locator("main"));
  expect(budget).not.toMatch(/funding|deployment|\d{4}-\d\d-\d\d/i);
  if (budget.includes("Money in and out")) {
    // The budget holder (person2): their statement, money in and out from their side.
    expect(budget).toContain("Payment from the council");
    expect(budget).toMatch(/Card payment to [A-Z]/);
  }
  await checks.check();
  await screenshot(page, `/tmp/upfront-e2e-portal-${javaScript ? "js" : "nojs"}-budget.png`);
  await clickAndLoad(page, page.getByRole("link", { name: "Your home" }));

  // person1's friend waits for their agreement.
  const agree = page.getByRole("button", { name: "I agree to Sam Friend acting for me" });
  if ((await agree.count()) > 0) {
    await clickAndLoad(page, agree);
    expect(await textOf(page.locator(".govuk-notification-banner"))).toContain("You have agreed");
    expect(await textOf(page.locator("main"))).toContain("Can act for you now");
    await checks.check("Home, after agreeing");
    await clickAndLoad(page, page.getByRole("link", { name: /Stop them acting for you/ }));
    expect(await h1(page)).toBe("Stop Sam Friend acting for you");
    await checks.check();
    await clickAndLoad(page, page.getByRole("link", { name: "No, go back" }));
  }

  // Another person's page, by a guessed address: not found, in the person's own layout.
  await page.goto(`${server.baseUrl}/my/people/01900000-0000-7000-8000-000000000000`);
  expect(await h1(page)).toBe("Page not found");
  await checks.check("Not found");

  await clickAndLoad(page, page.getByRole("button", { name: "Sign out" }));
  expect(await h1(page)).toBe("Sign in to see your care and support");
  expect(await textOf(page.locator(".govuk-notification-banner"))).toContain("You have signed out");
  await checks.check("Signed out");

  if (javaScript) expect(checks.scriptErrors, checks.scriptErrors.join("\n")).toEqual([]);
  checks.expectClean();
  return checks.visited;
}

async function staffJourney(context: BrowserContext): Promise<string[]> {
  const page = await context.newPage();
  const checks = pageChecks(page);
  const staff = demoStaff("social_worker");
  await page.goto(`${server.baseUrl}/sign-in`);
  await page.getByLabel("Email address").fill(staff.email);
  await page.getByLabel("Password", { exact: true }).fill(staff.password);
  await clickAndLoad(page, page.getByRole("button", { name: "Sign in" }));
  // The first person in the list.
  await clickAndLoad(page, page.locator("main table a").first());
  const personPath = new URL(page.url()).pathname;
  await page.goto(`${server.baseUrl}${personPath}/online-access`);
  expect(await h1(page)).toBe("Online account and representatives");
  await checks.check();

  await clickAndLoad(page, page.getByRole("button", { name: "Add a representative" }));
  expect(await h1(page)).toBe("Add a representative");
  await checks.check();
  await clickAndLoad(page, page.getByRole("button", { name: "Add representative" }));
  const summary = page.locator(".govuk-error-summary");
  expect(await summary.count()).toBe(1);
  await checks.check("Add a representative, with errors");
  for (const link of await summary.getByRole("link").all()) {
    const target = (await link.getAttribute("href")) ?? "";
    expect(await page.locator(`[id="${target.slice(1)}"]`).count(), `the field ${target}`).toBe(1);
  }
  await page.getByLabel("Their name").fill("Ada Advocate");
  await page.getByLabel("Independent advocate (Care Act 2014, section 67)").check();
  await page.getByLabel("Ask for a decision to be looked at again").check();
  await clickAndLoad(page, page.getByRole("button", { name: "Add representative" }));
  await expectNoErrorSummary(page);
  expect(await textOf(page.locator("main"))).toContain("Representative recorded");
  await clickAndLoad(page, page.getByRole("button", { name: "Make a code for Ada Advocate" }));
  expect(await textOf(page.locator("#claim-code"))).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
  await checks.check("Code made");
  checks.expectClean();
  return checks.visited;
}

describe("people sign in too, in a browser", () => {
  it("with JavaScript on: a person, and the staff side", async () => {
    const context = await browser.newContext();
    try {
      const visited = await personJourney(context, DEMO_PERSON_ACCOUNTS[0]!.email, true);
      const staffContext = await browser.newContext();
      try {
        visited.push(...(await staffJourney(staffContext)));
      } finally {
        await staffContext.close();
      }
      console.log(`Portal, JavaScript on: ${visited.length} pages checked`);
    } finally {
      await context.close();
    }
  });

  it("with JavaScript off, 320px wide", async () => {
    await withoutJavaScriptAt320(browser, async (context) => {
      const visited = await personJourney(context, DEMO_PERSON_ACCOUNTS[1]!.email, false);
      console.log(`Portal, JavaScript off: ${visited.length} pages checked`);
    });
  });
});
