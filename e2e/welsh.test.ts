import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clickAndLoad, launchChromium, withoutJavaScriptAt320 } from "./support/browser.ts";
import { pageChecks } from "./support/page-checks.ts";
import { demoStaff, startServer, type TestServer } from "./support/server.ts";

/**
 * Welsh (issue 16; the Welsh Language Standards, WSI 2015/996, and the GOV.UK language navigation): a member of staff
 * chooses Cymraeg from the header's language navigation, the page answers in Welsh (<html lang="cy">, aria-current
 * on Cymraeg), signing in keeps it, and English brings English back. Walked with JavaScript on, and off at 320px;
 * every page: axe WCAG 2.2 AA, one h1, nothing sticking out sideways.
 */

let server: TestServer;
let browser: Awaited<ReturnType<typeof launchChromium>>;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function journey(context: BrowserContext) {
  const page = await context.newPage();
  const checks = pageChecks(page);
  const htmlLang = () => page.locator("html").getAttribute("lang");
  const languageLink = (name: string) =>
    page.getByRole("navigation", { name: /language|iaith/i }).getByRole("link", { name });

  await page.goto(`${server.baseUrl}/sign-in`);
  expect(await htmlLang()).toBe("en");
  await checks.check("Sign in, English");

  await clickAndLoad(page, languageLink("Cymraeg"));
  expect(await htmlLang()).toBe("cy");
  expect(await languageLink("Cymraeg").getAttribute("aria-current")).toBe("true");
  expect(await page.getByRole("link", { name: "Neidio i’r prif gynnwys" }).count()).toBe(1);
  await checks.check("Sign in, Welsh");

  const staff = demoStaff("social_worker");
  await page.getByLabel("Email address").fill(staff.email);
  await page.getByLabel("Password", { exact: true }).fill(staff.password);
  await clickAndLoad(page, page.getByRole("button", { name: "Sign in" }));
  expect(await htmlLang()).toBe("cy");
  expect(await page.getByRole("button", { name: "Allgofnodi" }).count()).toBe(1);
  await checks.check("First page after signing in, Welsh");

  await clickAndLoad(page, languageLink("English"));
  expect(await htmlLang()).toBe("en");
  expect(await languageLink("English").getAttribute("aria-current")).toBe("true");
  expect(await page.getByRole("button", { name: "Sign out" }).count()).toBe(1);
  await checks.check("First page after signing in, English");
  checks.expectClean();
  expect(checks.scriptErrors).toEqual([]);
}

describe("the service in Welsh, in a browser", () => {
  it("with JavaScript on: Cymraeg from the language navigation, kept through signing in, then English", async () => {
    const context = await browser.newContext();
    try {
      await journey(context);
    } finally {
      await context.close();
    }
  });

  it("with JavaScript off, 320px wide: the same", async () => {
    await withoutJavaScriptAt320(browser, journey);
  });
});
