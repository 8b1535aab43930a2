import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp } from "../../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import {
  errorSummaryLinks,
  InjectBrowser,
  location,
  pageText,
  titleOf,
} from "../../../test/inject-browser.ts";

/** The "Add a person" pages (issue 11): the form, its errors, and the likely-duplicate page before creating. */

const form = (overrides: Record<string, string | string[]> = {}) => ({
  givenName: "Rosa",
  familyName: "Marsh",
  dobDay: "9",
  dobMonth: "7",
  dobYear: "1958",
  nhsNumber: "",
  sex: "female",
  ethnicity: "white-irish",
  accommodationStatus: "tenant-private",
  employmentStatus: "paid-under-16",
  hasUnpaidCarer: "no",
  communicationNeeds: ["easy-read", "bsl"],
  postcode: "zx4 7qp",
  ...overrides,
});

describe.each(enginesUnderTest())("add a person pages on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;

  beforeAll(async () => {
    database = await databaseFor(engine, { demo: { people: 3 } });
    app = await buildTestApp(database);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it("rule (issue 11): the people list offers Add a person to staff who may add people, not to others", async () => {
    const worker = await new InjectBrowser(app).signIn("social_worker");
    expect((await worker.get("/people")).body).toContain('href="/people/new"');
    const finance = await new InjectBrowser(app).signIn("finance_officer");
    expect((await finance.get("/people")).body).not.toContain('href="/people/new"');
    expect((await finance.get("/people/new")).statusCode).toBe(403);
  });

  it("rule (issue 11): staff add a person with every coded answer and land on the new record", async () => {
    const browser = await new InjectBrowser(app).signIn("social_worker");
    const page = await browser.get("/people/new");
    expect(titleOf(page.body)).toMatch(/^Add a person/);
    // Each coded list offers its "declined"/"not known" answers.
    expect(page.body).toContain("Refused (declined to say)");
    expect(page.body).toContain("Undeclared or not known");
    const res = await browser.post("/people/new", form());
    expect(res.statusCode).toBe(303);
    expect(location(res)).toMatch(/^\/people\/[0-9a-f-]{36}\?added=1$/);
    const record = pageText((await browser.get(location(res))).body);
    expect(record).toContain("Rosa Marsh has been added");
    expect(record).toContain("White: Irish");
    expect(record).toContain("Tenant: Private landlord");
    expect(record).toContain("Easy Read, British Sign Language (BSL) interpreter");
    expect(record).toContain("ZX4 7QP");
  });

  it("rule (issue 11): a form with mistakes is shown again with an error summary linking to each field, in form order", async () => {
    const browser = await new InjectBrowser(app).signIn("social_worker");
    await browser.get("/people/new");
    const res = await browser.post(
      "/people/new",
      form({
        givenName: "",
        dobMonth: "13",
        nhsNumber: "943 476 5918",
        ethnicity: "",
        communicationNeeds: [],
      }),
    );
    expect(res.statusCode).toBe(400);
    expect(titleOf(res.body)).toMatch(/^Error: Add a person/);
    expect(errorSummaryLinks(res.body)).toEqual([
      { href: "#givenName", text: "Enter the person's first name" },
      { href: "#dateOfBirth-day", text: "Date of birth must be a real date, for example 27 3 1970" },
      {
        href: "#nhsNumber",
        text: "This is not a valid NHS number: check each digit (the last digit is a check on the others)",
      },
      { href: "#ethnicity", text: "Select the person's ethnicity" },
      {
        href: "#communicationNeeds",
        text: "Select the person's communication and information needs, or None",
      },
    ]);
    // What was typed is kept.
    expect(res.body).toContain('value="943 476 5918"');
    const blank = await browser.post("/people/new", form({ dobDay: "", dobMonth: "", dobYear: "" }));
    expect(errorSummaryLinks(blank.body)).toEqual([
      { href: "#dateOfBirth-day", text: "Enter the person's date of birth" },
    ]);
    const future = await browser.post("/people/new", form({ dobYear: "2099" }));
    expect(errorSummaryLinks(future.body)).toEqual([
      { href: "#dateOfBirth-day", text: "The date of birth must be in the past" },
    ]);
  });

  it("rule (issue 11): a likely duplicate is shown before creating, with a link to the existing record and a way on if it is someone else", async () => {
    const browser = await new InjectBrowser(app).signIn("social_worker");
    await browser.get("/people/new");
    const first = await browser.post(
      "/people/new",
      form({ givenName: "Sam", familyName: "Twin", nhsNumber: "401 023 2137" }),
    );
    expect(first.statusCode).toBe(303);
    const existingId = /\/people\/([0-9a-f-]{36})/.exec(location(first))![1]!;

    await browser.get("/people/new");
    const again = await browser.post("/people/new", form({ givenName: "sam", familyName: "twin" }));
    expect(again.statusCode).toBe(409);
    expect(titleOf(again.body)).toMatch(/^This person may already be on record/);
    expect(again.body).toContain(`href="/people/${existingId}"`);
    expect(pageText(again.body)).toContain("The same name and date of birth");
    // Staff confirm it is a different person: the form posts again with the match confirmed.
    const confirmed = await browser.post("/people/new", {
      ...form({ givenName: "sam", familyName: "twin" }),
      confirmedDifferentFrom: existingId,
    });
    expect(confirmed.statusCode).toBe(303);
    expect(location(confirmed)).not.toContain(existingId);

    // The same NHS number cannot be confirmed away.
    await browser.get("/people/new");
    const nhs = await browser.post("/people/new", {
      ...form({ givenName: "Other", familyName: "Person", nhsNumber: "4010232137" }),
      confirmedDifferentFrom: existingId,
    });
    expect(nhs.statusCode).toBe(409);
    expect(pageText(nhs.body)).toContain("An NHS number belongs to one person");
    expect(nhs.body).not.toContain("This is a different person: add them");
  });
});
