import type { AddressInfo } from "node:net";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "#/app.ts";
import { insertTenant } from "#/features/tenants/repository.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import { withSystem } from "#/platform/db/tenant.ts";
import { databaseFor } from "../test/databases.ts";
import { expectNoErrorSummary, textOf } from "./support/assessment.ts";
import { clickAndLoad, launchChromium, screenshot, withoutJavaScriptAt320 } from "./support/browser.ts";
import { pageChecks } from "./support/page-checks.ts";
import { serverEngine } from "./support/server.ts";

/**
 * "Estimate what you might pay" in a browser, as a citizen (or someone helping them) meets it, with JavaScript
 * on and with it off on a phone-sized screen. A Welsh council on 2 June 2025 (the Wales 2025-26 pack): from the
 * service's start page, About you (sent empty first, with its errors), then at once an estimate the rules cannot
 * give unless savings are over the £24,000 limit (the council works out the Welsh minimum income amount: said
 * plainly, with what to do), savings under it (refused, nothing more asked), then savings over it (WSI 2017/214
 * reg 3), which skips the income pages, check your answers with Back, and the estimate: the full cost capped at
 * the £100 weekly maximum (WSI 2020/131). Then on 23 November 2026 (England 2026-27): Demo Council, whose
 * supplied figures stand in for those the pack could not confirm, through every page, with amounts entered
 * monthly and yearly: a full estimate, every step cited; Other Council, with no figures of its own, whose start
 * page lists who cannot be estimated, and which refuses a 40-year-old straight after About you. Last, a date
 * before any rules, whose start page says no estimate can be given online at the moment. Every page: axe WCAG
 * 2.2 AA, one h1, a title, no sideways scrolling.
 */

const WALES_DAY = "2025-06-02";
const ENGLAND_DAY = "2026-11-23"; // test/today.ts
const BEFORE_ANY_RULES = "2023-06-01";
/** The app's date: each part of the journey sets the day it is about. */
let today = WALES_DAY;

let baseUrl: string;
let stop: () => Promise<void>;
let browser: Browser;

/** The app over a copy of the live demo (on serverEngine) with a Welsh council added, its date fixed. */
async function startServer() {
  const database = await databaseFor(serverEngine, "live-demo");
  // The tenants service creates English councils only so far.
  await withSystem(database.db, (trx) =>
    insertTenant(trx, {
      tenant_id: uuidv7(),
      slug: "west-wales",
      name: "West Wales Council",
      jurisdiction: "wales",
    }),
  );
  const app = await buildApp({
    config: { sessionSecret: "e2e-".repeat(10), cookieSecure: true, logLevel: "warn", env: "test" },
    db: database.appDb,
    today: () => today,
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  stop = async () => {
    await app.close();
    await database.drop();
  };
}

beforeAll(async () => {
  [, browser] = await Promise.all([startServer(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await stop?.();
});

const h1 = (page: Page) => textOf(page.getByRole("heading", { level: 1 }));

/** Enters an amount, and how often it is paid, in the group whose legend is `name`. */
async function amount(page: Page, name: string | RegExp, pounds: string, often?: string) {
  const group = page.getByRole("group", { name, exact: true });
  await group.getByLabel("Amount").fill(pounds);
  if (often) await group.getByLabel("How often").selectOption({ label: often });
}

/** Picks an answer in the radios whose question (legend) matches. */
const choose = (page: Page, question: RegExp, answer: string) =>
  page.getByRole("group", { name: question }).getByLabel(answer, { exact: true }).check();

async function journey(context: BrowserContext, javaScript: boolean): Promise<string[]> {
  const page = await context.newPage();
  const checks = pageChecks(page);
  const continueButton = page.getByRole("button", { name: "Continue" });
  const next = async () => {
    await clickAndLoad(page, continueButton);
    await expectNoErrorSummary(page);
    await checks.check();
  };

  // From the service's start page to the council's start page: no sign-in anywhere.
  await page.goto(`${baseUrl}/`);
  await clickAndLoad(page, page.getByRole("link", { name: "Estimate what you might pay towards your care" }));
  expect(await h1(page)).toBe("Choose your council");
  await checks.check();
  await clickAndLoad(page, page.getByRole("link", { name: "West Wales Council" }));
  expect(await h1(page)).toBe("Estimate what you might pay towards your care");
  const enhanced = await page.evaluate(() => document.body.classList.contains("govuk-frontend-supported"));
  expect(enhanced, "GOV.UK Frontend's scripts ran (or, with JavaScript off, did not)").toBe(javaScript);
  const start = await textOf(page.locator("main"));
  expect(start).toContain("This is only an estimate. It is not a decision.");
  expect(start).toContain("can only give an amount if your savings and other capital are over £24,000.00");
  await checks.check();

  // About you, sent empty: the error summary, each error linked to its field.
  await clickAndLoad(page, page.getByRole("button", { name: "Start now" }));
  expect(await h1(page)).toBe("About you");
  await checks.check();
  await clickAndLoad(page, continueButton);
  const summary = page.locator(".govuk-error-summary");
  expect(await summary.count()).toBe(1);
  expect(await page.title()).toMatch(/^Error: /);
  if (javaScript) expect(await summary.evaluate((el) => el === document.activeElement)).toBe(true);
  await checks.check("About you with errors");
  for (const link of await summary.getByRole("link").all()) {
    const target = (await link.getAttribute("href")) ?? "";
    expect(await page.locator(`[id="${target.slice(1)}"]`).count(), `the field ${target}`).toBe(1);
  }

  await page.getByLabel("How old are you?").fill("70");
  await choose(page, /^Have you reached State Pension age/, "Yes");
  await choose(page, /partner who lives with you/, "No");
  await page.getByLabel(/How many children/).fill("0");
  // In Wales the council works out the minimum income amount: said at once, after the first page.
  await clickAndLoad(page, continueButton);
  expect(await h1(page)).toBe("We cannot estimate what you might pay");
  await checks.check("No estimate unless savings are over the limit");
  let refused = await textOf(page.locator("main"));
  expect(refused).toContain(
    "It can only give an amount if your savings and other capital are over £24,000.00",
  );
  expect(refused).toContain("The least income you must be left with each week is worked out by the council");
  expect(refused).toContain("Ask West Wales Council for a financial assessment");
  await page.getByText("Why, in detail").click();
  await checks.check("No estimate, details open");

  // Savings under the limit: refused, nothing more to ask.
  await clickAndLoad(
    page,
    page.getByRole("button", { name: "Continue if your savings are over £24,000.00" }),
  );
  expect(await h1(page)).toBe("Your savings and property");
  await page.getByLabel(/savings and investments/).fill("1,000");
  await choose(page, /own, or part-own, the home/, "No");
  await clickAndLoad(page, continueButton);
  expect(await h1(page)).toBe("We cannot estimate what you might pay");
  await checks.check("No estimate");
  refused = await textOf(page.locator("main"));
  expect(refused).toContain("You do not need to answer any more questions");

  // Savings over the limit: the income pages are not asked, and the estimate is the capped full cost.
  await clickAndLoad(page, page.getByRole("button", { name: "Change your answers", exact: true }));
  expect(await h1(page)).toBe("Your savings and property");
  await page.getByLabel(/savings and investments/).fill("30000");
  await next();
  expect(await h1(page)).toBe("The cost of your care");
  await amount(page, /How much does your care and support cost/, "150");
  await next();
  expect(await h1(page)).toBe("Check your answers");

  // Back from check answers shows the last page with its answer; Continue comes back.
  await clickAndLoad(page, page.getByRole("button", { name: "Back" }));
  expect(await h1(page)).toBe("The cost of your care");
  expect(
    await page
      .getByRole("group", { name: /How much does your care and support cost/ })
      .getByLabel("Amount")
      .inputValue(),
  ).toBe("150");
  await next();
  expect(await h1(page)).toBe("Check your answers");
  const check = await textOf(page.locator("main"));
  expect(check).toContain("you were not asked about your income");
  expect(check).not.toContain("Your benefits");

  await clickAndLoad(page, page.getByRole("button", { name: "Get your estimate" }));
  expect(await h1(page)).toBe("Your estimate");
  await checks.check();
  const result = await textOf(page.locator("main"));
  expect(result).toContain("This is an estimate, not a decision.");
  expect(result).toContain("You might pay about £100.00 a week towards the cost of your care");
  expect(result).toContain("West Wales Council would pay £50.00 a week");
  expect(result).toContain("The law caps the weekly charge at £100.00");
  expect(result).toContain("Rounding");
  const steps = page
    .getByRole("heading", { name: /Every step/ })
    .locator("xpath=following-sibling::ol[1]/li");
  expect(await steps.count()).toBeGreaterThanOrEqual(3);
  await screenshot(page, `/tmp/upfront-e2e-pay-${javaScript ? "js" : "nojs"}-result.png`);

  // England 2026-27: a council that supplies the figures the rule pack could not confirm: a full estimate.
  today = ENGLAND_DAY;
  await page.goto(`${baseUrl}/demo/pay-estimate`);
  expect(await textOf(page.locator("main"))).not.toContain("can only give an amount");
  expect(await textOf(page.locator("main"))).not.toContain("do not yet cover everyone");
  await checks.check("England start page");
  await clickAndLoad(page, page.getByRole("button", { name: "Start now" }));
  await page.getByLabel("How old are you?").fill("45");
  await choose(page, /^Have you reached State Pension age/, "No");
  await choose(page, /partner who lives with you/, "No");
  await page.getByLabel(/How many children/).fill("0");
  await page.getByLabel("Personal Independence Payment (PIP), either part, at any rate").check();
  await page.getByLabel("PIP daily living at the enhanced rate").check();
  await next();
  expect(await h1(page)).toBe("Your savings and property");
  await page.getByLabel(/savings and investments/).fill("16000");
  await choose(page, /own, or part-own, the home/, "Yes");
  await next();
  expect(await h1(page)).toBe("Your benefits");
  await amount(page, "Employment and Support Allowance (ESA)", "140.55");
  await amount(page, "Personal Independence Payment (PIP): daily living part", "441.60", "every 4 weeks");
  await next();
  expect(await h1(page)).toBe("Pensions, earnings and other income");
  await next(); // no pensions, earnings or other income
  expect(await h1(page)).toBe("Your housing costs");
  await amount(page, "Council Tax", "780", "a year");
  await next();
  expect(await h1(page)).toBe("Extra costs because of a disability or illness");
  await page.getByLabel(/standard weekly amount instead of listing them/).check();
  await next();
  expect(await h1(page)).toBe("The cost of your care");
  await amount(page, /How much does your care and support cost/, "1,040", "a month");
  await next();
  expect(await h1(page)).toBe("Check your answers");
  const answers = await textOf(page.locator("main"));
  expect(answers).toContain("£441.60 every 4 weeks (£110.40 a week)");
  expect(answers).toContain("£780.00 a year (£15.00 a week)");
  expect(answers).toContain("£1,040.00 a month (£240.00 a week)");
  await clickAndLoad(page, page.getByRole("button", { name: "Get your estimate" }));
  expect(await h1(page)).toBe("Your estimate");
  await checks.check("Full estimate");
  const full = await textOf(page.locator("main"));
  expect(full).toMatch(/You might pay about £\d+\.\d\d a week towards the cost of your care/);
  expect(full).toContain("supplied by the council");
  expect(full).toContain("The home you live in is not counted, because your care is at home");
  expect(full).toContain("Enhanced disability premium: included");
  expect(
    await page.getByRole("table").filter({ hasText: "Income counted" }).locator("tbody tr").count(),
  ).toBe(2);
  await screenshot(page, `/tmp/upfront-e2e-pay-${javaScript ? "js" : "nojs"}-full.png`);

  // A council with no figures of its own: the start page lists who cannot be estimated, before "Start now",
  // and a person aged 25 to State Pension age is told straight after the first page.
  await page.goto(`${baseUrl}/other/pay-estimate`);
  const partial = await textOf(page.locator("main"));
  expect(partial).toContain("Other Council's figures do not yet cover everyone");
  expect(partial).toContain("people aged 25 to State Pension age");
  await checks.check("Partial start page");
  await clickAndLoad(page, page.getByRole("button", { name: "Start now" }));
  await page.getByLabel("How old are you?").fill("40");
  await choose(page, /^Have you reached State Pension age/, "No");
  await choose(page, /partner who lives with you/, "No");
  await page.getByLabel(/How many children/).fill("0");
  await page.getByLabel("None of these").check();
  await clickAndLoad(page, continueButton);
  expect(await h1(page)).toBe("We cannot estimate what you might pay");
  expect(await textOf(page.locator("main"))).toContain(
    "Other Council's figures do not yet cover people aged 25 to State Pension age",
  );
  await checks.check("Refused after About you");

  // Before any rules: the start page says no estimate can be given, and offers no start.
  today = BEFORE_ANY_RULES;
  await page.goto(`${baseUrl}/other/pay-estimate`);
  expect(await textOf(page.locator("main"))).toContain("You cannot get an estimate online at the moment");
  expect(await page.getByRole("button", { name: "Start now" }).count()).toBe(0);
  await checks.check("No estimate online");
  today = WALES_DAY;

  expect((await context.cookies()).map((c) => c.name)).toEqual(["upfront_csrf"]);
  if (javaScript) expect(checks.scriptErrors, checks.scriptErrors.join("\n")).toEqual([]);
  checks.expectClean();
  return checks.visited;
}

describe("estimate what you might pay, in a browser", () => {
  it("with JavaScript on", async () => {
    const context = await browser.newContext();
    try {
      const visited = await journey(context, true);
      console.log(`Pay estimator, JavaScript on: ${visited.length} pages checked`);
    } finally {
      await context.close();
    }
  });

  // Without JavaScript, and 320 CSS pixels wide (the width WCAG's reflow rule names).
  it("with JavaScript off, 320px wide", async () => {
    await withoutJavaScriptAt320(browser, async (context) => {
      const visited = await journey(context, false);
      console.log(`Pay estimator, JavaScript off: ${visited.length} pages checked`);
    });
  });
});
