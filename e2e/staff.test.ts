import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoErrorSummary, textOf } from "./support/assessment.ts";
import { clickAndLoad, launchChromium, withoutJavaScriptAt320 } from "./support/browser.ts";
import { pageChecks } from "./support/page-checks.ts";
import { demoStaff, startServer, type TestServer } from "./support/server.ts";

/**
 * Staff administration in a browser (Upfront issue 11): the demo administrator adds a member of staff (sending the
 * form empty first, each error linked from the summary) and is shown their one-time set-password link; the new
 * member opens it, sets a password (a short one refused first), signs in and opens Your account; the administrator
 * deactivates them; the new member's next page load shows they have been signed out. On the way, the administrator
 * names the team that takes new requests, then none. Walked with JavaScript on,
 * and off at 320px; every page: axe WCAG 2.2 AA, one h1, nothing sticking out sideways.
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

async function signIn(page: Page, email: string, password: string) {
  await page.goto(`${server.baseUrl}/sign-in`);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await clickAndLoad(page, page.getByRole("button", { name: "Sign in" }));
}

const NEW_PASSWORD = "kettle orchard lantern";

async function journey(adminContext: BrowserContext, newcomerContext: BrowserContext, who: string) {
  const email = `${who.toLowerCase().replace(/\s+/g, ".")}@demo.upfront.test`;
  const page = await adminContext.newPage();
  const checks = pageChecks(page);
  const admin = demoStaff("administrator");
  await signIn(page, admin.email, admin.password);
  await page.goto(`${server.baseUrl}/admin/staff`);
  expect(await textOf(page.getByRole("heading", { level: 1 }))).toBe("Staff");
  await checks.check("Staff list");

  // The team that takes new requests: chosen on the teams list, then set back to none.
  await page.getByLabel("Funding panel").check();
  await clickAndLoad(page, page.getByRole("button", { name: "Save" }));
  expect(await textOf(page.locator(".govuk-notification-banner"))).toContain(
    "New requests will go to the team chosen",
  );
  expect(await textOf(page.locator("#teams ~ table"))).toContain("Funding panel Takes new requests");
  await checks.check("Staff list: a team takes new requests");
  await page.getByLabel("No team: everyone in the intake roles sees them").check();
  await clickAndLoad(page, page.getByRole("button", { name: "Save" }));
  expect(await textOf(page.locator("#teams ~ table"))).not.toContain("Takes new requests");

  await clickAndLoad(page, page.getByRole("button", { name: "Add a member of staff" }));
  await clickAndLoad(page, page.getByRole("button", { name: "Add member of staff" }));
  expect(await page.locator(".govuk-error-summary a").count()).toBe(3);
  await checks.check("Add staff with errors");

  await page.getByLabel("Full name").fill(who);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Support planner").check();
  await page.getByLabel("No team").check();
  await clickAndLoad(page, page.getByRole("button", { name: "Add member of staff" }));
  await expectNoErrorSummary(page);
  expect(await textOf(page.getByRole("heading", { level: 1 }))).toBe(`${who} has been added`);
  const link = (await textOf(page.locator("#set-password-link"))).trim();
  expect(link).toMatch(/\/set-password\/[A-Za-z0-9_-]{40,}$/);
  await checks.check("Staff added, with their link");

  // The new member of staff, in their own browser.
  const mine = await newcomerContext.newPage();
  const theirChecks = pageChecks(mine);
  await mine.goto(link);
  expect(await textOf(mine.getByRole("heading", { level: 1 }))).toBe("Set your password");
  await theirChecks.check("Set your password");
  await mine.getByLabel("New password", { exact: true }).fill("too short");
  await mine.getByLabel("Enter the new password again").fill("too short");
  await clickAndLoad(mine, mine.getByRole("button", { name: "Set password" }));
  expect(await textOf(mine.locator(".govuk-error-summary"))).toContain("at least 10 characters");
  await theirChecks.check("Set your password with errors");
  await mine.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
  await mine.getByLabel("Enter the new password again").fill(NEW_PASSWORD);
  await clickAndLoad(mine, mine.getByRole("button", { name: "Set password" }));
  expect(await textOf(mine.locator(".govuk-notification-banner"))).toContain("Your password is set");
  await theirChecks.check("Password set: sign in");
  await mine.getByLabel("Email address").fill(email);
  await mine.getByLabel("Password", { exact: true }).fill(NEW_PASSWORD);
  await clickAndLoad(mine, mine.getByRole("button", { name: "Sign in" }));
  await mine.goto(`${server.baseUrl}/account`);
  expect(await textOf(mine.getByRole("heading", { level: 1 }))).toBe("Your account");
  expect(await textOf(mine.locator(".govuk-summary-list"))).toContain(email);
  await theirChecks.check("The new member's account");

  // The administrator deactivates them.
  await page.goto(`${server.baseUrl}/admin/staff`);
  await clickAndLoad(page, page.getByRole("link", { name: who }));
  await checks.check("A member of staff");
  await clickAndLoad(page, page.getByRole("button", { name: `Deactivate ${who}` }));
  await checks.check("Deactivate: check");
  await clickAndLoad(page, page.getByRole("button", { name: `Deactivate ${who}` }));
  expect(await textOf(page.locator(".govuk-notification-banner"))).toContain("Deactivated");
  await checks.check("Deactivated");

  // Their next page load: signed out.
  await mine.reload();
  await mine.waitForLoadState("load");
  expect(new URL(mine.url()).pathname).toBe("/sign-in");
  expect(await textOf(mine.locator(".govuk-notification-banner"))).toContain("You have been signed out");
  await theirChecks.check("Signed out after deactivation");

  checks.expectClean();
  theirChecks.expectClean();
  expect([...checks.scriptErrors, ...theirChecks.scriptErrors]).toEqual([]);
  return [...checks.visited, ...theirChecks.visited] as string[];
}

describe("staff administration in a browser", () => {
  it("with JavaScript on: an administrator adds a member of staff, who sets a password, signs in and is signed out when deactivated", async () => {
    const adminContext = await browser.newContext();
    const newcomerContext = await browser.newContext();
    try {
      const visited = await journey(adminContext, newcomerContext, "Jo Javascript");
      console.log(`Staff administration, JavaScript on: ${visited.length} pages checked`);
    } finally {
      await adminContext.close();
      await newcomerContext.close();
    }
  });

  it("with JavaScript off, 320px wide: the same journey", async () => {
    await withoutJavaScriptAt320(browser, async (adminContext) =>
      withoutJavaScriptAt320(browser, async (newcomerContext) => {
        const visited = await journey(adminContext, newcomerContext, "Nat Noscript");
        console.log(`Staff administration, JavaScript off: ${visited.length} pages checked`);
      }),
    );
  });
});
