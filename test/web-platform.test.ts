import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SECURITY_DEFAULTS } from "#/config.ts";
import { hashPassword } from "#/platform/auth/passwords.ts";
import { todayInLondon } from "#/platform/context.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import type { StaffRole } from "#/platform/db/schema.ts";
import { withSystem } from "#/platform/db/tenant.ts";
import { buildTestApp } from "./app.ts";
import { databaseFor, type TestDatabase } from "./databases.ts";
import { cookieHeader, cookiesFrom, csrfFrom } from "./inject-browser.ts";

describe("web platform: sign-in, sessions, CSRF, roles (PGlite)", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  const password = "correct horse battery staple";

  beforeAll(async () => {
    database = await databaseFor("pglite", "migrated");
    const tenantId = uuidv7();
    const passwordHash = await hashPassword(password);
    await withSystem(database.db, async (trx) => {
      await trx
        .insertInto("tenants")
        .values({ tenant_id: tenantId, slug: "t1", name: "Test Council", jurisdiction: "england" })
        .execute();
      const staff: [string, StaffRole][] = [
        ["worker@t1.test", "social_worker"],
        ["commissioner@t1.test", "commissioner"],
      ];
      for (const [email, role] of staff) {
        await trx
          .insertInto("staff_users")
          .values({
            tenant_id: tenantId,
            user_id: uuidv7(),
            email,
            name: email,
            password_hash: passwordHash,
            roles: [role],
          })
          .execute();
      }
    });
    app = await buildTestApp(database, { today: todayInLondon, cookieSecure: true });
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  async function signIn(email: string, pw = password, ip = "10.0.0.1") {
    const page = await app.inject({ method: "GET", url: "/sign-in", remoteAddress: ip });
    const jar = cookiesFrom(page);
    const res = await app.inject({
      method: "POST",
      url: "/sign-in",
      remoteAddress: ip,
      headers: { cookie: cookieHeader(jar), "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({
        _csrf: csrfFrom(page.body),
        email,
        password: pw,
        returnTo: "/account",
      }).toString(),
    });
    return { res, jar: cookiesFrom(res, jar) };
  }

  it("signs in with the right password and sets a Secure, HttpOnly, SameSite session cookie", async () => {
    const { res, jar } = await signIn("worker@t1.test");
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe("/account");
    const session = res.cookies.find((c) => c.name === "upfront_session");
    expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: "Lax", path: "/" });
    const account = await app.inject({
      method: "GET",
      url: "/account",
      headers: { cookie: cookieHeader(jar) },
    });
    expect(account.statusCode).toBe(200);
    expect(account.body).toContain("worker@t1.test");
  });

  it("refuses a wrong password with the GOV.UK error summary, and stores no session", async () => {
    const { res } = await signIn("worker@t1.test", "wrong", "10.0.0.2");
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain("There is a problem");
    expect(res.cookies.find((c) => c.name === "upfront_session")).toBeUndefined();
  });

  it("refuses a form without a valid CSRF token (403), even with the right password", async () => {
    const page = await app.inject({ method: "GET", url: "/sign-in", remoteAddress: "10.0.0.3" });
    const res = await app.inject({
      method: "POST",
      url: "/sign-in",
      remoteAddress: "10.0.0.3",
      headers: {
        cookie: cookieHeader(cookiesFrom(page)),
        "content-type": "application/x-www-form-urlencoded",
      },
      payload: new URLSearchParams({ _csrf: "forged", email: "worker@t1.test", password }).toString(),
    });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain("Your form could not be sent");
  });

  it(`throttles sign-in per address: after ${SECURITY_DEFAULTS.signInThrottle.addressFailures} failures from one address (any accounts) the next attempt waits (429)`, async () => {
    const ip = "10.0.0.9";
    for (let i = 0; i < SECURITY_DEFAULTS.signInThrottle.addressFailures; i++) {
      expect((await signIn(`nobody-${i}@t1.test`, "wrong", ip)).res.statusCode).toBe(400);
    }
    const blocked = await signIn("worker@t1.test", password, ip);
    expect(blocked.res.statusCode).toBe(429);
    expect(blocked.res.body).toContain("Too many attempts");
  });

  it("sends a signed-out visitor to sign in, and gives a role without permission the 403 page", async () => {
    const anonymous = await app.inject({ method: "GET", url: "/account" });
    expect(anonymous.statusCode).toBe(302);
    expect(anonymous.headers.location).toBe("/sign-in?returnTo=%2Faccount");
    const { jar } = await signIn("commissioner@t1.test", password, "10.0.0.4");
    // Commissioners see aggregate reports, not people's records (permissions.ts).
    const people = await app.inject({
      method: "GET",
      url: "/people",
      headers: { cookie: cookieHeader(jar) },
    });
    expect(people.statusCode).toBe(403);
    expect(people.body).toContain("You cannot see this page");
  });

  it("each role starts where it may go: the header lists only permitted pages, and '/' sends a commissioner to the directory", async () => {
    const worker = await signIn("worker@t1.test", password, "10.0.0.7");
    const workerHome = await app.inject({
      method: "GET",
      url: "/",
      headers: { cookie: cookieHeader(worker.jar) },
    });
    expect(workerHome.headers.location).toBe("/people");
    const commissioner = await signIn("commissioner@t1.test", password, "10.0.0.8");
    const home = await app.inject({
      method: "GET",
      url: "/",
      headers: { cookie: cookieHeader(commissioner.jar) },
    });
    // Commissioners read the provider directory (the market), not people's records.
    expect(home.headers.location).toBe("/directory");
    const directory = await app.inject({
      method: "GET",
      url: "/directory",
      headers: { cookie: cookieHeader(commissioner.jar) },
    });
    expect(directory.statusCode).toBe(200);
    const account = await app.inject({
      method: "GET",
      url: "/account",
      headers: { cookie: cookieHeader(commissioner.jar) },
    });
    expect(account.body).not.toContain('href="/people"');
    expect(account.body).toContain('href="/account"');
  });

  it("audit: sign-in, a wrong password for a real account, and sign-out each leave an event in the tenant's trail", async () => {
    const actions = async () =>
      (
        await withSystem(database.db, (trx) =>
          trx.selectFrom("audit_events").where("record_type", "=", "staff_user").select("action").execute(),
        )
      ).map((r) => r.action);
    const before = await actions();
    await signIn("worker@t1.test", "wrong", "10.0.1.1");
    const { jar } = await signIn("worker@t1.test", password, "10.0.1.1");
    const page = await app.inject({ method: "GET", url: "/account", headers: { cookie: cookieHeader(jar) } });
    await app.inject({
      method: "POST",
      url: "/sign-out",
      headers: { cookie: cookieHeader(jar), "content-type": "application/x-www-form-urlencoded" },
      payload: `_csrf=${encodeURIComponent(csrfFrom(page.body))}`,
    });
    const added = (await actions()).slice(before.length);
    expect(added.sort()).toEqual(["sign_in", "sign_in_failed", "sign_out"]);
  });

  it("signing out ends the session on the server, so the old cookie no longer works", async () => {
    const { jar } = await signIn("worker@t1.test", password, "10.0.0.5");
    const account = await app.inject({
      method: "GET",
      url: "/account",
      headers: { cookie: cookieHeader(jar) },
    });
    await app.inject({
      method: "POST",
      url: "/sign-out",
      headers: { cookie: cookieHeader(jar), "content-type": "application/x-www-form-urlencoded" },
      payload: `_csrf=${encodeURIComponent(csrfFrom(account.body))}`,
    });
    const after = await app.inject({
      method: "GET",
      url: "/account",
      headers: { cookie: cookieHeader(jar) },
    });
    expect(after.statusCode).toBe(302);
  });

  it("sets security headers: a CSP with a nonce and no unsafe-inline script, frame-ancestors none", async () => {
    const res = await app.inject({ method: "GET", url: "/sign-in" });
    const csp = String(res.headers["content-security-policy"]);
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).toContain("frame-ancestors 'none'");
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(res.body).toContain(`nonce="${nonce}"`);
  });

  it("API tokens: shown once, work as Bearer on /api/v1, and stop working when revoked; a bad token gets 401 problem+json", async () => {
    const { jar } = await signIn("worker@t1.test", password, "10.0.0.6");
    const account = await app.inject({
      method: "GET",
      url: "/account",
      headers: { cookie: cookieHeader(jar) },
    });
    const created = await app.inject({
      method: "POST",
      url: "/account/api-tokens",
      headers: { cookie: cookieHeader(jar), "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams([
        ["_csrf", csrfFrom(account.body)],
        ["name", "script"],
        ["scopes", "people:read"],
        ["days", "90"],
      ]).toString(),
    });
    const token = /<code id="new-token"[^>]*>(upf_[^<]+)<\/code>/.exec(created.body)?.[1];
    expect(token).toBeTruthy();
    const withToken = await app.inject({
      method: "GET",
      url: "/api/v1/people",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(withToken.statusCode).toBe(200);
    const tokenId = /api-tokens\/([0-9a-f-]+)\/revoke/.exec(created.body)?.[1];
    await app.inject({
      method: "POST",
      url: `/account/api-tokens/${tokenId}/revoke`,
      headers: { cookie: cookieHeader(jar), "content-type": "application/x-www-form-urlencoded" },
      payload: `_csrf=${encodeURIComponent(csrfFrom(created.body))}`,
    });
    const revoked = await app.inject({
      method: "GET",
      url: "/api/v1/people",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(revoked.statusCode).toBe(401);
    expect(revoked.headers["content-type"]).toContain("application/problem+json");
    const nothing = await app.inject({ method: "GET", url: "/api/v1/openapi.json" });
    expect(nothing.statusCode).toBe(200);
  });
});
