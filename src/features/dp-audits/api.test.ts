import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_STAFF } from "#/seed/seed.ts";
import { apiTokenFor, buildTestApp } from "../../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";

/**
 * The direct-payment audit over /api/v1 with staff API tokens (issue 15): the queue by risk (the demo's four
 * planted cases, the pub spend first), opening an audit of a budget, reading it, recording a recovery decision
 * (a bad one answered with each field to fix and nothing written); a token without dp_audits:manage, or a role
 * without it, is refused; a bad or unknown id is answered plainly; every operation is in the OpenAPI document.
 */

const email = (role: string) => DEMO_STAFF.find((s) => s.roles.includes(role as never))!.email;

describe.each(enginesUnderTest())("/api/v1/dp-audits on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  const tokens: Record<string, string> = {};

  const call = (who: string, method: "GET" | "POST", url: string, payload?: unknown) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { authorization: `Bearer ${tokens[who]}` },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
    app = await buildTestApp(database);
    tokens.finance = await apiTokenFor(database, email("finance_officer"));
    tokens.financeReadOnly = await apiTokenFor(database, email("finance_officer"), {
      scopes: ["payments:run"],
    });
    tokens.socialWorker = await apiTokenFor(database, email("social_worker"));
  }, 240_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it("the queue by risk, an audit opened and read, a recovery decided; bad input named field by field", async () => {
    const queue = await call("finance", "GET", "/dp-audits");
    expect(queue.statusCode).toBe(200);
    const { flagged } = queue.json() as {
      flagged: {
        budgetId: string;
        riskScore: number;
        findings: { kind: string; severity: string; atStakePence: number }[];
      }[];
    };
    expect(flagged).toHaveLength(4);
    expect(flagged.map((e) => e.riskScore)).toEqual(
      [...flagged.map((e) => e.riskScore)].sort((a, b) => b - a),
    );
    expect(flagged[0]!.findings.map((f) => f.kind)).toContain("blocked_merchant");

    const payee = flagged.find((e) => e.findings.some((f) => f.kind === "payee_not_in_plan"))!;
    expect((await call("finance", "POST", "/dp-audits", { budgetId: "nope" })).statusCode).toBe(400);
    const opened = await call("finance", "POST", "/dp-audits", { budgetId: payee.budgetId });
    expect(opened.statusCode).toBe(201);
    const auditId = opened.json().auditId as string;
    const read = await call("finance", "GET", `/dp-audits/${auditId}`);
    expect(read.json()).toMatchObject({ auditId, status: "open", budgetId: payee.budgetId });

    const bad = await call("finance", "POST", `/dp-audits/${auditId}/decision`, {
      outcome: "recovery",
      recoveryPence: 12.5,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([
      expect.objectContaining({
        path: "recoveryPence",
        message: "Give the amount to recover in pounds and pence, like 120.50",
      }),
    ]);
    const evidenced = payee.findings
      .filter((f) => f.severity === "flag")
      .reduce((n, f) => n + f.atStakePence, 0);
    const tooMuch = await call("finance", "POST", `/dp-audits/${auditId}/decision`, {
      outcome: "recovery",
      recoveryPence: evidenced + 1,
    });
    expect(tooMuch.statusCode).toBe(400);
    expect(tooMuch.json().errors[0].message).toMatch(/^Give an amount to recover of no more than £/);
    expect((await call("finance", "GET", `/dp-audits/${auditId}`)).json().status).toBe("open");

    const decided = await call("finance", "POST", `/dp-audits/${auditId}/decision`, {
      outcome: "recovery",
      recoveryPence: 1500,
    });
    expect(decided.statusCode).toBe(200);
    expect(decided.json()).toMatchObject({
      status: "decided",
      outcome: "recovery",
      recovery: { amountPence: 1500, fromSurplusPence: 0, fromPaymentsPence: 1500, takenPence: 0 },
    });
    expect(
      (await call("finance", "POST", `/dp-audits/${auditId}/decision`, { outcome: "no_action" })).statusCode,
    ).toBe(409);

    // A repayment request, turned into a recovery only once it is overdue (409 before), through the same paths.
    const cash = flagged.find((e) => e.findings.some((f) => f.kind === "cash_without_receipt"))!;
    const cashAudit = (await call("finance", "POST", "/dp-audits", { budgetId: cash.budgetId })).json()
      .auditId;
    await call("finance", "POST", `/dp-audits/${cashAudit}/decision`, {
      outcome: "repayment_request",
      repaymentPence: 5000,
    });
    const early = await call("finance", "POST", `/dp-audits/${cashAudit}/recover-unpaid`, {});
    expect(early.statusCode).toBe(409);
    expect(early.json().detail).toMatch(/not overdue yet/);
  });

  it("refuses a token without dp_audits:manage and a role without it (403); a bad or unknown audit id (400, 404)", async () => {
    expect((await call("financeReadOnly", "GET", "/dp-audits")).statusCode).toBe(403);
    expect((await call("socialWorker", "GET", "/dp-audits")).statusCode).toBe(403);
    expect((await call("finance", "GET", "/dp-audits/not-an-id")).statusCode).toBe(400);
    expect((await call("finance", "GET", "/dp-audits/00000000-0000-7000-8000-000000000000")).statusCode).toBe(
      404,
    );
  });

  it("lists every operation in the OpenAPI document", async () => {
    const doc = (await app.inject({ method: "GET", url: "/api/v1/openapi.json" })).json();
    const ids = Object.values(doc.paths as Record<string, Record<string, { operationId: string }>>).flatMap(
      (p) => Object.values(p).map((o) => o.operationId),
    );
    expect(ids).toEqual(
      expect.arrayContaining(["dpAuditQueue", "openDpAudit", "getDpAudit", "decideDpAudit"]),
    );
  });
});
