import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withSystem } from "#/platform/db/tenant.ts";
import { pdfAvailable } from "#/platform/pdf/pdf.ts";
import { formatDate } from "#/platform/web/views.ts";
import { buildTestApp } from "../../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { errorSummaryLinks, InjectBrowser, pageText } from "../../../test/inject-browser.ts";

/**
 * The staff plan pages through app.inject, over the seeded demo council: a social worker starts a plan from the
 * indicative budget and builds it with small forms (errors shown in an error summary, nothing saved); every
 * change is attributed; the budget fit is on every editor page; submitting an incomplete plan is refused with
 * what to fix; the writer may not approve their own plan (maker-checker, Upfront issue 5); a team manager sees
 * the plan, its fit and split and approves it, and the personal budget appears; a plan can be returned with
 * reasons; roles without plans:write only read; allocation overrides apply or wait for an approver.
 */

/** Every error-summary link lands on an element of the page. */
function expectLinksLand(html: string) {
  const links = errorSummaryLinks(html);
  expect(links.length).toBeGreaterThan(0);
  for (const link of links) expect(html, link.href).toContain(`id="${link.href.slice(1)}"`);
  return links;
}

const location = (res: { headers: Record<string, unknown> }) => String(res.headers.location ?? "");

describe.each(enginesUnderTest())("staff plan pages on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  /** People with an indicative budget, by reference: the seed gives the first five plans or accounts. */
  let people: { personId: string; weeklyPence: number; allocationId: string }[];
  let worker: InjectBrowser;
  let manager: InjectBrowser;
  let planId: string;

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
        .select([
          "p.person_id as personId",
          "al.weekly_pence as weeklyPence",
          "al.allocation_id as allocationId",
        ])
        .orderBy("p.reference")
        .execute()
        .then((rows) => rows.map((r) => ({ ...r, weeklyPence: Number(r.weeklyPence) }))),
    );
    worker = await new InjectBrowser(app).signIn("social_worker");
    manager = await new InjectBrowser(app).signIn("team_manager");
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const planContent = (id: string) =>
    withSystem(database.db, (trx) =>
      trx
        .selectFrom("plan_versions")
        .select(["content", "status", "version"])
        .where("plan_id", "=", id)
        .orderBy("version", "desc")
        .executeTakeFirstOrThrow(),
    );

  it("starts a plan from the person's indicative budget (the sixth person has none yet)", async () => {
    const person = people[5]!;
    const list = await worker.get(`/people/${person.personId}/plans`);
    expect(list.statusCode).toBe(200);
    expect(pageText(list.body)).toContain("There is no support plan yet");
    const started = await worker.post(`/people/${person.personId}/plans`, {});
    expect(started.statusCode).toBe(303);
    planId = /\/plans\/([0-9a-f-]{36})$/.exec(location(started))![1]!;
    const overview = await worker.get(`/plans/${planId}`);
    expect(overview.statusCode).toBe(200);
    const text = pageText(overview.body);
    expect(text).toContain("Budget fit");
    expect(text).toContain("Planned cost £0.00 a week");
    expect(text).toContain(`The indicative budget £${(person.weeklyPence / 100).toFixed(2)} a week`);
  });

  it("rule: bad input is shown in an error summary linked to its boxes, and nothing is saved", async () => {
    await worker.get(`/plans/${planId}/outcomes/new`);
    const res = await worker.post(`/plans/${planId}/outcomes`, { inTheirWords: "", howWeWillKnow: "" });
    expect(res.statusCode).toBe(400);
    expect(expectLinksLand(res.body).map((l) => l.href)).toEqual(["#inTheirWords", "#howWeWillKnow"]);
    expect(pageText(res.body)).toContain("Budget fit"); // the fit is on every page of the editor
    expect((await planContent(planId)).content).toMatchObject({ outcomes: [] });

    await worker.get(`/plans/${planId}/supports/new`);
    const support = await worker.post(`/plans/${planId}/supports`, {
      what: "Help at home",
      category: "household",
      sourceKind: "personal_assistant",
      costBasis: "weekly",
      unitCost: "-5",
      unit: "hour",
      unitsPerWeek: "3",
      deployment: "direct_payment",
    });
    expect(support.statusCode).toBe(400);
    const messages = errorSummaryLinks(support.body).map((l) => l.text);
    expect(messages).toContain("Add an outcome to the plan first: every support must help to meet one");
    expect(messages).toContain("The cost of one unit cannot be negative");
    expect((await planContent(planId)).content).toMatchObject({ supports: [] });
  });

  it("builds the plan with small forms; each change is attributed to the member of staff", async () => {
    const outcome = await worker.post(`/plans/${planId}/outcomes`, {
      inTheirWords: "I want to go swimming again",
      howWeWillKnow: "I swim every week",
    });
    expect(outcome.statusCode).toBe(303);
    expect(location(outcome)).toBe(`/plans/${planId}?saved=outcome`);

    // The support form lists the council's providers from the directory.
    const form = await worker.get(`/plans/${planId}/supports/new`);
    const providerId = /<option value="([^"]+)"[^>]*>[^<]*\(organisation\)/.exec(form.body)?.[1];
    expect(providerId).toBeDefined();
    const support = await worker.post(`/plans/${planId}/supports`, {
      what: "A support worker to go swimming with me",
      category: "community_access",
      sourceKind: "provider",
      providerId: providerId!,
      costBasis: "weekly",
      unitCost: "20.00",
      unit: "hour",
      unitsPerWeek: "2",
      deployment: "direct_payment",
      outcomeIds: "o1",
    });
    expect(support.statusCode).toBe(303);
    const risk = await worker.post(`/plans/${planId}/risks`, {
      description: "Slipping by the pool",
      howHandled: "The support worker stays close",
    });
    expect(risk.statusCode).toBe(303);

    const overview = pageText((await worker.get(`/plans/${planId}`)).body);
    expect(overview).toContain("2 hours a week × £20.00 an hour = £40.00 a week");
    expect(overview).toContain("Planned cost £40.00 a week");
    expect(overview).toContain("Sol Worker (council staff) Added the outcome “I want to go swimming again”");
    expect(overview).toContain(
      "Sol Worker (council staff) Added the support “A support worker to go swimming with me”",
    );
    expect(overview).toContain("Who pays");
  });

  it("rule: an incomplete plan is refused on submit with what to fix, and stays a draft", async () => {
    const check = await worker.get(`/plans/${planId}/submit`);
    expect(pageText(check.body)).toContain("Say what will happen if the support breaks down");
    const res = await worker.post(`/plans/${planId}/submit`, {});
    expect(res.statusCode).toBe(400);
    expect(errorSummaryLinks(res.body).map((l) => l.text)).toContain(
      "Say what will happen if the support breaks down (the contingency plan)",
    );
    expect((await planContent(planId)).status).toBe("draft");
  });

  it("sends a complete plan for approval", async () => {
    const saved = await worker.post(`/plans/${planId}/contingency`, {
      contingency: "My sister will take me if the support worker is ill.",
    });
    expect(saved.statusCode).toBe(303);
    const res = await worker.post(`/plans/${planId}/submit`, {});
    expect(res.statusCode).toBe(303);
    expect((await planContent(planId)).status).toBe("submitted");
    // Waiting for approval: the editor's forms are closed.
    const closed = await worker.get(`/plans/${planId}/outcomes/new`);
    expect(closed.statusCode).toBe(409);
  });

  it("rule: nobody approves a plan they wrote (maker-checker, issue 5): the refusal is said plainly and nothing changes", async () => {
    const queue = pageText((await worker.get("/approvals")).body);
    expect(queue).toContain("You wrote or edited this version of the plan, so someone else must approve it.");
    const page = await worker.get(`/plans/${planId}/versions/1/approve`);
    expect(pageText(page.body)).toContain("You cannot approve this plan.");
    const res = await worker.post(`/plans/${planId}/versions/1/approve`, {
      "startDate-day": "1",
      "startDate-month": "12",
      "startDate-year": "2026",
    });
    expect(res.statusCode).toBe(409);
    expect(errorSummaryLinks(res.body).map((l) => l.text)).toContain(
      "You wrote or edited this version of the plan, so someone else must approve it.",
    );
    expect((await planContent(planId)).status).toBe("submitted");
  });

  it("a manager sees the plan with its budget fit, split and history, approves it, and the personal budget appears", async () => {
    const page = await manager.get(`/plans/${planId}/versions/1/approve`);
    expect(page.statusCode).toBe(200);
    const text = pageText(page.body);
    expect(text).toContain("Planned cost £40.00 a week");
    expect(text).toContain("Who pays");
    expect(text).toContain("How the money is paid");
    expect(text).toContain("Slipping by the pool");
    expect(text).toContain("Sent the plan for approval");
    const bad = await manager.post(`/plans/${planId}/versions/1/approve`, {
      "startDate-day": "31",
      "startDate-month": "2",
      "startDate-year": "2027",
    });
    expect(bad.statusCode).toBe(400);
    expectLinksLand(bad.body);
    const res = await manager.post(`/plans/${planId}/versions/1/approve`, {
      "startDate-day": "1",
      "startDate-month": "12",
      "startDate-year": "2026",
    });
    expect(res.statusCode).toBe(303);
    const overview = pageText((await manager.get(location(res))).body);
    expect(overview).toContain("The plan is agreed");
    expect(overview).toContain("The personal budget Amount £40.00 a week From 1 December 2026");
    expect((await planContent(planId)).status).toBe("approved");

    const agreed = await manager.get(`/plans/${planId}/agreed`);
    expect(agreed.statusCode).toBe(200);
    // The decision's date is when it was recorded (the clock), not the service date the test runs on.
    expect(pageText(agreed.body)).toContain(`Agreed on ${formatDate(new Date())} by Tam Manager`);
    // A decision page: the council's contact details are on it (issue 11).
    expect(pageText(agreed.body)).toContain("Contact Demo Council");
    // Staff download the agreed plan as the person gets it: a tagged PDF (or a plain "cannot be made" page).
    const pdf = await manager.get(`/plans/${planId}/agreed.pdf`);
    if (pdfAvailable()) {
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers["content-type"]).toBe("application/pdf");
      expect(pdf.rawPayload.subarray(0, 5).toString()).toBe("%PDF-");
    } else {
      expect(pdf.statusCode).toBe(503);
    }
  }, 60_000);

  it("a new version starts from the agreed plan; the agreed version stays as it was", async () => {
    const res = await worker.post(`/plans/${planId}/versions`, {});
    expect(res.statusCode).toBe(303);
    const latest = await planContent(planId);
    expect(latest).toMatchObject({ version: 2, status: "draft" });
    const v1 = pageText((await worker.get(`/plans/${planId}/versions/1`)).body);
    expect(v1).toContain("Agreed");
    expect(v1).not.toContain("Add an outcome");
  });

  it("an approver returns a waiting plan with reasons the person can read; reasons are required", async () => {
    const queue = await manager.get("/approvals");
    const href = /href="(\/plans\/[0-9a-f-]+\/versions\/\d+\/approve)"/.exec(queue.body)?.[1];
    expect(href).toBeDefined();
    const returnHref = href!.replace(/approve$/, "return");
    const empty = await manager.post(returnHref, { reasons: "  " });
    expect(empty.statusCode).toBe(400);
    expect(expectLinksLand(empty.body)[0]!.href).toBe("#reasons");
    const res = await manager.post(returnHref, {
      reasons: "Say who will help if the carer is ill.\r\n\r\nCheck the hours.",
    });
    expect(res.statusCode).toBe(303);
    const overview = pageText((await manager.get(location(res))).body);
    expect(overview).toContain("Why the plan was returned");
    // The seeded plan costs a little more than the indicative budget: the fit says by how much, in plain words.
    expect(overview).toMatch(/Difference Over the indicative budget by £[\d,]+\.\d\d a week/);
    expect(overview).toContain("The reason given for the extra cost:");
    expect(overview).toContain("Say who will help if the carer is ill.");
  });

  it("rule: roles without plans:write read plans but cannot change them", async () => {
    const finance = await new InjectBrowser(app).signIn("finance_officer");
    const read = await finance.get(`/plans/${planId}`);
    expect(read.statusCode).toBe(200);
    expect(read.body).not.toContain("Add an outcome");
    expect((await finance.get(`/plans/${planId}/outcomes/new`)).statusCode).toBe(403);
    const commissioner = await new InjectBrowser(app).signIn("commissioner");
    expect((await commissioner.get(`/plans/${planId}`)).statusCode).toBe(403);
  });

  it("allocation overrides: a small change applies at once; a large one waits for an approver who is not the requester", async () => {
    const person = people[6]!;
    const go = await worker.get(`/people/${person.personId}/allocation-override`);
    expect(location(go)).toBe(`/allocations/${person.allocationId}/override`);
    const page = `/allocations/${person.allocationId}/override`;
    await worker.get(page);
    const missing = await worker.post(page, { newWeekly: "", reason: "" });
    expect(missing.statusCode).toBe(400);
    expect(expectLinksLand(missing.body).map((l) => l.href)).toEqual(["#newWeekly", "#reason"]);

    const small = ((person.weeklyPence + 100) / 100).toFixed(2);
    const applied = await worker.post(page, { newWeekly: small, reason: "A little more for travel" });
    expect(applied.statusCode).toBe(303);
    expect(location(applied)).toContain("saved=applied");
    const big = ((person.weeklyPence + 50_000) / 100).toFixed(2);
    const pending = await worker.post(page, { newWeekly: big, reason: "Needs two carers at night" });
    expect(location(pending)).toContain("saved=pending");

    const mine = pageText((await worker.get(page)).body);
    expect(mine).toContain(`Indicative budget now £${small} a week`);
    expect(mine).toContain("Waiting for approval");
    expect(mine).toContain("You asked for this change, so someone else must approve it.");

    const view = await manager.get(page);
    const overrideId = /action="\/allocation-overrides\/([0-9a-f-]+)\/decision"/.exec(view.body)?.[1];
    expect(overrideId).toBeDefined();
    const decided = await manager.post(`/allocation-overrides/${overrideId}/decision`, {
      allocationId: person.allocationId,
      decision: "approve",
    });
    expect(decided.statusCode).toBe(303);
    expect(pageText((await manager.get(page)).body)).toContain(`Indicative budget now £${big} a week`);
  });
});
