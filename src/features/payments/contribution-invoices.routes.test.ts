import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, location, text } from "#/features/accounts/portal.fixture.ts";
import {
  type PaymentsTenant,
  paymentsTenant,
  personWithBudget,
  staff,
} from "#/features/payments/payments.fixture.ts";
import { prepareRun } from "#/features/payments/run.ts";
import { dateValues } from "#/platform/date-input.ts";
import { CSRF_HEADER } from "#/platform/web/security.ts";
import { buildTestApp } from "../../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";

/**
 * Finance records contribution invoices paid (issue 6, Payments: "the contribution is invoiced each cycle … and
 * its payment recorded"), through app.inject: the page lists the invoices not paid yet (linked from /payments)
 * with a form each; a part payment is refused with an error summary linking to that invoice's amount; a payment
 * in full is recorded and leaves the list, and recording it again changes nothing; the API lists and records the
 * same way (a replay says so, another date is 409); a social worker gets 403 and nobody signed in 401; the
 * operations are in the OpenAPI document.
 */

const TODAY = "2026-03-20";
const INVOICE = 4 * 2_500;

describe.each(enginesUnderTest())("contribution invoice pages and API on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let tenant: PaymentsTenant;
  let socialWorkerEmail: string;

  beforeAll(async () => {
    database = await databaseFor(engine, "migrated");
    tenant = await paymentsTenant(database, TODAY, { contributionCollection: "invoice" });
    await personWithBudget(database, tenant, {
      startDate: "2026-01-12",
      approvedOn: "2026-01-05",
      directWeekly: 10_000,
      contributionWeekly: 2_500,
    });
    // The run was prepared on 5 March, in time for Bacs to pay on the 9th (a run for a past date is refused).
    expect(
      (await prepareRun({ ...tenant.maker, today: "2026-03-05" }, { date: "2026-03-09" })).invoicesRaised,
    ).toBe(3);
    socialWorkerEmail = (await staff(database.db, tenant.tenantId, "Sam Social", TODAY, ["social_worker"]))
      .email;
    app = await buildTestApp(database, { today: TODAY });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const api = (b: Browser | null, method: "GET" | "POST", url: string, payload?: unknown) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      headers: b
        ? {
            cookie: Object.entries(b.jar)
              .map(([k, v]) => `${k}=${v}`)
              .join("; "),
            [CSRF_HEADER]: b.csrf,
          }
        : {},
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
  const invoiceIdsOn = (html: string) =>
    [...html.matchAll(/action="\/payments\/contribution-invoices\/([0-9a-f-]{36})\/payment"/g)].map(
      (m) => m[1]!,
    );

  it("rule (issue 6): finance records a contribution invoice paid in full from its page; a part payment is refused with an error summary and nothing changes", async () => {
    const finance = new Browser(app);
    await finance.signInStaff(tenant.maker.email);
    expect((await finance.get("/payments")).body).toContain('href="/payments/contribution-invoices"');

    const page = await finance.get("/payments/contribution-invoices");
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).toContain("£100.00 for 12 January to 8 February 2026");
    expect(text(page.body)).toContain("Person1 Fernhollow");
    const [first, ...rest] = invoiceIdsOn(page.body);
    expect(rest).toHaveLength(2);

    const part = await finance.post(`/payments/contribution-invoices/${first}/payment`, {
      ...dateValues("paidOn", "2026-01-14"),
      amount: "50.00",
    });
    expect(part.statusCode).toBe(400);
    expect(part.body).toContain(`href="#amount-${first}"`);
    expect(text(part.body)).toMatch(
      /There is a problem.*This invoice is for £100\.00 and only a payment in full can be recorded/,
    );
    expect(part.body).toMatch(new RegExp(`id="amount-${first}"[^>]*value="50.00"`));
    expect(invoiceIdsOn(part.body)).toContain(first);

    const noAmount = await finance.post(`/payments/contribution-invoices/${first}/payment`, {
      ...dateValues("paidOn", "2026-01-14"),
      amount: "",
    });
    expect(noAmount.statusCode).toBe(400);
    expect(text(noAmount.body)).toContain("Enter the amount received, in pounds, like 100.00");
    // The date received is a GOV.UK date input (issue 12): its error links to this invoice's day box.
    const noDate = await finance.post(`/payments/contribution-invoices/${first}/payment`, { amount: "100" });
    expect(noDate.statusCode).toBe(400);
    expect(noDate.body).toContain(`href="#paidOn-${first}-day"`);
    expect(noDate.body).toContain(`id="paidOn-${first}-day"`);
    expect(text(noDate.body)).toMatch(/There is a problem.*Enter the date received/);
    expect(text(noDate.body)).not.toContain("YYYY");

    const paid = await finance.post(`/payments/contribution-invoices/${first}/payment`, {
      ...dateValues("paidOn", "2026-01-14"),
      amount: "100",
    });
    expect(paid.statusCode).toBe(303);
    expect(location(paid)).toBe("/payments/contribution-invoices?recorded=1");
    const after = await finance.get(location(paid));
    expect(text(after.body)).toContain("Payment recorded");
    expect(invoiceIdsOn(after.body)).toEqual(rest);

    const again = await finance.post(`/payments/contribution-invoices/${first}/payment`, {
      ...dateValues("paidOn", "2026-01-14"),
      amount: "£100.00",
    });
    expect(location(again)).toBe("/payments/contribution-invoices?recorded=again");
    const otherDay = await finance.post(`/payments/contribution-invoices/${first}/payment`, {
      ...dateValues("paidOn", "2026-01-15"),
      amount: "100.00",
    });
    expect(otherDay.statusCode).toBe(409);
    expect(text(otherDay.body)).toContain("already recorded as paid on 14 January 2026");
  });

  it("rule (issue 6): the API lists raised invoices and records a payment once; the same payment again is a replay, another date 409, a part payment 400", async () => {
    const finance = new Browser(app);
    await finance.signInStaff(tenant.checker.email);
    await finance.get("/payments");
    const listed = await api(finance, "GET", "/contribution-invoices?status=raised");
    expect(listed.statusCode).toBe(200);
    const invoices = listed.json().invoices as {
      invoiceId: string;
      amountPence: number;
      cycleStart: string;
    }[];
    expect(invoices.map((i) => [i.cycleStart, i.amountPence])).toEqual([
      ["2026-02-09", INVOICE],
      ["2026-03-09", INVOICE],
    ]);
    const [second, third] = invoices.map((i) => i.invoiceId);
    const url = `/contribution-invoices/${second}/payment`;
    const paid = await api(finance, "POST", url, { paidOn: "2026-02-12", amountPence: INVOICE });
    expect(paid.statusCode).toBe(200);
    expect(paid.json()).toMatchObject({
      replayed: false,
      invoice: { invoiceId: second, status: "paid", paidOn: "2026-02-12", amountPence: INVOICE },
    });
    const replay = await api(finance, "POST", url, { paidOn: "2026-02-12", amountPence: INVOICE });
    expect(replay.json()).toMatchObject({ replayed: true, invoice: { status: "paid" } });
    expect((await api(finance, "POST", url, { paidOn: "2026-02-13", amountPence: INVOICE })).statusCode).toBe(
      409,
    );
    const part = await api(finance, "POST", `/contribution-invoices/${third}/payment`, {
      paidOn: "2026-03-16",
      amountPence: INVOICE - 1,
    });
    expect(part.statusCode).toBe(400);
    expect(part.json().errors[0]).toMatchObject({ path: "amountPence" });
    expect((await api(finance, "GET", "/contribution-invoices?status=owing")).statusCode).toBe(400);
    const paidList = (await api(finance, "GET", "/contribution-invoices?status=paid")).json().invoices;
    expect(paidList.map((i: { cycleStart: string }) => i.cycleStart)).toEqual(["2026-01-12", "2026-02-09"]);
  });

  it("a social worker may not list or record contribution payments (403), and nobody signed in gets 401", async () => {
    const worker = new Browser(app);
    await worker.signInStaff(socialWorkerEmail);
    await worker.get("/account");
    expect((await worker.get("/payments/contribution-invoices")).statusCode).toBe(403);
    expect((await api(worker, "GET", "/contribution-invoices?status=raised")).statusCode).toBe(403);
    const some = "01900000-0000-7000-8000-000000000000";
    expect(
      (
        await api(worker, "POST", `/contribution-invoices/${some}/payment`, {
          paidOn: "2026-03-16",
          amountPence: 1,
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await worker.post(`/payments/contribution-invoices/${some}/payment`, { amount: "" })).statusCode,
    ).toBe(403);
    expect((await api(null, "GET", "/contribution-invoices")).statusCode).toBe(401);
    const anonymous = await app.inject({ method: "GET", url: "/payments/contribution-invoices" });
    expect(location(anonymous)).toMatch(/^\/sign-in\?returnTo=/);
  });

  it("lists the contribution invoice operations in the OpenAPI document", async () => {
    const doc = (await app.inject({ method: "GET", url: "/api/v1/openapi.json" })).json();
    expect(doc.paths["/contribution-invoices"].get.operationId).toBe("listContributionInvoices");
    expect(doc.paths["/contribution-invoices/{invoiceId}/payment"].post.operationId).toBe(
      "recordContributionInvoicePayment",
    );
    expect(doc.paths["/contribution-invoices/{invoiceId}/payment"].post.responses["409"]).toBeDefined();
  });
});
