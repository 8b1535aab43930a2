import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_STAFF, OTHER_STAFF } from "#/seed/seed.ts";
import { apiTokenFor, buildTestApp, staffScope } from "../../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { TODAY } from "../../../test/today.ts";

/**
 * Support plans over /api/v1 with staff API tokens (Upfront issue 5): start, save, submit, approve (refused to
 * the plan's writer with the reason, as problem+json), the approval queue, a new version, allocation overrides;
 * bad input answered with every field error and nothing saved; 403 for a role that may not; 404 across councils;
 * every operation in the OpenAPI document.
 */

const email = (role: string) => DEMO_STAFF.find((s) => s.roles.includes(role as never))!.email;

describe.each(enginesUnderTest())("/api/v1/plans on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  const tokens: Record<string, string> = {};
  let tenantId = "";
  let person = { personId: "", allocationId: "", weekly: 0 };

  async function tokenFor(address: string) {
    tenantId ||= (await staffScope(database, address)).tenantId;
    return apiTokenFor(database, address);
  }

  const call = (who: string, method: "GET" | "POST" | "PUT", url: string, payload?: unknown) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { authorization: `Bearer ${tokens[who]}` },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
    app = await buildTestApp(database);
    for (const role of ["social_worker", "team_manager", "commissioner"])
      tokens[role] = await tokenFor(email(role));
    tokens.other = await tokenFor(OTHER_STAFF[0]!.email);
    const rows = await sql<{ person_id: string; allocation_id: string; weekly_pence: string }>`
      SELECT p.person_id, l.allocation_id, l.weekly_pence FROM people p
      JOIN assessments a ON a.tenant_id = p.tenant_id AND a.person_id = p.person_id AND a.status = 'submitted'
      JOIN allocations l ON l.tenant_id = a.tenant_id AND l.assessment_id = a.assessment_id
      WHERE p.tenant_id = ${tenantId} AND l.weekly_pence > 5000
        AND NOT EXISTS (SELECT 1 FROM support_plans s WHERE s.tenant_id = p.tenant_id AND s.person_id = p.person_id)
      ORDER BY p.reference LIMIT 1`.execute(database.db);
    const row = rows.rows[0]!;
    person = { personId: row.person_id, allocationId: row.allocation_id, weekly: Number(row.weekly_pence) };
  }, 240_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const content = (weeklyPence: number) => ({
    outcomes: [{ id: "home", inTheirWords: "Stay in my own home", howWeWillKnow: "I am still at home" }],
    supports: [
      {
        id: "pa",
        what: "A personal assistant",
        category: "personal_care",
        from: { kind: "personal_assistant", name: "Sam" },
        cost: { basis: "weekly", unitCostPence: weeklyPence, unit: "week", unitsPerWeek: 1 },
        deployment: "direct_payment",
        outcomeIds: ["home"],
      },
    ],
    risks: [],
    contingency: "My brother covers a missed visit",
  });

  it("rule (issue 5): a plan is started, written, submitted and approved by someone else, making a budget", async () => {
    const started = await call("social_worker", "POST", "/plans", { personId: person.personId });
    expect(started.statusCode).toBe(201);
    const { planId } = started.json();

    const bad = await call("social_worker", "PUT", `/plans/${planId}/versions/1`, {
      content: { ...content(-1), risks: [{ id: "x" }] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(bad.json().errors.map((e: { path: string }) => e.path)).toEqual([
      "supports[0].cost.unitCostPence",
      "risks[0].description",
      "risks[0].howHandled",
    ]);

    const saved = await call("social_worker", "PUT", `/plans/${planId}/versions/1`, {
      content: content(person.weekly - 100),
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json().changes.map((c: { summary: string }) => c.summary)).toEqual([
      "Started the plan",
      "Added the outcome “Stay in my own home”; Added the support “A personal assistant”; Added the contingency plan",
    ]);
    expect(saved.json().analysis.fit.position).toBe("under");

    const submitted = await call("social_worker", "POST", `/plans/${planId}/versions/1/submit`);
    expect(submitted.statusCode).toBe(200);
    expect(submitted.json().requiredLevel.id).toBe("social_worker");

    const own = await call("social_worker", "POST", `/plans/${planId}/versions/1/approve`, {
      startDate: TODAY,
    });
    expect(own.statusCode).toBe(409);
    expect(own.json().detail).toContain("someone else must approve it");

    const queue = await call("team_manager", "GET", "/approvals");
    expect(queue.json().find((q: { planId: string }) => q.planId === planId)).toMatchObject({
      mayApprove: true,
    });

    const approved = await call("team_manager", "POST", `/plans/${planId}/versions/1/approve`, {
      startDate: TODAY,
    });
    expect(approved.statusCode).toBe(200);
    expect(approved.json().budgetId).toMatch(/^[0-9a-f-]{36}$/);

    const list = await call("social_worker", "GET", `/plans?personId=${person.personId}`);
    expect(list.json()).toMatchObject([{ planId, status: "approved", approvedVersion: 1 }]);
    const next = await call("social_worker", "POST", `/plans/${planId}/versions`);
    expect(next.statusCode).toBe(201);
    expect(next.json()).toEqual({ planId, version: 2 });
    const v1 = await call("social_worker", "GET", `/plans/${planId}/versions/1`);
    expect(v1.json().version.status).toBe("approved");
    expect(v1.json().budget.status).toBe("live");
  });

  it("rule (issue 5): an override above the threshold waits for a team manager, who decides it", async () => {
    const asked = await call("social_worker", "POST", `/allocations/${person.allocationId}/overrides`, {
      toWeeklyPence: person.weekly + 50_000,
      reason: "Needs two carers",
    });
    expect(asked.statusCode).toBe(201);
    expect(asked.json().status).toBe("pending");
    const bad = await call(
      "team_manager",
      "POST",
      `/allocation-overrides/${asked.json().overrideId}/decision`,
      {},
    );
    expect(bad.statusCode).toBe(400);
    const decided = await call(
      "team_manager",
      "POST",
      `/allocation-overrides/${asked.json().overrideId}/decision`,
      { approve: false, note: "Try equipment first" },
    );
    expect(decided.statusCode).toBe(200);
    expect(decided.json()).toMatchObject({ status: "refused", decisionNote: "Try equipment first" });
    const all = await call("social_worker", "GET", `/allocations/${person.allocationId}/overrides`);
    expect(all.json().effectiveWeeklyPence).toBe(person.weekly);
  });

  it("rule (access): a commissioner may not read plans; another council finds nothing", async () => {
    const [planId] = (
      await sql<{
        plan_id: string;
      }>`SELECT plan_id FROM support_plans WHERE tenant_id = ${tenantId} LIMIT 1`.execute(database.db)
    ).rows.map((r) => r.plan_id);
    expect((await call("commissioner", "GET", `/plans/${planId}`)).statusCode).toBe(403);
    expect((await call("other", "GET", `/plans/${planId}`)).statusCode).toBe(404);
  });

  it("lists every plan operation in the OpenAPI document", async () => {
    const doc = (await app.inject({ method: "GET", url: "/api/v1/openapi.json" })).json();
    const ids = Object.values(doc.paths as Record<string, Record<string, { operationId: string }>>).flatMap(
      (p) => Object.values(p).map((o) => o.operationId),
    );
    expect(ids).toEqual(
      expect.arrayContaining([
        "listPlans",
        "startPlan",
        "getPlan",
        "getPlanVersion",
        "savePlanDraft",
        "submitPlan",
        "approvePlan",
        "returnPlan",
        "newPlanVersion",
        "approvalQueue",
        "requestAllocationOverride",
        "decideAllocationOverride",
      ]),
    );
  });
});
