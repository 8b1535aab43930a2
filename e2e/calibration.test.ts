import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "./support/axe.ts";
import { launchChromium } from "./support/browser.ts";
import { demoStaff, startServer, type TestServer } from "./support/server.ts";

/**
 * The administrator's RAS calibration in a browser: with JavaScript off (upload a file, a refused file, the
 * report, adopt with a reason) and on at 320px wide (reflow). axe checks every page against WCAG 2.2 AA.
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

/** axe, one h1, and nothing sticking out sideways (WCAG 1.4.10; wide tables scroll in their container). */
async function problemsOn(page: Page, label: string): Promise<string[]> {
  const problems: string[] = [];
  const axe = await axeViolations(page, label);
  if (axe) problems.push(axe);
  const h1s = await page.getByRole("heading", { level: 1 }).count();
  if (h1s !== 1) problems.push(`${label}: ${h1s} h1 headings`);
  const overflowing = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll("body *")]
      .filter((el) => !el.parentElement?.closest(".app-table-container"))
      .filter((el) => {
        const box = el.getBoundingClientRect();
        return box.width > 1 && box.right > width + 1;
      })
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}${[...el.classList].map((c) => `.${c}`).join("")}`);
  });
  if (overflowing.length > 0) problems.push(`${label}: sticks out sideways: ${overflowing.join(", ")}`);
  return problems;
}

async function signInAsAdministrator(page: Page) {
  const who = demoStaff("administrator");
  await page.goto(`${server.baseUrl}/sign-in`);
  await page.getByLabel("Email address").fill(who.email);
  await page.getByLabel("Password", { exact: true }).fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForLoadState("load");
}

describe("RAS calibration in a browser", () => {
  it("without JavaScript: a refused file lists its problems; a good file gives the report; adopting needs a reason", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const problems: string[] = [];
    await signInAsAdministrator(page);
    await page.goto(`${server.baseUrl}/admin/ras`);
    problems.push(...(await problemsOn(page, "RAS page")));

    // A file with a negative cost: refused, the problem listed by row.
    const lines = readFileSync("examples/packages.csv", "utf8").split("\r\n");
    const cells = lines[1]!.split(",");
    cells[cells.length - 1] = "-5";
    await page.getByLabel("Packages file (CSV)").setInputFiles({
      name: "bad.csv",
      mimeType: "text/csv",
      buffer: Buffer.from([lines[0], cells.join(",")].join("\r\n")),
    });
    await page.getByRole("button", { name: "Fit the model and show the report" }).click();
    await page.waitForLoadState("load");
    expect(await page.title()).toMatch(/^Error: /);
    expect(await page.locator("#problems").textContent()).toContain(
      "The weekly cost must not be negative (-5)",
    );
    problems.push(...(await problemsOn(page, "RAS page with a refused file")));

    // The example file: the report.
    await page.getByLabel("Packages file (CSV)").setInputFiles("examples/packages.csv");
    await page.getByRole("button", { name: "Fit the model and show the report" }).click();
    await page.waitForLoadState("load");
    expect(new URL(page.url()).pathname).toMatch(/^\/admin\/ras\/calibrations\/[0-9a-f-]{36}$/);
    expect(await page.locator("figure.app-chart svg").count()).toBe(7);
    problems.push(...(await problemsOn(page, "Calibration report")));

    await page.getByRole("button", { name: "Adopt this calibration" }).click();
    await page.waitForLoadState("load");
    expect(await page.locator(".govuk-error-summary").textContent()).toContain(
      "Say why the council is adopting this calibration",
    );
    problems.push(...(await problemsOn(page, "Calibration report with an error")));
    await page.getByLabel("Why is the council adopting it?").fill("Agreed by the board on 20 November 2026");
    await page.getByRole("button", { name: "Adopt this calibration" }).click();
    await page.waitForLoadState("load");
    expect(await page.locator(".govuk-notification-banner").textContent()).toContain(
      "The calibration is now version 2 of the model",
    );
    problems.push(...(await problemsOn(page, "RAS page after adopting")));
    await page.screenshot({ path: "/tmp/upfront-e2e-calibration-adopted.png", fullPage: true });

    expect(problems, problems.join("\n\n")).toEqual([]);
    await context.close();
  });

  it("with JavaScript at 320px wide: the pages reflow and pass axe", async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 800 } });
    const page = await context.newPage();
    const problems: string[] = [];
    await signInAsAdministrator(page);
    await page.goto(`${server.baseUrl}/admin/ras`);
    problems.push(...(await problemsOn(page, "RAS page at 320px")));
    await page.getByText("Paste the file's contents instead").click();
    await page.getByLabel("The file's contents").fill(readFileSync("examples/packages.csv", "utf8"));
    await page.getByRole("button", { name: "Fit the model and show the report" }).click();
    await page.waitForLoadState("load");
    expect(await page.locator("figure.app-chart svg").count()).toBe(7);
    problems.push(...(await problemsOn(page, "Calibration report at 320px")));
    await page.screenshot({ path: "/tmp/upfront-e2e-calibration-report-320.png", fullPage: true });
    expect(problems, problems.join("\n\n")).toEqual([]);
    await context.close();
  });
});
