import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STAFF_ROLES } from "#/platform/auth/permissions.ts";
import { withSystem } from "#/platform/db/tenant.ts";
import { pdfAvailable } from "#/platform/pdf/pdf.ts";
import { DEMO_PERSON_ACCOUNTS } from "#/seed/accounts-seed.ts";
import { apiTokenFor, buildTestApp } from "./app.ts";
import { databaseFor, demoTenantId, type TestDatabase } from "./databases.ts";
import { emailOf, InjectBrowser } from "./inject-browser.ts";
import { listRoutes } from "./route-list.ts";
import { RouteSamples } from "./route-samples.ts";

/**
 * Issue 13: nothing about a person may be kept by a browser or a proxy. Every GET route the app has is opened
 * by a caller who may open it (staff holding every role, by session; the same staff by API token; the person at
 * /my), with real ids from the demo council, and every answer (page, JSON, PDF, CSV, Bacs file, error) must say
 * `Cache-Control: no-store`. Only the static files may be cached.
 */

type Caller = "staff" | "api" | "person";
type Seen = { route: string; url: string; caller: Caller; status: number; cacheControl: string };

describe("Cache-Control: no-store on everything but the static files (issue 13)", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let staff: InjectBrowser;
  let person: InjectBrowser;
  let token: string;
  let samples: RouteSamples;
  const seen: Seen[] = [];

  beforeAll(async () => {
    database = await databaseFor("pglite", "demo");
    const tenantId = await demoTenantId(database);
    const admin = emailOf("administrator");
    // One member of staff holding every role, so every staff route opens for them.
    await withSystem(database.db, (trx) =>
      trx
        .updateTable("staff_users")
        .set({ roles: [...STAFF_ROLES] })
        .where("email", "=", admin)
        .execute(),
    );
    const personId = await withSystem(database.db, async (trx) => {
      const row = await trx
        .selectFrom("person_accounts")
        .where("email", "=", DEMO_PERSON_ACCOUNTS[0]!.email)
        .select("person_id")
        .executeTakeFirstOrThrow();
      return row.person_id!;
    });
    samples = await RouteSamples.load(database.db, tenantId, personId);
    app = await buildTestApp(database);
    staff = await new InjectBrowser(app).signInAs(admin);
    person = new InjectBrowser(app);
    expect((await person.signInPerson(DEMO_PERSON_ACCOUNTS[0]!.email)).statusCode).toBe(303);
    token = await apiTokenFor(database, admin);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const open = async (caller: Caller, url: string): Promise<LightMyRequestResponse> => {
    if (caller === "api")
      return app.inject({ method: "GET", url, headers: { authorization: `Bearer ${token}` } });
    return (caller === "person" ? person : staff).get(url);
  };

  it("rule: every GET route answers Cache-Control: no-store to each caller who can open it", async () => {
    const routes = listRoutes(app).filter((r) => r.method === "GET" && r.url !== "/*");
    for (const route of routes) {
      const url = samples.fill(route.url);
      const callers: Caller[] = route.url.startsWith("/api/")
        ? ["api", "staff"]
        : route.url.startsWith("/my")
          ? ["person"]
          : ["staff"];
      for (const caller of callers) {
        const res = await open(caller, url);
        seen.push({
          route: route.url,
          url,
          caller,
          status: res.statusCode,
          cacheControl: String(res.headers["cache-control"] ?? ""),
        });
      }
    }
    const opened = seen.filter((s) => s.status === 200);
    console.log(
      `no-store walk: ${routes.length} GET routes, ${seen.length} requests, ${opened.length} answered 200 ` +
        `(staff ${opened.filter((s) => s.caller === "staff").length}, api ${opened.filter((s) => s.caller === "api").length}, ` +
        `person ${opened.filter((s) => s.caller === "person").length})`,
    );
    expect(seen.filter((s) => s.status >= 500).map((s) => `${s.caller} ${s.url} → ${s.status}`)).toEqual([]);
    expect(
      seen
        .filter((s) => !/\bno-store\b/.test(s.cacheControl))
        .map((s) => `${s.caller} ${s.route} → ${s.status}`),
    ).toEqual([]);

    // The walk reached the personal data it is about, not just "not found" answers.
    const answered = (caller: Caller, route: string) =>
      seen.find((s) => s.caller === caller && s.route === route)?.status;
    const mustOpen: [Caller, string][] = [
      ["staff", "/people"],
      ["staff", "/people/:personId"],
      ["staff", "/people/:personId/budget"],
      ["staff", "/people/:personId/statement"],
      ["staff", "/payments"],
      ["staff", "/surplus"],
      ["staff", "/payees"],
      ["api", "/api/v1/people"],
      ["api", "/api/v1/people/:personId"],
      ["api", "/api/v1/people/:personId/assessments"],
      ["api", "/api/v1/people/:personId/financial-assessments"],
      ["person", "/my"],
      ["person", "/my/people/:personId/statement"],
      ["person", "/my/people/:personId/budget"],
      ["person", "/my/people/:personId/look-again"],
    ];
    if (pdfAvailable()) {
      mustOpen.push(
        ["staff", "/people/:personId/statement.pdf"],
        ["person", "/my/people/:personId/statement.pdf"],
      );
    }
    expect(mustOpen.map(([caller, route]) => `${caller} ${route} → ${answered(caller, route)}`)).toEqual(
      mustOpen.map(([caller, route]) => `${caller} ${route} → 200`),
    );
    expect(opened.length).toBeGreaterThan(100);
  }, 240_000);

  it("rule: a public page and a refusal say no-store too; the static files may be cached", async () => {
    const anonymous = new InjectBrowser(app);
    expect((await anonymous.get("/demo/estimate")).headers["cache-control"]).toBe("no-store");
    expect((await anonymous.get("/people")).headers["cache-control"]).toBe("no-store"); // the sign-in redirect
    const api = await app.inject({ method: "GET", url: "/api/v1/people" });
    expect(api.statusCode).toBe(401);
    expect(api.headers["cache-control"]).toBe("no-store");
    const css = await app.inject({ method: "GET", url: "/govuk/govuk-frontend.min.css" });
    expect(css.statusCode).toBe(200);
    expect(String(css.headers["cache-control"] ?? "")).not.toContain("no-store");
  });
});
