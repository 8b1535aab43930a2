import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp } from "./app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "./databases.ts";
import { htmlUnescape, InjectBrowser } from "./inject-browser.ts";

/**
 * Issue 12: dates a person reads are in words ("23 November 2026"), titles included. Each staff role walks the
 * demo council's pages from the home page, following links, and no page's title or visible text shows a date as
 * 2026-11-23 (a date in a form's box, an address or a file's contents is not read as a sentence, so not counted;
 * nor is text inside <code>, which shows what to type).
 */

const ISO_DATE = /\b\d{4}-\d{2}-\d{2}\b/;
const MAX_PAGES = 150;
/** Pages of each kind visited (different people's records show different things). */
const PER_SHAPE = 2;

/** What a person reads on the page: the title and the body's text, without forms' values, code or scripts. */
function readable(html: string): { title: string; text: string } {
  const title = htmlUnescape(/<title>([\s\S]*?)<\/title>/.exec(html)?.[1] ?? "").trim();
  const body = html
    .replace(/<head>[\s\S]*?<\/head>/, " ")
    .replace(/<(script|style|code|pre|textarea|select)\b[\s\S]*?<\/\1>/g, " ")
    .replace(/<[^>]+>/g, " ");
  return { title, text: htmlUnescape(body).replace(/\s+/g, " ") };
}

function linksOn(html: string): string[] {
  return [...html.matchAll(/<a [^>]*href="(\/[^"#]*)"/g)]
    .map((m) => htmlUnescape(m[1]!))
    .filter((h) => !/\.(csv|pdf|json|txt|xml)(\?|$)|\/(download|export)|^\/assets\/|^\/api\//.test(h));
}

/** A path with its ids (UUIDs, numbers) as placeholders: one page of each kind is enough. */
const shape = (href: string) =>
  href
    .split("?")[0]!
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ":id")
    .replace(/\/\d+(?=\/|$)/g, "/:n");

describe.each(enginesUnderTest())("dates in words on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
    app = await buildTestApp(database);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it.each(["social_worker", "team_manager", "finance_officer", "commissioner", "administrator"])(
    "rule (issue 12): as %s, no page's title or text shows a date as YYYY-MM-DD",
    async (role) => {
      const browser = await new InjectBrowser(app).signIn(role);
      const seen = new Map<string, number>();
      const visited = new Set<string>();
      const due = (h: string) => !visited.has(h) && (seen.get(shape(h)) ?? 0) < PER_SHAPE;
      const queue = ["/"];
      const offenders: string[] = [];
      while (queue.length > 0 && visited.size < MAX_PAGES) {
        const href = queue.shift()!;
        if (!due(href) || href.startsWith("/sign-out")) continue;
        visited.add(href);
        seen.set(shape(href), (seen.get(shape(href)) ?? 0) + 1);
        const res = await browser.get(href);
        const to = String(res.headers.location ?? "");
        if (res.statusCode >= 300 && res.statusCode < 400 && to.startsWith("/")) queue.unshift(to);
        if (res.statusCode !== 200 || !String(res.headers["content-type"]).startsWith("text/html")) continue;
        const { title, text } = readable(res.body);
        const inTitle = ISO_DATE.exec(title);
        if (inTitle) offenders.push(`${href} title: ${title}`);
        for (const found of text.matchAll(new RegExp(ISO_DATE.source, "g"))) {
          const near = text.slice(Math.max(0, found.index - 60), found.index + 20);
          offenders.push(`${href}: …${near}…`);
        }
        queue.push(...linksOn(res.body).filter(due));
      }
      expect(offenders).toEqual([]);
    },
    180_000,
  );
});
