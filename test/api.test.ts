import { readFileSync } from "node:fs";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAllocationCase, runEligibilityCase } from "#/cli/calc.ts";
import { allocationCaseResponse, eligibilityCaseResponse } from "#/faces/calculators/api.ts";
import {
  assessmentResponse,
  assessmentSummaryResponse,
  storedAllocationResponse,
  storedDecisionResponse,
  submitResultResponse,
} from "#/features/assessment/api.ts";
import { peoplePageResponse, personResponse } from "#/features/people/api.ts";
import { createPerson } from "#/features/people/service.ts";
import { staffLookups } from "#/features/staff/identity-lookups.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import { type TenantScope, withSystem, withTenant } from "#/platform/db/tenant.ts";
import { createApiToken, revokeApiToken } from "#/platform/web/api-tokens.ts";
import { DEMO_PASSWORD, OTHER_STAFF } from "#/seed/seed.ts";
import { apiTokenFor, buildTestApp, staffScope } from "./app.ts";
import {
  databaseFor,
  demoTenantId as demoTenantIdOf,
  enginesUnderTest,
  type TestDatabase,
} from "./databases.ts";
import { cookieHeader, cookiesFrom, csrfFrom, emailOf } from "./inject-browser.ts";
import { TODAY } from "./today.ts";

/**
 * The /api/v1 JSON API end to end, through app.inject, over a seeded demo database on every engine: who may
 * call what (tokens, sessions, CSRF, roles, tenants), the assessment cycle over HTTP, the public calculators,
 * and the OpenAPI document. Each test names the rule it checks.
 */

const readJson = (file: string) =>
  JSON.parse(readFileSync(new URL(`../examples/${file}`, import.meta.url), "utf8"));
const eligibilityCase = readJson("eligibility-case.json");
const allocationRequest = readJson("api-allocation-request.json");

const PROBLEM_JSON = /^application\/problem\+json/;
const json = (res: LightMyRequestResponse) =>
  res.json() as Record<string, unknown> & { errors?: FieldError[] };
type FieldError = { path: string; message: string };
const paths = (res: LightMyRequestResponse) => (json(res).errors ?? []).map((e) => e.path);

describe.each(enginesUnderTest())("/api/v1 on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let demoTenantId: string;
  const tokens: Record<"worker" | "commissioner" | "other" | "revoked", string> = {
    worker: "",
    commissioner: "",
    other: "",
    revoked: "",
  };
  let workerScope: TenantScope;

  async function tokenFor(email: string, revoke = false): Promise<string> {
    if (!revoke) return apiTokenFor(database, email);
    const scope = await staffScope(database, email);
    const userId = scope.actor.id!;
    return withTenant(database.db, scope, async (tx) => {
      const { token, tokenId } = await createApiToken(tx, staffLookups, userId, "test");
      await revokeApiToken(tx, userId, tokenId);
      return token;
    });
  }

  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
    demoTenantId = await demoTenantIdOf(database);
    app = await buildTestApp(database);
    tokens.worker = await tokenFor(emailOf("social_worker"));
    tokens.commissioner = await tokenFor(emailOf("commissioner"));
    tokens.other = await tokenFor(OTHER_STAFF[0]!.email);
    tokens.revoked = await tokenFor(emailOf("social_worker"), true);
    workerScope = await staffScope(database, emailOf("social_worker"));
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const call = (
    method: "GET" | "POST" | "PUT",
    url: string,
    opts: { token?: string; payload?: unknown; headers?: Record<string, string> } = {},
  ) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { ...(opts.token ? bearer(opts.token) : {}), ...opts.headers },
      ...(opts.payload === undefined ? {} : { payload: opts.payload as Record<string, unknown> }),
    });

  /** A new person of the demo council, with no assessment yet. */
  async function newPerson(): Promise<string> {
    const person = await createPerson(
      { db: database.db, scope: workerScope, today: TODAY },
      { givenName: "Api", familyName: `Test ${uuidv7().slice(-6)}`, dateOfBirth: "1961-04-02" },
    );
    return person.personId;
  }

  async function openApiDocument() {
    const res = await app.inject({ method: "GET", url: "/api/v1/openapi.json" });
    expect(res.statusCode).toBe(200);
    return res.json() as {
      openapi: string;
      info: { title: string; version: string };
      paths: Record<string, Record<string, Operation>>;
      components: {
        schemas: Record<string, Record<string, unknown>>;
        securitySchemes: Record<string, unknown>;
      };
    };
  }
  type Operation = {
    operationId: string;
    security: Record<string, string[]>[];
    parameters: { name: string; in: string; required?: boolean }[];
    requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
    responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
  };

  // ---- authentication and authorisation ----------------------------------------------------------------

  it("rule: every staff endpoint refuses a request with no credentials with 401 problem+json", async () => {
    const doc = await openApiDocument();
    const staffOps = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.security.length > 0)
        .map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
    );
    // people x2, person's assessments, start, get, answers, submit, eligibility, allocation
    expect(staffOps.length).toBeGreaterThanOrEqual(9);
    for (const { method, path } of staffOps) {
      const url = `/api/v1${path.replace(/\{[^}]+\}/g, uuidv7())}`;
      const res = await app.inject({
        method: method as "GET",
        url,
        ...(method === "GET" ? {} : { payload: {} }),
      });
      expect(res.statusCode, `${method} ${path}`).toBe(401);
      expect(res.headers["content-type"], `${method} ${path}`).toMatch(PROBLEM_JSON);
      expect(json(res)).toMatchObject({ status: 401, title: "Unauthorised" });
    }
  });

  it("rule: a token that is not one of ours, or has been revoked, gets 401 problem+json", async () => {
    for (const token of ["nonsense", "upf_not-a-real-token", tokens.revoked]) {
      const res = await call("GET", "/people", { token });
      expect(res.statusCode, token).toBe(401);
      expect(res.headers["content-type"]).toMatch(PROBLEM_JSON);
    }
  });

  it("rule: commissioners see aggregate reports, not people's records: their token gets 403 on /people", async () => {
    const list = await call("GET", "/people", { token: tokens.commissioner });
    expect(list.statusCode).toBe(403);
    expect(list.headers["content-type"]).toMatch(PROBLEM_JSON);
    const page = await call("GET", "/people", { token: tokens.worker });
    const someone = peoplePageResponse.parse(page.json()).rows[0]!;
    const one = await call("GET", `/people/${someone.personId}`, { token: tokens.commissioner });
    expect(one.statusCode).toBe(403);
  });

  it("rule: a browser session must send x-csrf-token on unsafe requests (403 problem without it); with it, it works", async () => {
    const signInPage = await app.inject({ method: "GET", url: "/sign-in" });
    const jar = cookiesFrom(signInPage);
    const signedIn = await app.inject({
      method: "POST",
      url: "/sign-in",
      headers: { cookie: cookieHeader(jar), "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({
        _csrf: csrfFrom(signInPage.body),
        email: emailOf("social_worker"),
        password: DEMO_PASSWORD,
        returnTo: "/account",
      }).toString(),
    });
    expect(signedIn.statusCode).toBe(303);
    cookiesFrom(signedIn, jar);
    const account = await app.inject({
      method: "GET",
      url: "/account",
      headers: { cookie: cookieHeader(jar) },
    });
    const csrf = csrfFrom(account.body);
    expect(csrf).not.toBe("");

    const personId = await newPerson();
    const without = await call("POST", "/assessments", {
      headers: { cookie: cookieHeader(jar) },
      payload: { personId },
    });
    expect(without.statusCode).toBe(403);
    expect(without.headers["content-type"]).toMatch(PROBLEM_JSON);
    expect(json(without).title).toMatch(/CSRF/);

    const forged = await call("POST", "/assessments", {
      headers: { cookie: cookieHeader(jar), "x-csrf-token": "forged" },
      payload: { personId },
    });
    expect(forged.statusCode).toBe(403);

    // Reads need no CSRF token.
    const read = await call("GET", `/people/${personId}`, { headers: { cookie: cookieHeader(jar) } });
    expect(read.statusCode).toBe(200);

    const withHeader = await call("POST", "/assessments", {
      headers: { cookie: cookieHeader(jar), "x-csrf-token": csrf },
      payload: { personId },
    });
    expect(withHeader.statusCode).toBe(201);
    expect(assessmentResponse.parse(withHeader.json())).toMatchObject({
      personId,
      status: "draft",
      version: 1,
    });
  });

  it("rule: nobody crosses a tenant: another council's token gets 404 for this council's person and assessment", async () => {
    const personId = await newPerson();
    const started = await call("POST", "/assessments", { token: tokens.worker, payload: { personId } });
    expect(started.statusCode).toBe(201);
    const assessmentId = json(started).assessmentId as string;
    for (const url of [
      `/people/${personId}`,
      `/people/${personId}/assessments`,
      `/assessments/${assessmentId}`,
      `/assessments/${assessmentId}/eligibility`,
    ]) {
      const res = await call("GET", url, { token: tokens.other });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers["content-type"]).toMatch(PROBLEM_JSON);
    }
    const otherPeople = await call("GET", "/people", { token: tokens.other });
    expect(otherPeople.statusCode).toBe(200);
    expect(peoplePageResponse.parse(otherPeople.json()).rows.map((p) => p.personId)).not.toContain(personId);
    const write = await call("PUT", `/assessments/${assessmentId}/answers`, {
      token: tokens.other,
      payload: { wellbeingImpact: "none" },
    });
    // The other council's administrator may not record assessments at all (403); nothing is revealed either way.
    expect([403, 404]).toContain(write.statusCode);
  });

  // ---- people ------------------------------------------------------------------------------------------

  it("rule: people are searched a page at a time, and opening one is recorded in the audit trail as a view by the token", async () => {
    const page1 = await call("GET", "/people?pageSize=5&page=1", { token: tokens.worker });
    expect(page1.statusCode).toBe(200);
    const body = peoplePageResponse.parse(page1.json());
    expect(body.rows).toHaveLength(5);
    expect(body.total).toBeGreaterThanOrEqual(30);
    const target = body.rows[0]!;
    const search = await call("GET", `/people?search=${encodeURIComponent(target.reference)}`, {
      token: tokens.worker,
    });
    expect(peoplePageResponse.parse(search.json()).rows.map((p) => p.personId)).toContain(target.personId);

    const bad = await call("GET", "/people?pageSize=1000&colour=blue", { token: tokens.worker });
    expect(bad.statusCode).toBe(400);
    expect(paths(bad)).toEqual(expect.arrayContaining(["pageSize", "colour"]));

    const one = await call("GET", `/people/${target.personId}`, { token: tokens.worker });
    expect(one.statusCode).toBe(200);
    expect(personResponse.parse(one.json())).toMatchObject({ personId: target.personId });
    const views = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("audit_events")
        .where("tenant_id", "=", demoTenantId)
        .where("record_id", "=", target.personId)
        .where("action", "=", "view")
        .select(["actor_type"])
        .execute(),
    );
    expect(views.map((v) => v.actor_type)).toContain("api_token");

    const missing = await call("GET", `/people/${uuidv7()}`, { token: tokens.worker });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers["content-type"]).toMatch(PROBLEM_JSON);
  });

  // ---- the assessment cycle ------------------------------------------------------------------------------

  it("rule: a social worker's token can start, answer and submit an assessment; eligibility and allocation are then readable", async () => {
    const personId = await newPerson();
    const started = await call("POST", "/assessments", { token: tokens.worker, payload: { personId } });
    expect(started.statusCode).toBe(201);
    const assessmentId = json(started).assessmentId as string;
    expect(started.headers.location).toBe(`/api/v1/assessments/${assessmentId}`);

    const nothing = await call("PUT", `/assessments/${assessmentId}/answers`, {
      token: tokens.worker,
      payload: {},
    });
    expect(nothing.statusCode).toBe(400);
    expect(json(nothing).errors).toEqual([
      { path: "(top level)", message: "Give at least one answer to save" },
    ]);

    // Answers in two goes, as a practitioner would save sections.
    const { outcomes, ...rest } = eligibilityCase.answers;
    const first = await call("PUT", `/assessments/${assessmentId}/answers`, {
      token: tokens.worker,
      payload: rest,
    });
    expect(first.statusCode).toBe(200);
    const second = await call("PUT", `/assessments/${assessmentId}/answers`, {
      token: tokens.worker,
      payload: { outcomes },
    });
    expect(second.statusCode).toBe(200);
    expect(assessmentResponse.parse(second.json()).answers.whatMattersToMe).toBe(rest.whatMattersToMe);

    const submitted = await call("POST", `/assessments/${assessmentId}/submit`, {
      token: tokens.worker,
      payload: { decisionDate: TODAY },
    });
    expect(submitted.statusCode).toBe(200);
    const result = submitResultResponse.parse(submitted.json());
    expect(result.assessment.status).toBe("submitted");
    expect(result.decision.eligible).toBe(true);
    expect(result.allocation?.weeklyPence).toBeGreaterThan(0);

    const eligibility = await call("GET", `/assessments/${assessmentId}/eligibility`, {
      token: tokens.worker,
    });
    expect(eligibility.statusCode).toBe(200);
    const decision = storedDecisionResponse.parse(eligibility.json());
    // The stored decision is the one the public calculator gives for the same case.
    const calculated = runEligibilityCase(eligibilityCase);
    expect(calculated.ok && decision.decision).toEqual(calculated.ok && calculated.result.decision);

    const allocation = await call("GET", `/assessments/${assessmentId}/allocation`, { token: tokens.worker });
    expect(allocation.statusCode).toBe(200);
    const stored = storedAllocationResponse.parse(allocation.json());
    expect(stored.weeklyPence).toBe(result.allocation!.weeklyPence);
    expect(stored.working.explanation.length).toBeGreaterThan(0);

    const list = await call("GET", `/people/${personId}/assessments`, { token: tokens.worker });
    expect(list.statusCode).toBe(200);
    expect(
      assessmentSummaryResponse
        .array()
        .parse(list.json())
        .map((a) => a.assessmentId),
    ).toEqual([assessmentId]);

    // A submitted assessment cannot be changed or submitted again (409).
    const again = await call("POST", `/assessments/${assessmentId}/submit`, {
      token: tokens.worker,
      payload: {},
    });
    expect(again.statusCode).toBe(409);
    expect(again.headers["content-type"]).toMatch(PROBLEM_JSON);
    const change = await call("PUT", `/assessments/${assessmentId}/answers`, {
      token: tokens.worker,
      payload: { wellbeingImpact: "none" },
    });
    expect(change.statusCode).toBe(409);
  });

  it("rule: validate everything before the first write: submitting incomplete answers is 400 naming each field, and nothing is written", async () => {
    const personId = await newPerson();
    const { nutrition, personal_hygiene } = eligibilityCase.answers.outcomes;
    const started = await call("POST", "/assessments", {
      token: tokens.worker,
      payload: {
        personId,
        answers: { outcomes: { nutrition, personal_hygiene }, wellbeingImpact: "significant" },
      },
    });
    expect(started.statusCode).toBe(201);
    const assessmentId = json(started).assessmentId as string;
    const auditBefore = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("audit_events")
        .where("tenant_id", "=", demoTenantId)
        .where("record_id", "=", assessmentId)
        .where("action", "not in", ["view", "update"])
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow(),
    );

    const res = await call("POST", `/assessments/${assessmentId}/submit`, {
      token: tokens.worker,
      payload: {},
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers["content-type"]).toMatch(PROBLEM_JSON);
    expect(paths(res)).toEqual(
      expect.arrayContaining([
        "needsFromImpairmentOrIllness",
        "needsFluctuate",
        "wellbeingReasons",
        "whatMattersToMe",
      ]),
    );
    for (const e of json(res).errors!) expect(e.message).not.toBe("");

    // With every other section saved, the outcomes not yet answered are named in turn.
    const { outcomes: _all, ...others } = eligibilityCase.answers;
    const saved = await call("PUT", `/assessments/${assessmentId}/answers`, {
      token: tokens.worker,
      payload: others,
    });
    expect(saved.statusCode).toBe(200);
    const stillMissing = await call("POST", `/assessments/${assessmentId}/submit`, {
      token: tokens.worker,
      payload: {},
    });
    expect(stillMissing.statusCode).toBe(400);
    const answered = new Set(["nutrition", "personal_hygiene"]);
    const unanswered = Object.keys(eligibilityCase.answers.outcomes).filter((id) => !answered.has(id));
    expect(unanswered.length).toBeGreaterThan(0);
    expect(paths(stillMissing)).toEqual(unanswered.map((id) => `outcomes.${id}`));

    const after = await call("GET", `/assessments/${assessmentId}`, { token: tokens.worker });
    expect(assessmentResponse.parse(after.json()).status).toBe("draft");
    const written = await withSystem(database.db, async (trx) => ({
      decisions: await trx
        .selectFrom("eligibility_decisions")
        .where("assessment_id", "=", assessmentId)
        .selectAll()
        .execute(),
      allocations: await trx
        .selectFrom("allocations")
        .where("assessment_id", "=", assessmentId)
        .selectAll()
        .execute(),
      audit: await trx
        .selectFrom("audit_events")
        .where("tenant_id", "=", demoTenantId)
        .where("record_id", "=", assessmentId)
        .where("action", "not in", ["view", "update"])
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow(),
    }));
    expect(written.decisions).toEqual([]);
    expect(written.allocations).toEqual([]);
    expect(Number(written.audit.n)).toBe(Number(auditBefore.n));

    const eligibility = await call("GET", `/assessments/${assessmentId}/eligibility`, {
      token: tokens.worker,
    });
    expect(eligibility.statusCode).toBe(404);
    const allocation = await call("GET", `/assessments/${assessmentId}/allocation`, { token: tokens.worker });
    expect(allocation.statusCode).toBe(404);
  });

  it("rule: starting an assessment with answers is one transaction: bad answers are 400 naming them, and no draft is left", async () => {
    const personId = await newPerson();
    const res = await call("POST", "/assessments", {
      token: tokens.worker,
      payload: {
        personId,
        answers: {
          wellbeingImpact: "enormous",
          outcomes: { flying: eligibilityCase.answers.outcomes.nutrition },
        },
      },
    });
    expect(res.statusCode).toBe(400);
    expect(paths(res)).toEqual(expect.arrayContaining(["answers.wellbeingImpact"]));
    const noDraft = await call("GET", `/people/${personId}/assessments`, { token: tokens.worker });
    expect(noDraft.json()).toEqual([]);

    const unknownOutcome = await call("POST", "/assessments", {
      token: tokens.worker,
      payload: { personId, answers: { outcomes: { flying: eligibilityCase.answers.outcomes.nutrition } } },
    });
    expect(unknownOutcome.statusCode).toBe(400);
    expect(paths(unknownOutcome)).toContain("outcomes.flying");
    expect((await call("GET", `/people/${personId}/assessments`, { token: tokens.worker })).json()).toEqual(
      [],
    );

    const notAnId = await call("POST", "/assessments", {
      token: tokens.worker,
      payload: { personId: "bob" },
    });
    expect(notAnId.statusCode).toBe(400);
    expect(paths(notAnId)).toEqual(["personId"]);
  });

  it("rule: one draft per person: starting a second while one is open is 409", async () => {
    const personId = await newPerson();
    expect(
      (await call("POST", "/assessments", { token: tokens.worker, payload: { personId } })).statusCode,
    ).toBe(201);
    const second = await call("POST", "/assessments", { token: tokens.worker, payload: { personId } });
    expect(second.statusCode).toBe(409);
    expect(second.headers["content-type"]).toMatch(PROBLEM_JSON);
  });

  // ---- the public calculators ------------------------------------------------------------------------------

  it("rule: the eligibility calculator is public and gives exactly what the CLI gives", async () => {
    const res = await call("POST", "/calculate/eligibility", { payload: eligibilityCase });
    expect(res.statusCode).toBe(200);
    const expected = runEligibilityCase(eligibilityCase);
    expect(expected.ok).toBe(true);
    expect(res.json()).toEqual(JSON.parse(JSON.stringify(expected.ok && expected.result)));
    expect(eligibilityCaseResponse.parse(res.json()).decision.eligible).toBe(true);
  });

  it("rule: the allocation calculator is public, takes the case file with an optional model, and gives what the CLI gives", async () => {
    const withModel = await call("POST", "/calculate/allocation", { payload: allocationRequest });
    expect(withModel.statusCode).toBe(200);
    const { model, ...caseFile } = allocationRequest;
    const expected = runAllocationCase(caseFile, model);
    expect(withModel.json()).toEqual(JSON.parse(JSON.stringify(expected.ok && expected.result)));
    expect(allocationCaseResponse.parse(withModel.json()).allocation.weeklyPence).toBeGreaterThan(0);

    // Without a model, the rule pack's model for the decision date; the same case file works unchanged.
    const withoutModel = await call("POST", "/calculate/allocation", { payload: caseFile });
    expect(withoutModel.statusCode).toBe(200);
    const packModel = runAllocationCase(caseFile);
    expect(withoutModel.json()).toEqual(JSON.parse(JSON.stringify(packModel.ok && packModel.result)));

    // A price change in the model sent changes the budget: the model really is used.
    const dearer = {
      ...allocationRequest,
      model: { ...model, pricing: { method: "price_per_point", pricePerPointPence: 900 } },
    };
    const dearerRes = await call("POST", "/calculate/allocation", { payload: dearer });
    expect(dearerRes.statusCode).toBe(200);
    expect(dearerRes.json()).not.toEqual(withModel.json());
  });

  it("rule: the calculators need no sign-in and no CSRF token, even from a browser with a session cookie", async () => {
    const res = await call("POST", "/calculate/eligibility", {
      payload: eligibilityCase,
      headers: { cookie: "upfront_session=whatever; upfront_csrf=whatever-whatever-whatever-whatever" },
    });
    expect(res.statusCode).toBe(200);
  });

  it("rule: the calculators reject bad input with 400 problem+json naming each field to fix", async () => {
    const bad = structuredClone(eligibilityCase);
    bad.decisionDate = "2026-02-30";
    bad.colour = "blue";
    bad.answers.wellbeingImpact = "enormous";
    const shape = await call("POST", "/calculate/eligibility", { payload: bad });
    expect(shape.statusCode).toBe(400);
    expect(shape.headers["content-type"]).toMatch(PROBLEM_JSON);
    expect(paths(shape)).toEqual(
      expect.arrayContaining(["decisionDate", "colour", "answers.wellbeingImpact"]),
    );

    // Answers that have the right shape but not the questionnaire's ids: the CLI's errors, word for word.
    const wrongAnswer = structuredClone(eligibilityCase);
    wrongAnswer.answers.outcomes.nutrition.items["nutrition.meal_preparation"] = "bogus";
    const questionnaire = await call("POST", "/calculate/eligibility", { payload: wrongAnswer });
    expect(questionnaire.statusCode).toBe(400);
    const cli = runEligibilityCase(wrongAnswer);
    expect(json(questionnaire).errors).toEqual(cli.ok ? [] : cli.errors);
    expect(paths(questionnaire)).toEqual(['answers.outcomes.nutrition.items["nutrition.meal_preparation"]']);

    const badModel = structuredClone(allocationRequest);
    badModel.model.pricing.pricePerPointPence = -1;
    delete badModel.model.questionnaireId;
    const modelRes = await call("POST", "/calculate/allocation", { payload: badModel });
    expect(modelRes.statusCode).toBe(400);
    expect(paths(modelRes)).toEqual(
      expect.arrayContaining(["model.pricing.pricePerPointPence", "model.questionnaireId"]),
    );

    const notJson = await app.inject({
      method: "POST",
      url: "/api/v1/calculate/eligibility",
      headers: { "content-type": "application/json" },
      payload: "{not json",
    });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.headers["content-type"]).toMatch(PROBLEM_JSON);

    const notAnObject = await call("POST", "/calculate/eligibility", { payload: [1, 2] });
    expect(notAnObject.statusCode).toBe(400);
    expect(json(notAnObject).errors).toEqual([
      { path: "(top level)", message: "The case must be a JSON object" },
    ]);
  });

  // ---- the OpenAPI document --------------------------------------------------------------------------------

  it("rule: GET /api/v1/openapi.json is an OpenAPI 3.1 document listing every operation and the calculator request schemas", async () => {
    const doc = await openApiDocument();
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.title).toBeTruthy();
    expect(doc.info.version).toBeTruthy();

    const expected: [string, string][] = [
      ["get", "/people"],
      ["get", "/people/{personId}"],
      ["get", "/people/{personId}/assessments"],
      ["post", "/assessments"],
      ["get", "/assessments/{assessmentId}"],
      ["put", "/assessments/{assessmentId}/answers"],
      ["post", "/assessments/{assessmentId}/submit"],
      ["get", "/assessments/{assessmentId}/eligibility"],
      ["get", "/assessments/{assessmentId}/allocation"],
      ["post", "/calculate/eligibility"],
      ["post", "/calculate/allocation"],
    ];
    for (const [method, path] of expected)
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();

    const operationIds = new Set<string>();
    const METHODS = new Set(["get", "put", "post", "delete", "patch", "head", "options", "trace"]);
    for (const [path, ops] of Object.entries(doc.paths)) {
      expect(path.startsWith("/"), path).toBe(true);
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method} ${path}`;
        expect(METHODS.has(method), where).toBe(true);
        expect(op.operationId, where).toMatch(/^[A-Za-z][A-Za-z0-9]*$/);
        expect(operationIds.has(op.operationId), `${where}: operationId is unique`).toBe(false);
        operationIds.add(op.operationId);
        // Every {param} in the path is a required path parameter, and no others.
        const pathParams = op.parameters.filter((p) => p.in === "path");
        expect(pathParams.map((p) => p.name).sort(), where).toEqual([...templated].sort());
        for (const p of pathParams) expect(p.required, where).toBe(true);
        for (const p of op.parameters) expect(["path", "query", "header", "cookie"], where).toContain(p.in);
        // Responses: status codes, a description each, a success and the 400 problem.
        expect(Object.keys(op.responses).length, where).toBeGreaterThan(0);
        for (const [status, response] of Object.entries(op.responses)) {
          expect(status, where).toMatch(/^[1-5]\d\d$/);
          expect(typeof response.description, where).toBe("string");
        }
        expect(
          Object.keys(op.responses).some((s) => s.startsWith("2")),
          where,
        ).toBe(true);
        expect(op.responses["400"]?.content?.["application/problem+json"], where).toBeDefined();
        // Security names only declared schemes.
        for (const requirement of op.security) {
          for (const scheme of Object.keys(requirement))
            expect(doc.components.securitySchemes, where).toHaveProperty(scheme);
        }
      }
    }

    // The calculators are public and their request bodies are the named schemas.
    const eligibilityOp = doc.paths["/calculate/eligibility"]!.post!;
    const allocationOp = doc.paths["/calculate/allocation"]!.post!;
    expect(eligibilityOp.security).toEqual([]);
    expect(eligibilityOp.requestBody?.content["application/json"]?.schema).toEqual({
      $ref: "#/components/schemas/CaseFile",
    });
    expect(allocationOp.requestBody?.content["application/json"]?.schema).toEqual({
      $ref: "#/components/schemas/AllocationRequest",
    });
    const { CaseFile, AllocationRequest, AssessmentAnswers, RasModel } = doc.components.schemas;
    expect(CaseFile).toMatchObject({
      type: "object",
      required: expect.arrayContaining(["jurisdiction", "decisionDate", "answers"]),
      properties: { answers: { $ref: "#/components/schemas/AssessmentAnswers" } },
    });
    expect(AllocationRequest).toMatchObject({
      type: "object",
      properties: { model: { $ref: "#/components/schemas/RasModel" } },
    });
    expect((AllocationRequest!.required as string[]).includes("model")).toBe(false);
    expect(AssessmentAnswers).toMatchObject({ type: "object", properties: { outcomes: { type: "object" } } });
    expect(RasModel).toMatchObject({ type: "object", properties: { pricing: {} } });

    // Every $ref points at something in the document (no stray "#/$defs/…").
    const refs: string[] = [];
    const walk = (value: unknown) => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === "object") {
        for (const [k, v] of Object.entries(value)) {
          if (k === "$ref" && typeof v === "string") refs.push(v);
          else walk(v);
        }
      }
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of new Set(refs)) {
      expect(ref, ref).toMatch(/^#\/components\/schemas\/[A-Za-z0-9_.-]+$/);
      expect(doc.components.schemas, ref).toHaveProperty(ref.split("/").at(-1)!);
    }
  });
});
