import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiTokenFor, buildTestApp } from "../../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { emailOf } from "../../../test/inject-browser.ts";

/** POST /api/v1/people (issue 11): every coded answer, problem+json naming each field, 409 naming a duplicate. */

const body = (overrides: Record<string, unknown> = {}) => ({
  givenName: "Tariq",
  familyName: "Hussain",
  dateOfBirth: "1975-06-30",
  nhsNumber: "9434765919",
  sex: "male",
  ethnicity: "asian-pakistani",
  accommodationStatus: "with-family-settled",
  employmentStatus: "paid-16-plus",
  hasUnpaidCarer: "no",
  communicationNeeds: [],
  ...overrides,
});

describe.each(enginesUnderTest())("POST /api/v1/people on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let worker: string;
  let finance: string;

  beforeAll(async () => {
    database = await databaseFor(engine, { demo: { people: 3 } });
    app = await buildTestApp(database);
    worker = await apiTokenFor(database, emailOf("social_worker"));
    finance = await apiTokenFor(database, emailOf("finance_officer"));
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const post = (token: string, payload: unknown) =>
    app.inject({
      method: "POST",
      url: "/api/v1/people",
      headers: { authorization: `Bearer ${token}` },
      payload: payload as Record<string, unknown>,
    });

  it("rule (issue 11): a person is added over the API with 201, a location and every field read back", async () => {
    const res = await post(worker, body());
    expect(res.statusCode).toBe(201);
    const person = res.json();
    expect(res.headers.location).toBe(`/api/v1/people/${person.personId}`);
    expect(person).toMatchObject({
      givenName: "Tariq",
      nhsNumber: "9434765919",
      ethnicity: "asian-pakistani",
      communicationNeeds: [],
      fieldListsId: "england-person-fields-cld-r2",
    });
    const read = await app.inject({
      method: "GET",
      url: `/api/v1/people/${person.personId}`,
      headers: { authorization: `Bearer ${worker}` },
    });
    expect(read.json()).toMatchObject({ accommodationStatus: "with-family-settled" });
  });

  it("rule (issue 11): bad input is a problem+json naming each field; nothing is written", async () => {
    const res = await post(
      worker,
      body({ givenName: "Una", nhsNumber: "12345", sex: "m", communicationNeeds: ["fax"], extra: 1 }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    const paths = (res.json().errors as { path: string }[]).map((e) => e.path).sort();
    expect(paths).toEqual(["communicationNeeds[0]", "extra", "nhsNumber", "sex"]);
  });

  it("rule (issue 11): a duplicate is refused with 409 naming the match; a name-and-birth match can be confirmed as someone else", async () => {
    const nhs = await post(worker, body({ givenName: "Someone", familyName: "Else" }));
    expect(nhs.statusCode).toBe(409);
    expect(nhs.json().detail).toMatch(/Tariq Hussain \(reference [^)]+\) already has this NHS number/);

    const twin = body({ nhsNumber: undefined });
    const refused = await post(worker, twin);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toMatch(
      /Tariq Hussain \(reference [^)]+\) has the same name and date of birth/,
    );
    const existing = (
      await app.inject({
        method: "GET",
        url: "/api/v1/people?search=Tariq",
        headers: { authorization: `Bearer ${worker}` },
      })
    ).json().rows[0].personId as string;
    const confirmed = await post(worker, { ...twin, confirmedDifferentFrom: [existing] });
    expect(confirmed.statusCode).toBe(201);
  });

  it("rule (issue 11): a search lists names, not the NHS number or other details (only opening a record, audited, shows them)", async () => {
    const res = await app.inject({
      method: "GET",
      url: "/api/v1/people?search=Tariq",
      headers: { authorization: `Bearer ${worker}` },
    });
    const row = res.json().rows[0];
    expect(row.givenName).toBe("Tariq");
    expect(Object.keys(row).sort()).toEqual(
      ["createdAt", "dateOfBirth", "familyName", "givenName", "personId", "postcode", "reference"].sort(),
    );
  });

  it("rule (issue 11): only roles that may add people may call it", async () => {
    expect((await post(finance, body({ givenName: "Vic", nhsNumber: undefined }))).statusCode).toBe(403);
  });

  it("rule (issue 11): the OpenAPI document lists addPerson with its coded answers", async () => {
    const doc = (await app.inject({ method: "GET", url: "/api/v1/openapi.json" })).json();
    const op = doc.paths["/people"].post;
    expect(op.operationId).toBe("addPerson");
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(["201", "400", "409"]));
  });
});
