import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SECURITY_DEFAULTS } from "#/config.ts";
import {
  Browser,
  type Council,
  codeOn,
  location,
  makeCouncil,
  PASSWORD,
  text,
} from "#/features/accounts/portal.fixture.ts";
import { withSystem } from "#/platform/db/tenant.ts";
import { PERSON_SESSION_COOKIE } from "#/platform/web/person-session.ts";
import { buildTestApp } from "../../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { TODAY } from "../../../test/today.ts";

/**
 * People sign in too, end to end through app.inject: a member of staff makes a code on the person's record,
 * the person claims it with a new account, signs out and in, and reads their assessment, decision and the
 * allocation's working; a representative is recorded, claims a code, waits for the person's agreement, acts,
 * and loses access the moment the person withdraws it. Nobody sees another person's records or any staff
 * page, and every view is in the audit trail with the person as actor.
 */

describe.each(enginesUnderTest())("the person's pages on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let council: Council;
  let staff: Browser;
  let ann: Browser;
  let annAccountId: string;

  beforeAll(async () => {
    database = await databaseFor(engine, "migrated");
    council = await makeCouncil(database.db, "portal-one", TODAY);
    app = await buildTestApp(database, { cookieSecure: true });
    staff = new Browser(app);
    await staff.signInStaff(council.staffEmail);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const accessPage = (personId: string) => `/people/${personId}/online-access`;

  async function codeFor(personId: string, representativeId?: string) {
    await staff.get(accessPage(personId));
    const res = await staff.post(
      `${accessPage(personId)}/codes`,
      representativeId ? { representativeId } : {},
    );
    expect(res.statusCode).toBe(200);
    const code = codeOn(res.body);
    expect(code).toBeDefined();
    return code!;
  }

  async function claimAsNew(browser: Browser, code: string, email: string) {
    await browser.get("/my/claim");
    return browser.post("/my/claim", { code, email, password: PASSWORD, confirmPassword: PASSWORD });
  }

  it("lets staff make a code on the person's record, which the person claims with a new account", async () => {
    const code = await codeFor(council.ann.personId);
    ann = new Browser(app);
    const res = await claimAsNew(ann, code, "ann@portal.test");
    expect(res.statusCode).toBe(303);
    expect(location(res)).toBe("/my?linked=1");
    const cookie = res.cookies.find((c) => c.name === PERSON_SESSION_COOKIE);
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: "Lax", path: "/my" });
    const home = await ann.get("/my?linked=1");
    expect(home.statusCode).toBe(200);
    expect(text(home.body)).toContain("Your account is now linked to your records");
    annAccountId = (
      await withSystem(database.db, (trx) =>
        trx
          .selectFrom("person_accounts")
          .select("account_id")
          .where("email", "=", "ann@portal.test")
          .executeTakeFirstOrThrow(),
      )
    ).account_id;
    // The staff page now shows the account, and the code is no longer offered.
    const staffPage = await staff.get(accessPage(council.ann.personId));
    expect(text(staffPage.body)).toContain("Email and password");
    expect(staffPage.body).not.toContain(">Make a code for Ann<");
  });

  it("shows the person their assessment, decision and indicative budget, in plain English", async () => {
    const home = await ann.get("/my");
    const page = text(home.body);
    expect(page).toContain("Your care and support");
    expect(page).toContain("You are eligible for care and support");
    expect(page).toMatch(/Indicative budget £[\d,]+\.\d\d a week/);
    expect(page).toContain("There is no support plan yet"); // features/planning lists plans here
    expect(page).toContain("See when your next review is due, and past reviews"); // features/reviews
    const base = `/my/people/${council.ann.personId}/assessments/${council.annAssessmentId}`;
    expect(home.body).toContain(`href="${base}/allocation"`);

    const working = await ann.get(`${base}/allocation`);
    expect(working.statusCode).toBe(200);
    expect(text(working.body)).toContain("How the indicative budget was worked out");
    expect(text(working.body)).toContain("Total points");
    // The staff template's links are rewritten to the person's own pages; no staff link is left.
    expect(working.body).toContain(`href="${base}/decision"`);
    expect(working.body).not.toMatch(/href="\/(assessments|people)\//);
    expect(working.body).not.toContain('action="/sign-out"');

    const decision = await ann.get(`${base}/decision`);
    expect(decision.statusCode).toBe(200);
    expect(text(decision.body)).toContain("Your eligibility decision");
    expect(text(decision.body)).toContain("portal-one Council: adult social care");
    expect(decision.body).toContain(`href="${base}/allocation"`);
    expect(decision.body).not.toMatch(/href="\/(assessments|people)\//);

    const answers = await ann.get(base);
    expect(answers.statusCode).toBe(200);
    expect(text(answers.body)).toContain("The answers");
    expect(answers.body).not.toContain(">Change<");
  });

  it("audits every view with the person's account as the actor", async () => {
    const views = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("audit_events")
        .select(["actor_type", "record_type"])
        .where("tenant_id", "=", council.tenantId)
        .where("actor_id", "=", annAccountId)
        .where("action", "=", "view")
        .execute(),
    );
    expect(new Set(views.map((v) => v.actor_type))).toEqual(new Set(["person"]));
    expect(new Set(views.map((v) => v.record_type))).toEqual(
      new Set(["person", "assessment", "eligibility_decision", "allocation", "person_plans"]),
    );
  });

  it("shows another person's records as not found, leaving no view of them in the trail", async () => {
    const bob = `/my/people/${council.bob.personId}`;
    for (const url of [
      bob,
      `${bob}/assessments/${council.bobAssessmentId}/allocation`,
      `${bob}/assessments/${council.bobAssessmentId}/decision`,
      // Ann's own person id with Bob's assessment.
      `/my/people/${council.ann.personId}/assessments/${council.bobAssessmentId}/decision`,
      `/my/people/${council.ann.personId}/assessments/not-an-id`,
      "/my/people/not-an-id",
    ]) {
      const res = await ann.get(url);
      expect(res.statusCode, url).toBe(404);
      expect(text(res.body)).toContain("Page not found");
    }
    const bobViews = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("audit_events")
        .select("record_id")
        .where("actor_id", "=", annAccountId)
        .where("record_id", "in", [council.bob.personId, council.bobAssessmentId])
        .execute(),
    );
    expect(bobViews).toEqual([]);
  });

  it("never lets a person's session open a staff page or the staff API", async () => {
    for (const url of [
      "/people",
      `/people/${council.ann.personId}`,
      `/assessments/${council.annAssessmentId}/allocation`,
      "/account",
    ]) {
      const res = await ann.get(url);
      expect(res.statusCode, url).toBe(302);
      expect(location(res)).toMatch(/^\/sign-in\?returnTo=/);
    }
    expect((await ann.get("/api/v1/people")).statusCode).toBe(401);
    expect((await ann.post(`${accessPage(council.ann.personId)}/codes`)).statusCode).toBe(302);
    // And a member of staff is not a person: /my sends them to the person's sign-in.
    const res = await staff.get("/my");
    expect(res.statusCode).toBe(302);
    expect(location(res)).toBe("/my/sign-in?returnTo=%2Fmy");
  });

  it("signs out, ending the session, and signs back in with the password", async () => {
    const old = ann.jar[PERSON_SESSION_COOKIE]!;
    const out = await ann.post("/my/sign-out");
    expect(out.statusCode).toBe(303);
    expect(location(out)).toBe("/my/sign-in?signedOut=1");
    expect(ann.jar[PERSON_SESSION_COOKIE]).toBeUndefined();
    // The old session id is worthless now, even if kept.
    const replay = await app.inject({
      method: "GET",
      url: "/my",
      headers: { cookie: `${PERSON_SESSION_COOKIE}=${old}` },
    });
    expect(replay.statusCode).toBe(302);

    const wrong = await ann.signInPerson("ann@portal.test", "not my password", "10.2.0.1");
    expect(wrong.statusCode).toBe(400);
    expect(text(wrong.body)).toContain("There is a problem");
    const right = await ann.signInPerson("ann@portal.test", PASSWORD, "10.2.0.1");
    expect(right.statusCode).toBe(303);
    expect(location(right)).toBe("/my");
    expect((await ann.get("/my")).statusCode).toBe(200);
  });

  it("refuses sign-in without the CSRF token, and rate-limits it", async () => {
    const browser = new Browser(app);
    await browser.get("/my/sign-in", "10.3.0.1");
    const forged = await browser.post(
      "/my/sign-in",
      { email: "ann@portal.test", password: PASSWORD },
      { csrf: false, ip: "10.3.0.1" },
    );
    expect(forged.statusCode).toBe(403);
    let last = 0;
    for (let i = 0; i < SECURITY_DEFAULTS.signInThrottle.addressFailures + 1; i++) {
      last = (
        await browser.post("/my/sign-in", { email: "x@portal.test", password: "wrong" }, { ip: "10.4.0.1" })
      ).statusCode;
    }
    expect(last).toBe(429);
  });

  it("lets a representative act only once the person agrees, and ends it the moment the person withdraws", async () => {
    // Staff record Ann's son as a family member, not yet agreed, able only to view.
    await staff.get(`/people/${council.ann.personId}/representatives/new`);
    const bad = await staff.post(`/people/${council.ann.personId}/representatives`, {
      name: "Ade Able",
      kind: "independent_advocate",
      scopes: ["view", "manage_money"],
    });
    expect(bad.statusCode).toBe(400);
    expect(text(bad.body)).toContain("cannot be allowed to: receive and manage the money");
    const added = await staff.post(`/people/${council.ann.personId}/representatives`, {
      name: "Sid Able",
      relationship: "Son",
      kind: "family_or_friend",
      consent: "ask",
      scopes: "view",
    });
    expect(added.statusCode).toBe(303);
    const repId = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("representatives")
        .select("representative_id")
        .where("person_id", "=", council.ann.personId)
        .where("name", "=", "Sid Able")
        .executeTakeFirstOrThrow(),
    );
    const sid = new Browser(app);
    const claimed = await claimAsNew(
      sid,
      await codeFor(council.ann.personId, repId.representative_id),
      "sid@portal.test",
    );
    expect(location(claimed)).toBe("/my?linked=1");
    expect(text((await sid.get("/my")).body)).toContain("Waiting for Ann Able to agree");
    const annRecord = `/my/people/${council.ann.personId}`;
    expect((await sid.get(annRecord)).statusCode).toBe(404);

    // Ann sees the request and agrees.
    const annHome = await ann.get("/my");
    expect(text(annHome.body)).toContain("Sid Able");
    expect(text(annHome.body)).toContain("Waiting for you to agree");
    expect((await ann.post(`/my/representatives/${repId.representative_id}/agree`)).statusCode).toBe(303);

    const seen = await sid.get(annRecord);
    expect(seen.statusCode).toBe(200);
    expect(text(seen.body)).toContain("Ann Able's care and support");
    // A representative does not see (or manage) who else acts for the person.
    expect(text(seen.body)).not.toContain("People who can act for you");
    const working = await sid.get(`${annRecord}/assessments/${council.annAssessmentId}/allocation`);
    expect(working.statusCode).toBe(200);
    // Only the person may withdraw; the representative's attempt changes nothing.
    expect((await sid.post(`/my/representatives/${repId.representative_id}/withdraw`)).statusCode).toBe(404);

    const confirm = await ann.get(`/my/representatives/${repId.representative_id}/withdraw`);
    expect(text(confirm.body)).toContain("Stop Sid Able acting for you");
    const withdrawn = await ann.post(`/my/representatives/${repId.representative_id}/withdraw`);
    expect(location(withdrawn)).toBe("/my?consent=withdrawn");
    expect((await sid.get(annRecord)).statusCode).toBe(404);
    expect((await sid.get(`${annRecord}/assessments/${council.annAssessmentId}/allocation`)).statusCode).toBe(
      404,
    );

    const trail = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("audit_events")
        .select(["actor_type", "action", "record_type"])
        .where("tenant_id", "=", council.tenantId)
        .where("record_id", "in", [repId.representative_id, council.ann.personId])
        .where("action", "in", ["consent_given", "consent_withdrawn", "act_for"])
        .orderBy("occurred_at")
        .execute(),
    );
    // The record page acts for the person three times (the record, its plans through the planning service, and
    // its payment messages through the payments service).
    expect(trail.map((e) => e.action)).toEqual([
      "consent_given",
      "act_for",
      "act_for",
      "act_for",
      "act_for",
      "consent_withdrawn",
    ]);
    expect(trail.every((e) => e.actor_type === "person")).toBe(true);
  });

  it("shows staff what a person's online access is, and lets them end a representative", async () => {
    await staff.get(`/people/${council.bob.personId}/representatives/new`);
    const added = await staff.post(`/people/${council.bob.personId}/representatives`, {
      name: "Dot Deputy",
      kind: "deputy",
      authorityType: "property_and_financial_affairs",
      authorityReference: "COP-12345678",
      scopes: ["view", "manage_money"],
    });
    expect(added.statusCode).toBe(303);
    const page = await staff.get(accessPage(council.bob.personId));
    expect(text(page.body)).toContain("Deputy (appointed by the Court of Protection)");
    expect(text(page.body)).toContain("Property and financial affairs, reference COP-12345678");
    const endHref = /href="(\/people\/[^"]+\/end)"/.exec(page.body)?.[1];
    expect(endHref).toBeDefined();
    await staff.get(endHref!);
    expect((await staff.post(endHref!, { reason: "" })).statusCode).toBe(400);
    expect((await staff.post(endHref!, { reason: "The deputyship ended" })).statusCode).toBe(303);
    expect(text((await staff.get(accessPage(council.bob.personId))).body)).toContain(
      "Reason: The deputyship ended",
    );
  });
});
