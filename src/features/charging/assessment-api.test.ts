import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FinancialAnswersJson } from "#/features/charging/answers.ts";
import {
  financialAssessmentResponse,
  financialAssessmentSummaryResponse,
} from "#/features/charging/assessment-api.ts";
import { createPerson } from "#/features/people/service.ts";
import type { TenantScope } from "#/platform/db/tenant.ts";
import { OTHER_STAFF } from "#/seed/seed.ts";
import { apiTokenFor, buildTestApp, staffScope } from "../../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { emailOf } from "../../../test/inject-browser.ts";
import { TODAY } from "../../../test/today.ts";

/**
 * Financial assessments over /api/v1: 401 without sign-in, 403 for a role that may not, 400 with every field
 * error (and nothing saved), 404 across tenants; create and read, matching the documented schemas, and in the
 * OpenAPI document.
 */

const ANSWERS: FinancialAnswersJson = {
  about: { appliesFrom: "2026-12-01", route: "full", reachedPensionCreditAge: false },
  circumstances: {
    couple: false,
    children: 0,
    disabilityPremium: true,
    enhancedDisabilityPremium: false,
    carerPremium: false,
  },
  incomes: [
    { type: "employment_and_support_allowance", amountPence: 140_55, frequency: "week" },
    { type: "pip_daily_living", amountPence: 434_20, frequency: "four_weeks" },
  ],
  capital: [{ kind: "savings", valuePence: 1_600_000 }],
  housingCosts: [],
  dre: { kind: "standard", items: [] },
  costOfCare: { estimateWeeklyPence: 250_00 },
};

describe.each(enginesUnderTest())("/api/v1/financial-assessments on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  const tokens = { finance: "", worker: "", commissioner: "", other: "" };
  let financeScope: TenantScope;

  async function tokenFor(email: string) {
    return { token: await apiTokenFor(database, email), scope: await staffScope(database, email) };
  }

  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
    app = await buildTestApp(database);
    const finance = await tokenFor(emailOf("finance_officer"));
    tokens.finance = finance.token;
    financeScope = finance.scope;
    tokens.worker = (await tokenFor(emailOf("social_worker"))).token;
    tokens.commissioner = (await tokenFor(emailOf("commissioner"))).token;
    tokens.other = (await tokenFor(OTHER_STAFF[0]!.email)).token;
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const call = (method: "GET" | "POST", url: string, token?: string, payload?: unknown) =>
    app.inject({
      method,
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const errors = (res: LightMyRequestResponse) =>
    (res.json() as { errors?: { path: string; message: string }[] }).errors ?? [];
  const newPerson = async () =>
    (
      await createPerson(
        { db: database.db, scope: financeScope, today: TODAY },
        { givenName: "Api", familyName: "Person", dateOfBirth: "1980-02-02" },
      )
    ).personId;

  it("rule: 401 without sign-in; 403 for roles without charging:write (create) or charging:read (read)", async () => {
    const personId = await newPerson();
    const body = { personId, answers: ANSWERS };
    expect((await call("POST", "/api/v1/financial-assessments", undefined, body)).statusCode).toBe(401);
    expect((await call("GET", `/api/v1/people/${personId}/financial-assessments`)).statusCode).toBe(401);
    const worker = await call("POST", "/api/v1/financial-assessments", tokens.worker, body);
    expect(worker.statusCode).toBe(403);
    expect(worker.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(
      (await call("GET", `/api/v1/people/${personId}/financial-assessments`, tokens.worker)).statusCode,
    ).toBe(200);
    expect(
      (await call("GET", `/api/v1/people/${personId}/financial-assessments`, tokens.commissioner)).statusCode,
    ).toBe(403);
  });

  it("rule: create works it out and completes it; read returns it with the result, matching the documented schemas", async () => {
    const personId = await newPerson();
    const res = await call("POST", "/api/v1/financial-assessments", tokens.finance, {
      personId,
      answers: ANSWERS,
    });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json();
    expect(financialAssessmentResponse.safeParse(created).success).toBe(true);
    expect(res.headers.location).toBe(`/api/v1/financial-assessments/${created.financialAssessmentId}`);
    // 140.55 + 108.55 + £7 tariff − (120 + 50) − £20 standard DRE (the demo policy's) = 66.10
    expect(created).toMatchObject({
      status: "completed",
      version: 1,
      weeklyContributionPence: 66_10,
      costOfCareBasis: "estimate",
    });

    const read = await call(
      "GET",
      `/api/v1/financial-assessments/${created.financialAssessmentId}`,
      tokens.worker,
    );
    expect(read.statusCode).toBe(200);
    expect(read.json().result.periods[0].contributionWeeklyPence).toBe(66_10);
    const list = await call("GET", `/api/v1/people/${personId}/financial-assessments`, tokens.finance);
    expect(list.json()).toHaveLength(1);
    expect(financialAssessmentSummaryResponse.safeParse(list.json()[0]).success).toBe(true);

    // The next create is version 2.
    const again = await call("POST", "/api/v1/financial-assessments", tokens.finance, {
      personId,
      answers: ANSWERS,
    });
    expect(again.json().version).toBe(2);
  });

  it("rule: 400 names every wrong field — negative, absurd, unknown kinds, dates outside any rule pack — and nothing is saved", async () => {
    const personId = await newPerson();
    const bad = {
      personId,
      answers: {
        ...ANSWERS,
        incomes: [
          { type: "lottery", amountPence: 10_00, frequency: "week" },
          { type: "state_pension", amountPence: -1, frequency: "week" },
          { type: "state_pension", amountPence: 5_000_000, frequency: "week" },
        ],
      },
    };
    let res = await call("POST", "/api/v1/financial-assessments", tokens.finance, bad);
    expect(res.statusCode).toBe(400);
    expect(errors(res).map((e) => e.path)).toEqual([
      "answers.incomes[0].type",
      "answers.incomes[1].amountPence",
      "answers.incomes[2].amountPence",
    ]);
    expect(errors(res)[0]!.message).toMatch(/Unknown kind of income "lottery"/);

    res = await call("POST", "/api/v1/financial-assessments", tokens.finance, {
      personId,
      answers: { ...ANSWERS, about: { ...ANSWERS.about, appliesFrom: "2019-01-01" } },
    });
    expect(res.statusCode).toBe(400);
    expect(errors(res)[0]!.message).toMatch(
      /There are no england charging rules for 2019-01-01\. The covered dates are/,
    );

    res = await call("POST", "/api/v1/financial-assessments", tokens.finance, {
      personId,
      answers: ANSWERS,
      extra: 1,
    });
    expect(errors(res).map((e) => e.path)).toEqual(["extra"]);

    const list = await call("GET", `/api/v1/people/${personId}/financial-assessments`, tokens.finance);
    expect(list.json()).toEqual([]);
  });

  it("rule: another council's staff get 404, never the record", async () => {
    const personId = await newPerson();
    const created = (
      await call("POST", "/api/v1/financial-assessments", tokens.finance, { personId, answers: ANSWERS })
    ).json();
    expect(
      (await call("GET", `/api/v1/financial-assessments/${created.financialAssessmentId}`, tokens.other))
        .statusCode,
    ).toBe(404);
    expect(
      (await call("POST", "/api/v1/financial-assessments", tokens.other, { personId, answers: ANSWERS }))
        .statusCode,
    ).toBe(403);
  });

  it("rule: the operations and their schemas are in the OpenAPI document", async () => {
    const doc = (await call("GET", "/api/v1/openapi.json")).json();
    expect(doc.paths["/financial-assessments"].post.operationId).toBe("createFinancialAssessment");
    expect(doc.paths["/financial-assessments/{financialAssessmentId}"].get.operationId).toBe(
      "getFinancialAssessment",
    );
    expect(doc.paths["/people/{personId}/financial-assessments"].get.operationId).toBe(
      "listFinancialAssessmentsForPerson",
    );
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining([
        "FinancialAssessment",
        "FinancialAssessmentAnswers",
        "CreateFinancialAssessmentRequest",
      ]),
    );
  });
});
