import { AxeBuilder } from "@axe-core/playwright";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations, WCAG_TAGS } from "./support/axe.ts";
import { launchChromium } from "./support/browser.ts";

/** The test tools themselves: a check that cannot fail, or a browser that silently is not there, proves nothing. */

describe("launchChromium", () => {
  it("fails, saying how to install Chromium, when there is none", async () => {
    await expect(launchChromium("/nonexistent/chromium")).rejects.toThrow(/apt-get install -y chromium/);
  });
});

describe("axe, with JavaScript on and off", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  const broken = `<!doctype html><html lang="en"><head><title>Broken</title></head><body><main>
    <h1>Broken</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><form><input type="text" name="q"></form>
    <p style="color:#aaa;background:#fff">Pale text</p></main></body></html>`;

  for (const javaScriptEnabled of [true, false]) {
    it(`finds violations with JavaScript ${javaScriptEnabled ? "on" : "off"}`, async () => {
      const context = await browser.newContext({ javaScriptEnabled });
      try {
        const page = await context.newPage();
        await page.route("http://upfront.test/", (route) =>
          route.fulfill({ contentType: "text/html", body: broken }),
        );
        await page.goto("http://upfront.test/");
        const report = await axeViolations(page);
        expect(report).toMatch(/image-alt/);
        expect(report).toMatch(/label/);
        expect(report).toMatch(/color-contrast/);
        expect(report).toMatch(/^ +- img$/m);
      } finally {
        await context.close();
      }
    });
  }

  it("finds what @axe-core/playwright's AxeBuilder finds on the same page, checked once or twice", async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.route("http://upfront.test/", (route) =>
        route.fulfill({ contentType: "text/html", body: broken }),
      );
      await page.goto("http://upfront.test/");
      const fromBuilder = await new AxeBuilder({ page }).withTags(WCAG_TAGS).setLegacyMode(true).analyze();
      expect(fromBuilder.violations.length).toBeGreaterThanOrEqual(3);
      await page.goto("http://upfront.test/");
      const first = await axeViolations(page);
      const again = await axeViolations(page);
      for (const v of fromBuilder.violations) {
        expect(first).toContain(`  ${v.id} (${v.impact}): ${v.help}\n    ${v.helpUrl}\n`);
        for (const n of v.nodes) {
          const summary = (n.failureSummary ?? "").replaceAll("\n", "\n        ");
          expect(first).toContain(`      - ${n.target.join(" ")}\n        ${summary}`);
        }
      }
      expect(first?.match(/^ {2}\S+ \(/gm)).toHaveLength(fromBuilder.violations.length);
      expect(again).toBe(first);
    } finally {
      await context.close();
    }
  });
});
