import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Debian's Chromium. Tests never download a browser: the machine provides it. */
export const CHROMIUM_PATH = process.env.UPFRONT_CHROMIUM ?? "/usr/bin/chromium";

/**
 * Flags for a closed network: without them Chromium keeps trying to reach Google's services and floods the
 * log with refused connections.
 */
const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
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
