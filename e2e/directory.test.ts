import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./support/browser.ts";
import { pageChecks } from "./support/page-checks.ts";
import { demoStaff, startServer, type TestServer } from "./support/server.ts";

/**
 * The provider directory and the funding settings in a browser, as an administrator, with JavaScript off and
 * at 320px wide with it on: search the directory by category, open a provider, add one (a mistake first, with
 * its error summary), add a service with a price, a refused import listing its problems, the approved-list
 * setting; the funding settings in force, a change to the streams with a mistake, the payer order, who signs
 * plans off, and a past version. Every page: axe (WCAG 2.2 AA), one h1, a title, nothing sticking out sideways.
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

async function signInAsAdministrator(page: Page) {
  const who = demoStaff("administrator");
  await page.goto(`${server.baseUrl}/sign-in`);
  await page.getByLabel("Email address").fill(who.email);
  await page.getByLabel("Password", { exact: true }).fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForLoadState("load");
}

async function submit(page: Page, button: string) {
  await page.getByRole("button", { name: button }).click();
  await page.waitForLoadState("load");
}

async function journey(page: Page) {
  const checks = pageChecks(page);
  await signInAsAdministrator(page);

  // The directory, searched by category.
  await page.goto(`${server.baseUrl}/directory`);
  await checks.check("Provider directory");
  await page.getByLabel("Support category").selectOption("employment");
  await submit(page, "Search");
  expect(await page.locator("table").textContent()).toContain("Ability Works");
  await checks.check("Directory searched by category");
  await page.getByRole("link", { name: "Ability Works" }).click();
  await page.waitForLoadState("load");
  await checks.check("A provider");

  // Add a provider: a mistake first.
  await page.goto(`${server.baseUrl}/directory/providers/new`);
  await checks.check("Add a provider");
  await page.getByLabel("Name").fill("Peer Power");
  await submit(page, "Save the provider");
  expect(await page.title()).toMatch(/^Error: /);
  await checks.check("Add a provider, with errors");
  await page.getByLabel("User-led organisation").check();
  await page
    .getByRole("group", { name: "Is the provider on the council's approved list?" })
    .getByLabel("Yes")
    .check();
  await submit(page, "Save the provider");
  expect(await page.locator("h1").textContent()).toContain("Peer Power");
  await checks.check("The new provider");

  // Add a service with a price.
  await page.getByRole("link", { name: "Add a service" }).click();
  await page.waitForLoadState("load");
  await checks.check("Add a service");
  await page.getByLabel("Name of the service").fill("Peer support group");
  await page.getByLabel("Active", { exact: true }).check();
  await page.getByLabel("Getting out and about, leisure and friendships").check();
  await page.getByLabel("Areas covered (optional)").fill("Northtown borough");
  await page.locator("#price-0-amount").fill("12.50");
  await page.locator("#price-0-unit").selectOption("session");
  await submit(page, "Save the service");
  expect(await page.textContent("main")).toContain("£12.50 a session");
  await checks.check("The provider with its service");

  // A refused import, pasted.
  await page.goto(`${server.baseUrl}/directory/import`);
  await checks.check("Import a directory file");
  await page.getByText("Paste the file's contents instead").click();
  await page.locator("#directory-text").fill('{ "organizations": [{ "id": "x", "name": "" }] }');
  await page.getByLabel("Add to it").check();
  await submit(page, "Import the file");
  expect(await page.locator("#problems").textContent()).toContain("Give the organisation's name");
  await checks.check("A refused import");

  await page.goto(`${server.baseUrl}/directory/settings`);
  await checks.check("Providers off the approved list");

  // Funding settings.
  await page.goto(`${server.baseUrl}/admin/funding`);
  await checks.check("Funding and sign-off");
  await page.goto(`${server.baseUrl}/admin/funding/streams`);
  await checks.check("Change the funding streams");
  await page.locator("#stream-0-pot").fill("lots");
  await submit(page, "Save a new version");
  expect(await page.title()).toMatch(/^Error: /);
  await checks.check("Change the funding streams, with errors");
  await page.goto(`${server.baseUrl}/admin/funding/payer-order`);
  await checks.check("Change the payer order");
  await page.goto(`${server.baseUrl}/admin/funding/approval`);
  await checks.check("Change who signs plans off");
  await page.locator("#validFrom-day").fill("1");
  await page.locator("#validFrom-month").fill("4");
  await page.locator("#validFrom-year").fill("2030");
  await page.getByLabel("Why is this changing?").fill("Scheme of delegation reviewed");
  await page.locator("#level-1-weekly").fill("650");
  await submit(page, "Save a new version");
  expect(await page.textContent("main")).toContain("has been saved");
  await checks.check("Funding settings saved");
  await page.goto(`${server.baseUrl}/admin/funding/versions/1`);
  await checks.check("A past version");

  expect(checks.scriptErrors).toEqual([]);
  checks.expectClean();
}

describe("directory and funding settings in a browser", () => {
  it("without JavaScript: every page works and is accessible", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      await journey(await context.newPage());
    } finally {
      await context.close();
    }
  });

  it("with JavaScript at 320px wide: every page reflows and is accessible", async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 800 } });
    try {
      await journey(await context.newPage());
    } finally {
      await context.close();
    }
  });
});
