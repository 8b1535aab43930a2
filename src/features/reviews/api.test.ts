import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Council, makeCouncil } from "#/features/accounts/portal.fixture.ts";
import { staffLookups } from "#/features/staff/identity-lookups.ts";
import { type TenantScope, withTenant } from "#/platform/db/tenant.ts";
import { createApiToken } from "#/platform/web/api-tokens.ts";
import { buildTestApp } from "../../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { makeLiveBudget } from "./reviews.fixture.ts";

/** /api/v1 reviews and look-again requests with an API token: caseload, record (refused whole, then made), requests, the OpenAPI document, and another council's token seeing none of it. */

const TODAY = "2026-01-15";

describe.each(enginesUnderTest())("reviews API on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let council: Council;
  let token = "";
  let otherToken = "";
  const call = (method: "GET" | "POST", url: string, payload?: unknown, bearer = token) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${bearer}` },
      ...(payload ? { payload: payload as object } : {}),
    });

  beforeAll(async () => {
    database = await databaseFor(engine, "migrated");
    council = await makeCouncil(database.db, "rev-api", TODAY);
    const other = await makeCouncil(database.db, "rev-api-2", TODAY);
    await makeLiveBudget(database.db, {
      tenantId: council.tenantId,
      personId: council.ann.personId,
      assessmentId: council.annAssessmentId,
      leadWorkerId: council.staff.scope.actor.id,
      agreedOn: "2024-02-29",
      startDate: "2024-03-01",
      directPayment: false,
    });
    const tokenFor = (c: Council) =>
      withTenant(
        database.db,
        c.staff.scope as TenantScope,
        async (tx) => (await createApiToken(tx, staffLookups, c.staff.scope.actor.id!, "test")).token,
      );
    token = await tokenFor(council);
    otherToken = await tokenFor(other);
    app = await buildTestApp(database, { today: TODAY });
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it("lists the caseload on a date (29 February 2024 + 12 months = 28 February 2025) and filters by status", async () => {
    const res = await call("GET", "/api/v1/reviews?date=2026-01-15&status=overdue");
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.reviews.map((r: { due: { dueDate: string } }) => r.due.dueDate)).toEqual(["2025-02-28"]);
    expect(body.counts).toEqual({ overdue: 1, due_soon: 0, upcoming: 0 });
    expect((await call("GET", "/api/v1/reviews?date=2026-02-30")).statusCode).toBe(400);
    const other = await call("GET", "/api/v1/reviews", undefined, otherToken);
    expect(other.json().reviews).toEqual([]);
  });

  it("refuses a review naming an outcome the plan lacks, then records one; another council's token cannot read it", async () => {
    const review = {
      personId: council.ann.personId,
      heldOn: "2026-01-12",
      kinds: ["plan"],
      method: "self_review",
      outcomes: [{ outcomeId: "dancing", rating: "met", inTheirWords: "Yes" }],
      working: "a",
      notWorking: "b",
      result: "no_change",
    };
    const refused = await call("POST", "/api/v1/reviews", review);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors).toEqual([
      { path: "outcomes[0].outcomeId", message: expect.stringMatching(/no outcome "dancing"/) },
    ]);
    const { method: _, ...withoutMethod } = review;
    const noMethod = await call("POST", "/api/v1/reviews", withoutMethod);
    expect(noMethod.statusCode).toBe(400);
    expect(noMethod.json().errors).toEqual([
      {
        path: "method",
        message: "Say how the review was held: face_to_face, telephone, video, self_review, other",
      },
    ]);
    const made = await call("POST", "/api/v1/reviews", {
      ...review,
      outcomes: [{ outcomeId: "cook", rating: "met", inTheirWords: "Yes" }],
    });
    expect(made.statusCode).toBe(201);
    expect(made.json().method).toBe("self_review");
    const mine = await call("GET", `/api/v1/people/${council.ann.personId}/reviews`);
    expect(mine.json().due[0].due.dueDate).toBe("2027-01-12");
    expect(mine.json().past.map((r: { method: string }) => r.method)).toEqual(["self_review"]);
    expect(
      (await call("GET", `/api/v1/people/${council.ann.personId}/reviews`, undefined, otherToken)).statusCode,
    ).toBe(404);
  });

  it("records and answers a request to look again, and documents every operation", async () => {
    const asked = await call("POST", "/api/v1/look-again-requests", {
      personId: council.ann.personId,
      decisionKind: "eligibility",
      whatIsWrong: "My memory problems were left out",
    });
    expect(asked.statusCode).toBe(201);
    expect(asked.json()).toMatchObject({ dueOn: "2026-02-12", state: "due_soon" });
    const answered = await call("POST", `/api/v1/look-again-requests/${asked.json().requestId}/answer`, {
      answer: "Reassessing.",
    });
    expect(answered.json().state).toBe("answered");
    const doc = (await app.inject({ method: "GET", url: "/api/v1/openapi.json" })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/reviews",
        "/people/{personId}/reviews",
        "/look-again-requests",
        "/look-again-requests/{requestId}/answer",
      ]),
    );
  });
});
