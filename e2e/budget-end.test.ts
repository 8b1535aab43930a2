import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayInLondon } from "#/platform/context.ts";
import { DEMO_PERSON_ACCOUNTS } from "#/seed/accounts-seed.ts";
import { DEMO_PASSWORD } from "#/seed/seed.ts";
import { expectNoErrorSummary, textOf } from "./support/assessment.ts";
import { clickAndLoad, launchChromium, withoutJavaScriptAt320 } from "./support/browser.ts";
import { pageChecks } from "./support/page-checks.ts";
import { demoStaff, startServer, type TestServer } from "./support/server.ts";

/**
 * Ending a budget in a browser (Upfront issue 6), with JavaScript off at 320px: a team manager goes from the
 * demo person's budget page to the form, sends it empty (each error linked from the summary), chooses a reason
 * and today as the last day, reads what will happen, ends the budget and is back on the budget page with a
 * success message. Every page: axe WCAG 2.2 AA, one h1, nothing sticking out sideways.
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

async function signIn(page: Page, url: string, email: string, password: string) {
  await page.goto(`${server.baseUrl}${url}`);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await clickAndLoad(page, page.getByRole("button", { name: "Sign in" }));
}

describe("ending a budget in a browser", () => {
  it("with JavaScript off, 320px wide: a team manager ends the demo budget", async () => {
    // The person with the live budget, found the way they find it: their own home page links to it.
    const holder = await browser.newContext();
    const mine = await holder.newPage();
    await signIn(mine, "/my/sign-in", DEMO_PERSON_ACCOUNTS[1]!.email, DEMO_PASSWORD);
    const personId = /\/my\/people\/([0-9a-f-]{36})\//.exec(await mine.content())?.[1];
    await holder.close();
    expect(personId).toBeDefined();

    await withoutJavaScriptAt320(browser, async (context) => {
      const page = await context.newPage();
      const checks = pageChecks(page);
      const manager = demoStaff("team_manager");
      await signIn(page, "/sign-in", manager.email, manager.password);
      await page.goto(`${server.baseUrl}/people/${personId}/budget`);
      await clickAndLoad(page, page.getByRole("link", { name: "End this budget" }));
      expect(await textOf(page.getByRole("heading", { level: 1 }))).toMatch(/^End .+'s personal budget$/);
      await checks.check("End budget form");

      await clickAndLoad(page, page.getByRole("button", { name: "Continue" }));
      expect(await page.locator(".govuk-error-summary a").count()).toBe(2);
      await checks.check("End budget form with errors");

      const [year, month, day] = todayInLondon().split("-");
      await page.getByLabel("The person moved to another council").check();
      await page.getByLabel("Day").fill(String(Number(day)));
      await page.getByLabel("Month").fill(String(Number(month)));
      await page.getByLabel("Year").fill(year!);
      await clickAndLoad(page, page.getByRole("button", { name: "Continue" }));
      await expectNoErrorSummary(page);
      expect(await textOf(page.locator("#what-happens"))).toContain("Reviews of this budget stop");
      await checks.check("Check before ending");

      await clickAndLoad(page, page.getByRole("button", { name: "End the budget" }));
      expect(await textOf(page.locator(".govuk-notification-banner"))).toContain("The budget has ended");
      expect(await textOf(page.locator("#budget-ended"))).toContain("The person moved to another council");
      await checks.check("Budget ended");
      checks.expectClean();
      console.log(`Ending a budget, JavaScript off: ${checks.visited.length} pages checked`);
    });
  });
});
