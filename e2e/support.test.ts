import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "./support/axe.ts";
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
});
