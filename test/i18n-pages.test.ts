import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "#/platform/auth/passwords.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import { withSystem } from "#/platform/db/tenant.ts";
import { LANGUAGE_COOKIE } from "#/platform/i18n/language.ts";
import { buildTestApp } from "./app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "./databases.ts";
import { cookieHeader, cookiesFrom, csrfFrom, pageText } from "./inject-browser.ts";

const htmlLang = (html: string) => /<html lang="([^"]+)"/.exec(html)?.[1];
const switcher = (html: string) =>
  [...html.matchAll(/<a [^>]*class="[^"]*app-language-navigation__link[^"]*"[^>]*>([^<]+)<\/a>/g)].map(
    (m) => ({
      text: m[1],
      tag: m[0],
    }),
  );

// Issue 16 and the Welsh Language Standards (WSI 2015/996): a page in Welsh on ?lang=cy, the choice kept, the GOV.UK
// language navigation on every page, English by default.
describe.each(enginesUnderTest())("pages in Welsh and English on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  const password = "correct horse battery staple";

  beforeAll(async () => {
    database = await databaseFor(engine, "migrated");
    const tenantId = uuidv7();
    const passwordHash = await hashPassword(password);
    await withSystem(database.db, async (trx) => {
      await trx
        .insertInto("tenants")
        .values({ tenant_id: tenantId, slug: "t1", name: "Test Council", jurisdiction: "wales" })
        .execute();
      await trx
        .insertInto("staff_users")
        .values({
          tenant_id: tenantId,
          user_id: uuidv7(),
          email: "worker@t1.test",
          name: "Worker",
          password_hash: passwordHash,
          roles: ["social_worker"],
        })
        .execute();
    });
    app = await buildTestApp(database);
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it("answers in English by default, with the switcher offering Cymraeg", async () => {
    const page = await app.inject({ method: "GET", url: "/sign-in" });
    expect(htmlLang(page.body)).toBe("en");
    expect(pageText(page.body)).toContain("Skip to main content");
    const links = switcher(page.body);
    expect(links.map((l) => l.text)).toEqual(["English", "Cymraeg"]);
    expect(links[0]!.tag).toContain('aria-current="true"');
    expect(links[1]!.tag).not.toContain("aria-current");
    expect(page.cookies.find((c) => c.name === LANGUAGE_COOKIE)).toBeUndefined();
  });

  it("answers ?lang=cy in Welsh: <html lang>, the switcher, hreflang alternates and the Welsh chrome", async () => {
    const page = await app.inject({ method: "GET", url: "/sign-in?lang=cy" });
    expect(htmlLang(page.body)).toBe("cy");
    const links = switcher(page.body);
    expect(links[1]!.text).toBe("Cymraeg");
    for (const attribute of ['lang="cy"', 'hreflang="cy"', 'rel="alternate"', 'aria-current="true"'])
      expect(links[1]!.tag).toContain(attribute);
    expect(links[0]!.tag).toContain('lang="en"');
    expect(links[0]!.tag).not.toContain("aria-current");
    expect(page.body).toContain('<link rel="alternate" hreflang="en" href="/sign-in?lang=en">');
    expect(page.body).toContain('<link rel="alternate" hreflang="cy" href="/sign-in?lang=cy">');
    const text = pageText(page.body);
    expect(text).toContain("Neidio i’r prif gynnwys");
    expect(text).not.toContain("Skip to main content");
    expect(page.body).toContain('aria-label="Newid yr iaith"');
    expect(text).not.toContain("⟦untranslated⟧");
  });

  it("puts the same language navigation in the header people and their representatives see (/my)", async () => {
    const page = await app.inject({ method: "GET", url: "/my/sign-in?lang=cy" });
    expect(page.statusCode).toBe(200);
    expect(htmlLang(page.body)).toBe("cy");
    expect(switcher(page.body)[1]!.tag).toContain('aria-current="true"');
    expect(pageText(page.body)).toContain("Neidio i’r prif gynnwys");
  });

  it("keeps Welsh on the next request, through a form's error and into the signed-in pages", async () => {
    const first = await app.inject({ method: "GET", url: "/sign-in?lang=cy" });
    const jar = cookiesFrom(first);
    expect(jar[LANGUAGE_COOKIE]).toBe("cy");
    const post = (pw: string) =>
      app.inject({
        method: "POST",
        url: "/sign-in",
        headers: { cookie: cookieHeader(jar), "content-type": "application/x-www-form-urlencoded" },
        payload: new URLSearchParams({
          _csrf: csrfFrom(first.body),
          email: "worker@t1.test",
          password: pw,
        }).toString(),
      });
    const wrong = await post("not the password");
    expect(htmlLang(wrong.body)).toBe("cy");
    expect(wrong.body).toMatch(/<title>\s*Gwall:/);
    expect(pageText(wrong.body)).toContain("Mae yna broblem");
    const signedIn = await post(password);
    cookiesFrom(signedIn, jar);
    const home = await app.inject({ method: "GET", url: "/account", headers: { cookie: cookieHeader(jar) } });
    expect(htmlLang(home.body)).toBe("cy");
    expect(pageText(home.body)).toContain("Allgofnodi");
    const english = await app.inject({
      method: "GET",
      url: "/account?lang=en",
      headers: { cookie: cookieHeader(jar) },
    });
    expect(htmlLang(english.body)).toBe("en");
    expect(pageText(english.body)).toContain("Sign out");
    expect(cookiesFrom(english, jar)[LANGUAGE_COOKIE]).toBe("en");
  });
});
