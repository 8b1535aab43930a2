import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NOT_ASKED } from "#/faces/estimator/forms.ts";
import { answersManagingEverything, notAchieving } from "#/features/assessment/answers.fixture.ts";
import { DEMO_PERSON_ACCOUNTS } from "#/features/demo/accounts-seed.ts";
import { DEMO_CONTACT } from "#/features/demo/contact-seed.ts";
import { getCouncilContact, setCouncilContact } from "#/features/tenants/contact-service.ts";
import { createTenant } from "#/features/tenants/service.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { withSystem } from "#/platform/db/tenant.ts";
import { ValidationError } from "#/platform/errors.ts";
import { buildTestApp } from "../../../test/app.ts";
import { databaseFor, demoTenantId, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { CarryingVisitor, InjectBrowser, pageText } from "../../../test/inject-browser.ts";
import { TODAY } from "../../../test/today.ts";

const GOOD = {
  phone: "(01632) 960 001",
  email: "care@north-shire.example",
  addressLine1: "County Hall",
  addressLine2: "",
  town: "Northam",
  county: "North Shire",
  postcode: "ab1  2cd",
  openingHours: "Monday to Friday, 8am to 6pm",
};

describe.each(enginesUnderTest())("council contact details on %s", (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
  });
  afterAll(async () => {
    await database?.drop();
  });

  const ctxFor = (tenantId: string): ServiceContext => ({
    db: database.db,
    scope: { tenantId, actor: { type: "staff", id: "admin-1" } },
    today: TODAY,
  });

  it("rule (issue 11): contact details are refused whole with a clear message per bad field; nothing is stored", async () => {
    const tenant = await createTenant(
      database.db,
      { slug: "contact-bad", name: "Contact Bad Council", jurisdiction: "england" },
      { today: TODAY },
    );
    const ctx = ctxFor(tenant.tenantId);
    const error = (await setCouncilContact(ctx, {
      phone: "12345",
      email: "not an email",
      addressLine1: " ",
      town: "",
      postcode: "ABC 123",
      openingHours: "",
    }).catch((e: unknown) => e)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.fieldErrors).toEqual([
      { path: "phone", message: "Enter a UK phone number, like 0300 123 4567 or +44 300 123 4567" },
      {
        path: "email",
        message: "Enter an email address in the right format, like adultcare@council.gov.uk",
      },
      { path: "addressLine1", message: "Enter the first line of the address, like the building and street" },
      { path: "town", message: "Enter the town or city" },
      { path: "postcode", message: "Enter a real UK postcode, like SW1A 1AA" },
      { path: "openingHours", message: "Enter the opening hours, like Monday to Friday, 9am to 5pm" },
    ]);
    const missing = (await setCouncilContact(ctx, {}).catch((e: unknown) => e)) as ValidationError;
    expect(missing.fieldErrors.map((f) => f.path)).toEqual([
      "phone",
      "email",
      "addressLine1",
      "town",
      "postcode",
      "openingHours",
    ]);
    expect(missing.fieldErrors[0]!.message).toBe("Enter the phone number people should call");
    const unknown = (await setCouncilContact(ctx, { ...GOOD, fax: "01632 960 002" }).catch(
      (e: unknown) => e,
    )) as ValidationError;
    expect(unknown.fieldErrors).toEqual([
      { path: "fax", message: '"fax" is not a field here: check the spelling, or remove it' },
    ]);
    expect(await getCouncilContact(ctx)).toBeNull();
  });

  it("rule (issue 11): contact details are set and changed in one audited write, postcode tidied, blanks left out", async () => {
    const tenant = await createTenant(
      database.db,
      { slug: "contact-good", name: "Contact Good Council", jurisdiction: "england" },
      { today: TODAY },
    );
    const ctx = ctxFor(tenant.tenantId);
    const set = await setCouncilContact(ctx, GOOD);
    expect(set).toMatchObject({
      phone: "(01632) 960 001",
      postcode: "AB1 2CD",
      addressLines: ["County Hall", "Northam", "North Shire", "AB1 2CD"],
      updatedBy: "admin-1",
    });
    expect(set).not.toHaveProperty("addressLine2");
    const changed = await setCouncilContact(ctx, { ...GOOD, phone: "+44 1632 960 003" });
    expect(changed.phone).toBe("+44 1632 960 003");
    expect((await getCouncilContact(ctx))?.phone).toBe("+44 1632 960 003");
    const events = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("audit_events")
        .select(["action", "changes"])
        .where("tenant_id", "=", tenant.tenantId)
        .where("record_type", "=", "council_contact_details")
        .orderBy("occurred_at")
        .execute(),
    );
    expect(events.map((e) => e.action)).toEqual(["create", "update"]);
    expect(events[1]!.changes).toMatchObject({
      before: { phone: "(01632) 960 001" },
      after: { phone: "+44 1632 960 003" },
    });
  });

  it("rule (issue 11): the administrator's contact page refuses bad details with an error summary, and saves good ones", async () => {
    const app = await buildTestApp(database);
    try {
      const admin = new InjectBrowser(app);
      await admin.signIn("administrator");
      const form = await admin.get("/admin/contact");
      expect(form.statusCode).toBe(200);
      // The demo council's details are filled in.
      expect(form.body).toContain(`value="${DEMO_CONTACT.email}"`);
      const bad = await admin.post("/admin/contact", { ...GOOD, email: "care.example", postcode: "" });
      expect(bad.statusCode).toBe(400);
      const text = pageText(bad.body);
      expect(text).toContain("There is a problem");
      expect(bad.body).toContain('href="#email"');
      expect(bad.body).toContain('href="#postcode"');
      expect(text).toContain("Enter the postcode");
      // What was typed is kept.
      expect(bad.body).toContain('value="care.example"');
      const good = await admin.post("/admin/contact", GOOD);
      expect(good.statusCode).toBe(303);
      expect(good.headers.location).toBe("/admin/contact?saved=1");
      const saved = await admin.get("/admin/contact?saved=1");
      expect(pageText(saved.body)).toContain("The contact details have been saved");
      expect(saved.body).toContain('value="AB1 2CD"');

      // Only administrators set them.
      const worker = new InjectBrowser(app);
      await worker.signIn("social_worker");
      expect((await worker.get("/admin/contact")).statusCode).toBe(403);

      // Put the demo council's own back for the other tests.
      await admin.get("/admin/contact");
      expect((await admin.post("/admin/contact", { ...DEMO_CONTACT })).statusCode).toBe(303);
    } finally {
      await app.close();
    }
  });

  it("rule (issue 11): a decision page shows the council's contact details", async () => {
    const app = await buildTestApp(database);
    try {
      const tenantId = await demoTenantId(database);
      const submitted = await withSystem(database.db, (trx) =>
        trx
          .selectFrom("assessments")
          .select("assessment_id")
          .where("tenant_id", "=", tenantId)
          .where("status", "=", "submitted")
          .orderBy("assessment_id")
          .limit(1)
          .executeTakeFirstOrThrow(),
      );
      const worker = new InjectBrowser(app);
      await worker.signIn("social_worker");
      const page = await worker.get(`/assessments/${submitted.assessment_id}/decision`);
      expect(page.statusCode).toBe(200);
      const text = pageText(page.body);
      expect(text).toContain("Contact Demo Council");
      expect(text).toContain(`Phone: ${DEMO_CONTACT.phone}`);
      expect(text).toContain(`Email: ${DEMO_CONTACT.email}`);
      expect(text).toContain(DEMO_CONTACT.openingHours);
      expect(text).toContain("Adult Social Care, Town Hall 1 Market Street Demoton AB12 3CD");
    } finally {
      await app.close();
    }
  });

  it("rule (issue 11): the decision page a person reads in their own account shows the contact details", async () => {
    const app = await buildTestApp(database);
    try {
      const person = new InjectBrowser(app);
      expect((await person.signInPerson(DEMO_PERSON_ACCOUNTS[0]!.email)).statusCode).toBe(303);
      // Their own record is their home page; it links to the decision.
      const home = await person.get("/my");
      const href = /href="(\/my\/people\/[^"]+\/assessments\/[0-9a-f-]{36}\/decision)"/.exec(home.body)?.[1];
      expect(href).toBeDefined();
      const decision = await person.get(href!);
      expect(decision.statusCode).toBe(200);
      const text = pageText(decision.body);
      expect(text).toContain("Your eligibility decision");
      expect(text).toContain(`Phone: ${DEMO_CONTACT.phone}`);
    } finally {
      await app.close();
    }
  });

  it("rule (issue 11): the pay estimator's result shows the council's contact details", async () => {
    const app = await buildTestApp(database);
    try {
      const v = new CarryingVisitor(app);
      const base = "/demo/pay-estimate";
      const answer = (page: string, values: Record<string, string | string[]>) =>
        v.post(`${base}/questions`, { ...values, page, go: "continue" });
      await v.get(`${base}/questions`);
      await answer("about-you", {
        age: "45",
        pensionAge: "no",
        partner: "no",
        children: "0",
        premiumBenefits: ["pip", "pip_daily_living_enhanced"],
      });
      await answer("savings", { savings: "16000", ownsHome: "no" });
      await answer("benefits", { employment_and_support_allowance: "140.55", pip_daily_living: "110.40" });
      await answer("other-income", {});
      await answer("housing", { council_tax: "15" });
      await answer("extra-costs", { extraCosts: "standard" });
      await answer("care-cost", { weeklyCost: "260" });
      const res = await v.post(`${base}/result`);
      expect(res.statusCode).toBe(200);
      const text = pageText(res.body);
      expect(text).toContain("Your estimate");
      expect(text).toContain("Contact Demo Council");
      expect(text).toContain(`Email: ${DEMO_CONTACT.email}`);
    } finally {
      await app.close();
    }
  });

  it("rule (issue 11): the public start pages and the estimate show the contact details once set, and nothing before", async () => {
    const tenant = await createTenant(
      database.db,
      { slug: "contact-public", name: "Contact Public Council", jurisdiction: "england" },
      { today: TODAY },
    );
    const app = await buildTestApp(database);
    try {
      const visitor = new CarryingVisitor(app);
      const pages = ["/contact-public/estimate", "/contact-public/pay-estimate"];
      for (const url of pages) {
        const before = await visitor.get(url);
        expect(before.statusCode).toBe(200);
        // No empty box: no heading, no section.
        expect(before.body).not.toContain("app-council-contact");
        expect(pageText(before.body)).not.toContain("Contact Contact Public Council");
      }
      await setCouncilContact(ctxFor(tenant.tenantId), GOOD);
      for (const url of pages) {
        const after = pageText((await visitor.get(url)).body);
        expect(after, url).toContain("Contact Contact Public Council");
        expect(after, url).toContain("Phone: (01632) 960 001");
        expect(after, url).toContain("County Hall Northam North Shire AB1 2CD");
      }
      // The estimate itself: answers as the pages carry them (the estimator does not ask what matters to you).
      const { whatMattersToMe: _notAsked, ...answers } = {
        ...notAchieving(answersManagingEverything(), ["nutrition", "personal_hygiene"]),
        wellbeingReasons: NOT_ASKED,
      };
      await visitor.get("/contact-public/estimate/questions"); // a page with a form: its CSRF token
      const result = await visitor.post(
        "/contact-public/estimate/result",
        {},
        { answers: JSON.stringify(answers) },
      );
      expect(result.statusCode).toBe(200);
      const text = pageText(result.body);
      expect(text).toContain("Your estimate");
      expect(text).toContain("Contact Contact Public Council");
      expect(text).toContain("Email: care@north-shire.example");
      expect(text).toContain(
        "Contact the adult social care team at Contact Public Council: their phone number, email address and opening hours are below.",
      );
    } finally {
      await app.close();
    }
  });
});
