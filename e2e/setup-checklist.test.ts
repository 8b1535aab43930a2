import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoErrorSummary, textOf } from "./support/assessment.ts";
import { clickAndLoad, launchChromium, screenshot, withoutJavaScriptAt320 } from "./support/browser.ts";
import { type PageChecks, pageChecks } from "./support/page-checks.ts";
import { demoStaff, startServer, type TestServer } from "./support/server.ts";

/**
 * The set-up checklist and the council's contact details in a browser (Upfront issue 11): the demo council's
 * administrator opens the checklist from the header, follows "Contact details", sends a bad phone number and
 * postcode (each error linked from the summary), corrects them and saves, and the public estimator's start
 * page shows the new details. JavaScript on, and off at 320px wide; every page axe-clean (WCAG 2.2 AA), one
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

async function journey(context: BrowserContext, checks: (page: Page) => PageChecks, phone: string) {
  const page = await context.newPage();
  const check = checks(page);
  const admin = demoStaff("administrator");
  await page.goto(`${server.baseUrl}/sign-in`);
  await page.getByLabel("Email address").fill(admin.email);
  await page.getByLabel("Password", { exact: true }).fill(admin.password);
  await clickAndLoad(page, page.getByRole("button", { name: "Sign in" }));

  // The checklist, from the header's link on the administrator's start page.
  await clickAndLoad(page, page.getByRole("link", { name: "Set-up checklist" }));
  expect(await textOf(page.getByRole("heading", { level: 1 }))).toBe("Set-up checklist");
  const contactItem = page.locator(".govuk-task-list__item", { hasText: "Contact details" });
  expect(await textOf(contactItem)).toContain("Done");
  // The demo council adopted its own RAS model at set-up: every item is done.
  expect(await textOf(page.locator(".govuk-task-list__item", { hasText: "RAS model" }))).toContain("Done");
  expect(await textOf(page.locator("main"))).not.toContain("Not done");
  expect(await textOf(page.locator("#steps"))).not.toContain("Blocked");
  await check.check("Set-up checklist");
  const width = page.viewportSize()?.width ?? 0;
  await screenshot(page, `/tmp/upfront-e2e-setup-checklist-${width}.png`);

  await clickAndLoad(page, page.getByRole("link", { name: "Contact details" }));
  expect(await textOf(page.getByRole("heading", { level: 1 }))).toBe("Contact details");
  await check.check("Contact details form");

  await page.getByLabel("Phone number").fill("12345");
  await page.getByLabel("Postcode").fill("NOT A POSTCODE");
  await clickAndLoad(page, page.getByRole("button", { name: "Save the contact details" }));
  const summary = page.locator(".govuk-error-summary a");
  expect(await summary.allTextContents()).toEqual([
    "Enter a UK phone number, like 0300 123 4567 or +44 300 123 4567",
    "Enter a real UK postcode, like SW1A 1AA",
  ]);
  await check.check("Contact details with errors");

  await page.getByLabel("Phone number").fill(phone);
  await page.getByLabel("Postcode").fill("ab12 3cd");
  await page.getByLabel("Opening hours").fill("Monday to Thursday, 9am to 5pm; Friday, 9am to 4:30pm");
  await clickAndLoad(page, page.getByRole("button", { name: "Save the contact details" }));
  await expectNoErrorSummary(page);
  expect(await textOf(page.locator(".govuk-notification-banner"))).toContain(
    "The contact details have been saved",
  );
  await check.check("Contact details saved");

  // The public estimator's start page, in the same browser.
  const publicPage = await context.newPage();
  const publicCheck = checks(publicPage);
  await publicPage.goto(`${server.baseUrl}/demo/estimate`);
  const contact = await textOf(publicPage.locator(".app-council-contact"));
  expect(contact).toContain("Contact Demo Council");
  expect(contact).toContain(`Phone: ${phone}`);
  expect(contact).toContain("Monday to Thursday, 9am to 5pm; Friday, 9am to 4:30pm");
  expect(contact).toContain("AB12 3CD");
  await publicCheck.check("Public estimator start page");
  await screenshot(publicPage, `/tmp/upfront-e2e-setup-contact-${width}.png`);

  check.expectClean();
  publicCheck.expectClean();
}

describe("the set-up checklist and contact details in a browser", () => {
  it("with JavaScript: an administrator sets the contact details from the checklist; the estimator shows them", async () => {
    const context = await browser.newContext();
    await journey(context, pageChecks, "0300 123 4567");
    await context.close();
  });

  it("with JavaScript off, 320px wide: the same journey", async () => {
    await withoutJavaScriptAt320(browser, async (context) => {
      await journey(context, pageChecks, "+44 1632 960 123");
    });
  });
});
