import fc from "fast-check";
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STAFF_ROLES } from "#/platform/auth/permissions.ts";
import { withSystem } from "#/platform/db/tenant.ts";
import { DEMO_PERSON_ACCOUNTS } from "#/seed/accounts-seed.ts";
import { apiTokenFor, buildTestApp } from "./app.ts";
import { databaseFor, demoTenantId, type TestDatabase } from "./databases.ts";
import {
  arbitraryFor,
  deepJson,
  formArbitrary,
  formsOf,
  HOSTILE_JSON_BODIES,
  HOSTILE_STRINGS,
  HOSTILE_VALUES,
  type PageForm,
  withHostileLeaf,
} from "./fuzz-inputs.ts";
import { emailOf, InjectBrowser } from "./inject-browser.ts";
import { listRoutes, type RouteEntry } from "./route-list.ts";
import { NO_SUCH_ID, RouteSamples } from "./route-samples.ts";

/**
 * Issue 13, "keep it found": every JSON API route and every form route is sent inputs generated from its own
 * schema (the OpenAPI document's JSON Schema; the fields of the page's form), the same with one value swapped
 * for a hostile one (NUL, lone surrogates, 200,000 characters, wrong types, ids that name nothing), bodies
 * nested 20,000 deep or over the size limit, and path ids that are not ids. No answer may be a 5xx, and a
 * refused request (4xx) may change no rows (audit events and throttle counters excepted). Fixed seed, a modest
 * number of runs per route; the counts are printed for the CI log.
 */

const SEED = 20_261_307;
/** Generated inputs per API route (and as many again with a hostile value), and per form route. */
const RUNS_PER_ROUTE = 3;
const RUNS_PER_FORM = 2;
/** Tables a refused request may still write: the audit trail and the counters that limit attempts. */
const MAY_CHANGE_ON_REFUSAL = new Set(["audit_events", "audit_seals", "sign_in_throttles"]);

const FUZZ_ADDRESS = "10.13.99.1";

type Caller = "staff" | "api" | "person";
type Attempt = { label: string; options: InjectOptions };
type OpenApiOperation = {
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  parameters?: { name: string; in: string }[];
};
type Finding = { route: string; label: string; status: number; detail: string };

const seedFor = (text: string) => [...text].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, SEED);

describe("fuzzing every JSON API and form route (issue 13)", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let staff: InjectBrowser;
  let person: InjectBrowser;
  let token: string;
  let samples: RouteSamples;
  let tenantTables: string[];

  beforeAll(async () => {
    database = await databaseFor("pglite", "demo");
    const tenantId = await demoTenantId(database);
    const admin = emailOf("administrator");
    await withSystem(database.db, (trx) =>
      trx
        .updateTable("staff_users")
        .set({ roles: [...STAFF_ROLES] })
        .where("email", "=", admin)
        .execute(),
    );
    const { personId, worker } = await withSystem(database.db, async (trx) => ({
      personId: (
        await trx
          .selectFrom("person_accounts")
          .where("email", "=", DEMO_PERSON_ACCOUNTS[0]!.email)
          .select("person_id")
          .executeTakeFirstOrThrow()
      ).person_id!,
      // Staff pages are fuzzed on a social worker's record, never the administrator's own.
      worker: (
        await trx
          .selectFrom("staff_users")
          .where("email", "=", emailOf("social_worker"))
          .select("user_id")
          .executeTakeFirstOrThrow()
      ).user_id,
    }));
    app = await buildTestApp(database);
    staff = await new InjectBrowser(app).signInAs(admin);
    // Drafts of the person's assessment, financial assessment and plan, so the pages that change them show
    // their forms (and the fuzzing has their fields).
    const { assessmentId, planId } = await withSystem(database.db, async (trx) => ({
      assessmentId: (
        await trx
          .selectFrom("assessments")
          .where("person_id", "=", personId)
          .orderBy("version", "desc")
          .select("assessment_id")
          .executeTakeFirstOrThrow()
      ).assessment_id,
      planId: (
        await trx
          .selectFrom("support_plans")
          .where("person_id", "=", personId)
          .select("plan_id")
          .executeTakeFirst()
      )?.plan_id,
    }));
    await staff.get(`/people/${personId}`);
    for (const url of [
      `/assessments/${assessmentId}/revise`,
      `/people/${personId}/financial-assessments`,
      planId ? `/plans/${planId}/versions` : `/people/${personId}/plans`,
    ]) {
      // 409: there is a draft already (a plan may have one waiting), which serves as well.
      expect([303, 409], url).toContain((await staff.post(url)).statusCode);
    }
    samples = await RouteSamples.load(database.db, tenantId, personId, { userId: worker });
    tenantTables = await withSystem(database.db, async (trx) =>
      (
        await sql<{ name: string }>`
          SELECT table_name AS name FROM information_schema.columns
          WHERE table_schema = 'public' AND column_name = 'tenant_id' ORDER BY 1`.execute(trx)
      ).rows
        .map((r) => r.name)
        .filter((name) => !MAY_CHANGE_ON_REFUSAL.has(name)),
    );
    person = new InjectBrowser(app);
    await person.signInPerson(DEMO_PERSON_ACCOUNTS[0]!.email);
    token = await apiTokenFor(database, admin);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  /** Rows in every tenant table but the audit trail and throttles, as one comparable line. */
  const rowCounts = async (): Promise<string> => {
    const counts = sql.join(
      tenantTables.map((t) => sql`(SELECT count(*) FROM ${sql.table(t)})`),
      sql`, `,
    );
    const row = await withSystem(
      database.db,
      async (trx) => (await sql<{ c: string }>`SELECT ARRAY[${counts}]::text AS c`.execute(trx)).rows[0]!,
    );
    return row.c;
  };
  const changedTables = (before: string, after: string) => {
    const a = before.replace(/[{}]/g, "").split(",");
    const b = after.replace(/[{}]/g, "").split(",");
    return tenantTables.flatMap((t, i) => (a[i] === b[i] ? [] : [`${t} ${a[i]}→${b[i]}`]));
  };

  const callerOf = (url: string): Caller =>
    url.startsWith("/api/") ? "api" : url.startsWith("/my") ? "person" : "staff";

  /** The request as this caller sends it: their cookie or token, and the CSRF token in forms and headers. */
  const as = (caller: Caller, options: InjectOptions): InjectOptions => {
    const headers = { ...(options.headers ?? {}) } as Record<string, string>;
    if (caller === "api") headers.authorization = `Bearer ${token}`;
    else {
      const browser = caller === "person" ? person : staff;
      headers.cookie = browser.cookie;
      headers["x-csrf-token"] = browser.csrf;
    }
    return { ...options, headers };
  };

  const urlencoded = (fields: Record<string, unknown>, csrf: string) => {
    const params = new URLSearchParams();
    params.append("_csrf", csrf);
    for (const [k, v] of Object.entries(fields)) params.append(k, String(v));
    return params.toString();
  };
  const multipart = (fields: Record<string, string>, files: Set<string>, csrf: string, fileText: string) => {
    const boundary = "----upfront-fuzz-boundary";
    const parts = [
      `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n`,
      ...Object.entries(fields).map(
        ([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
      ),
      ...[...files].map(
        (name) =>
          `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="fuzz.csv"\r\nContent-Type: text/csv\r\n\r\n${fileText}\r\n`,
      ),
    ];
    return {
      payload: `${parts.join("")}--${boundary}--\r\n`,
      headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
    };
  };

  /** Path variants: each id in the route's path swapped for something that is not one. */
  const badPaths = (route: RouteEntry): string[] => {
    const good = samples.fill(route.url);
    const names = [...route.url.matchAll(/:([A-Za-z_]+)/g)].map((m) => m[1]!);
    const bad = ["not-an-id", "%00", "99999999999", "00000000-0000-0000-0000-000000000000", "%ED%A0%80"];
    const start = seedFor(route.url) >>> 0;
    return names
      .flatMap((name, i) =>
        [0, 1].map((k) => samples.fill(route.url.replace(`:${name}`, bad[(start + i + k) % bad.length]!))),
      )
      .filter((u) => u !== good)
      .slice(0, 1); // one here; the test of every route's path ids below tries them all
  };

  it("rule: no input gets a 5xx, a refused request changes no rows, and every answer says no-store", async () => {
    const routes = listRoutes(app).filter((r) => r.url !== "/*" && !r.url.startsWith("/api/v1/openapi"));
    const doc = (await app.inject({ method: "GET", url: "/api/v1/openapi.json" })).json() as {
      paths: Record<string, Record<string, OpenApiOperation>>;
      components: { schemas: Record<string, unknown> };
    };

    // The forms each page offers, found by opening every page as the caller who may open it.
    const forms = new Map<string, PageForm>();
    const isFile = (url: string) => /\.(pdf|csv)$|\/files\//.test(url);
    for (const route of routes.filter(
      (r) => r.method === "GET" && !r.url.startsWith("/api/") && !isFile(r.url),
    )) {
      const url = samples.fill(route.url);
      const res = await (callerOf(url) === "person" ? person : staff).get(url);
      for (const form of formsOf(res.body, url)) {
        const key = `${form.method} ${form.action}`;
        const known = forms.get(key);
        if (!known) forms.set(key, form);
        else
          for (const [name, values] of form.fields)
            known.fields.set(name, new Set([...(known.fields.get(name) ?? []), ...values]));
      }
    }
    const patternOf = (url: string) => new RegExp(`^${url.replace(/:[A-Za-z_]+/g, "[^/]+")}$`);
    const formFor = (route: RouteEntry): PageForm | undefined => {
      const pattern = patternOf(route.url);
      const found = [...forms.values()].filter((f) => f.method === route.method && pattern.test(f.action));
      // The most specific route wins a URL (Fastify's own rule): skip forms a more specific route owns.
      return found.find((f) =>
        routes.every(
          (other) =>
            other === route ||
            other.method !== route.method ||
            !patternOf(other.url).test(f.action) ||
            (other.url.match(/:/g) ?? []).length >= (route.url.match(/:/g) ?? []).length,
        ),
      );
    };

    let formRoutes = 0;
    let formRoutesWithForm = 0;
    const attemptsFor = (route: RouteEntry): Attempt[] => {
      const url = samples.fill(route.url);
      const caller = callerOf(url);
      const csrf = caller === "api" ? "" : (caller === "person" ? person : staff).csrf;
      const seed = seedFor(`${route.method} ${route.url}`);
      const attempts: Attempt[] = [];
      const json = (label: string, body: unknown, target = url) =>
        attempts.push({
          label,
          options: {
            method: route.method as "POST",
            url: target,
            headers: { "content-type": "application/json" },
            payload:
              typeof body === "string"
                ? body
                : JSON.stringify(
                    caller === "api" || body === null || typeof body !== "object" || Array.isArray(body)
                      ? body
                      : { _csrf: csrf, ...body },
                  ),
          },
        });

      for (const bad of badPaths(route)) {
        attempts.push({ label: `path ${bad}`, options: { method: route.method as "GET", url: bad } });
      }
      if (route.method === "GET") {
        // A file (PDF, CSV, Bacs) takes no query: its path is fuzzed above, and printing PDFs is slow.
        if (isFile(route.url)) return attempts;
        const op = doc.paths[route.url.replace(/^\/api\/v1/, "").replace(/:([A-Za-z_]+)/g, "{$1}")]?.get;
        const names = [
          "search",
          "page",
          "date",
          "status",
          "from",
          "to",
          ...(op?.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name as string),
        ];
        // NUL every time (it reached PostgreSQL from a search box), and one other hostile string.
        const other = fc.sample(fc.constantFrom(...HOSTILE_STRINGS.filter((h) => h.length < 1000)), {
          seed,
          numRuns: 1,
        });
        const hostile = ["a\u0000b", ...other];
        for (const h of hostile) {
          const query = new URLSearchParams(names.map((n) => [n, h])).toString();
          attempts.push({
            label: `query ${JSON.stringify(h)}`,
            options: { method: "GET", url: `${url}?${query}` },
          });
        }
        return attempts;
      }

      // Bodies over the limits: 20,000 deep, and over a megabyte.
      json("20,000-deep JSON", deepJson(20_000));
      json("JSON over the size limit", JSON.stringify({ text: "x".repeat(1_050_000) }));
      for (const body of fc.sample(fc.constantFrom(...HOSTILE_JSON_BODIES), { seed, numRuns: 1 }))
        json(`JSON ${body}`, body);

      if (caller === "api") {
        const op =
          doc.paths[route.url.replace(/^\/api\/v1/, "").replace(/:([A-Za-z_]+)/g, "{$1}")]?.[
            route.method.toLowerCase()
          ];
        const schema = op?.requestBody?.content?.["application/json"]?.schema;
        const arb = arbitraryFor(schema ?? { type: "object" }, doc.components.schemas, (name) =>
          samples.idsFor(name),
        );
        for (const body of fc.sample(arb, { seed, numRuns: RUNS_PER_ROUTE })) json("from the schema", body);
        const hostile = fc.tuple(arb, fc.constantFrom(...HOSTILE_VALUES), fc.nat());
        for (const [body, value, pick] of fc.sample(hostile, { seed: seed + 1, numRuns: RUNS_PER_ROUTE })) {
          json(`with ${JSON.stringify(value)?.slice(0, 40)}`, withHostileLeaf(body, value, pick));
        }
        return attempts;
      }

      const form = formFor(route);
      formRoutes++;
      if (form) formRoutesWithForm++;
      const fields = form
        ? formArbitrary(form)
        : formArbitrary({
            fields: new Map([
              ["name", new Set()],
              ["date", new Set()],
            ]),
          });
      for (const values of fc.sample(fields, { seed, numRuns: RUNS_PER_FORM })) {
        if (form?.multipart) {
          const text = fc.sample(fc.constantFrom("a,b\n1,2\n", "\u0000\u0000", "\ud800", "x".repeat(5000)), {
            seed,
            numRuns: 1,
          })[0]!;
          const body = multipart(values, form.files, csrf, text);
          attempts.push({
            label: "multipart form",
            options: { method: route.method as "POST", url, ...body },
          });
        } else {
          attempts.push({
            label: "form",
            options: {
              method: route.method as "POST",
              url,
              headers: { "content-type": "application/x-www-form-urlencoded" },
              payload: urlencoded(values, csrf),
            },
          });
        }
      }
      // Wrong types: a browser sends text, but anyone can send JSON numbers, lists, objects and nulls.
      const wrong = fc.tuple(fields, fc.constantFrom(...HOSTILE_VALUES), fc.nat());
      for (const [values, value, pick] of fc.sample(wrong, { seed: seed + 2, numRuns: 1 })) {
        json(
          `form as JSON with ${JSON.stringify(value)?.slice(0, 40)}`,
          withHostileLeaf(values, value, pick),
        );
      }
      // A repeated field arrives as a list.
      const first = form ? [...form.fields.keys()][0] : undefined;
      if (first) {
        attempts.push({
          label: `repeated ${first}`,
          options: {
            method: route.method as "POST",
            url,
            headers: { "content-type": "application/x-www-form-urlencoded" },
            payload: `${urlencoded({}, csrf)}&${encodeURIComponent(first)}=a&${encodeURIComponent(first)}=b`,
          },
        });
      }
      return attempts;
    };

    const findings: Finding[] = [];
    let requests = 0;
    let fiveHundreds = 0;
    let refused = 0;
    let fuzzedRoutes = 0;
    let before = await rowCounts();
    let cookiesChanged = false;
    for (const route of routes) {
      // Fuzzing may sign a caller out (sign-out routes) or change their cookies: sign in again after it does.
      if (cookiesChanged) {
        if ((await staff.get("/account")).statusCode !== 200) await staff.signInAs(emailOf("administrator"));
        if ((await person.get("/my")).statusCode !== 200)
          await person.signInPerson(DEMO_PERSON_ACCOUNTS[0]!.email);
        cookiesChanged = false;
        before = await rowCounts();
      }
      const attempts = attemptsFor(route);
      if (attempts.length > 0) fuzzedRoutes++;
      for (const attempt of attempts) {
        const caller = callerOf(String(attempt.options.url));
        let res: LightMyRequestResponse;
        try {
          // From an address of its own, so the sign-in limits fuzzing trips never stop the test signing in again.
          res = await app.inject({ ...as(caller, attempt.options), remoteAddress: FUZZ_ADDRESS });
        } catch (error) {
          findings.push({
            route: `${route.method} ${route.url}`,
            label: attempt.label,
            status: 0,
            detail: String(error),
          });
          continue;
        }
        requests++;
        if (res.cookies.length > 0 && !String(attempt.options.url).startsWith("/api/")) cookiesChanged = true;
        if (res.statusCode >= 500) {
          fiveHundreds++;
          findings.push({
            route: `${route.method} ${route.url}`,
            label: attempt.label,
            status: res.statusCode,
            detail: res.body.slice(0, 200),
          });
        }
        // Every answer, refusals and redirects included, is kept by no browser or proxy (test/no-store.test.ts).
        if (!/\bno-store\b/.test(String(res.headers["cache-control"] ?? ""))) {
          findings.push({
            route: `${route.method} ${route.url}`,
            label: attempt.label,
            status: res.statusCode,
            detail: "no Cache-Control: no-store",
          });
        }
        if (route.method === "GET" && res.statusCode < 400) continue;
        const after = await rowCounts();
        if (res.statusCode >= 400) {
          refused++;
          if (after !== before) {
            findings.push({
              route: `${route.method} ${route.url}`,
              label: attempt.label,
              status: res.statusCode,
              detail: `refused, yet rows changed: ${changedTables(before, after).join(", ")}`,
            });
          }
        }
        before = after;
      }
    }
    console.log(
      `fuzz: ${fuzzedRoutes} routes, ${requests} requests, ${refused} refused, ${fiveHundreds} answered 5xx ` +
        `(seed ${SEED}; ${RUNS_PER_ROUTE} runs per API route, ${RUNS_PER_FORM} per form; ${formRoutesWithForm} of ${formRoutes} ` +
        "form routes fuzzed with their page's own fields)",
    );
    expect(findings.map((f) => `${f.route} [${f.label}] → ${f.status}: ${f.detail}`)).toEqual([]);
  }, 600_000);

  it("rule: every route with an id or number in its path refuses one that is not, 400 (API) or 404 (page), writing nothing", async () => {
    const routes = listRoutes(app).filter(
      (r) =>
        /:(id|[A-Za-z]+Id|version|index)\b/.test(r.url) && !/:(providerId|serviceId|itemId)\b/.test(r.url),
    );
    const before = await rowCounts();
    const wrong: string[] = [];
    for (const route of routes) {
      for (const [, name] of route.url.matchAll(/:([A-Za-z_]+)/g)) {
        if (!/^(id|[A-Za-z]+Id|version|index)$/.test(name!) || /^(providerId|serviceId|itemId)$/.test(name!))
          continue;
        const url = samples.fill(route.url.replace(`:${name}`, "not-an-id"));
        const res = await app.inject({
          ...as(callerOf(url), { method: route.method as "GET", url }),
          remoteAddress: FUZZ_ADDRESS,
        });
        const expected = url.startsWith("/api/") ? 400 : 404;
        if (res.statusCode !== expected)
          wrong.push(`${route.method} ${route.url} (${name}) → ${res.statusCode}`);
      }
    }
    console.log(
      `path ids: ${routes.length} routes with ids or numbers in their path, each refused a wrong one`,
    );
    expect(wrong).toEqual([]);
    expect(await rowCounts()).toBe(before);
  });

  it("rule: a path id that is not a UUID is 400 with a problem+json naming it (API) or Page not found (pages)", async () => {
    const api = await app.inject(as("api", { method: "GET", url: "/api/v1/people/not-a-uuid/assessments" }));
    expect(api.statusCode).toBe(400);
    expect(api.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(api.json()).toMatchObject({
      errors: [{ path: "personId", message: "The personId must be a UUID" }],
    });
    const page = await staff.get("/people/not-a-uuid/budget");
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain("Page not found");
    // Percent-encoding that is not UTF-8 never reaches a route: Fastify's refusal, in the service's shapes.
    const undecodable = await app.inject(as("api", { method: "GET", url: "/api/v1/people/%ED%A0%80" }));
    expect(undecodable.statusCode).toBe(400);
    expect(undecodable.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(undecodable.headers["cache-control"]).toBe("no-store");
    const undecodablePage = await staff.get("/people/%ED%A0%80");
    expect(undecodablePage.statusCode).toBe(400);
    expect(undecodablePage.body).toContain("The web address is not valid");
    // Well-formed but naming nothing: the route's own "not found".
    expect(
      (await app.inject(as("api", { method: "GET", url: `/api/v1/people/${NO_SUCH_ID}` }))).statusCode,
    ).toBe(404);
  });

  it("rule: NUL and lone surrogates are refused with a message naming the field, before anything is written", async () => {
    const before = await rowCounts();
    const nul = await app.inject(
      as("api", {
        method: "POST",
        url: "/api/v1/people",
        payload: { givenName: "A\u0000", familyName: "B", dateOfBirth: "1950-01-01" },
      }),
    );
    expect(nul.statusCode).toBe(400);
    expect(nul.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(nul.json().errors).toEqual([
      { path: "givenName", message: expect.stringContaining("Remove the invisible control character") },
    ]);
    const surrogate = await app.inject(
      as("api", {
        method: "POST",
        url: "/api/v1/people",
        headers: { "content-type": "application/json" },
        payload: '{"givenName":"A","familyName":"\\ud83d","dateOfBirth":"1950-01-01"}',
      }),
    );
    expect(surrogate.statusCode).toBe(400);
    expect(surrogate.json().errors[0].path).toBe("familyName");
    const search = await staff.get("/people?search=%00");
    expect(search.statusCode).toBe(400);
    expect(search.body).toContain("Remove the invisible control character");
    expect(await rowCounts()).toBe(before);
  });

  it("rule: POST /api/v1/payees with a nil, made-up or other council's personId is 400 naming personId, nothing written", async () => {
    const demo = await demoTenantId(database);
    const otherPerson = await withSystem(database.db, async (trx) => {
      const row = await trx
        .selectFrom("people")
        .where("tenant_id", "!=", demo)
        .select("person_id")
        .executeTakeFirst();
      return row?.person_id ?? NO_SUCH_ID;
    });
    const before = await rowCounts();
    for (const personId of ["00000000-0000-0000-0000-000000000000", NO_SUCH_ID, otherPerson]) {
      const res = await app.inject(
        as("api", {
          method: "POST",
          url: "/api/v1/payees",
          payload: { kind: "person", personId, name: "Pat Payee" },
        }),
      );
      expect(res.statusCode, personId).toBe(400);
      expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(res.json().errors).toEqual([
        { path: "personId", message: expect.stringContaining("no person has this id") },
      ]);
    }
    expect(await rowCounts()).toBe(before);
  });

  it("rule: a JSON body nested deeper than 64 levels, or over 1 MB, is refused with problem+json", async () => {
    const deep = await app.inject(
      as("api", {
        method: "POST",
        url: "/api/v1/people",
        headers: { "content-type": "application/json" },
        payload: deepJson(20_000),
      }),
    );
    expect(deep.statusCode).toBe(400);
    expect(deep.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(deep.json().detail).toContain("nested more than 64 levels deep");
    const nested64 = `${'{"a":'.repeat(63)}1${"}".repeat(63)}`;
    const fine = await app.inject(
      as("api", {
        method: "POST",
        url: "/api/v1/people",
        headers: { "content-type": "application/json" },
        payload: nested64,
      }),
    );
    expect(fine.statusCode).toBe(400); // parsed, then refused by the schema: an unknown field "a"
    expect(fine.json().errors.map((e: { path: string }) => e.path)).toContain("a");
    const huge = await app.inject(
      as("api", { method: "POST", url: "/api/v1/people", payload: { givenName: "x".repeat(1_100_000) } }),
    );
    expect(huge.statusCode).toBe(413);
    expect(huge.headers["content-type"]).toMatch(/^application\/problem\+json/);
  });
});
