import { existsSync } from "node:fs";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

/** Debian's Chromium. Tests never download a browser: the machine provides it. */
export const CHROMIUM_PATH = process.env.UPFRONT_CHROMIUM ?? "/usr/bin/chromium";

/**
 * Flags for a closed network: without them Chromium keeps trying to reach Google's services and floods the
 * log with refused connections. The last two draw in the browser's own process, in software: with no GPU, a
 * separate GPU process only adds a round trip per frame (the journeys ran about a tenth faster without it).
 */
const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--in-process-gpu",
  "--disable-gpu-compositing",
];

/** Starts headless Chromium, or fails loudly: a browser test that cannot run must not pass by skipping. */
export async function launchChromium(executablePath: string = CHROMIUM_PATH): Promise<Browser> {
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium was not found at ${executablePath}. The browser tests need Debian's Chromium: ` +
        "install it with `sudo apt-get install -y chromium` (or set UPFRONT_CHROMIUM to another Chromium binary).",
    );
  }
  return chromium.launch({ executablePath, headless: true, args: ARGS });
}

/**
 * Runs a journey in a new browser context with JavaScript off on a 320 CSS pixel wide screen (the width WCAG
 * 1.4.10's reflow rule names): every journey is walked this way too, each page checked by pageChecks (axe, one
 * h1, a title, nothing sticking out sideways). The context is closed whatever happens.
 */
export async function withoutJavaScriptAt320<T>(
  browser: Browser,
  journey: (context: BrowserContext) => Promise<T>,
): Promise<T> {
  const context = await browser.newContext({
    javaScriptEnabled: false,
    viewport: { width: 320, height: 640 },
  });
  try {
    return await journey(context);
  } finally {
    await context.close();
  }
}

/** Clicks a link or button and waits for the page it leads to: the step every journey takes between pages. */
export async function clickAndLoad(page: Page, target: ReturnType<Page["getByRole"]>): Promise<void> {
  await target.click();
  await page.waitForLoadState("load");
}

/**
 * A full-page screenshot written to `path` for people to look at; no test compares them. Off by default (each
 * one costs the browser a full-page render and encode): set E2E_SCREENSHOTS=1 to have them written.
 */
export async function screenshot(page: Page, path: string): Promise<void> {
  if (process.env.E2E_SCREENSHOTS !== "1") return;
  await page.screenshot({ path, fullPage: true });
}
