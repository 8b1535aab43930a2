import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoErrorSummary, textOf } from "./support/assessment.ts";
import { clickAndLoad, launchChromium, withoutJavaScriptAt320 } from "./support/browser.ts";
import { type PageChecks, pageChecks } from "./support/page-checks.ts";
import { demoStaff, startServer, type TestServer } from "./support/server.ts";

/**
 * Self-referral in a browser (Upfront issue 11): someone asks the demo council for help on its public page (no
 * sign-in), sending it once empty (each error linked from the summary), and gets a reference on a confirmation
 * panel; a social worker sees the "New self-referral" task in /tasks, opens it, and closes the referral with an
 * outcome from the statutory list. With JavaScript on, and off at 320px; every page axe-clean (WCAG 2.2 AA), one
 * h1, nothing sticking out sideways.
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

async function journey(context: BrowserContext, givenName: string): Promise<PageChecks> {
  const page = await context.newPage();
  const checks = pageChecks(page);

  // The person, on the council's public page.
  await page.goto(`${server.baseUrl}/demo/self-referral`);
  await checks.check("Self-referral form");
  await clickAndLoad(page, page.getByRole("button", { name: "Send request" }));
  expect(await page.locator(".govuk-error-summary a").count()).toBeGreaterThan(3);
  await checks.check("Self-referral form with errors");

  await page.getByLabel("First name").fill(givenName);
  await page.getByLabel("Last name").fill("Browser");
  await page.getByLabel("Day").fill("14");
  await page.getByLabel("Month").fill("2");
  await page.getByLabel("Year").fill("1949");
  await page.getByLabel("I am asking on behalf of someone else").check();
  await page.getByLabel("Your name", { exact: true }).fill("Bryn Browser");
  await page.getByLabel("Your relationship to them").fill("Son");
  await page
    .getByRole("group", { name: "Do they know you are asking for help for them?" })
    .getByLabel("Yes")
    .check();
  await page.getByLabel("Phone number").fill("01632 960 003");
  await page.getByLabel("What help would they like?").fill("Help getting up and dressed in the morning.");
  await page.getByLabel(/I have read how this information is used/).check();
  await clickAndLoad(page, page.getByRole("button", { name: "Send request" }));
  await expectNoErrorSummary(page);
  const reference = (await textOf(page.locator("#reference"))).trim();
  expect(reference).toMatch(/^SR-[A-Z2-9]{8}$/);
  await checks.check("Request sent");

  // A social worker, in the same browser (the public page left no sign-in behind).
  const worker = demoStaff("social_worker");
  await page.goto(`${server.baseUrl}/sign-in`);
  await page.getByLabel("Email address").fill(worker.email);
  await page.getByLabel("Password", { exact: true }).fill(worker.password);
  await clickAndLoad(page, page.getByRole("button", { name: "Sign in" }));
  await clickAndLoad(page, page.getByRole("link", { name: "Tasks" }));
  await checks.check("Your tasks");
  await clickAndLoad(page, page.getByRole("link", { name: `New self-referral ${reference}` }));
  expect(await textOf(page.getByRole("heading", { level: 1 }))).toBe("Referrals");
  expect(await textOf(page.locator("main"))).toContain(`${givenName} Browser`);
  await checks.check("The person's referrals");

  await clickAndLoad(page, page.getByRole("button", { name: `Close referral ${reference}` }));
  expect(await textOf(page.locator(".govuk-error-summary"))).toContain("Choose the outcome");
  await checks.check("Closing without an outcome");
  await page.getByLabel("Outcome").selectOption({ label: "Progress to assessment, review or reassessment" });
  await clickAndLoad(page, page.getByRole("button", { name: `Close referral ${reference}` }));
  expect(await textOf(page.locator(".govuk-notification-banner"))).toContain("closed with its outcome");
  expect(await textOf(page.locator("main"))).toContain("Progress to assessment, review or reassessment");
  await checks.check("Referral closed");

  // Closing the referral finished its task.
  await page.goto(`${server.baseUrl}/tasks`);
  expect(await textOf(page.locator("main"))).not.toContain(reference);
  await checks.check("Your tasks, the referral done");
  return checks;
}

describe("self-referral in a browser", () => {
  it("with JavaScript on: someone self-refers, a social worker opens the task and records the outcome", async () => {
    const context = await browser.newContext();
    try {
      const checks = await journey(context, "Jasmine");
      checks.expectClean();
      console.log(`Self-referral, JavaScript on: ${checks.visited.length} pages checked`);
    } finally {
      await context.close();
    }
  });

  it("with JavaScript off, 320px wide: the same journey", async () => {
    await withoutJavaScriptAt320(browser, async (context) => {
      const checks = await journey(context, "Nojava");
      checks.expectClean();
      console.log(`Self-referral, JavaScript off: ${checks.visited.length} pages checked`);
    });
  });
});
