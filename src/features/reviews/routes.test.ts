import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  Browser,
  type Council,
  location,
  makeCouncil,
  PASSWORD,
  text,
} from "#/features/accounts/portal.fixture.ts";
import { addRepresentative, claimCode, issueClaimCode } from "#/features/accounts/service.ts";
import { setCouncilContact } from "#/features/tenants/contact-service.ts";
import { withSystem } from "#/platform/db/tenant.ts";
import { buildTestApp } from "../../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { addStaff, makeLiveBudget } from "./reviews.fixture.ts";

/**
 * Reviews pages through app.inject: the caseload, recording a review (refused with an error summary linking to
 * each field, then recorded), the answer page, the settings page, and the person's side: a representative without
 * the "ask for a review" scope gets "Page not found"; the person asks and sees the due date.
 */

const TODAY = "2026-01-15";

describe.each(enginesUnderTest())("reviews pages on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let council: Council;

  beforeAll(async () => {
    database = await databaseFor(engine, "migrated");
    council = await makeCouncil(database.db, "rev-pages", TODAY);
    await addStaff(database.db, council.tenantId, "Ada Admin", "admin@rev-pages.test", ["administrator"]);
    await makeLiveBudget(database.db, {
      tenantId: council.tenantId,
      personId: council.ann.personId,
      assessmentId: council.annAssessmentId,
      leadWorkerId: council.staff.scope.actor.id,
      agreedOn: "2025-01-31",
      startDate: "2025-08-31",
      directPayment: true,
    });
    app = await buildTestApp(database, { today: TODAY });
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it("shows the caseload, overdue first, and records a review after naming every problem in an error summary", async () => {
    const staff = new Browser(app);
    await staff.signInStaff(council.staffEmail);
    const caseload = await staff.get("/reviews");
    expect(caseload.statusCode).toBe(200);
    const words = text(caseload.body);
    expect(words).toMatch(
      /Ann Able.*Plan review 31 January 2026 Due in 16 days.*Direct payment review \(provisional\) 28 February 2026/,
    );

    const path = `/people/${council.ann.personId}/reviews/new`;
    const form = await staff.get(path);
    expect(form.statusCode).toBe(200);
    // Issue 15: the review may say why money went unspent (the commissioner's market-gaps report counts it).
    expect(text(form.body)).toContain("If money in the budget went unspent, why?");
    const refused = await staff.post(path, {
      "heldOn-day": "10",
      "heldOn-month": "1",
      "heldOn-year": "2026",
      kinds: "plan",
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain("govuk-error-summary");
    expect(refused.body).toContain('href="#rating-cook"');
    expect(refused.body).toContain('href="#working"');
    // Method of Review is mandatory on CLD review events (DHSC DQ procedure, REPORTING.md §1.2 field 47), so the
    // form asks, and says what to do when it is not answered.
    expect(refused.body).toContain('<a href="#method">Select how the review was held</a>');
    expect(text(refused.body)).toMatch(/How was the review held\? Error: Select how the review was held/);
    const keptMethod = await staff.post(path, { kinds: "plan", method: "video" });
    expect(keptMethod.statusCode).toBe(400);
    expect(keptMethod.body).toMatch(/name="method" type="radio" value="video" checked/);
    expect(keptMethod.body).not.toContain('href="#method"');
    const done = await staff.post(path, {
      "heldOn-day": "10",
      "heldOn-month": "1",
      "heldOn-year": "2026",
      kinds: ["plan", "direct_payment"],
      method: "telephone",
      "rating-cook": "met",
      "words-cook": "Cooking most nights",
      "rating-football": "not_met",
      "words-football": "No transport",
      working: "The PA",
      notWorking: "Transport",
      result: "new_plan_version",
      underspendReason: "hard_to_find",
    });
    expect(done.statusCode).toBe(303);
    const stored = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("reviews")
        .select("record")
        .where("tenant_id", "=", council.tenantId)
        .where("person_id", "=", council.ann.personId)
        .executeTakeFirstOrThrow(),
    );
    expect((stored.record as { underspend?: unknown }).underspend).toEqual({ reason: "hard_to_find" });
    const history = text((await staff.get(location(done))).body);
    expect(history).toMatch(/The review has been recorded/);
    expect(history).toMatch(
      /Plan review and Direct payment review on 10 January 2026 How it was held By telephone/,
    );
    expect(history).toMatch(/due by 10 January 2027/);
  });

  it("the settings page refuses a later-than-statutory first review with an error summary", async () => {
    const admin = new Browser(app);
    await admin.signInStaff("admin@rev-pages.test");
    expect((await admin.get("/admin/reviews")).statusCode).toBe(200);
    const res = await admin.post("/admin/reviews", {
      firstReviewUnit: "months",
      firstReviewNumber: "13",
      dueSoonDays: "28",
      lookAgainAnswerDays: "20",
      "validFrom-day": "1",
      "validFrom-month": "1",
      "validFrom-year": "2026",
      reason: "Policy",
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('href="#firstReviewNumber"');
    const ok = await admin.post("/admin/reviews", {
      firstReviewUnit: "weeks",
      firstReviewNumber: "6",
      dueSoonDays: "28",
      lookAgainAnswerDays: "20",
      "validFrom-day": "1",
      "validFrom-month": "1",
      "validFrom-year": "2026",
      reason: "Light-touch review",
    });
    expect(ok.statusCode).toBe(303);
  });

  it("a representative without 'ask for a review' cannot ask; the person asks, sees the due date, and staff answer", async () => {
    const rep = await addRepresentative(council.staff, council.ann.personId, {
      name: "Vic Viewer",
      kind: "independent_advocate",
      scopes: ["view"],
    });
    const repCode = await issueClaimCode(council.staff, council.ann.personId, {
      representativeId: rep.representativeId,
    });
    await claimCode(
      database.db,
      repCode.code,
      { kind: "new_local", email: "vic@example.test", password: PASSWORD },
      TODAY,
    );
    const vic = new Browser(app);
    await vic.signInPerson("vic@example.test");
    expect((await vic.get(`/my/people/${council.ann.personId}/look-again`)).statusCode).toBe(404);
    expect((await vic.get(`/my/people/${council.ann.personId}/reviews`)).statusCode).toBe(200);

    const annCode = await issueClaimCode(council.staff, council.ann.personId);
    await claimCode(
      database.db,
      annCode.code,
      { kind: "new_local", email: "ann@example.test", password: PASSWORD },
      TODAY,
    );
    const ann = new Browser(app);
    await ann.signInPerson("ann@example.test");
    const form = `/my/people/${council.ann.personId}/look-again`;
    expect((await ann.get(form)).statusCode).toBe(200);
    const refused = await ann.post(form, { whatIsWrong: "" });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('href="#decisionKind"');
    expect(refused.body).toContain('href="#whatIsWrong"');
    const sent = await ann.post(form, {
      decisionKind: "allocation",
      whatIsWrong: "It leaves out my evenings",
    });
    expect(sent.statusCode).toBe(303);
    const confirmation = text((await ann.get(location(sent))).body);
    // The council set 20 days from 1 January 2026 (the test above).
    expect(confirmation).toMatch(/We will answer by 4 February 2026/);

    const staff = new Browser(app);
    await staff.signInStaff(council.staffEmail);
    const list = await staff.get("/look-again");
    expect(text(list.body)).toMatch(/Ann Able.*The amount of my indicative budget.*4 February 2026/);
    const requestPath = location(sent).replace(`/my/people/${council.ann.personId}`, "");
    const answerPath = requestPath; // /look-again/:id
    expect((await staff.post(answerPath, { answer: "" })).statusCode).toBe(400);
    expect((await staff.post(answerPath, { answer: "We added the evening calls." })).statusCode).toBe(303);
    const reviews = text((await ann.get(`/my/people/${council.ann.personId}/reviews`)).body);
    expect(reviews).toMatch(/We added the evening calls\./);
    // The review staff recorded in the first test, as the person sees it.
    expect(reviews).toMatch(/How it was held By telephone/);
  });

  it("rule (issue 11): review outcomes and answers are decisions, so they carry the council's contact details, for the person and for staff", async () => {
    const staff = new Browser(app);
    await staff.signInStaff(council.staffEmail);
    const before = text((await staff.get(`/people/${council.ann.personId}/reviews`)).body);
    expect(before).not.toContain("care@rev-pages.example");
    await setCouncilContact(council.staff, {
      phone: "01234 567890",
      email: "care@rev-pages.example",
      addressLine1: "Town Hall",
      addressLine2: "",
      town: "Revton",
      county: "",
      postcode: "RV1 2AB",
      openingHours: "Monday to Friday, 9am to 5pm",
    });
    expect(text((await staff.get(`/people/${council.ann.personId}/reviews`)).body)).toContain(
      "care@rev-pages.example",
    );
    const ann = new Browser(app);
    await ann.signInPerson("ann@example.test");
    const mine = text((await ann.get(`/my/people/${council.ann.personId}/reviews`)).body);
    expect(mine).toContain("Phone: 01234 567890");
    const asked = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("look_again_requests")
        .select("request_id")
        .where("person_id", "=", council.ann.personId)
        .executeTakeFirstOrThrow(),
    );
    const answer = `/my/people/${council.ann.personId}/look-again/${asked.request_id}`;
    expect(text((await ann.get(answer)).body)).toContain("care@rev-pages.example");
  });

  it("rule (issue 15): a stored review says why money went unspent, in the reasons list's words, for staff and for the person at /my; a review that recorded none has no such row", async () => {
    const staff = new Browser(app);
    await staff.signInStaff(council.staffEmail);
    // A second review, recording no underspend.
    const again = await staff.post(`/people/${council.ann.personId}/reviews/new`, {
      "heldOn-day": "14",
      "heldOn-month": "1",
      "heldOn-year": "2026",
      kinds: "plan",
      method: "video",
      "rating-cook": "met",
      "words-cook": "Still cooking",
      "rating-football": "partly_met",
      "words-football": "A lift some weeks",
      working: "The PA",
      notWorking: "Nothing",
      result: "no_change",
    });
    expect(again.statusCode).toBe(303);
    const pages = {
      staff: text((await staff.get(`/people/${council.ann.personId}/reviews`)).body),
      person: await (async () => {
        const ann = new Browser(app);
        await ann.signInPerson("ann@example.test");
        return text((await ann.get(`/my/people/${council.ann.personId}/reviews`)).body);
      })(),
    };
    for (const [who, page] of Object.entries(pages)) {
      // The first test's review recorded "hard_to_find": shown as its label, never the code.
      expect(page, who).toMatch(
        /Plan review on 14 January 2026.*Plan review and Direct payment review on 10 January 2026.*Why money went unspent The support was hard to find/,
      );
      expect(page.match(/Why money went unspent/g), who).toHaveLength(1);
      expect(page, who).not.toContain("hard_to_find");
    }
  });
});
