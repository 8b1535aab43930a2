import { readFileSync } from "node:fs";
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chargingApi, chargingResultResponse } from "#/features/charging/api.ts";
import { runChargingCase } from "#/features/charging/case.ts";
import { registerErrorHandlers } from "#/platform/web/errors.ts";
import { API_PREFIX, ApiDocument } from "#/platform/web/openapi.ts";
import type { RouteDeps } from "#/platform/web/routes.ts";

/**
 * `POST /api/v1/calculate/charging`: public, nothing stored, the CLI's result to the letter; its schemas in the
 * OpenAPI document. The plugin needs no database, so it is tested on its own Fastify instance.
 */

const example = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../../examples/${name}`, import.meta.url), "utf8"));

let app: FastifyInstance;
const api = new ApiDocument();

beforeAll(async () => {
  app = Fastify();
  registerErrorHandlers(app);
  const deps = { db: undefined as never, api, today: () => "2025-06-02" } satisfies RouteDeps;
  await app.register(chargingApi, deps);
  app.get(`${API_PREFIX}/openapi.json`, async () => api.toJSON());
});
afterAll(() => app.close());

const post = (payload: unknown) =>
  app.inject({ method: "POST", url: "/api/v1/calculate/charging", payload: payload as object });

describe("POST /api/v1/calculate/charging", () => {
  it("returns the CLI's result for a case, without sign-in, matching the documented response schema", async () => {
    const wales = example("charging-case-wales.json");
    const res = await post(wales);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const cli = runChargingCase(wales);
    expect(cli.ok && body).toEqual(cli.ok && JSON.parse(JSON.stringify(cli.result)));
    expect(chargingResultResponse.safeParse(body).error).toBeUndefined();
    expect(body.periods[0].contributionWeeklyPence).toBe(10_000);
  });

  it("answers bad input with a 400 problem naming each field", async () => {
    const res = await post({
      ...example("charging-case-wales.json"),
      incomes: [{ type: "lottery", weeklyPence: 5 }],
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.json().errors).toEqual([
      { path: "incomes[0].type", message: expect.stringMatching(/^Unknown kind of income "lottery"/) },
    ]);
  });

  it("works out England's full example with the shipped figures (issue 12: no figure typed in)", async () => {
    const res = await post(example("charging-case-england-full.json"));
    expect(res.statusCode).toBe(200);
    expect(res.json().periods[0].contributionWeeklyPence).toBe(18_58);
  });

  it("refuses a case the rule packs cannot support with a 400 saying why", async () => {
    const res = await post({
      ...example("charging-case-england-full.json"),
      period: { from: "2026-06-01" },
    });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.detail).toBe("The charging case cannot be calculated");
    expect(body.errors.map((e: { path: string }) => e.path)).toContain("person.age");
  });

  it("refuses a date before every pack, saying which dates are covered", async () => {
    const res = await post({ ...example("charging-case-wales.json"), period: { from: "2023-06-01" } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([
      {
        path: "period.from",
        message: expect.stringContaining("The covered dates are 2024-04-01 to 2026-03-31"),
      },
    ]);
  });

  it("refuses a year after the last pack for want of that year's figures, naming them (the £100 Welsh maximum is yearly)", async () => {
    const res = await post({ ...example("charging-case-wales.json"), period: { from: "2026-06-01" } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].message).toContain("no national figures for the financial year 2026 to 2027");
  });

  it("is in the OpenAPI document as a public calculator, with named request and response schemas", async () => {
    const doc = (await app.inject({ method: "GET", url: "/api/v1/openapi.json" })).json();
    const op = doc.paths["/calculate/charging"].post;
    expect(op).toMatchObject({ operationId: "calculateCharging", security: [], tags: ["Calculators"] });
    expect(op.requestBody.content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/ChargingCase",
    });
    expect(op.responses["200"].content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/ChargingResult",
    });
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(["ChargingPeriod", "RuleCitation"]),
    );
  });
});
