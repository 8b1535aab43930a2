import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { type Browser, chromium } from "playwright-core";
import { processSettings } from "#/config.ts";
import { STATIC_MOUNTS } from "#/platform/web/static-mounts.ts";

/**
 * PDFs from the same HTML as the page, printed by Debian's Chromium through Playwright: tagged (so screen
 * readers get headings, lists and tables) and with an outline from the headings. The page is loaded from an
 * address that never reaches the network: every request is answered here, from the static folders, or refused.
 */
export const CHROMIUM_PATH = processSettings().chromiumPath;
const ORIGIN = "http://upfront.pdf";

export class PdfUnavailableError extends Error {
  constructor() {
    super(`PDFs need Chromium at ${CHROMIUM_PATH} (sudo apt-get install -y chromium)`);
    this.name = "PdfUnavailableError";
  }
}

let browser: Promise<Browser> | undefined;

function sharedBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new PdfUnavailableError();
  browser ??= chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-sync",
    ],
  });
  return browser;
}

export const pdfAvailable = (): boolean => existsSync(CHROMIUM_PATH);

const CONTENT_TYPES: Record<string, string> = {
  ".css": "text/css",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

async function staticFile(pathname: string): Promise<{ body: Buffer; contentType: string } | null> {
  for (const mount of STATIC_MOUNTS) {
    if (!pathname.startsWith(mount.prefix)) continue;
    const file = path.resolve(mount.dir, `.${pathname.slice(mount.prefix.length - 1)}`);
    if (!file.startsWith(mount.dir + path.sep)) return null;
    try {
      return {
        body: await readFile(file),
        contentType: CONTENT_TYPES[path.extname(file)] ?? "application/octet-stream",
      };
    } catch {
      return null;
    }
  }
  return null;
}

export async function htmlToPdf(html: string): Promise<Buffer> {
  const context = await (await sharedBrowser()).newContext({ javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await page.route("**/*", async (route) => {
      const url = new URL(route.request().url());
      if (url.origin !== ORIGIN) return route.abort();
      if (url.pathname === "/") return route.fulfill({ body: html, contentType: "text/html; charset=utf-8" });
      const file = await staticFile(url.pathname);
      return file ? route.fulfill({ body: file.body, contentType: file.contentType }) : route.abort();
    });
    await page.goto(`${ORIGIN}/`, { waitUntil: "load" });
    await page.emulateMedia({ media: "print" });
    return await page.pdf({
      format: "A4",
      printBackground: true,
      tagged: true,
      outline: true,
      margin: { top: "15mm", bottom: "15mm", left: "15mm", right: "15mm" },
    });
  } finally {
    await context.close();
  }
}

export async function closePdfBrowser(): Promise<void> {
  const open = browser;
  browser = undefined;
  if (open) await (await open).close();
}
