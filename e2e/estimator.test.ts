import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { englandQuestionnaire } from "#/rules/england/questionnaire.ts";
import { answerQuestionPage, eligiblePerson, expectNoErrorSummary, textOf } from "./support/assessment.ts";
import { clickAndLoad, launchChromium, screenshot, withoutJavaScriptAt320 } from "./support/browser.ts";
import { pageChecks } from "./support/page-checks.ts";
import { startServer, type TestServer } from "./support/server.ts";

/**
 * The public estimator in a browser, as a citizen (or someone helping them) meets it, with JavaScript on and
 * with it off on a phone-sized screen: from the service's start page to the council's estimator, every
 * question page (and one sent empty, with its errors), check your answers with a Change, and the estimate
 * with every line of its working. Every page visited is checked by axe against WCAG 2.2 AA, must have one
 * h1 and a title, and must not stick out sideways (reflow). No sign-in, and no cookie but the CSRF one.
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

const POUNDS = /£\d{1,3}(,\d{3})*\.\d{2}/;

const h1 = (page: Page) => textOf(page.getByRole("heading", { level: 1 }));

async function estimatorJourney(context: BrowserContext, javaScript: boolean): Promise<string[]> {
  const page = await context.newPage();
  const checks = pageChecks(page);
  const shot = (name: string) =>
    screenshot(page, `/tmp/upfront-e2e-estimator-${javaScript ? "js" : "nojs"}-${name}.png`);

  // From the service's start page to the council's estimator: no sign-in anywhere.
  await page.goto(`${server.baseUrl}/`);
  await checks.check();
  await clickAndLoad(page, page.getByRole("link", { name: "Estimate what care and support you might get" }));
  expect(await h1(page)).toBe("Choose your council");
  await checks.check();
  await clickAndLoad(page, page.getByRole("link", { name: "Demo Council" }));
  expect(new URL(page.url()).pathname).toBe("/demo/estimate");
  expect(await h1(page)).toBe("Estimate what care and support you might get");
  const enhanced = await page.evaluate(() => document.body.classList.contains("govuk-frontend-supported"));
  expect(enhanced, "GOV.UK Frontend's scripts ran (or, with JavaScript off, did not)").toBe(javaScript);
  const start = await textOf(page.locator("main"));
  expect(start).toContain("This is only an estimate. It is not a decision.");
  expect(start).toContain("Your answers are not saved");
  await checks.check();
  await shot("start");

  // The first page, sent with nothing answered: the error summary, each error linked to its field.
  await clickAndLoad(page, page.getByRole("button", { name: "Start now" }));
  await checks.check();
  await clickAndLoad(page, page.getByRole("button", { name: "Continue" }));
  const summary = page.locator(".govuk-error-summary");
  expect(await summary.count()).toBe(1);
  expect(await page.title()).toMatch(/^Error: /);
  if (javaScript) {
    // GOV.UK Frontend moves focus to the summary, so a screen reader announces it.
    expect(await summary.evaluate((el) => el === document.activeElement)).toBe(true);
  }
  await checks.check("Question page with errors");
  for (const link of await summary.getByRole("link").all()) {
    const target = (await link.getAttribute("href")) ?? "";
    expect(target).toMatch(/^#./);
    expect(await page.locator(`[id="${target.slice(1)}"]`).count(), `the field ${target}`).toBe(1);
  }

  // Every question page, as a person reads and answers it, to "Check your answers".
  const headings: string[] = [];
  for (let pages = 0; pages < 30; pages++) {
    if ((await h1(page)) === "Check your answers") break;
    headings.push(await h1(page));
    await answerQuestionPage(page, eligiblePerson);
    await clickAndLoad(page, page.getByRole("button", { name: "Continue" }));
    await expectNoErrorSummary(page);
    await checks.check();
  }
  expect(await h1(page)).toBe("Check your answers");
  expect(headings.length, "question pages").toBe(13);
  expect(headings[1]).toMatch(/enough food and drink/);
  await shot("check-answers");

  // Back from check answers shows the last page with its answers; Continue comes back.
  await clickAndLoad(page, page.getByRole("button", { name: "Back" }));
  expect(await h1(page)).toBe("Your circumstances");
  expect(await page.getByLabel("Lives alone").isChecked()).toBe(true);
  await checks.check("Back to the last page");
  await clickAndLoad(page, page.getByRole("button", { name: "Continue" }));
  expect(await h1(page)).toBe("Check your answers");

  // Change one answer: the page shows what was answered, and returns to check answers.
  await clickAndLoad(page, page.getByRole("button", { name: "Change your answers about getting dressed" }));
  expect(await h1(page)).toMatch(/dress yourself/);
  expect(await page.getByRole("radio", { name: "No", exact: true }).isChecked()).toBe(true);
  await checks.check("Change a page");
  await page.getByRole("radio", { name: "Someone has to dress me" }).check();
  await clickAndLoad(page, page.getByRole("button", { name: "Continue" }));
  expect(await h1(page)).toBe("Check your answers");
  expect(await textOf(page.locator("#answers-outcomes-clothing"))).toContain("Someone has to dress me");
  await checks.check();

  // The estimate: eligible-looking, the budget, and every line of the working.
  await clickAndLoad(page, page.getByRole("button", { name: "Get your estimate" }));
  expect(await h1(page)).toBe("Your estimate");
  await checks.check();
  await shot("result");
  const result = await textOf(page.locator("main"));
  expect(result).toContain("This is an estimate, not a decision.");
  expect(result).toContain("your needs look likely to meet the national eligibility rules");
  expect(result.match(/Looks met/g)?.length, "all 3 parts look met").toBe(3);
  expect(await textOf(page.locator(".govuk-summary-list__row", { hasText: "A week" }).first())).toMatch(
    POUNDS,
  );
  const points = page.getByRole("table").filter({ hasText: "Points for each" }).locator("tbody tr");
  const graded = englandQuestionnaire.outcomes.flatMap((o) => o.items).length;
  expect(await points.count(), "one line per graded question").toBe(graded);
  const steps = page
    .getByRole("heading", { name: /step by step/i })
    .locator("xpath=following-sibling::ol[1]/li");
  expect(await steps.count()).toBeGreaterThanOrEqual(3);
  expect(result).toContain("How to ask for an assessment");
  expect(result).toContain("Care Act 2014, section 9");

  // Back to the answers from the estimate, and then start again from nothing.
  await clickAndLoad(page, page.getByRole("button", { name: "Change your answers", exact: true }));
  expect(await h1(page)).toBe("Check your answers");
  await clickAndLoad(page, page.getByRole("button", { name: "Back" }));
  await clickAndLoad(page, page.getByRole("button", { name: "Back" }));
  expect(await h1(page)).toBe("What impact do your needs have on your wellbeing?");
  await checks.check("Back twice");

  // Nobody signed in, and nothing kept about them: the only cookie is the CSRF one.
  expect((await context.cookies()).map((c) => c.name)).toEqual(["upfront_csrf"]);
  if (javaScript) expect(checks.scriptErrors, checks.scriptErrors.join("\n")).toEqual([]);
  checks.expectClean();
  return checks.visited;
}

describe("the public estimator, in a browser", () => {
  it("with JavaScript on", async () => {
    const context = await browser.newContext();
    try {
      const visited = await estimatorJourney(context, true);
      console.log(`Estimator, JavaScript on: ${visited.length} pages checked`);
    } finally {
      await context.close();
    }
  });

  // Without JavaScript, and 320 CSS pixels wide (the width WCAG's reflow rule names).
  it("with JavaScript off, 320px wide", async () => {
    await withoutJavaScriptAt320(browser, async (context) => {
      const visited = await estimatorJourney(context, false);
      console.log(`Estimator, JavaScript off: ${visited.length} pages checked`);
    });
  });
});
