import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerEveryQuestion, answerQuestionPage, eligiblePerson, textOf } from "./support/assessment.ts";
import { launchChromium, screenshot, withoutJavaScriptAt320 } from "./support/browser.ts";
import { type PageChecks, pageChecks } from "./support/page-checks.ts";
import { demoStaff, startServer, type TestServer } from "./support/server.ts";

/**
 * The cycle as a social worker meets it in a browser, with JavaScript on and with it off: sign in, find the
 * person, answer every question page, check and submit, read the decision and the allocation's working.
 * axe checks every page visited against WCAG 2.2 AA, and every page must have one h1 and a title.
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

async function signIn(page: Page, checks: PageChecks, who: { email: string; password: string }) {
  await page.goto(`${server.baseUrl}/`);
  await checks.check();
  await page.getByRole("button", { name: "Sign in" }).click();
  expect(await textOf(page.getByRole("heading", { level: 1 }))).toBe("Sign in");
  await checks.check();
  await page.getByLabel("Email address").fill(who.email);
  await page.getByLabel("Password", { exact: true }).fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForLoadState("load");
}

/** A person with no assessment yet, not one used already: from the list, page by page. */
async function personWithoutAssessment(page: Page, exclude: Set<string>): Promise<string> {
  for (let pages = 0; pages < 20; pages++) {
    const rows = page.getByRole("row").filter({ hasText: "No assessment yet" });
    for (const row of await rows.all()) {
      const name = await textOf(row.getByRole("link").first());
      if (!exclude.has(name)) return name;
    }
    const next = page.getByRole("link", { name: /^next/i });
    if ((await next.count()) === 0) break;
    await next.first().click();
    await page.waitForLoadState("load");
  }
  throw new Error("The list of people has nobody without an assessment: the demo seed has changed");
}

/**
 * Every "Change" link on "Check your answers" goes to a page with the field its #fragment names, so the
 * person lands on the question itself. Fetched over HTTP with the browser's cookies: one request a page.
 */
async function expectChangeLinksLandOnTheirQuestions(page: Page, context: BrowserContext) {
  const hrefs = await page
    .getByRole("link", { name: /^change/i })
    .evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
  expect(hrefs.length, "Change links").toBeGreaterThanOrEqual(20);
  const pages = new Map<string, string[]>();
  for (const href of hrefs) {
    const url = new URL(href);
    const fragments = pages.get(url.pathname + url.search) ?? [];
    if (url.hash) fragments.push(decodeURIComponent(url.hash.slice(1)));
    pages.set(url.pathname + url.search, fragments);
  }
  const missing: string[] = [];
  for (const [path, fragments] of pages) {
    const response = await context.request.get(`${server.baseUrl}${path}`);
    expect(response.status(), path).toBe(200);
    const html = await response.text();
    for (const id of fragments) if (!html.includes(`id="${id}"`)) missing.push(`${path}#${id}`);
  }
  expect(missing, `Change links to fields that are not on their page:\n${missing.join("\n")}`).toEqual([]);
}

const usedPeople = new Set<string>();
const POUNDS = /£\d{1,3}(,\d{3})*\.\d{2}/;

async function socialWorkerJourney(context: BrowserContext, javaScript: boolean) {
  const page = await context.newPage();
  const checks = pageChecks(page);
  const shot = (name: string) =>
    screenshot(page, `/tmp/upfront-e2e-${javaScript ? "js" : "nojs"}-${name}.png`);

  // Sign in: the social worker lands on the list of people.
  await signIn(page, checks, demoStaff("social_worker"));
  expect(new URL(page.url()).pathname).toBe("/people");
  await checks.check();
  // GOV.UK Frontend marks the body once its JavaScript runs: proof of which journey this is.
  const enhanced = await page.evaluate(() => document.body.classList.contains("govuk-frontend-supported"));
  expect(enhanced).toBe(javaScript);

  // Find a person by searching for their name.
  const name = await personWithoutAssessment(page, usedPeople);
  usedPeople.add(name);
  await page.getByLabel("Search by name or reference").fill(name);
  await page.getByRole("button", { name: "Search" }).click();
  await page.waitForLoadState("load");
  expect(page.url()).toContain("search=");
  await checks.check();
  await shot("people-search");
  await page.getByRole("link", { name, exact: true }).click();
  await page.waitForLoadState("load");
  expect(await textOf(page.getByRole("heading", { level: 1 }))).toBe(name);
  await checks.check();

  // Start the assessment: the task list.
  await page.getByRole("button", { name: /start a new assessment/i }).click();
  await page.waitForLoadState("load");
  expect(new URL(page.url()).pathname).toMatch(/^\/assessments\/[^/]+$/);
  await checks.check("Task list");
  const assessmentPath = new URL(page.url()).pathname;

  // The first section; pressing on without answering shows the errors, which must be accessible too.
  await page.locator(".govuk-task-list a").first().click();
  await page.waitForLoadState("load");
  await checks.check();
  await page.getByRole("button", { name: /save and continue/i }).click();
  await page.waitForLoadState("load");
  const summary = page.locator(".govuk-error-summary");
  await expect(summary.count()).resolves.toBe(1);
  expect(await page.title()).toMatch(/^Error: /);
  if (javaScript) {
    // GOV.UK Frontend moves focus to the summary, so a screen reader announces it.
    await expect(summary.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
  }
  await checks.check("Question page with errors");
  // Each error links to its field.
  const errorLinks = await summary.getByRole("link").all();
  expect(errorLinks.length).toBeGreaterThan(0);
  for (const link of errorLinks) {
    const target = (await link.getAttribute("href")) ?? "";
    expect(target, `error link ${await textOf(link)}`).toMatch(/^#./);
    expect(await page.locator(`[id="${target.slice(1)}"]`).count(), `the field ${target} on the page`).toBe(
      1,
    );
  }

  // Every question page, then check the answers.
  await answerQuestionPage(page, eligiblePerson);
  const record = await answerEveryQuestion(page, eligiblePerson, () => checks.check());
  expect(record.length, "question pages answered").toBeGreaterThanOrEqual(10);
  // Came to "Check your answers" by the last page's "Save and continue"; answerEveryQuestion checked it.
  expect(new URL(page.url()).pathname).toBe(`${assessmentPath}/check-answers`);
  expect(await textOf(page.getByRole("heading", { level: 1 }))).toBe("Check your answers");
  await shot("check-answers");
  if (javaScript) await expectChangeLinksLandOnTheirQuestions(page, context);

  // Submit: the submitted assessment says eligible, with a weekly amount.
  await page.getByRole("button", { name: /submit/i }).click();
  await page.waitForLoadState("load");
  expect(new URL(page.url()).pathname).toBe(assessmentPath);
  await checks.check("Submitted assessment");
  const submitted = await textOf(page.locator("main"));
  expect(submitted).toContain("Assessment submitted");
  expect(submitted).toMatch(/Eligible for care and support\s+Yes/);
  expect(submitted).toMatch(new RegExp(`${POUNDS.source} a week`));

  // The written decision.
  await page.getByRole("link", { name: /eligibility decision/i }).click();
  await page.waitForLoadState("load");
  expect(new URL(page.url()).pathname).toBe(`${assessmentPath}/decision`);
  await checks.check();
  await shot("decision");
  const decision = await textOf(page.locator("main"));
  expect(decision).toMatch(/\beligible\b/i);
  expect(decision).not.toMatch(/not eligible/i);
  expect(decision.match(/\bMet\b/g)?.length, "all 3 parts of the rules met").toBe(3);
  expect(decision).toMatch(new RegExp(`indicative budget is ${POUNDS.source} a week`));

  // The allocation's working: points line by line, the amount, and the steps.
  await page.getByRole("link", { name: /how the indicative budget was worked out/i }).click();
  await page.waitForLoadState("load");
  expect(new URL(page.url()).pathname).toBe(`${assessmentPath}/allocation`);
  await checks.check();
  await shot("allocation");
  const weekly = await textOf(page.locator(".govuk-summary-list__row", { hasText: "A week" }).first());
  expect(weekly).toMatch(POUNDS);
  const pointsTable = page.getByRole("table").filter({ hasText: "Points for each answer" });
  const lines = pointsTable.locator("tbody tr");
  expect(await lines.count(), "one working line per graded answer").toBeGreaterThanOrEqual(10);
  expect(await textOf(lines.first())).toMatch(/\d$/);
  const totalRow = await textOf(pointsTable.locator("tfoot"));
  expect(totalRow).toMatch(/Total points\s+[1-9]\d*/);
  const steps = page
    .getByRole("heading", { name: /step by step/i })
    .locator("xpath=following-sibling::ol[1]/li");
  expect(await steps.count(), "the working, step by step").toBeGreaterThanOrEqual(3);
  expect(await steps.allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(POUNDS)]));

  if (javaScript) expect(checks.scriptErrors, checks.scriptErrors.join("\n")).toEqual([]);
  checks.expectClean();
  expect(checks.visited.length).toBeGreaterThanOrEqual(18);
  return checks.visited;
}

describe("a social worker assesses a person, in a browser", () => {
  it("with JavaScript on", async () => {
    const context = await browser.newContext();
    try {
      const visited = await socialWorkerJourney(context, true);
      console.log(`JavaScript on: ${visited.length} pages checked`);
    } finally {
      await context.close();
    }
  });

  // Without JavaScript, and on a phone-sized screen: 320 CSS pixels is the width WCAG's reflow rule names.
  it("with JavaScript off, 320px wide", async () => {
    await withoutJavaScriptAt320(browser, async (context) => {
      const visited = await socialWorkerJourney(context, false);
      console.log(`JavaScript off: ${visited.length} pages checked`);
    });
  });
});

describe("roles", () => {
  it("a commissioner is refused the people pages, on an accessible page", async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const checks = pageChecks(page);
      await signIn(page, checks, demoStaff("commissioner"));
      const response = await page.goto(`${server.baseUrl}/people`);
      expect(response?.status()).toBe(403);
      expect(await textOf(page.getByRole("heading", { level: 1 }))).toBe("You cannot see this page");
      await checks.check();
      await screenshot(page, "/tmp/upfront-e2e-commissioner-403.png");
      // Their account page still works.
      await page.getByRole("link", { name: "Your account" }).click();
      await page.waitForLoadState("load");
      expect(await textOf(page.locator("main"))).toContain("Commissioner");
      await checks.check();
      checks.expectClean();
    } finally {
      await context.close();
    }
  });
});
