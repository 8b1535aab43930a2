import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPreviousPackage, setPreviousPackage } from "#/features/planning/previous-package.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { ForbiddenError, ValidationError } from "#/platform/errors.ts";
import { apiTokenFor, buildTestApp, staffScope } from "../../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { emailOf, InjectBrowser, pageText } from "../../../test/inject-browser.ts";
import { TODAY } from "../../../test/today.ts";

/**
 * The council-arranged package a plan replaced (issue 15, "cover for cuts?"; migration 0027): staff record its
 * weekly cost and date on the plan's page and over the API; bad input is refused with a message saying what to
 * fix and nothing is written; people may not record it; the change is audited.
 */

describe.each(enginesUnderTest())("the package a plan replaced on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let planId = "";
  let ctx: ServiceContext;

  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
    app = await buildTestApp(database);
    const scope = await staffScope(database, emailOf("support_planner"));
    ctx = { db: database.db, scope, today: TODAY };
    // A demo plan that replaced nothing.
    const rows = await sql<{ plan_id: string }>`
      SELECT plan_id FROM support_plans WHERE tenant_id = ${scope.tenantId}
        AND previous_package_date IS NULL ORDER BY plan_id LIMIT 1`.execute(database.db);
    planId = rows.rows[0]!.plan_id;
  }, 240_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it("rule: a weekly cost in whole pence, not negative, and a real date not in the future", async () => {
    const refused = async (input: unknown) => {
      const error = await setPreviousPackage(ctx, planId, input).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      return (error as ValidationError).fieldErrors.map((e) => e.message);
    };
    expect(await refused({ weeklyPence: -1, date: "2025-01-01" })).toEqual([
      "The package's weekly cost cannot be negative",
    ]);
    expect(await refused({ weeklyPence: 12.5, date: "2025-01-01" })).toEqual([
      "Give the package's weekly cost in whole pence",
    ]);
    expect(await refused({ weeklyPence: 1000, date: "2025-02-30" })).toEqual([
      "Give the date of the package's cost as a real date written YYYY-MM-DD",
    ]);
    expect(await refused({ weeklyPence: 1000, date: "2026-11-24" })).toEqual([
      "The date of the package's cost cannot be in the future",
    ]);
    expect(await getPreviousPackage(ctx, planId)).toBeNull();
  });

  it("rule: staff record it and clear it, audited; a person may not", async () => {
    await setPreviousPackage(ctx, planId, { weeklyPence: 41_250, date: "2025-03-01" });
    expect(await getPreviousPackage(ctx, planId)).toEqual({ weeklyPence: 41_250, date: "2025-03-01" });
    const events = await sql<{ changes: unknown }>`
      SELECT changes FROM audit_events WHERE record_type = 'support_plan' AND record_id = ${planId}
        AND action = 'update'`.execute(database.db);
    expect(events.rows.at(-1)?.changes).toEqual({
      previousPackage: { weeklyPence: 41_250, date: "2025-03-01" },
    });
    await setPreviousPackage(ctx, planId, null);
    expect(await getPreviousPackage(ctx, planId)).toBeNull();

    const asPerson = {
      ...ctx,
      scope: { ...ctx.scope, actor: { type: "person" as const, id: ctx.scope.actor.id } },
    };
    await expect(
      setPreviousPackage(asPerson, planId, { weeklyPence: 1, date: "2025-01-01" }),
    ).rejects.toThrow(ForbiddenError);
  });

  it("the plan's page: a refused form says what to fix; a good one saves and goes back to the plan", async () => {
    const planner = await new InjectBrowser(app).signIn("support_planner");
    const form = await planner.get(`/plans/${planId}/previous-package`);
    expect(form.statusCode).toBe(200);
    const bad = await planner.post(`/plans/${planId}/previous-package`, {
      weekly: "-3",
      "date-day": "1",
      "date-month": "",
      "date-year": "2025",
      action: "save",
    });
    expect(bad.statusCode).toBe(400);
    expect(pageText(bad.body)).toContain("The weekly cost cannot be negative");
    expect(pageText(bad.body)).toContain("The date of that cost must include a month");
    const good = await planner.post(`/plans/${planId}/previous-package`, {
      weekly: "412.50",
      "date-day": "1",
      "date-month": "3",
      "date-year": "2025",
      action: "save",
    });
    expect(good.statusCode).toBe(303);
    expect(good.headers.location).toBe(`/plans/${planId}?saved=previous-package`);
    expect(await getPreviousPackage(ctx, planId)).toEqual({ weeklyPence: 41_250, date: "2025-03-01" });
  });

  it("over the API: PUT records it, bad input is 400 naming the field, DELETE clears it", async () => {
    const token = await apiTokenFor(database, emailOf("support_planner"));
    const call = (method: "PUT" | "DELETE", payload?: object) =>
      app.inject({
        method,
        url: `/api/v1/plans/${planId}/previous-package`,
        headers: { authorization: `Bearer ${token}` },
        ...(payload ? { payload } : {}),
      });
    const bad = await call("PUT", { weeklyPence: "lots", date: "2025-01-01" });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain(
      "Give the package's weekly cost in pence, as a whole number",
    );
    const put = await call("PUT", { weeklyPence: 30_000, date: "2024-06-01" });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toEqual({ weeklyPence: 30_000, date: "2024-06-01" });
    expect((await call("DELETE")).statusCode).toBe(200);
    expect(await getPreviousPackage(ctx, planId)).toBeNull();
  });

  it("over the API: GET of the plan gives the package it replaced when recorded, null when not, as the OpenAPI document says", async () => {
    const token = await apiTokenFor(database, emailOf("support_planner"));
    const read = async (url: string) => {
      const response = await app.inject({ url, headers: { authorization: `Bearer ${token}` } });
      expect(response.statusCode).toBe(200);
      return response.json() as { previousPackage: unknown };
    };
    await setPreviousPackage(ctx, planId, null);
    expect((await read(`/api/v1/plans/${planId}`)).previousPackage).toBeNull();
    await setPreviousPackage(ctx, planId, { weeklyPence: 38_725, date: "2025-09-15" });
    expect((await read(`/api/v1/plans/${planId}`)).previousPackage).toEqual({
      weeklyPence: 38_725,
      date: "2025-09-15",
    });
    // A version of the plan is the same plan: the package it replaced is shown there too.
    expect((await read(`/api/v1/plans/${planId}/versions/1`)).previousPackage).toEqual({
      weeklyPence: 38_725,
      date: "2025-09-15",
    });
    await setPreviousPackage(ctx, planId, null);
    const doc = (await app.inject({ url: "/api/v1/openapi.json" })).json() as {
      components: { schemas: Record<string, { properties: Record<string, unknown>; required?: string[] }> };
    };
    const view = doc.components.schemas.SupportPlanView!;
    expect(view.properties).toHaveProperty("previousPackage");
    expect(JSON.stringify(view.properties.previousPackage)).toContain("weeklyPence");
    expect(view.required).toContain("previousPackage");
  });
});
