import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiTokenFor, buildTestApp } from "../../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import {
  emailOf,
  errorSummaryLinks,
  InjectBrowser,
  location,
  pageText,
} from "../../../test/inject-browser.ts";

/**
 * How each person wants to be told (issue 16): the staff form, the API, and the Accessible Information Standard's
 * flag on the record (DCB1605: identify, record, flag, share, meet). Welsh Language Standards: the language is
 * asked, recorded and used from then on (EMPLOYMENT-NOTIFY-LANGUAGE.md §4.1).
 */

const newPerson = (overrides: Record<string, unknown>) => ({
  givenName: "Gwen",
  familyName: "Pryce",
  dateOfBirth: "1949-02-11",
  sex: "female",
  ethnicity: "white-british",
  accommodationStatus: "with-family-settled",
  employmentStatus: "paid-16-plus",
  hasUnpaidCarer: "no",
  communicationNeeds: [],
  ...overrides,
});

describe.each(enginesUnderTest())("correspondence preferences on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let token: string;
  let financeToken: string;
  let withEmail: string;
  let noEmail: string;

  const api = (method: "GET" | "PUT" | "POST", url: string, payload?: unknown, as = token) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { authorization: `Bearer ${as}` },
      ...(payload ? { payload: payload as Record<string, unknown> } : {}),
    });

  beforeAll(async () => {
    database = await databaseFor(engine, { demo: { people: 3 } });
    app = await buildTestApp(database);
    token = await apiTokenFor(database, emailOf("social_worker"));
    financeToken = await apiTokenFor(database, emailOf("finance_officer"));
    const a = await api(
      "POST",
      "/people",
      newPerson({
        email: "gwen@example.org",
        phone: "07700 900123",
        communicationNeeds: ["easy-read", "bsl"],
      }),
    );
    expect(a.statusCode).toBe(201);
    withEmail = a.json().personId;
    const b = await api("POST", "/people", newPerson({ givenName: "Idris", familyName: "Lloyd" }));
    expect(b.statusCode).toBe(201);
    noEmail = b.json().personId;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it("rule (AIS DCB1605, meet): until one is chosen, the letter format follows the communication needs recorded", async () => {
    const res = await api("GET", `/people/${withEmail}/correspondence`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      letterChannel: null,
      letterFormat: null,
      effectiveLetterFormat: "easy_read",
      correspondenceLanguage: null,
      email: "gwen@example.org",
    });
    expect((await api("GET", `/people/${noEmail}/correspondence`)).json().effectiveLetterFormat).toBe(
      "standard",
    );
  });

  it("rule (issue 16): PUT records all four answers, GET /people/:id shows them, and the change is audited", async () => {
    const prefs = {
      letterChannel: "post_and_email",
      textsAllowed: true,
      letterFormat: "large_print",
      correspondenceLanguage: "cy",
    };
    const res = await api("PUT", `/people/${withEmail}/correspondence`, prefs);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ...prefs, effectiveLetterFormat: "large_print" });
    expect((await api("GET", `/people/${withEmail}`)).json()).toMatchObject(prefs);
    const events = await database.db
      .selectFrom("audit_events")
      .select("changes")
      .where("record_id", "=", withEmail)
      .where("action", "=", "update")
      .execute();
    expect(events.map((e) => (e.changes as { correspondence?: unknown }).correspondence)).toEqual([prefs]);
  });

  it("rule (issue 16): email without an email address recorded is refused, saying what to fix; nothing is written", async () => {
    const res = await api("PUT", `/people/${noEmail}/correspondence`, {
      letterChannel: "email",
      textsAllowed: true,
      letterFormat: "standard",
      correspondenceLanguage: "en",
    });
    expect(res.statusCode).toBe(400);
    const text = JSON.stringify(res.json());
    expect(text).toContain("No email address is recorded for this person");
    expect(text).toContain("No mobile number is recorded for this person");
    expect((await api("GET", `/people/${noEmail}`)).json()).toMatchObject({
      letterChannel: null,
      textsAllowed: null,
    });
  });

  it("rule (issue 16): an answer outside the lists is refused, and a role without people:write may not set them", async () => {
    const bad = await api("PUT", `/people/${noEmail}/correspondence`, {
      letterChannel: "pigeon",
      textsAllowed: false,
      letterFormat: "standard",
      correspondenceLanguage: "fr",
    });
    expect(bad.statusCode).toBe(400);
    const paths = JSON.stringify(bad.json());
    expect(paths).toContain("letterChannel");
    expect(paths).toContain("correspondenceLanguage");
    const refused = await api(
      "PUT",
      `/people/${noEmail}/correspondence`,
      { letterChannel: "post", textsAllowed: false, letterFormat: "standard", correspondenceLanguage: "en" },
      financeToken,
    );
    expect(refused.statusCode).toBe(403);
  });

  it("rule (issue 16): the staff form refuses email with no address, in an error summary, then saves post", async () => {
    const browser = await new InjectBrowser(app).signIn("social_worker");
    const form = await browser.get(`/people/${noEmail}/correspondence`);
    expect(form.statusCode).toBe(200);
    expect(pageText(form.body)).toContain("No email address is recorded, so letters can only go by post");
    const refused = await browser.post(`/people/${noEmail}/correspondence`, {
      letterChannel: "email",
      textsAllowed: "no",
      letterFormat: "standard",
      correspondenceLanguage: "en",
    });
    expect(refused.statusCode).toBe(400);
    expect(errorSummaryLinks(refused.body)).toEqual([
      {
        href: "#letterChannel",
        text: "No email address is recorded for this person: choose By post, or record their email address first",
      },
    ]);
    const missing = await browser.post(`/people/${noEmail}/correspondence`, {
      letterChannel: "post",
      letterFormat: "standard",
    });
    expect(errorSummaryLinks(missing.body).map((l) => l.href)).toEqual([
      "#textsAllowed",
      "#correspondenceLanguage",
    ]);
    const saved = await browser.post(`/people/${noEmail}/correspondence`, {
      letterChannel: "post",
      textsAllowed: "no",
      letterFormat: "braille",
      correspondenceLanguage: "cy",
    });
    expect(saved.statusCode).toBe(303);
    const record = pageText((await browser.get(location(saved))).body);
    expect(record).toContain("How Idris Lloyd wants to be told has been saved");
    expect(record).toContain("Braille");
    expect(record).toContain("Welsh (Cymraeg)");
  });

  it("rule (AIS DCB1605, flag): the record shows a Communication needs flag listing the needs in words, only when there are some", async () => {
    const browser = await new InjectBrowser(app).signIn("finance_officer");
    const flagged = (await browser.get(`/people/${withEmail}`)).body;
    const flag = /<div class="govuk-inset-text" id="communication-needs-flag">([\s\S]*?)<\/div>/.exec(
      flagged,
    );
    expect(flag).not.toBeNull();
    expect(pageText(flag![1]!)).toContain("Communication needs");
    expect(pageText(flag![1]!)).toContain("Easy Read");
    expect(pageText(flag![1]!)).toContain("British Sign Language (BSL) interpreter");
    // Finance may read the record but not change the preferences, so no link is offered.
    expect(flagged).not.toContain(`/people/${withEmail}/correspondence`);
    expect((await browser.get(`/people/${noEmail}`)).body).not.toContain("communication-needs-flag");
  });
});
