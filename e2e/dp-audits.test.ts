import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PERSON_ACCOUNTS } from "#/seed/accounts-seed.ts";
import { DEMO_PASSWORD } from "#/seed/seed.ts";
import { expectNoErrorSummary, textOf } from "./support/assessment.ts";
import { clickAndLoad, launchChromium, withoutJavaScriptAt320 } from "./support/browser.ts";
import { pageChecks } from "./support/page-checks.ts";
import { demoStaff, startServer, type TestServer } from "./support/server.ts";

/**
 * The direct-payment audit in a browser (issue 15), with JavaScript off at 320px: a finance officer opens the
 * audit queue from the header, opens an audit of the budget with card spending at a blocked merchant (the demo's
 * pub spend), sends the decision empty (the error linked from the summary), records advice; the person signs in
 * at /my, follows the notice on their record and replies. Then a second audit of the budget is decided as a
 * recovery of an amount in pounds (too much refused first), which the person reads at /my. Every page: axe WCAG 2.2 AA, one h1, nothing sticking
 * out sideways.
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

describe("direct-payment audit in a browser", () => {
  it("with JavaScript off, 320px wide: finance records advice from the queue and the person replies at /my", async () => {
    await withoutJavaScriptAt320(browser, async (context) => {
      const page = await context.newPage();
      const checks = pageChecks(page);
      const finance = demoStaff("finance_officer");
      await signIn(page, "/sign-in", finance.email, finance.password);
      await clickAndLoad(page, page.getByRole("link", { name: "Audits" }));
      expect(await textOf(page.getByRole("heading", { level: 1 }))).toBe("Direct-payment audits");
      await checks.check("Audit queue");

      const row = page.locator("tr", { hasText: "Card spending at a blocked merchant" });
      await clickAndLoad(page, row.getByRole("button", { name: /Open an audit/ }));
      expect(await textOf(page.getByRole("heading", { level: 1 }))).toMatch(/^Direct-payment audit: /);
      await checks.check("Audit record");

      await clickAndLoad(page, page.getByRole("button", { name: "Record the outcome" }));
      expect(await page.locator(".govuk-error-summary a").count()).toBe(1);
      await checks.check("Audit record with errors");

      await page.getByLabel("Advice to the person").check();
      await page.getByLabel("Advice or note").fill("Please use the card only for the support in your plan.");
      await clickAndLoad(page, page.getByRole("button", { name: "Record the outcome" }));
      await expectNoErrorSummary(page);
      expect(await textOf(page.locator(".govuk-notification-banner"))).toContain(
        "The audit has been decided",
      );
      await checks.check("Audit decided");

      const person = await context.newPage();
      const personChecks = pageChecks(person);
      await signIn(person, "/my/sign-in", DEMO_PERSON_ACCOUNTS[1]!.email, DEMO_PASSWORD);
      await clickAndLoad(person, person.getByRole("link", { name: /Read the council's advice/ }));
      expect(await textOf(person.getByRole("heading", { level: 1 }))).toBe(
        "Advice about your direct payment",
      );
      await personChecks.check("Advice at /my");
      await person.getByLabel("Your reply").fill("Understood, thank you.");
      await clickAndLoad(person, person.getByRole("button", { name: "Send your reply" }));
      expect(await textOf(person.locator(".govuk-notification-banner"))).toContain(
        "Your reply has been sent",
      );
      await personChecks.check("Reply sent");

      // A second audit of the same budget, decided as a recovery of an amount in pounds: too much is refused with
      // the most the findings show; £1.00 is recorded, and the person sees how and when it is taken at /my.
      await page.goto(`${server.baseUrl}/dp-audits`);
      await clickAndLoad(
        page,
        page
          .locator("tr", { hasText: "Card spending at a blocked merchant" })
          .getByRole("button", { name: /Open an audit/ }),
      );
      await page.getByLabel("Recover money: from the surplus, then from future payments").check();
      await page.getByLabel("Amount to recover").fill("100000");
      await clickAndLoad(page, page.getByRole("button", { name: "Record the outcome" }));
      expect(await textOf(page.locator(".govuk-error-summary a"))).toMatch(
        /^Give an amount to recover of no more than £/,
      );
      await checks.check("Recovery amount refused");
      await page.getByLabel("Recover money: from the surplus, then from future payments").check();
      await page.getByLabel("Amount to recover").fill("1.00");
      await clickAndLoad(page, page.getByRole("button", { name: "Record the outcome" }));
      await expectNoErrorSummary(page);
      expect(await textOf(page.locator(".govuk-summary-list").last())).toMatch(/To recover\s*£1\.00/);
      await checks.check("Recovery decided");

      await person.goto(`${server.baseUrl}/my`);
      await clickAndLoad(person, person.getByRole("link", { name: /The council is taking back £1\.00/ }));
      expect(await textOf(person.getByRole("heading", { level: 1 }))).toBe(
        "The council is taking money back",
      );
      expect(await textOf(person.locator("main"))).toMatch(/taken off your next direct payments/);
      await personChecks.check("Recovery at /my");
      checks.expectClean();
      personChecks.expectClean();
      console.log(
        `Direct-payment audit, JavaScript off: ${checks.visited.length + personChecks.visited.length} pages checked`,
      );
    });
  });
});
