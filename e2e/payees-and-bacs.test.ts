import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { earliestPayDate } from "#/features/payments/pay-dates.calc.ts";
import { todayInLondon } from "#/platform/context.ts";
import { dateInWords } from "#/platform/date-words.calc.ts";
import { expectNoErrorSummary, textOf } from "./support/assessment.ts";
import { clickAndLoad, launchChromium, withoutJavaScriptAt320 } from "./support/browser.ts";
import { type PageChecks, pageChecks } from "./support/page-checks.ts";
import { demoStaff, startServer, type TestServer } from "./support/server.ts";

/**
 * Money paths that cannot dead-end (Upfront issue 12), in a browser on the live demo (the real date): a team
 * manager approves the plan waiting for them, so a second person has a live direct payment and no payee; a finance
 * officer prepares the payment run for the earliest pay date a Bacs file sent today can meet (what
 * `upfront payments run` uses, the README's example), finds that person's payment held, NAMED, with a link that
 * adds them as a payee with their bank details; a second finance officer approves the details, prepares the run
 * again (the held payment is made) and reviews it; the first approves it and downloads the Bacs Standard 18 file,
 * which pays the new payee. A pay date too soon is refused first, naming the earliest date in words. The new pages
 * are checked by axe (WCAG 2.2 AA), and the Add a payee page also with JavaScript off at 320px wide.
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
const main = (page: Page) => textOf(page.locator("main"));

async function signIn(page: Page, email: string, password: string) {
  await page.goto(`${server.baseUrl}/sign-in`);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await clickAndLoad(page, page.getByRole("button", { name: "Sign in" }));
  await expectNoErrorSummary(page);
}

async function signOut(page: Page) {
  await clickAndLoad(page, page.getByRole("button", { name: "Sign out" }));
}

/** The finance officers of the demo: the first and the second (maker-checker needs two). */
function financeOfficers() {
  const first = demoStaff("finance_officer");
  const second = { email: "finance.officer.2@demo.upfront.test", password: first.password };
  return { first, second };
}

/** The team manager approves the plan waiting for them: its person's personal budget goes live today. */
async function managerApprovesWaitingPlan(page: Page) {
  const manager = demoStaff("team_manager");
  await signIn(page, manager.email, manager.password);
  await clickAndLoad(page, page.getByRole("link", { name: "Approvals" }));
  expect(await h1(page)).toBe("Plans waiting for approval");
  await clickAndLoad(page, page.locator('main a[href^="/plans/"]').first());
  expect(await h1(page)).toMatch(/^Approve the support plan for /);
  await clickAndLoad(page, page.getByRole("button", { name: "Approve the plan" }));
  await expectNoErrorSummary(page);
  expect(await main(page)).toContain("The plan is agreed");
  await signOut(page);
}

async function prepareRun(page: Page, date: string) {
  await page.goto(`${server.baseUrl}/payments`);
  // A GOV.UK date input: day, month and year boxes in the "Pay date" fieldset.
  const [year, month, day] = date.split("-");
  const boxes = page.getByRole("group", { name: /^Pay date/ });
  await boxes.getByLabel("Day").fill(String(Number(day)));
  await boxes.getByLabel("Month").fill(String(Number(month)));
  await boxes.getByLabel("Year").fill(year!);
  await clickAndLoad(page, page.getByRole("button", { name: "Prepare the run" }));
}

async function addHeldPersonAsPayee(page: Page, checks: PageChecks): Promise<string> {
  // The held payment names the person and links to the page that fixes it.
  const held = page.locator("#held");
  expect(await textOf(held)).toMatch(/\b1 payment is held|\d+ payments are held/);
  const fix = held.getByRole("link", { name: /^Add them as a payee with bank details/ }).first();
  const name = /for (.+)$/.exec(await textOf(fix))?.[1]?.trim();
  expect(name).toBeTruthy();
  expect(await textOf(held)).toContain(name!);
  await clickAndLoad(page, fix);
  expect(await h1(page)).toBe(`Add ${name} as a payee`);
  await checks.check("Add a payee, for a held payment");

  await page.getByLabel("Name on the account").fill(name!);
  await page.getByLabel("Sort code").fill("30-94-21");
  await page.getByLabel("Account number").fill("31926819");
  await clickAndLoad(page, page.getByRole("button", { name: "Add the payee" }));
  await expectNoErrorSummary(page);
  expect(await textOf(page.locator(".govuk-notification-banner"))).toContain(
    `${name} has been added as a payee`,
  );
  await checks.check("Payees, one added");
  return name!;
}

async function downloadBacs(context: BrowserContext, page: Page): Promise<string> {
  const href = await page.getByRole("link", { name: /Bacs Standard 18 file/ }).getAttribute("href");
  expect(href).toBeTruthy();
  const response = await context.request.get(`${server.baseUrl}${href}`);
  expect(response.status()).toBe(200);
  return response.text();
}

describe("payees and the Bacs file in a browser", () => {
  it("rule (issue 12): a held payment names the person; they are added as a payee, approved by a second officer, and the run for the earliest workable date downloads as a Bacs file that pays them", async () => {
    const payDate = earliestPayDate(todayInLondon(), "england-and-wales");
    const { first, second } = financeOfficers();
    const context = await browser.newContext();
    const page = await context.newPage();
    const checks = pageChecks(page);

    await managerApprovesWaitingPlan(page);

    // A finance officer: a date too soon is refused, naming the earliest in words; the earliest works.
    await signIn(page, first.email, first.password);
    await prepareRun(page, todayInLondon());
    expect(await textOf(page.locator(".govuk-error-summary"))).toContain(
      `The pay date is too soon for a Bacs payment made today: choose ${dateInWords(payDate)} or later`,
    );
    await checks.check("Payments, pay date too soon");
    await prepareRun(page, payDate);
    await expectNoErrorSummary(page);
    expect(await h1(page)).toMatch(new RegExp(`^Payment run \\d+ for ${dateInWords(payDate)}$`));
    await checks.check("Payment run with a held payment");
    const name = await addHeldPersonAsPayee(page, checks);
    await signOut(page);

    // The second finance officer approves the bank details, prepares the run again and reviews it.
    await signIn(page, second.email, second.password);
    await page.goto(`${server.baseUrl}/payments`);
    expect(await main(page)).toContain(name);
    await clickAndLoad(page, page.getByRole("button", { name: `Approve these bank details for ${name}` }));
    await expectNoErrorSummary(page);
    await checks.check("Payments, bank details approved");
    await prepareRun(page, payDate);
    await expectNoErrorSummary(page);
    const runUrl = page.url().split("?")[0]!;
    expect(await main(page)).not.toMatch(/is held|are held/);
    await clickAndLoad(page, page.getByRole("button", { name: "Mark as reviewed" }));
    expect(await main(page)).toContain("a different finance officer must approve it");
    await signOut(page);

    // The first approves the run and downloads the Bacs file.
    await signIn(page, first.email, first.password);
    await page.goto(runUrl);
    await clickAndLoad(page, page.getByRole("button", { name: "Approve the run" }));
    expect(await main(page)).toContain("You have approved the run");
    await checks.check("Payment run approved");
    const bacs = await downloadBacs(context, page);
    const records = bacs.split("\r\n").filter(Boolean);
    expect(records[0]).toMatch(/^VOL1/);
    expect(records.map((r) => r.slice(0, 4))).toEqual(
      expect.arrayContaining(["VOL1", "HDR1", "HDR2", "UHL1", "EOF1", "EOF2", "UTL1"]),
    );
    // The new payee's credit: sort code, account number, type 0, transaction code 99, their name in capitals.
    const credit = records.find((r) => r.startsWith("30942131926819099"));
    expect(credit, bacs).toBeDefined();
    expect(credit!.length).toBe(100);
    expect(credit!.slice(82).trim()).toBe(
      name
        .toUpperCase()
        .replace(/[^A-Z0-9 .&/-]/g, "")
        .slice(0, 18)
        .trim(),
    );
    await signOut(page);
    await context.close();

    checks.expectClean();
    expect(checks.scriptErrors, checks.scriptErrors.join("\n")).toEqual([]);
    console.log(`Payees and the Bacs file: ${checks.visited.length} pages checked`);
  });

  it("with JavaScript off, 320px wide: the Add a payee page, sent empty, lists every problem", async () => {
    await withoutJavaScriptAt320(browser, async (context) => {
      const page = await context.newPage();
      const checks = pageChecks(page);
      const { first } = financeOfficers();
      await signIn(page, first.email, first.password);
      await page.goto(`${server.baseUrl}/payees`);
      await clickAndLoad(page, page.getByRole("button", { name: "Add a payee" }));
      expect(await h1(page)).toBe("Add a payee");
      await checks.check("Add a payee");
      await clickAndLoad(page, page.getByRole("button", { name: "Add the payee" }));
      const summary = page.locator(".govuk-error-summary");
      expect(await summary.count()).toBe(1);
      expect(await summary.getByRole("link").count()).toBeGreaterThanOrEqual(4);
      expect(await textOf(summary)).not.toMatch(/accountNumber|sortCode|personId|kind:/);
      await checks.check("Add a payee with errors");
      checks.expectClean();
    });
  });
});
