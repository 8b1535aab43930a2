import { readFileSync } from "node:fs";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  importSummaryResponse,
  providerPageResponse,
  providerRecordResponse,
} from "#/features/directory/api.ts";
import { fundingStreamsResponse } from "#/features/funding/api.ts";
import { OTHER_STAFF } from "#/seed/seed.ts";
import { apiTokenFor, buildTestApp } from "../../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { emailOf, InjectBrowser } from "../../../test/inject-browser.ts";
import { TODAY } from "../../../test/today.ts";

/**
 * The directory and funding-stream endpoints of /api/v1 through app.inject, over the seeded demo council:
 * 401 without credentials, 403 for a role that may not (and for a session without x-csrf-token), search and
 * read for every member of staff, import refused whole with every problem (and a replace by an empty file
 * refused), funding streams on a date, tenant isolation, and each operation in the OpenAPI document.
 */

const EXAMPLE = JSON.parse(readFileSync("examples/directory.hsds.json", "utf8"));
const RIVERSIDE = "5f0f8a2e-8d2b-4c55-9a51-2d8b1f0c9a01";
const PROBLEM_JSON = /^application\/problem\+json/;

describe.each(enginesUnderTest())("directory and funding API on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  const tokens = { worker: "", commissioner: "", admin: "", other: "" };

  beforeAll(async () => {
    // Four people: none has a live budget yet, so the pots are untouched and hold what the settings say.
    database = await databaseFor(engine, { demo: { people: 4 } });
    app = await buildTestApp(database);
    tokens.worker = await apiTokenFor(database, emailOf("social_worker"));
    tokens.commissioner = await apiTokenFor(database, emailOf("commissioner"));
    tokens.admin = await apiTokenFor(database, emailOf("administrator"));
    tokens.other = await apiTokenFor(database, OTHER_STAFF[0]!.email);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const call = (
    method: "GET" | "POST",
    url: string,
    opts: { token?: string; payload?: unknown; headers?: Record<string, string> } = {},
  ) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...opts.headers },
      ...(opts.payload === undefined ? {} : { payload: opts.payload as Record<string, unknown> }),
    });
  const problem = (res: LightMyRequestResponse) =>
    res.json() as { status: number; title: string; errors?: { path: string; message: string }[] };

  it("rule: without credentials every directory and funding endpoint answers 401 problem+json", async () => {
    for (const [method, url] of [
      ["GET", "/providers"],
      ["GET", `/providers/${RIVERSIDE}`],
      ["GET", "/directory.hsds.json"],
      ["POST", "/directory/import"],
      ["GET", "/funding-streams"],
    ] as const) {
      const res = await call(method, url, method === "POST" ? { payload: EXAMPLE } : {});
      expect(res.statusCode, url).toBe(401);
      expect(res.headers["content-type"], url).toMatch(PROBLEM_JSON);
    }
  });

  it("rule: every member of staff may search and read the directory (a commissioner too), by category and area", async () => {
    const all = await call("GET", "/providers", { token: tokens.commissioner });
    expect(all.statusCode).toBe(200);
    expect(providerPageResponse.parse(all.json()).total).toBe(3);
    const employment = providerPageResponse.parse(
      (
        await call("GET", "/providers?category=employment&approvedList=true", { token: tokens.worker })
      ).json(),
    );
    expect(employment.rows.map((r) => r.name)).toEqual(["Ability Works"]);
    const area = providerPageResponse.parse(
      (await call("GET", "/providers?area=northtown&pageSize=1", { token: tokens.worker })).json(),
    );
    expect(area).toMatchObject({ pageSize: 1, page: 1 });

    const one = await call("GET", `/providers/${RIVERSIDE}`, { token: tokens.worker });
    expect(one.statusCode).toBe(200);
    const record = providerRecordResponse.parse(one.json());
    expect(record.services[0]!.costOptions[0]).toMatchObject({ amountPence: 2350, unit: "visit" });
    expect(record.locations).toHaveLength(1);

    const bad = await call("GET", "/providers?pageSize=1000&kind=charity", { token: tokens.worker });
    expect(bad.statusCode).toBe(400);
    expect(
      problem(bad)
        .errors?.map((e) => e.path)
        .sort(),
    ).toEqual(["kind", "pageSize"]);
  });

  it("rule: tenants are isolated — another council's token does not find this council's providers (404)", async () => {
    const res = await call("GET", `/providers/${RIVERSIDE}`, { token: tokens.other });
    expect(res.statusCode).toBe(404);
    expect(res.headers["content-type"]).toMatch(PROBLEM_JSON);
    expect(
      providerPageResponse.parse((await call("GET", "/providers", { token: tokens.other })).json()).total,
    ).toBe(0);
  });

  it("rule: only administrators import; others get 403, and a session must send x-csrf-token", async () => {
    const res = await call("POST", "/directory/import", { token: tokens.worker, payload: EXAMPLE });
    expect(res.statusCode).toBe(403);
    expect(res.headers["content-type"]).toMatch(PROBLEM_JSON);

    const admin = await new InjectBrowser(app).signIn("administrator");
    const cookie = admin.cookie;
    const without = await call("POST", "/directory/import", { headers: { cookie }, payload: EXAMPLE });
    expect(without.statusCode).toBe(403);
    const withHeader = await call("POST", "/directory/import", {
      headers: { cookie, "x-csrf-token": admin.csrf },
      payload: EXAMPLE,
    });
    expect(withHeader.statusCode).toBe(200);
    expect(importSummaryResponse.parse(withHeader.json()).providers.unchanged).toBe(3);
  });

  it("rule (Bad input): an import is refused whole with every problem named, and a replace by an empty file is refused", async () => {
    const bad = structuredClone(EXAMPLE);
    bad.services[1].status = "open";
    bad.locations[0].addresses[0].country = "England";
    const res = await call("POST", "/directory/import?mode=replace", { token: tokens.admin, payload: bad });
    expect(res.statusCode).toBe(400);
    expect(res.headers["content-type"]).toMatch(PROBLEM_JSON);
    expect(problem(res).errors?.map((e) => e.path)).toEqual([
      "services[1].status",
      "locations[0].addresses[0].country",
    ]);
    const empty = await call("POST", "/directory/import?mode=replace", { token: tokens.admin, payload: {} });
    expect(empty.statusCode).toBe(400);
    expect(problem(empty).errors?.[0]?.message).toMatch(/would remove every provider/);
    const badMode = await call("POST", "/directory/import?mode=overwrite", {
      token: tokens.admin,
      payload: EXAMPLE,
    });
    expect(badMode.statusCode).toBe(400);
    expect(
      providerPageResponse.parse((await call("GET", "/providers", { token: tokens.admin })).json()).total,
    ).toBe(3);
  });

  it("rule: the export is the directory as Open Referral UK JSON", async () => {
    const res = await call("GET", "/directory.hsds.json", { token: tokens.worker });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { organizations: { id: string }[]; services: unknown[] };
    expect(doc.organizations.map((o) => o.id)).toContain(RIVERSIDE);
    expect(doc.services).toHaveLength(4);
  });

  it("rule: funding streams come as they are on a date: the version in force, each pot and what is available", async () => {
    const today = await call("GET", "/funding-streams", { token: tokens.worker });
    expect(today.statusCode).toBe(200);
    const now = fundingStreamsResponse.parse(today.json());
    expect(now).toMatchObject({ date: TODAY, periodWeeks: 19, version: { validFrom: "2026-04-01" } });
    expect(now.streams[0]).toMatchObject({
      id: "adult_social_care",
      annualPotPence: 250_000_000,
      committedPence: 0,
      availablePence: 250_000_000,
    });
    const lastYear = fundingStreamsResponse.parse(
      (await call("GET", "/funding-streams?on=2025-06-01", { token: tokens.commissioner })).json(),
    );
    expect(lastYear.version.validFrom).toBe("2025-04-01");
    expect(lastYear.streams[0]!.annualPotPence).toBe(225_000_000);

    const bad = await call("GET", "/funding-streams?on=2026-02-30", { token: tokens.worker });
    expect(bad.statusCode).toBe(400);
    expect(problem(bad).errors?.[0]?.path).toBe("on");
    const none = await call("GET", "/funding-streams", { token: tokens.other });
    expect(none.statusCode).toBe(409);
    expect(problem(none).title).toBe("This cannot be changed");
  });

  it("rule: the operations are in the OpenAPI document, with their permissions' 401/403 and schemas", async () => {
    const doc = (await app.inject({ method: "GET", url: "/api/v1/openapi.json" })).json() as {
      paths: Record<
        string,
        Record<
          string,
          {
            operationId: string;
            responses: Record<string, unknown>;
            parameters: { name: string }[];
            requestBody?: unknown;
          }
        >
      >;
      components: { schemas: Record<string, unknown> };
    };
    const ops = {
      searchProviders: doc.paths["/providers"]?.get,
      getProvider: doc.paths["/providers/{providerId}"]?.get,
      exportDirectory: doc.paths["/directory.hsds.json"]?.get,
      importDirectory: doc.paths["/directory/import"]?.post,
      listFundingStreams: doc.paths["/funding-streams"]?.get,
    };
    for (const [id, op] of Object.entries(ops)) {
      expect(op?.operationId, id).toBe(id);
      expect(Object.keys(op!.responses), id).toEqual(expect.arrayContaining(["200", "400", "401", "403"]));
    }
    expect(Object.keys(ops.getProvider!.responses)).toContain("404");
    expect(Object.keys(ops.importDirectory!.responses)).toContain("409");
    expect(ops.importDirectory!.requestBody).toBeDefined();
    expect(ops.searchProviders!.parameters.map((p) => p.name)).toEqual(
      expect.arrayContaining(["search", "category", "area", "kind", "approvedList", "page", "pageSize"]),
    );
    expect(ops.listFundingStreams!.parameters.map((p) => p.name)).toEqual(["on"]);
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining([
        "ProviderPage",
        "ProviderRecord",
        "HsdsDocument",
        "DirectoryImportSummary",
        "FundingStreams",
      ]),
    );
  });
});
