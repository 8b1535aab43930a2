import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { staffLookups } from "#/features/staff/identity-lookups.ts";
import { permissionsOf, tokenScopesFor } from "#/platform/auth/permissions.ts";
import { withSystem, withTenant } from "#/platform/db/tenant.ts";
import { ValidationError } from "#/platform/errors.ts";
import { createApiToken } from "#/platform/web/api-tokens.ts";
import { apiTokenFor, buildTestApp, staffScope } from "./app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "./databases.ts";
import { emailOf, errorSummaryLinks, InjectBrowser } from "./inject-browser.ts";

/**
 * Issue 13, API tokens: made only from a signed-in session (a token cannot make a token); each has scopes (the
 * permission strings, never more than its creator holds), an expiry (90 days unless chosen) and its creator;
 * a token works only on /api/v1 and only for its scopes; revoking one ends that one alone.
 */
describe.each(enginesUnderTest())("API tokens on %s", (engine) => {
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

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const newToken = (html: string) => /<code id="new-token"[^>]*>(upf_[^<]+)<\/code>/.exec(html)?.[1] ?? "";
  const tokensOf = async (email: string) => {
    const scope = await staffScope(database, email);
    return withSystem(database.db, (trx) =>
      trx
        .selectFrom("api_tokens")
        .where("tenant_id", "=", scope.tenantId)
        .where("user_id", "=", scope.actor.id!)
        .select(["token_id", "scopes", "created_at", "expires_at", "revoked_at"])
        .orderBy("created_at")
        .execute(),
    );
  };

  it("rule (issue 13): a token works only on /api/v1: pages and 'Your account' refuse it with 403 problem+json, so a token cannot make a token", async () => {
    const email = emailOf("finance_officer");
    const token = await apiTokenFor(database, email);
    const before = (await tokensOf(email)).length;
    for (const [method, url] of [
      ["GET", "/account"],
      ["GET", "/people"],
      ["POST", "/account/api-tokens"],
    ] as const) {
      const res = await app.inject({
        method,
        url,
        headers: { ...bearer(token), "content-type": "application/x-www-form-urlencoded" },
        payload: method === "POST" ? "name=minted" : undefined,
      });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(res.headers["content-type"]).toContain("application/problem+json");
      expect(res.json().detail).toContain("/api/v1");
    }
    expect((await tokensOf(email)).length).toBe(before);
    const api = await app.inject({ method: "GET", url: "/api/v1/people", headers: bearer(token) });
    expect(api.statusCode).toBe(200);
  });

  it("rule (issue 13): a token may do only what its scopes name: a people:read token reads people but cannot add one (403 naming the scope)", async () => {
    const token = await apiTokenFor(database, emailOf("social_worker"), { scopes: ["people:read"] });
    const read = await app.inject({ method: "GET", url: "/api/v1/people", headers: bearer(token) });
    expect(read.statusCode).toBe(200);
    const add = await app.inject({
      method: "POST",
      url: "/api/v1/people",
      headers: bearer(token),
      payload: { givenName: "Scope", familyName: "Test" },
    });
    expect(add.statusCode).toBe(403);
    expect(add.headers["content-type"]).toContain("application/problem+json");
    expect(add.json().detail).toContain("people:write");
  });

  it("rule (issue 13): a token's scopes are never more than its creator holds: a social worker cannot give one payments:run", async () => {
    const email = emailOf("social_worker");
    const scope = await staffScope(database, email);
    const refused = withTenant(database.db, scope, (tx) =>
      createApiToken(tx, staffLookups, scope.actor.id!, "too much", {
        scopes: ["people:read", "payments:run"],
      }),
    );
    await expect(refused).rejects.toThrow(ValidationError);
    await expect(refused).rejects.toMatchObject({
      fieldErrors: [{ path: "scopes", message: expect.stringContaining("payments:run") }],
    });
    // Left to itself, a token gets all its creator's permissions but owning tokens.
    const made = await withTenant(database.db, scope, (tx) =>
      createApiToken(tx, staffLookups, scope.actor.id!, "all"),
    );
    expect(made.scopes).toEqual(tokenScopesFor(["social_worker"]));
    expect(made.scopes).not.toContain("api_tokens:own");
    expect(made.scopes.every((p) => permissionsOf(["social_worker"]).includes(p))).toBe(true);
  });

  it("rule (issue 13): a token expires: 90 days unless chosen, and an expired token gets 401", async () => {
    const email = emailOf("social_worker");
    const scope = await staffScope(database, email);
    const now = new Date();
    const fresh = await withTenant(database.db, scope, (tx) =>
      createApiToken(tx, staffLookups, scope.actor.id!, "new", { now }),
    );
    expect(fresh.expiresAt.getTime() - now.getTime()).toBe(90 * 86_400_000);
    const old = await withTenant(database.db, scope, (tx) =>
      createApiToken(tx, staffLookups, scope.actor.id!, "old", {
        days: 30,
        now: new Date(Date.now() - 31 * 86_400_000),
      }),
    );
    const res = await app.inject({ method: "GET", url: "/api/v1/people", headers: bearer(old.token) });
    expect(res.statusCode).toBe(401);
    expect(res.json().detail).toContain("expired");
    const ok = await app.inject({ method: "GET", url: "/api/v1/people", headers: bearer(fresh.token) });
    expect(ok.statusCode).toBe(200);
  });

  it("Your account offers only the creator's own permissions and an expiry (90 days to start); the form makes a token with what was ticked; revoking one ends that one alone", async () => {
    const email = emailOf("social_worker");
    const browser = await new InjectBrowser(app, { ip: "198.51.100.13" }).signInAs(email);
    const page = await browser.get("/account");
    expect(page.statusCode).toBe(200);
    const offered = [...page.body.matchAll(/name="scopes" type="checkbox" value="([^"]+)"/g)].map(
      (m) => m[1],
    );
    expect(offered).toEqual(tokenScopesFor(["social_worker"]));
    expect(page.body).not.toContain('value="payments:run"');
    expect(page.body).toMatch(/name="days" type="radio" value="90" checked/);

    const none = await browser.post("/account/api-tokens", { name: "nothing", days: "30" });
    expect(none.statusCode).toBe(400);
    expect(errorSummaryLinks(none.body)).toEqual([
      { href: "#scopes", text: "Choose at least one thing the token may do" },
    ]);
    const tooMuch = await browser.post("/account/api-tokens", {
      name: "too much",
      scopes: ["people:read", "payments:run"],
      days: "30",
    });
    expect(tooMuch.statusCode).toBe(400);

    const made = await browser.post("/account/api-tokens", {
      name: "reader",
      scopes: ["people:read", "plans:read"],
      days: "30",
    });
    expect(made.statusCode).toBe(200);
    const reader = newToken(made.body);
    const other = await browser.post("/account/api-tokens", {
      name: "other",
      scopes: ["people:read"],
      days: "7",
    });
    const second = newToken(other.body);
    const rows = await tokensOf(email);
    const [readerRow, otherRow] = rows.slice(-2);
    expect(readerRow!.scopes).toEqual(["people:read", "plans:read"]);
    const days = (r: { created_at: Date; expires_at: Date }) =>
      (new Date(r.expires_at).getTime() - new Date(r.created_at).getTime()) / 86_400_000;
    expect([days(readerRow!), days(otherRow!)]).toEqual([30, 7]);

    await browser.get("/account");
    const revoked = await browser.post(`/account/api-tokens/${readerRow!.token_id}/revoke`);
    expect(revoked.statusCode).toBe(303);
    const gone = await app.inject({ method: "GET", url: "/api/v1/people", headers: bearer(reader) });
    expect(gone.statusCode).toBe(401);
    const still = await app.inject({ method: "GET", url: "/api/v1/people", headers: bearer(second) });
    expect(still.statusCode).toBe(200);
  });
});
