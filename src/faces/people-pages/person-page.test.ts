import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { can } from "#/platform/auth/permissions.ts";
import { buildTestApp } from "../../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { htmlUnescape, InjectBrowser, location } from "../../../test/inject-browser.ts";

/**
 * Issue 12: a person's page offers each member of staff only what they may open. Every link on it (the header's
 * too), followed with the same session, must not answer 403 — for every staff role in the demo that may read
 * people's records.
 */

const ROLES = [
  "social_worker",
  "support_planner",
  "team_manager",
  "funding_panel_member",
  "finance_officer",
  "administrator",
] as const;

/** The page's own links: every href to this site (not the skip link, assets or the sign-out form). */
function linksOn(html: string): string[] {
  const hrefs = [...html.matchAll(/<a [^>]*href="([^"]+)"/g)].map((m) => htmlUnescape(m[1]!));
  return [...new Set(hrefs.filter((h) => h.startsWith("/") && !h.startsWith("/assets/")))];
}

describe.each(enginesUnderTest())("a person's page on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let personPath: string;

  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
    app = await buildTestApp(database);
    // A person with a submitted assessment and an indicative budget, so the page shows every link it can (the
    // allocation link was never shown before issue 12: it read a field the summaries do not have).
    const worker = await new InjectBrowser(app).signIn("social_worker");
    const list = await worker.get("/people");
    for (const href of linksOn(list.body).filter((h) => /^\/people\/[0-9a-f-]{36}$/.test(h))) {
      const page = await worker.get(href);
      if (page.body.includes("/allocation-override")) {
        personPath = href;
        break;
      }
    }
    expect(personPath, "a demo person with an indicative budget").toBeDefined();
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it.each(ROLES)(
    "rule (issue 12): as %s, no link on a person's page answers 403 (each shown only with the permission its page needs)",
    async (role) => {
      expect(can([role], "people:read")).toBe(true);
      const browser = await new InjectBrowser(app).signIn(role);
      const page = await browser.get(personPath);
      expect(page.statusCode).toBe(200);
      const refused: string[] = [];
      for (const href of linksOn(page.body)) {
        let res = await browser.get(href);
        // One redirect inside the site (e.g. the allocation link goes on to the allocation's own page).
        if (res.statusCode >= 300 && res.statusCode < 400 && location(res).startsWith("/")) {
          res = await browser.get(location(res));
        }
        if (res.statusCode === 403) refused.push(href);
      }
      expect(refused).toEqual([]);
    },
    60_000,
  );

  it("rule (issue 12): a finance officer sees the money links, and not Reviews, Referrals or the allocation change", async () => {
    const finance = await new InjectBrowser(app).signIn("finance_officer");
    const links = linksOn((await finance.get(personPath)).body);
    const id = personPath.split("/").at(-1);
    expect(links).toEqual(
      expect.arrayContaining([`/people/${id}/budget`, `/people/${id}/charging`, `/people/${id}/statement`]),
    );
    for (const hidden of ["reviews", "referrals", "allocation-override"]) {
      expect(links).not.toContain(`/people/${id}/${hidden}`);
    }
  });
});
