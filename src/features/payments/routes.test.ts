import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, location, text } from "#/features/accounts/portal.fixture.ts";
import {
  type FixtureBudget,
  type PaymentsTenant,
  paymentsTenant,
  personWithBudget,
} from "#/features/payments/payments.fixture.ts";
import { dateValues } from "#/platform/date-input.ts";
import { CSRF_HEADER } from "#/platform/web/security.ts";
import { buildTestApp } from "../../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";

/**
 * Payments pages and API through app.inject: a bad pay date is refused with an error summary linking to the field
 * (nothing written); a run prepared from the page; maker-checker on the run page (the reviewer is told a different
 * officer must approve, and the API refuses them with 403); files only after approval (409 before) and the Bacs
 * file's total in its headers; bank details proposed through the API and approved by the second officer;
 * a returned payment recorded from its form; the operations in the OpenAPI document.
 */

const TODAY = "2026-01-07";

describe.each(enginesUnderTest())("payments pages and API on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let tenant: PaymentsTenant;
  let person: FixtureBudget;

  beforeAll(async () => {
    database = await databaseFor(engine, "migrated");
    tenant = await paymentsTenant(database, TODAY);
    person = await personWithBudget(database, tenant, {
      startDate: "2026-01-12",
      approvedOn: "2026-01-05",
      directWeekly: 10_000,
    });
    app = await buildTestApp(database, { today: TODAY });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const api = (b: Browser, method: "GET" | "POST", url: string, payload?: unknown) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      headers: {
        cookie: Object.entries(b.jar)
          .map(([k, v]) => `${k}=${v}`)
          .join("; "),
        [CSRF_HEADER]: b.csrf,
      },
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });

  it("prepares a run from the page; a pay date on a bank holiday is refused with an error summary; review and approval by two different officers; files after approval", async () => {
    const maker = new Browser(app);
    await maker.signInStaff(tenant.maker.email);
    const page = await maker.get("/payments");
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).toContain("Prepare a payment run");

    const bad = await maker.post("/payments/runs", dateValues("date", "2026-04-06"));
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('href="#date-day"');
    expect(text(bad.body)).toMatch(/There is a problem.*6 April 2026 is a weekend or bank holiday/);
    // Dates are GOV.UK date inputs (issue 12): day, month and year boxes, the error linking to the day; what was
    // typed is kept; no "YYYY-MM-DD" is asked of anyone.
    expect(page.body).toMatch(/id="date-day" name="date-day"/);
    expect(text(page.body)).not.toContain("YYYY");
    expect(bad.body).toContain('href="#date-day"');
    expect(bad.body).toMatch(/id="date-month" name="date-month" type="text" value="4"/);
    const impossible = await maker.post("/payments/runs", {
      "date-day": "30",
      "date-month": "2",
      "date-year": "2026",
    });
    expect(impossible.statusCode).toBe(400);
    expect(text(impossible.body)).toMatch(/There is a problem.*The pay date must be a real date/);
    const partial = await maker.post("/payments/runs", { "date-day": "12", "date-year": "2026" });
    expect(text(partial.body)).toMatch(/The pay date must include a month/);
    expect(text((await maker.post("/payments/runs", {})).body)).toMatch(
      /There is a problem.*Enter the pay date/,
    );

    // Rule (issue 12): a pay date the Bacs cycle cannot meet is refused at prepare, naming the earliest that works:
    // on Wednesday 7 January a file sent today pays on Friday 9 January at the earliest (in words on the page, as
    // YYYY-MM-DD in the API), and nothing is written.
    const soon = await maker.post("/payments/runs", dateValues("date", "2026-01-08"));
    expect(soon.statusCode).toBe(400);
    expect(soon.body).toContain('href="#date-day"');
    expect(text(soon.body)).toMatch(/There is a problem.*too soon.*choose 9 January 2026 or later/);
    expect(text(soon.body)).not.toMatch(/is 2026-01-09|creationDate|processingDay/);
    const soonApi = await api(maker, "POST", "/payments/runs", { date: "2026-01-08" });
    expect(soonApi.statusCode).toBe(400);
    expect(JSON.stringify(soonApi.json())).toContain("the earliest pay date that works is 2026-01-09");
    expect((await api(maker, "GET", "/payments/runs")).json().runs).toEqual([]);

    const made = await maker.post("/payments/runs", dateValues("date", "2026-01-12"));
    expect(made.statusCode).toBe(303);
    const runUrl = location(made).split("?")[0]!;
    const runId = runUrl.split("/").at(-1)!;
    const runPage = await maker.get(location(made));
    // Plural agreement (issue 12): "1 new payment made", never "1 new payments".
    expect(text(runPage.body)).toMatch(/1 new payment made.*Mark as reviewed/);
    expect((await api(maker, "GET", `/payments/runs/${runId}/files/bacs18`)).statusCode).toBe(409);

    expect((await maker.post(`/payments/runs/${runId}/review`)).statusCode).toBe(303);
    expect(text((await maker.get(runUrl)).body)).toContain("a different finance officer must approve it");
    expect((await api(maker, "POST", `/payments/runs/${runId}/approve`)).statusCode).toBe(403);

    const checker = new Browser(app);
    await checker.signInStaff(tenant.checker.email);
    await checker.get(runUrl);
    expect((await checker.post(`/payments/runs/${runId}/approve`)).statusCode).toBe(303);
    const file = await checker.get(`/payments/runs/${runId}/files/bacs18`);
    expect(file.statusCode).toBe(200);
    expect(file.body.startsWith("VOL1")).toBe(true);
    const viaApi = await api(checker, "GET", `/payments/runs/${runId}/files/bacs18`);
    expect(viaApi.headers["x-total-pence"]).toBe(String(4 * 10_000));

    const listed = await api(checker, "GET", "/payments/runs");
    expect(listed.json().runs[0]).toMatchObject({ runId, status: "approved", bankPence: 40_000 });
  });

  it("bank details through the API: proposed by one officer, refused for them, approved by the other", async () => {
    const maker = new Browser(app);
    await maker.signInStaff(tenant.maker.email);
    await maker.get("/payments");
    const proposed = await api(maker, "POST", `/payees/${person.payeeId}/bank-details`, {
      accountName: "New Name",
      sortCode: "30-00-00",
      accountNumber: "55555555",
      effectiveFrom: "2026-02-01",
    });
    expect(proposed.statusCode).toBe(201);
    const { detailsId } = proposed.json();
    const approveUrl = `/payees/${person.payeeId}/bank-details/${detailsId}/approve`;
    expect((await api(maker, "POST", approveUrl)).statusCode).toBe(403);
    const checker = new Browser(app);
    await checker.signInStaff(tenant.checker.email);
    await checker.get("/payments");
    const approved = await api(checker, "POST", approveUrl);
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ status: "approved", accountNumberEnding: "5555" });
  });

  it("records a returned payment from its form, with an error summary first when the reason is missing", async () => {
    const maker = new Browser(app);
    await maker.signInStaff(tenant.maker.email);
    const runs = (await api(maker, "GET", "/payments/runs")).json().runs;
    const run = (await api(maker, "GET", `/payments/runs/${runs[0].runId}`)).json();
    const paymentId = run.payments[0].paymentId;
    await maker.get(`/payments/${paymentId}/return`);
    const missing = await maker.post(`/payments/${paymentId}/return`, dateValues("returnedOn", "2026-01-14"));
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('href="#reasonCode"');
    const noDate = await maker.post(`/payments/${paymentId}/return`, { reasonCode: "5" });
    expect(noDate.body).toContain('href="#returnedOn-day"');
    expect(text(noDate.body)).toMatch(/Enter the date the payment came back/);
    expect(text(noDate.body)).not.toContain("YYYY");
    const done = await maker.post(`/payments/${paymentId}/return`, {
      reasonCode: "5",
      ...dateValues("returnedOn", "2026-01-14"),
    });
    expect(done.statusCode).toBe(303);
    const page = await maker.get("/payments");
    expect(text(page.body)).toMatch(/returned on 14 January 2026, reason 5/);
  });

  it("payment settings and proposed bank details ask for dates as GOV.UK date inputs: filled from the stored date, errors linking to the day", async () => {
    const checker = new Browser(app);
    await checker.signInStaff(tenant.checker.email);
    const settings = await checker.get("/admin/payments");
    expect(settings.statusCode).toBe(200);
    // The cycle's anchor, 12 January 2026, fills the three boxes.
    expect(settings.body).toMatch(/id="anchorDate-day" name="anchorDate-day" type="text" value="12"/);
    expect(settings.body).toMatch(/id="anchorDate-month" name="anchorDate-month" type="text" value="1"/);
    expect(text(settings.body)).not.toContain("YYYY");
    const noFrom = await checker.post("/admin/payments", {
      "anchorDate-day": "12",
      "anchorDate-month": "1",
      "anchorDate-year": "2026",
    });
    expect(noFrom.statusCode).toBe(400);
    expect(noFrom.body).toContain('href="#validFrom-day"');
    expect(text(noFrom.body)).toMatch(/Enter the date the settings apply from/);
    expect(text(noFrom.body)).not.toContain("YYYY");

    const payees = await checker.get("/payees");
    expect(payees.body).toContain(`id="effectiveFrom-${person.payeeId}-day"`);
    const badDate = await checker.post(`/payees/${person.payeeId}/bank-details`, {
      accountName: "New Name",
      sortCode: "30-00-00",
      accountNumber: "55555555",
      "effectiveFrom-day": "31",
      "effectiveFrom-month": "4",
      "effectiveFrom-year": "2026",
    });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.body).toContain('href="#effectiveFrom-day"');
    expect(badDate.body).toContain('id="effectiveFrom-day"');
    expect(text(badDate.body)).toMatch(/There is a problem.*The date to use them from must be a real date/);
  });

  it("lists the payments operations in the OpenAPI document", async () => {
    const doc = (await app.inject({ method: "GET", url: "/api/v1/openapi.json" })).json();
    const ops = Object.values(doc.paths as Record<string, Record<string, { operationId: string }>>).flatMap(
      (p) => Object.values(p).map((o) => o.operationId),
    );
    for (const id of [
      "listPaymentRuns",
      "preparePaymentRun",
      "getPaymentRun",
      "reviewPaymentRun",
      "approvePaymentRun",
      "getPaymentRunBacsFile",
      "getPaymentRunFinanceCsv",
      "proposePayeeBankDetails",
      "approvePayeeBankDetails",
      "recordReturnedPayment",
    ])
      expect(ops).toContain(id);
  });

  it("rule (issue 12): a held payment names the person and links to Add a payee; the payee added there, approved by a second officer, is paid by the same run", async () => {
    const held = await personWithBudget(
      database,
      tenant,
      { startDate: "2026-01-12", approvedOn: "2026-01-05", directWeekly: 6_000, bankDetails: false },
      2,
    );
    const maker = new Browser(app);
    await maker.signInStaff(tenant.maker.email);
    await maker.get("/payments");
    const made = await maker.post("/payments/runs", dateValues("date", "2026-01-13"));
    expect(made.statusCode).toBe(303);
    const runUrl = location(made).split("?")[0]!;
    const runPage = await maker.get(location(made));
    // Plural agreement, and the person by name (never a budget id), with the link that fixes the hold.
    expect(text(runPage.body)).toMatch(/0 new payments made/);
    expect(text(runPage.body)).toMatch(/1 payment is held and will be made by a later run once fixed/);
    expect(text(runPage.body)).toContain("Person2 Fernhollow");
    expect(text(runPage.body)).not.toContain(held.budgetId);
    const fix = `/payees/new?personId=${held.personId}`;
    expect(runPage.body).toContain(`href="${fix}"`);

    const form = await maker.get(fix);
    expect(form.statusCode).toBe(200);
    expect(text(form.body)).toContain("Add Person2 Fernhollow as a payee");
    const bad = await maker.post("/payees/new", {
      kind: "person",
      personId: held.personId,
      fixedPerson: "1",
      name: "Person2 Fernhollow",
      accountName: "PERSON TWO",
      sortCode: "12",
      accountNumber: "",
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('href="#sortCode"');
    expect(bad.body).toContain('href="#accountNumber"');
    expect(text(bad.body)).not.toMatch(/personId|accountNumber:|sortCode:/);
    const added = await maker.post("/payees/new", {
      kind: "person",
      personId: held.personId,
      fixedPerson: "1",
      name: "Person2 Fernhollow",
      accountName: "PERSON TWO",
      sortCode: "20-00-00",
      accountNumber: "22222222",
    });
    expect(added.statusCode).toBe(303);
    const payees = await maker.get(location(added));
    expect(text(payees.body)).toContain("Person2 Fernhollow has been added as a payee");

    // Still held until a second finance officer approves the details (maker-checker, as for any bank details).
    expect(
      text(
        (await maker.get(location(await maker.post("/payments/runs", dateValues("date", "2026-01-13")))))
          .body,
      ),
    ).toMatch(/1 payment is held.*Add or approve their bank details/);
    const checker = new Browser(app);
    await checker.signInStaff(tenant.checker.email);
    const work = await checker.get("/payments");
    const approve = /action="(\/payees\/[^"]+\/bank-details\/[^"]+\/approve)"/.exec(work.body)?.[1];
    expect(approve).toBeDefined();
    expect((await maker.post(approve!)).statusCode).toBe(403);
    expect((await checker.post(approve!)).statusCode).toBe(303);

    const again = await maker.post("/payments/runs", dateValues("date", "2026-01-13"));
    const paid = await maker.get(location(again));
    expect(text(paid.body)).toMatch(/1 new payment made/);
    expect(text(paid.body)).not.toMatch(/is held|are held/);
    expect(location(again).split("?")[0]).toBe(runUrl);
  });

  it("Add a payee: sent empty, every problem is listed in words; a personal assistant is added with details to approve", async () => {
    const maker = new Browser(app);
    await maker.signInStaff(tenant.maker.email);
    const form = await maker.get("/payees/new");
    expect(form.statusCode).toBe(200);
    expect(text(form.body)).toMatch(
      /Who is the payee\?.*A person with a personal budget.*A provider.*A personal assistant/,
    );
    const empty = await maker.post("/payees/new", {});
    expect(empty.statusCode).toBe(400);
    for (const field of ["kind", "accountName", "sortCode", "accountNumber"])
      expect(empty.body).toContain(`href="#${field}"`);
    const added = await maker.post("/payees/new", {
      kind: "personal_assistant",
      name: "Sam Hazelbrook",
      accountName: "Sam Hazelbrook",
      sortCode: "12-34-56",
      accountNumber: "87654321",
      ...dateValues("effectiveFrom", "2026-01-08"),
    });
    expect(added.statusCode).toBe(303);
    const listed = (await api(maker, "GET", "/payments/runs")).statusCode;
    expect(listed).toBe(200);
    const page = text((await maker.get(location(added))).body);
    expect(page).toContain("Sam Hazelbrook has been added as a payee");
    expect(page).toMatch(/Sam Hazelbrook \(personal assistant\).*ending 4321, from 8 January 2026: proposed/);
  });
});
