import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SELF_REFERRAL_LIMITS } from "#/features/referrals/settings.ts";
import { withSystem } from "#/platform/db/tenant.ts";
import { buildTestApp } from "../../../test/app.ts";
import { databaseFor, demoTenantId, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { errorSummaryLinks, InjectBrowser, location, pageText } from "../../../test/inject-browser.ts";

/**
 * Referrals pages through app.inject: the public self-referral form (errors linked to each field, the reference on
 * a confirmation panel, 429 over the per-address limit counted across two app instances, CSRF), the staff task list
 * (seen by the intake role group, marked done) and a person's referrals (recorded, closed with an outcome).
 */

const FORM = {
  givenName: "Morwenna",
  familyName: "Selfsent",
  "dateOfBirth-day": "5",
  "dateOfBirth-month": "9",
  "dateOfBirth-year": "1951",
  postcode: "zx4 7qp",
  who: "self",
  phone: "01632 960 002",
  email: "",
  supportWanted: "Help with shopping and cooking.",
  confirm: "yes",
};

describe.each(enginesUnderTest())("referrals pages on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let second: FastifyInstance;

  beforeAll(async () => {
    database = await databaseFor(engine, { demo: { people: 3 } });
    app = await buildTestApp(database);
    second = await buildTestApp(database);
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await second?.close();
    await database?.drop();
  });

  it("rule (issue 11): the public form has a privacy notice and names every problem in an error summary linking to its field", async () => {
    const visitor = new InjectBrowser(app, { ip: "192.0.2.1" });
    const form = await visitor.get("/demo/self-referral");
    expect(form.statusCode).toBe(200);
    const words = pageText(form.body);
    expect(words).toContain("How we use this information");
    expect(words).toMatch(/keep it for 6 years after the request is closed/);
    // A public page: the council's contact details (the demo council's are set) are on it.
    expect(words).toContain("Contact Demo Council");
    const refused = await visitor.post("/demo/self-referral", { who: "on_behalf", email: "not an email" });
    expect(refused.statusCode).toBe(400);
    expect(errorSummaryLinks(refused.body).map((l) => l.href)).toEqual([
      "#givenName",
      "#familyName",
      "#dateOfBirth-day",
      "#yourName",
      "#relationship",
      "#personKnows",
      "#email",
      "#supportWanted",
      "#confirm",
    ]);
    expect(refused.body).toContain('value="not an email"');
    // A post without the form's token is refused before anything is read.
    const forged = await visitor.post("/demo/self-referral", FORM, { csrf: false });
    expect(forged.statusCode).toBe(403);
    expect((await visitor.get("/no-such-council/self-referral")).statusCode).toBe(404);
  });

  it("rule (issue 11): a self-referral shows its reference on a confirmation panel", async () => {
    const visitor = new InjectBrowser(app, { ip: "192.0.2.2" });
    await visitor.get("/demo/self-referral");
    const sent = await visitor.post("/demo/self-referral", FORM);
    expect(sent.statusCode).toBe(303);
    expect(location(sent)).toMatch(/^\/demo\/self-referral\/sent\?reference=SR-[A-Z2-9]{8}$/);
    const page = await visitor.get(location(sent));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("govuk-panel--confirmation");
    expect(pageText(page.body)).toContain(`Your reference number ${location(sent).split("=")[1]}`);
  });

  it("rule (issue 11): a self-referral for someone already known gets the same public confirmation as anyone's, and staff see the possible match linked on the referral", async () => {
    const tenantId = await demoTenantId(database);
    const known = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("people")
        .select(["person_id", "given_name", "family_name", "date_of_birth", "reference"])
        .where("tenant_id", "=", tenantId)
        .orderBy("reference")
        .executeTakeFirstOrThrow(),
    );
    const [year, month, day] = known.date_of_birth.split("-");
    const confirmation = async (ip: string, form: typeof FORM) => {
      const visitor = new InjectBrowser(app, { ip });
      await visitor.get("/demo/self-referral");
      const sent = await visitor.post("/demo/self-referral", form);
      expect(sent.statusCode).toBe(303);
      const reference = location(sent).split("=")[1]!;
      const page = await visitor.get(location(sent));
      return {
        reference,
        body: page.body.replaceAll(reference, "SR-XXXXXXXX").replace(/(value|nonce)="[^"]{20,}"/g, "$1"),
      };
    };
    const matching = await confirmation("192.0.2.20", {
      ...FORM,
      givenName: known.given_name,
      familyName: known.family_name,
      "dateOfBirth-day": String(Number(day)),
      "dateOfBirth-month": String(Number(month)),
      "dateOfBirth-year": year!,
    });
    const stranger = await confirmation("192.0.2.21", { ...FORM, givenName: "Nobodyknown" });
    expect(matching.body).toBe(stranger.body);

    const sw = await new InjectBrowser(app, { ip: "192.0.2.22" }).signIn("social_worker");
    const words = pageText((await sw.get("/tasks")).body);
    expect(words).toContain(
      `New self-referral ${matching.reference}: may be someone already known, check ${known.given_name} ${known.family_name} (${known.reference})`,
    );
    const tasks = (await sw.get("/tasks")).body;
    const link = new RegExp(
      `href="(/people/[0-9a-f-]+)/referrals#referral-[0-9a-f-]+">New self-referral ${matching.reference}`,
    ).exec(tasks)![1]!;
    const referralPage = await sw.get(`${link}/referrals`);
    expect(pageText(referralPage.body)).toContain("May be someone already known");
    expect(referralPage.body).toContain(`href="/people/${known.person_id}"`);
  });

  it("rule (issue 11): over the per-address daily limit, counted across two app instances, the form answers 429 saying to try tomorrow or phone", async () => {
    const ip = "192.0.2.99";
    const visitors = [new InjectBrowser(app, { ip }), new InjectBrowser(second, { ip })];
    for (const v of visitors) await v.get("/demo/self-referral");
    for (let i = 0; i < SELF_REFERRAL_LIMITS.perAddressPerDay; i++) {
      expect((await visitors[i % 2]!.post("/demo/self-referral", FORM)).statusCode).toBe(303);
    }
    const over = await visitors[SELF_REFERRAL_LIMITS.perAddressPerDay % 2]!.post("/demo/self-referral", FORM);
    expect(over.statusCode).toBe(429);
    expect(pageText(over.body)).toMatch(/try again tomorrow, or phone/);
    // Another address is still welcome.
    const other = new InjectBrowser(second, { ip: "192.0.2.100" });
    await other.get("/demo/self-referral");
    expect((await other.post("/demo/self-referral", FORM)).statusCode).toBe(303);
  });

  it("rule (issue 11): the intake role group sees a new self-referral in /tasks with its person, due date and link, and marks it done; other roles do not see it", async () => {
    const visitor = new InjectBrowser(app, { ip: "192.0.2.3" });
    await visitor.get("/demo/self-referral");
    const sent = await visitor.post("/demo/self-referral", { ...FORM, givenName: "Taskina" });
    const reference = location(sent).split("=")[1]!;

    const sw = await new InjectBrowser(app).signIn("social_worker");
    const tasks = await sw.get("/tasks");
    expect(tasks.statusCode).toBe(200);
    const words = pageText(tasks.body);
    expect(words).toContain(`New self-referral ${reference}`);
    expect(words).toMatch(
      new RegExp(`New self-referral ${reference} New self-referral Taskina Selfsent .*25 November 2026`),
    );
    const link = new RegExp(
      `href="(/people/[0-9a-f-]+/referrals#referral-[0-9a-f-]+)">New self-referral ${reference}`,
    ).exec(tasks.body)![1]!;
    expect((await sw.get(link.split("#")[0]!)).statusCode).toBe(200);

    const planner = await new InjectBrowser(app).signIn("support_planner");
    expect(pageText((await planner.get("/tasks")).body)).not.toContain(reference);

    const taskId = new RegExp(
      `New self-referral ${reference}[\\s\\S]*?action="/tasks/([0-9a-f-]+)/done"`,
    ).exec(tasks.body)![1]!;
    expect((await planner.post(`/tasks/${taskId}/done`)).statusCode).toBe(404);
    const done = await sw.post(`/tasks/${taskId}/done`);
    expect(location(done)).toBe("/tasks?marked=1");
    expect(pageText((await sw.get("/tasks")).body)).not.toContain(reference);
    expect(pageText((await sw.get("/tasks?show=done")).body)).toContain(reference);
  });

  it("rule (issue 11): staff record a referral with its date, route of access and source, and close it with an outcome, each problem named first", async () => {
    const sw = await new InjectBrowser(app).signIn("social_worker");
    const people = await sw.get("/people");
    const personId = /href="\/people\/([0-9a-f-]{36})"/.exec(people.body)![1]!;
    const path = `/people/${personId}/referrals`;
    expect((await sw.get(path)).statusCode).toBe(200);

    const missing = await sw.post(path, {
      "receivedOn-day": "31",
      "receivedOn-month": "2",
      "receivedOn-year": "2026",
    });
    expect(missing.statusCode).toBe(400);
    expect(errorSummaryLinks(missing.body).map((l) => l.href)).toEqual([
      "#receivedOn-day",
      "#routeOfAccess",
      "#requestSource",
    ]);
    const recorded = await sw.post(path, {
      "receivedOn-day": "20",
      "receivedOn-month": "11",
      "receivedOn-year": "2026",
      routeOfAccess: "discharge_from_hospital",
      requestSource: "hospital",
    });
    expect(location(recorded)).toBe(`${path}?done=recorded`);
    const page = await sw.get(location(recorded));
    expect(pageText(page.body)).toMatch(
      /Made on 20 November 2026 Route of access Discharge from hospital Who made it Hospital/,
    );
    const referralId = /action="\/people\/[0-9a-f-]+\/referrals\/([0-9a-f-]+)\/close"/.exec(page.body)![1]!;

    // Issue 12: the refusal names the day it was made in words.
    const tooEarly = await sw.post(`${path}/${referralId}/close`, {
      [`closedOn-${referralId}-day`]: "19",
      [`closedOn-${referralId}-month`]: "11",
      [`closedOn-${referralId}-year`]: "2026",
      outcome: "nfa_information_advice",
    });
    expect(tooEarly.statusCode).toBe(400);
    expect(errorSummaryLinks(tooEarly.body).map((l) => l.text)).toEqual([
      "The date the request was closed must be on or after the day it was made (20 November 2026)",
    ]);
    const noOutcome = await sw.post(`${path}/${referralId}/close`, {
      [`closedOn-${referralId}-day`]: "23",
      [`closedOn-${referralId}-month`]: "11",
      [`closedOn-${referralId}-year`]: "2026",
      outcome: "",
    });
    expect(noOutcome.statusCode).toBe(400);
    expect(errorSummaryLinks(noOutcome.body)).toEqual([
      { href: `#outcome-${referralId}`, text: "Choose the outcome" },
    ]);
    const closed = await sw.post(`${path}/${referralId}/close`, {
      [`closedOn-${referralId}-day`]: "23",
      [`closedOn-${referralId}-month`]: "11",
      [`closedOn-${referralId}-year`]: "2026",
      outcome: "nfa_information_advice",
    });
    expect(location(closed)).toBe(`${path}?done=closed`);
    expect(pageText((await sw.get(path)).body)).toMatch(
      /Outcome NFA: Information and advice or signposting Closed on 23 November 2026/,
    );
    // A role that may read but not record sees no forms.
    const panel = await new InjectBrowser(app).signIn("funding_panel_member");
    const read = await panel.get(path);
    expect(read.statusCode).toBe(200);
    expect(read.body).not.toContain("Record referral");
  });
});
