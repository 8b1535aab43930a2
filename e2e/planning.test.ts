import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PERSON_ACCOUNTS } from "#/seed/accounts-seed.ts";
import { DEMO_PASSWORD } from "#/seed/seed.ts";
import { expectNoErrorSummary, textOf } from "./support/assessment.ts";
import { clickAndLoad, launchChromium, withoutJavaScriptAt320 } from "./support/browser.ts";
import { pageChecks } from "./support/page-checks.ts";
import { addMarketSupport } from "./support/planning.ts";
import { demoStaff, startServer, type TestServer } from "./support/server.ts";

/**
 * Support planning in a browser (Upfront issue 5): a person (or a family member acting for them) writes the
 * plan's outcomes, a risk and the contingency plan; a support planner adds a support and sends it for approval;
 * a team manager sees the plan, its budget fit and split, and approves it; the personal budget appears, and the
 * person reads the agreed plan. With JavaScript on (person1's own draft), and off at 320px wide (the
 * representative starting a plan for the person they help). Every page: axe WCAG 2.2 AA, one h1, a title, no
 * sideways scrolling.
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

type Checks = ReturnType<typeof pageChecks>;

async function signInPerson(page: Page, email: string) {
  await page.goto(`${server.baseUrl}/my/sign-in`);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
  await clickAndLoad(page, page.getByRole("button", { name: "Sign in" }));
  await expectNoErrorSummary(page);
}

async function signInStaff(page: Page, role: string) {
  const staff = demoStaff(role);
  await page.goto(`${server.baseUrl}/sign-in`);
  await page.getByLabel("Email address").fill(staff.email);
  await page.getByLabel("Password", { exact: true }).fill(staff.password);
  await clickAndLoad(page, page.getByRole("button", { name: "Sign in" }));
  await expectNoErrorSummary(page);
}

async function signOut(page: Page) {
  await clickAndLoad(page, page.getByRole("button", { name: "Sign out" }));
}

/** The person (or their representative) opens the plan, writes an outcome, a risk and the contingency plan. */
async function personWrites(page: Page, checks: Checks, who: "self" | "representative"): Promise<string> {
  if (who === "self") {
    expect(await h1(page)).toBe("Your care and support");
    await clickAndLoad(page, page.getByRole("link", { name: /^Support plan, version 1/ }));
  } else {
    expect(await h1(page)).toBe("People you help");
    await clickAndLoad(page, page.locator("main ul.govuk-list a").first());
    await clickAndLoad(page, page.getByRole("link", { name: /^Start .* support plan$/ }));
    expect(await h1(page)).toBe("Support plan");
    await checks.check("Plans, none yet");
    await clickAndLoad(page, page.getByRole("button", { name: "Start a support plan" }));
  }
  const planPath = new URL(page.url()).pathname;
  expect(planPath).toMatch(/^\/my\/people\/[0-9a-f-]{36}\/plans\/[0-9a-f-]{36}$/);
  expect(await main(page)).toContain("Budget fit");
  await checks.check("Plan overview");

  await clickAndLoad(page, page.getByRole("link", { name: "Add an outcome" }));
  await clickAndLoad(page, page.getByRole("button", { name: "Save the outcome" }));
  const summary = page.locator(".govuk-error-summary");
  expect(await summary.count()).toBe(1);
  for (const link of await summary.getByRole("link").all()) {
    const target = (await link.getAttribute("href")) ?? "";
    expect(await page.locator(`[id="${target.slice(1)}"]`).count(), `the field ${target}`).toBe(1);
  }
  await checks.check("Add an outcome, with errors");
  await page.getByLabel(/want to achieve\?/).fill("Get to the Saturday market with a friend");
  await page.getByLabel("How will we know it is happening?").fill("Going most Saturdays");
  await clickAndLoad(page, page.getByRole("button", { name: "Save the outcome" }));
  await expectNoErrorSummary(page);
  expect(await main(page)).toContain("Get to the Saturday market with a friend");

  await clickAndLoad(page, page.getByRole("link", { name: "Add a risk" }));
  await checks.check("Add a risk");
  await page.getByLabel("What is the risk?").fill("Getting lost on the way home");
  await page.getByLabel("How is it handled?").fill("A phone with the route saved, and a friend to call");
  await clickAndLoad(page, page.getByRole("button", { name: "Save the risk" }));
  await expectNoErrorSummary(page);

  await clickAndLoad(page, page.getByRole("link", { name: "Change the contingency plan" }));
  expect(await h1(page)).toBe("What happens if the support breaks down");
  await checks.check("Contingency plan");
  await page.getByLabel("What happens if the support breaks down").fill("My brother can step in for a week.");
  await clickAndLoad(page, page.getByRole("button", { name: "Save" }));
  await expectNoErrorSummary(page);
  const overview = await main(page);
  expect(overview).toMatch(
    who === "self"
      ? /\(the person\) Wrote the contingency plan/
      : /\(someone who acts for the person\) Wrote the contingency plan/,
  );
  await checks.check("Plan overview, written");
  return planPath.split("/").at(-1)!;
}

/** The support planner adds a support from the plan's pages and sends the plan for approval. */
async function plannerAddsAndSends(page: Page, checks: Checks, planId: string) {
  await page.goto(`${server.baseUrl}/plans/${planId}`);
  expect(await main(page)).toContain("Budget fit");
  await checks.check("Staff plan overview");
  await clickAndLoad(page, page.getByRole("link", { name: "Add support" }));
  expect(await h1(page)).toBe("Add a support");
  await checks.check("Add a support");
  await addMarketSupport(page);
  await expectNoErrorSummary(page);
  const overview = await main(page);
  expect(overview).toContain("2 hours a week × £12.50 an hour = £25.00 a week");
  expect(overview).toContain("Pat Planner (council staff) Added the support");

  await clickAndLoad(page, page.getByRole("button", { name: "Check the plan and send it for approval" }));
  expect(await h1(page)).toBe("Check the plan before it goes for approval");
  await checks.check("Check the plan");
  await clickAndLoad(page, page.getByRole("button", { name: "Send for approval" }));
  await expectNoErrorSummary(page);
  expect(await main(page)).toContain("The plan has been sent for approval");
  await checks.check("Sent for approval");
}

/** A team manager approves it from the queue; the personal budget appears. */
async function managerApproves(page: Page, checks: Checks, planId: string): Promise<string> {
  await clickAndLoad(page, page.getByRole("link", { name: "Approvals" }));
  expect(await h1(page)).toBe("Plans waiting for approval");
  await checks.check("Approvals");
  await clickAndLoad(page, page.locator(`main a[href^="/plans/${planId}/"]`));
  expect(await h1(page)).toMatch(/^Approve the support plan for /);
  const approvePage = await main(page);
  expect(approvePage).toContain("Budget fit");
  expect(approvePage).toContain("Planned cost");
  expect(approvePage).toContain("Getting lost on the way home");
  await checks.check("Approve a plan");
  await clickAndLoad(page, page.getByRole("button", { name: "Approve the plan" }));
  await expectNoErrorSummary(page);
  const overview = await main(page);
  expect(overview).toContain("The plan is agreed");
  const amount = /The personal budget Amount (£[\d,]+\.\d\d) a week/.exec(overview)?.[1];
  expect(amount).toBeDefined();
  await checks.check("Plan agreed");
  return amount!;
}

/** The person reads their agreed plan, with the budget. */
async function personReadsAgreed(page: Page, checks: Checks, amount: string) {
  await clickAndLoad(page, page.getByRole("link", { name: "Read the agreed plan" }).first());
  expect(await h1(page)).toMatch(/agreed support plan/i);
  expect(await main(page)).toContain(`${amount} a week`);
  await checks.check("Agreed plan");
}

async function journey(
  context: BrowserContext,
  email: string,
  who: "self" | "representative",
  javaScript: boolean,
) {
  const page = await context.newPage();
  const checks = pageChecks(page);

  await signInPerson(page, email);
  const planId = await personWrites(page, checks, who);
  await signOut(page);

  await signInStaff(page, "support_planner");
  await plannerAddsAndSends(page, checks, planId);
  await signOut(page);

  await signInStaff(page, "team_manager");
  const amount = await managerApproves(page, checks, planId);
  await signOut(page);

  await signInPerson(page, email);
  if (who === "representative") await clickAndLoad(page, page.locator("main ul.govuk-list a").first());
  await personReadsAgreed(page, checks, amount);
  await signOut(page);

  if (javaScript) expect(checks.scriptErrors, checks.scriptErrors.join("\n")).toEqual([]);
  checks.expectClean();
  return checks.visited;
}

describe("support planning, in a browser", () => {
  it("with JavaScript on: a person and a planner build a plan, a manager approves it, the budget appears", async () => {
    const context = await browser.newContext();
    try {
      const visited = await journey(context, DEMO_PERSON_ACCOUNTS[0]!.email, "self", true);
      console.log(`Planning, JavaScript on: ${visited.length} pages checked`);
    } finally {
      await context.close();
    }
  });

  it("with JavaScript off, 320px wide: a representative starts the plan, and the same journey", async () => {
    await withoutJavaScriptAt320(browser, async (context) => {
      const visited = await journey(context, DEMO_PERSON_ACCOUNTS[3]!.email, "representative", false);
      console.log(`Planning, JavaScript off: ${visited.length} pages checked`);
    });
  });
});
