import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, location, text } from "#/features/accounts/portal.fixture.ts";
import { addRepresentative, issueClaimCode } from "#/features/accounts/service.ts";
import { DEMO_PASSWORD } from "#/features/demo/seed.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { withSystem } from "#/platform/db/tenant.ts";
import { pdfAvailable } from "#/platform/pdf/pdf.ts";
import { buildTestApp } from "../../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { errorSummaryLinks, InjectBrowser } from "../../../test/inject-browser.ts";
import { TODAY } from "../../../test/today.ts";

/**
 * The person's and representatives' plan pages (/my/people/:personId/plans) through app.inject, over the demo
 * council: the person edits their own draft (attributed to them); errors shown in an error summary with nothing
 * saved; a representative with edit_plan starts and writes a plan (attributed to them); one without edit_plan
 * reads it only (Upfront issue 5: "each acts only within their scope"); the person reads the reasons a plan was
 * returned, and their agreed plan as a page and a PDF; nobody opens another person's plan.
 */

describe.each(enginesUnderTest())("people's plan pages on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let people: { personId: string }[];
  let staffCtx: ServiceContext;

  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
    app = await buildTestApp(database);
    people = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("people as p")
        .innerJoin("tenants as t", "t.tenant_id", "p.tenant_id")
        .innerJoin("assessments as a", (j) =>
          j.onRef("a.tenant_id", "=", "p.tenant_id").onRef("a.person_id", "=", "p.person_id"),
        )
        .innerJoin("allocations as al", (j) =>
          j.onRef("al.tenant_id", "=", "a.tenant_id").onRef("al.assessment_id", "=", "a.assessment_id"),
        )
        .where("t.slug", "=", "demo")
        .select(["p.person_id as personId"])
        .distinct()
        .orderBy("p.person_id")
        .execute(),
    );
    // The seed's order: by reference (accounts-seed.ts gives person1, person2… in that order).
    people = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("people")
        .select(["person_id as personId"])
        .where(
          "person_id",
          "in",
          people.map((p) => p.personId),
        )
        .orderBy("reference")
        .execute(),
    );
    const worker = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("staff_users")
        .select(["tenant_id", "user_id"])
        .where("email", "=", "social.worker@demo.upfront.test")
        .executeTakeFirstOrThrow(),
    );
    staffCtx = {
      db: database.db,
      scope: { tenantId: worker.tenant_id, actor: { type: "staff", id: worker.user_id } },
      today: TODAY,
    };
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const latestVersion = (planId: string) =>
    withSystem(database.db, (trx) =>
      trx
        .selectFrom("plan_versions")
        .select(["content", "status"])
        .where("plan_id", "=", planId)
        .orderBy("version", "desc")
        .executeTakeFirstOrThrow(),
    );
  const planOf = (personId: string) =>
    withSystem(database.db, (trx) =>
      trx
        .selectFrom("support_plans")
        .select("plan_id")
        .where("person_id", "=", personId)
        .executeTakeFirst()
        .then((r) => r?.plan_id),
    );

  async function signIn(email: string) {
    const browser = new Browser(app);
    const res = await browser.signInPerson(email, DEMO_PASSWORD);
    expect(res.statusCode).toBe(303);
    return browser;
  }

  it("the person's home page lists their plan; they edit their own draft, attributed to them", async () => {
    const me = people[0]!.personId;
    const planId = (await planOf(me))!;
    const person = await signIn("person1@demo.upfront.test");
    const home = await person.get("/my");
    expect(home.body).toContain(`href="/my/people/${me}/plans/${planId}"`);
    const base = `/my/people/${me}/plans/${planId}`;
    const overview = await person.get(base);
    expect(overview.statusCode).toBe(200);
    expect(text(overview.body)).toContain("Your support plan");
    expect(text(overview.body)).toContain("Your budget");
    expect(overview.body).toContain(`href="${base}/risks/new"`);

    // The person chooses providers from the council's directory, as staff do.
    const supportForm = await person.get(`${base}/supports/new`);
    expect(supportForm.statusCode).toBe(200);
    expect(supportForm.body).toMatch(/<option value="[^"]+"[^>]*>[^<]*\(organisation\)/);
    expect(text(supportForm.body)).toContain("Budget fit");

    await person.get(`${base}/risks/new`);
    const res = await person.post(`${base}/risks`, {
      description: "Burning myself on the cooker",
      howHandled: "My PA helps with hot pans",
    });
    expect(res.statusCode).toBe(303);
    expect(location(res)).toBe(`${base}?saved=risk`);
    const after = text((await person.get(base)).body);
    expect(after).toMatch(/\(the person\) Added the risk “Burning myself on the cooker”/);
  });

  it("rule: the person's bad input is shown in an error summary and nothing is saved", async () => {
    const me = people[0]!.personId;
    const planId = (await planOf(me))!;
    const base = `/my/people/${me}/plans/${planId}`;
    const person = await signIn("person1@demo.upfront.test");
    const before = await latestVersion(planId);
    await person.get(`${base}/outcomes/new`);
    const res = await person.post(`${base}/outcomes`, { inTheirWords: "See my friends", howWeWillKnow: "" });
    expect(res.statusCode).toBe(400);
    expect(errorSummaryLinks(res.body)).toEqual([
      { href: "#howWeWillKnow", text: "Write how we will know the outcome is met" },
    ]);
    expect(res.body).toContain('id="howWeWillKnow"');
    expect((await latestVersion(planId)).content).toEqual(before.content);
  });

  it("a representative with edit_plan starts and writes the plan, attributed to them", async () => {
    const p4 = people[3]!.personId;
    expect(await planOf(p4)).toBeUndefined();
    const rep = await signIn("representative1@demo.upfront.test");
    const list = await rep.get(`/my/people/${p4}/plans`);
    expect(list.statusCode).toBe(200);
    expect(text(list.body)).toContain("Start a support plan");
    const started = await rep.post(`/my/people/${p4}/plans`, {});
    expect(started.statusCode).toBe(303);
    const base = location(started);
    expect(base).toMatch(new RegExp(`^/my/people/${p4}/plans/[0-9a-f-]{36}$`));
    await rep.get(`${base}/outcomes/new`);
    const saved = await rep.post(`${base}/outcomes`, {
      inTheirWords: "Mum wants to keep going to church",
      howWeWillKnow: "She goes every Sunday",
    });
    expect(saved.statusCode).toBe(303);
    expect(text((await rep.get(base)).body)).toContain(
      "Robin Relative (someone who acts for the person) Added the outcome “Mum wants to keep going to church”",
    );
  });

  it("rule: a representative without edit_plan reads the plan but cannot change it (issue 5: each acts only within their scope)", async () => {
    const p4 = people[3]!.personId;
    const planId = (await planOf(p4))!;
    const added = await addRepresentative(staffCtx, p4, {
      name: "Vic Viewer",
      relationship: "Son",
      kind: "family_or_friend",
      scopes: ["view"],
      consent: "in_writing",
    });
    const { code } = await issueClaimCode(staffCtx, p4, { representativeId: added.representativeId });
    const viewer = new Browser(app);
    await viewer.get("/my/claim");
    const claimed = await viewer.post("/my/claim", {
      code,
      email: "vic@viewer.test",
      password: DEMO_PASSWORD,
      confirmPassword: DEMO_PASSWORD,
    });
    expect(claimed.statusCode).toBe(303);
    const base = `/my/people/${p4}/plans/${planId}`;
    const page = await viewer.get(base);
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).toContain("Mum wants to keep going to church");
    expect(text(page.body)).toContain("You can read this plan but not change it.");
    expect(page.body).not.toContain(`${base}/outcomes/new`);
    expect((await viewer.get(`${base}/outcomes/new`)).statusCode).toBe(404);
    const before = await latestVersion(planId);
    const refused = await viewer.post(`${base}/outcomes`, { inTheirWords: "Sneaky", howWeWillKnow: "Never" });
    expect(refused.statusCode).toBe(404);
    expect((await latestVersion(planId)).content).toEqual(before.content);
  });

  it("the person sends their plan for approval and reads the reasons it was returned", async () => {
    const me = people[0]!.personId;
    const planId = (await planOf(me))!;
    const base = `/my/people/${me}/plans/${planId}`;
    const person = await signIn("person1@demo.upfront.test");
    await person.get(`${base}/contingency`);
    await person.post(`${base}/contingency`, { contingency: "My neighbour Jan can help for a day or two." });
    const overview = text((await person.get(base)).body);
    if (overview.includes("Over your budget")) {
      await person.post(`${base}/over-budget-reason`, {
        overAllocationReason: "I need the help to cook safely.",
      });
    }
    await person.get(`${base}/submit`);
    const sent = await person.post(`${base}/submit`, {});
    expect(sent.statusCode).toBe(303);
    expect((await latestVersion(planId)).status).toBe("submitted");

    const manager = await new InjectBrowser(app).signIn("team_manager");
    await manager.get(`/plans/${planId}/versions/1/approve`);
    const returned = await manager.post(`/plans/${planId}/versions/1/return`, {
      reasons: "Please say how many hours of cooking help you need each week.",
    });
    expect(returned.statusCode).toBe(303);
    const page = text((await person.get(base)).body);
    expect(page).toContain("Why the plan was returned");
    expect(page).toContain("Please say how many hours of cooking help you need each week.");
  });

  it("the person reads their agreed plan as a page and a PDF", async () => {
    const me = people[1]!.personId;
    const planId = (await planOf(me))!;
    const person = await signIn("person2@demo.upfront.test");
    const base = `/my/people/${me}/plans/${planId}`;
    const page = await person.get(`${base}/agreed`);
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).toContain("Your agreed support plan");
    expect(text(page.body)).toMatch(/Your personal budget Amount £[\d,]+\.\d\d a week/);
    expect(text(page.body)).toContain("Contact Demo Council");
    // Issue 12: what the person reads has no internal words and no dates written as numbers.
    expect(text(page.body)).not.toMatch(/funding stream|deployment|\b\d{4}-\d{2}-\d{2}\b/i);
    const pdf = await person.get(`${base}/agreed.pdf`);
    if (pdfAvailable()) {
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers["content-type"]).toBe("application/pdf");
      expect(pdf.rawPayload.subarray(0, 5).toString()).toBe("%PDF-");
    } else {
      expect(pdf.statusCode).toBe(503);
    }
  }, 60_000);

  it("rule: nobody opens another person's plan (it is not found)", async () => {
    const other = people[1]!.personId;
    const otherPlan = (await planOf(other))!;
    const person = await signIn("person1@demo.upfront.test");
    expect((await person.get(`/my/people/${other}/plans/${otherPlan}`)).statusCode).toBe(404);
    expect((await person.get(`/my/people/${people[0]!.personId}/plans/${otherPlan}`)).statusCode).toBe(404);
  });
});
