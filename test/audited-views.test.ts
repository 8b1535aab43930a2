import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withSystem } from "#/platform/db/tenant.ts";
import { DEMO_PERSON_ACCOUNTS } from "#/seed/accounts-seed.ts";
import { apiTokenFor, buildTestApp } from "./app.ts";
import { databaseFor, demoTenantId, enginesUnderTest, type TestDatabase } from "./databases.ts";
import { emailOf, InjectBrowser } from "./inject-browser.ts";

/**
 * Issue 13: every view of personal data leaves an audit event, lists included: a list records what it listed
 * (the search and the ids shown). These are the views that did not: searching people (page and API), a person's
 * assessments and financial assessments over the API, the Payments and Surplus recoveries pages, and the
 * person's "ask us to look again" form at /my.
 */

type ViewEvent = { record_type: string; record_id: string; changes: unknown; actor_type: string };

describe.each(enginesUnderTest())("views of personal data are audited (issue 13) on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let tenantId: string;
  let personId: string;

  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
    tenantId = await demoTenantId(database);
    personId = await withSystem(database.db, async (trx) => {
      const row = await trx
        .selectFrom("person_accounts")
        .where("email", "=", DEMO_PERSON_ACCOUNTS[0]!.email)
        .select("person_id")
        .executeTakeFirstOrThrow();
      return row.person_id!;
    });
    app = await buildTestApp(database);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  /** The view events a request left, of one record type. */
  async function viewsLeftBy(recordType: string, request: () => Promise<{ statusCode: number }>) {
    const since = await withSystem(database.db, async (trx) =>
      Number(
        (
          await trx
            .selectFrom("audit_events")
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    );
    const res = await request();
    expect(res.statusCode).toBe(200);
    const events = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("audit_events")
        .where("tenant_id", "=", tenantId)
        .where("action", "=", "view")
        .where("record_type", "=", recordType)
        .orderBy("occurred_at", "desc")
        .select(["record_type", "record_id", "changes", "actor_type"])
        .execute(),
    );
    const total = await withSystem(database.db, async (trx) =>
      Number(
        (
          await trx
            .selectFrom("audit_events")
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    );
    expect(total).toBeGreaterThan(since);
    return events.map((e) => ({
      ...e,
      changes: typeof e.changes === "string" ? JSON.parse(e.changes) : e.changes,
    })) as ViewEvent[];
  }

  it("rule: searching people (page and API) records the search, the count and the ids listed", async () => {
    const staff = await new InjectBrowser(app).signIn("social_worker");
    const page = await viewsLeftBy("people_list", () => staff.get("/people?search=a"));
    expect(page).toHaveLength(1);
    expect(page[0]).toMatchObject({ record_id: tenantId, actor_type: "staff" });
    const listed = page[0]!.changes as { search: string; total: number; personIds: string[] };
    expect(listed.search).toBe("a");
    expect(listed.personIds.length).toBeGreaterThan(0);
    expect(listed.total).toBeGreaterThanOrEqual(listed.personIds.length);

    const token = await apiTokenFor(database, emailOf("social_worker"));
    const api = await viewsLeftBy("people_list", () =>
      app.inject({
        method: "GET",
        url: "/api/v1/people?search=b",
        headers: { authorization: `Bearer ${token}` },
      }),
    );
    expect(api).toHaveLength(2);
    expect(api[0]).toMatchObject({ actor_type: "api_token", changes: { search: "b", page: 1 } });
  });

  it("rule: a person's assessments and financial assessments over the API are audited, with the ids listed", async () => {
    const token = await apiTokenFor(database, emailOf("social_worker"));
    const get = (url: string) =>
      app.inject({ method: "GET", url, headers: { authorization: `Bearer ${token}` } });
    const assessments = await viewsLeftBy("person_assessments", () =>
      get(`/api/v1/people/${personId}/assessments`),
    );
    expect(assessments).toHaveLength(1);
    expect(assessments[0]!.record_id).toBe(personId);
    expect((assessments[0]!.changes as { assessmentIds: string[] }).assessmentIds.length).toBeGreaterThan(0);

    const financial = await viewsLeftBy("person_financial_assessments", () =>
      get(`/api/v1/people/${personId}/financial-assessments`),
    );
    expect(financial).toHaveLength(1);
    expect(financial[0]!.record_id).toBe(personId);
    expect(financial[0]!.changes).toHaveProperty("financialAssessmentIds");
  });

  it("rule: the Payments and Surplus recoveries pages record what they listed", async () => {
    const finance = await new InjectBrowser(app).signIn("finance_officer");
    const payments = await viewsLeftBy("finance_work", () => finance.get("/payments"));
    expect(payments).toHaveLength(1);
    expect(payments[0]!.changes).toMatchObject({ debtIds: expect.any(Array), personIds: expect.any(Array) });

    const surplus = await viewsLeftBy("surplus_recoveries", () => finance.get("/surplus"));
    expect(surplus.length).toBeGreaterThan(0);
    expect(surplus[0]!.changes).toMatchObject({
      recoveryIds: expect.any(Array),
      personIds: expect.any(Array),
    });
  });

  it("rule: opening the 'ask us to look again' form at /my is audited as a view of the person's record", async () => {
    const person = new InjectBrowser(app);
    expect((await person.signInPerson(DEMO_PERSON_ACCOUNTS[0]!.email)).statusCode).toBe(303);
    const opened = await viewsLeftBy("look_again_form", () =>
      person.get(`/my/people/${personId}/look-again`),
    );
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({ record_id: personId, actor_type: "person" });
  });
});
