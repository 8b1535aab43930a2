import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withSystem } from "#/platform/db/tenant.ts";
import { pdfAvailable } from "#/platform/pdf/pdf.ts";
import { DEMO_PERSON_ACCOUNTS } from "#/seed/accounts-seed.ts";
import { buildTestApp } from "../../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { InjectBrowser, location, pageText } from "../../../test/inject-browser.ts";

/**
 * The person sees what they pay (Upfront issue 12): the money statement at /my/people/:id/statement — the staff
 * statement (what they pay, how it was worked out, the benefits prompt) through the same service, with the
 * council's contact details — linked from their record at /my; for a representative with "view", the statement
 * of the person they help; for anyone else, "Page not found". Every view is audited with the account as actor.
 */

const personOf = (html: string) => /\/my\/people\/([0-9a-f-]{36})\/statement"/.exec(html)?.[1];
const mainText = (html: string) => pageText(/<main[\s\S]*<\/main>/.exec(html)![0]);

describe.each(enginesUnderTest())("the person's money statement on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let holder: InjectBrowser;
  let holderId: string;

  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
    app = await buildTestApp(database, { cookieSecure: true });
    holder = new InjectBrowser(app);
    // person2: a live budget and a financial assessment (they chose to pay the full cost).
    expect((await holder.signInPerson(DEMO_PERSON_ACCOUNTS[1]!.email)).statusCode).toBe(303);
  }, 240_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it("rule (issue 12): the person's record at /my links to their money statement", async () => {
    const home = await holder.get("/my");
    expect(home.statusCode).toBe(200);
    holderId = personOf(home.body)!;
    expect(holderId).toBeDefined();
    expect(mainText(home.body)).toContain(
      "See your money statement: what you pay towards your care, and how it was worked out",
    );
  });

  it("rule (issue 12): the person reads what they pay, how it was worked out, and the council's contact details, in plain words", async () => {
    const res = await holder.get(`/my/people/${holderId}/statement`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/<title>Your money statement – /);
    const text = mainText(res.body);
    expect(text).toContain("Your money statement");
    expect(text).toMatch(/You pay £[\d,]+\.\d\d a week \(£[\d,]+\.\d\d every 4 weeks\) towards your care/);
    expect(text).toContain("You chose to pay the full cost of your care.");
    expect(text).toMatch(/for \d{1,2} [A-Z][a-z]+ \d{4} to \d{1,2} [A-Z][a-z]+ \d{4}/); // dates in words
    expect(text).not.toMatch(/\d{4}-\d\d-\d\d/);
    expect(text).toContain("Who pays for your care");
    expect(text).toContain("Contact Demo Council");
    expect(text).not.toMatch(/funding|deployment|\bstream/i);
    // Staff-only links are not on the person's page.
    expect(res.body).not.toContain(`href="/people/${holderId}`);
    expect(res.body).toContain(`href="/my/people/${holderId}/statement.pdf"`);
  });

  it("rule (issue 12): the person's statement as a PDF, or a page in their own layout saying how to print it", async () => {
    const pdf = await holder.get(`/my/people/${holderId}/statement.pdf`);
    if (pdfAvailable()) {
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers["content-type"]).toBe("application/pdf");
      expect(pdf.rawPayload.subarray(0, 5).toString()).toBe("%PDF-");
    } else {
      expect(pdf.statusCode).toBe(503);
      expect(mainText(pdf.body)).toContain("The PDF cannot be made at the moment");
      expect(pdf.body).toContain("Sign out"); // the person's header, not the staff one
    }
  });

  it("rule (issue 12): reading the statement is audited with the person's account as the actor", async () => {
    const events = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("audit_events")
        .selectAll()
        .where("record_type", "=", "money_statement")
        .where("record_id", "=", holderId)
        .execute(),
    );
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => (e as { actor_type?: string }).actor_type === "person")).toBe(true);
  });

  it("rule (issue 12): a representative with 'view' reads the statement of the person they help; nobody reads anyone else's", async () => {
    const rep = new InjectBrowser(app);
    await rep.signInPerson(DEMO_PERSON_ACCOUNTS[3]!.email);
    const home = await rep.get("/my");
    const helped = /href="\/my\/people\/([0-9a-f-]{36})"/.exec(home.body)![1]!;
    const record = await rep.get(`/my/people/${helped}`);
    expect(record.body).toContain(`href="/my/people/${helped}/statement"`);
    const theirs = await rep.get(`/my/people/${helped}/statement`);
    expect(theirs.statusCode).toBe(200);
    expect(mainText(theirs.body)).toMatch(/^\s*Someone you help: \S+ \S+ \S+'s money statement/);
    // Their statement has the benefits prompt (their assessment found needs PIP covers, and they do not get it).
    expect(mainText(theirs.body)).toContain("Benefits you could ask about");

    expect((await rep.get(`/my/people/${holderId}/statement`)).statusCode).toBe(404);
    expect((await rep.get(`/my/people/${holderId}/statement.pdf`)).statusCode).toBe(404);
    expect((await holder.get(`/my/people/${helped}/statement`)).statusCode).toBe(404);
    const notFound = await holder.get(`/my/people/${helped}/statement`);
    expect(mainText(notFound.body)).toContain("Page not found");
  });

  it("rule (issue 12): someone not signed in is sent to sign in", async () => {
    const res = await new InjectBrowser(app).get(`/my/people/${holderId}/statement`);
    expect(res.statusCode).toBe(302);
    expect(location(res)).toMatch(/^\/my\/sign-in\?returnTo=/);
  });
});
