import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { textOf } from "./support/assessment.ts";
import { clickAndLoad, launchChromium, withoutJavaScriptAt320 } from "./support/browser.ts";
import { type PageChecks, pageChecks } from "./support/page-checks.ts";
import { demoStaff, startServer, type TestServer } from "./support/server.ts";

/**
 * Adding a person in a browser (Upfront issue 11), with JavaScript on and again off at 320px: a social worker
 * goes from the people list to "Add a person", sends the form empty (errors linked from the summary), fills it
 * in with every coded answer and lands on the new record; adding the same name and date of birth again shows
 * the likely duplicate with a link to the existing record, and staff go on when it is a different person.
 * Every page: axe WCAG 2.2 AA, one h1, nothing sticking out sideways.
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

async function fillPerson(page: Page, givenName: string) {
  await page.getByLabel("First name").fill(givenName);
  await page.getByLabel("Last name").fill("Okafor");
  await page.getByLabel("Day").fill("3");
  await page.getByLabel("Month").fill("11");
  await page.getByLabel("Year").fill("1966");
  await page.getByLabel("Female", { exact: true }).check();
  await page.getByLabel("Ethnicity").selectOption("black-african");
  await page.getByLabel("Postcode (optional)").fill("zx4 7qp");
  await page.getByLabel("Accommodation").selectOption("tenant-social");
  await page.getByLabel("Paid: Less than 16 hours a week").check();
  await page.getByRole("group", { name: "Does the person have an unpaid carer?" }).getByLabel("Yes").check();
  await page.getByLabel("Large print").check();
}

async function addPeople(page: Page, checks: PageChecks, givenName: string) {
  const worker = demoStaff("social_worker");
  await page.goto(`${server.baseUrl}/sign-in`);
  await page.getByLabel("Email address").fill(worker.email);
  await page.getByLabel("Password", { exact: true }).fill(worker.password);
  await clickAndLoad(page, page.getByRole("button", { name: "Sign in" }));

  await page.goto(`${server.baseUrl}/people`);
  await clickAndLoad(page, page.getByRole("button", { name: "Add a person" }));
  expect(await textOf(page.getByRole("heading", { level: 1 }))).toBe("Add a person");
  await checks.check("Add a person");

  await clickAndLoad(page, page.getByRole("button", { name: "Add the person" }));
  // Name (2), date of birth, sex, ethnicity, accommodation, employment, carer, communication needs.
  expect(await page.locator(".govuk-error-summary a").count()).toBe(9);
  await checks.check("Add a person with errors");

  await fillPerson(page, givenName);
  await clickAndLoad(page, page.getByRole("button", { name: "Add the person" }));
  expect(await textOf(page.locator(".govuk-notification-banner"))).toContain(
    `${givenName} Okafor has been added`,
  );
  expect(await textOf(page.locator("main"))).toContain("Black, Black British, Caribbean or African: African");
  const firstUrl = page.url();
  await checks.check("New person's record");

  // The same name and date of birth again: the likely duplicate is shown before anything is made.
  await page.goto(`${server.baseUrl}/people/new`);
  await fillPerson(page, givenName);
  await clickAndLoad(page, page.getByRole("button", { name: "Add the person" }));
  expect(await textOf(page.getByRole("heading", { level: 1 }))).toBe("This person may already be on record");
  const open = page.getByRole("link", { name: `Open ${givenName} Okafor’s record` });
  expect(firstUrl).toContain(String(await open.getAttribute("href")));
  await checks.check("Likely duplicate");

  await clickAndLoad(page, page.getByRole("button", { name: "This is a different person: add them" }));
  expect(await textOf(page.locator(".govuk-notification-banner"))).toContain(
    `${givenName} Okafor has been added`,
  );
  expect(page.url().split("?")[0]).not.toBe(firstUrl.split("?")[0]);
  checks.expectClean();
}

describe("adding a person in a browser", () => {
  it("with JavaScript on: a social worker adds a person, and a second with the same name after the duplicate check", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const checks = pageChecks(page);
    await addPeople(page, checks, "Adaeze");
    await context.close();
    console.log(`Adding a person, JavaScript on: ${checks.visited.length} pages checked`);
  });

  it("with JavaScript off, 320px wide: the same journey", async () => {
    await withoutJavaScriptAt320(browser, async (context) => {
      const page = await context.newPage();
      const checks = pageChecks(page);
      await addPeople(page, checks, "Ngozi");
      console.log(`Adding a person, JavaScript off: ${checks.visited.length} pages checked`);
    });
  });
});
