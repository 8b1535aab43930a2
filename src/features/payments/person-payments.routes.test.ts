import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, text } from "#/features/accounts/portal.fixture.ts";
import { listContributionInvoices, recordInvoicePayment } from "#/features/payments/contribution-invoices.ts";
import {
  type FixtureBudget,
  type PaymentsTenant,
  paymentsTenant,
  personAccount,
  personWithBudget,
  STAFF_PASSWORD,
} from "#/features/payments/payments.fixture.ts";
import { recordReturn } from "#/features/payments/returns.ts";
import { prepareRun } from "#/features/payments/run.ts";
import { paymentsForPerson } from "#/features/payments/service.ts";
import { buildTestApp } from "../../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";

/**
 * What the person (and staff) see of contribution invoices and payment messages (issue 6, Payments: "the
 * contribution is invoiced each cycle, shown on the person's statement, and its payment recorded"; "a payment
 * the bank returns is recorded … and the person and finance are told what to do"). Three £100 invoices, the
 * first paid; the direct payments of the first and third cycles returned by the bank (closed account), the
 * first more than 60 days ago. The person's budget page says in plain English what they were asked to pay and
 * whether it arrived, and shows both messages for them (never finance's); their home page a notice of the
 * recent one only; the staff budget page the invoices, the person's messages and finance's; the money
 * statement what is still to be received.
 */

const TODAY = "2026-03-20";
const EMAIL = "holder@person-payments.test";

describe.each(enginesUnderTest())("a person's contribution invoices and payment messages on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let tenant: PaymentsTenant;
  let person: FixtureBudget;

  beforeAll(async () => {
    database = await databaseFor(engine, "migrated");
    tenant = await paymentsTenant(database, TODAY, { contributionCollection: "invoice" });
    person = await personWithBudget(database, tenant, {
      startDate: "2026-01-12",
      approvedOn: "2026-01-05",
      directWeekly: 10_000,
      contributionWeekly: 2_500,
    });
    // The run was prepared on 5 March, in time for Bacs to pay on the 9th (a run for a past date is refused).
    await prepareRun({ ...tenant.maker, today: "2026-03-05" }, { date: "2026-03-09" });
    const [first] = (await listContributionInvoices(tenant.maker, { status: "raised" })).invoices;
    await recordInvoicePayment(tenant.maker, first!.invoiceId, { paidOn: "2026-01-14", amountPence: 10_000 });
    const { payments } = await paymentsForPerson(tenant.maker, person.personId);
    for (const [cycleStart, returnedOn] of [
      ["2026-01-12", "2026-01-13"],
      ["2026-03-09", "2026-03-10"],
    ] as const) {
      const payment = payments.find((p) => p.cycleStart === cycleStart && p.kind === "bank")!;
      await recordReturn(tenant.maker, payment.paymentId, { reasonCode: "B", returnedOn });
    }
    await personAccount(database, tenant, person.personId, EMAIL);
    app = await buildTestApp(database, { today: TODAY });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const signedInPerson = async () => {
    const me = new Browser(app);
    const res = await me.signInPerson(EMAIL, STAFF_PASSWORD);
    expect(res.statusCode).toBe(303);
    return me;
  };

  it("rule (issue 6): the person's budget page says what they were asked to pay for each cycle and whether it was received, and what they were told about returned payments", async () => {
    const me = await signedInPerson();
    const page = await me.get(`/my/people/${person.personId}/budget`);
    expect(page.statusCode).toBe(200);
    const words = text(page.body);
    expect(words).toContain(
      "You were asked to pay £100.00 towards your care for 12 January to 8 February 2026. We received it on 14 January 2026.",
    );
    expect(words).toContain(
      "You were asked to pay £100.00 towards your care for 9 March to 5 April 2026. Not yet received.",
    );
    expect(words).toContain("2 invoices have not been paid yet, £200.00 in all.");
    expect(words).toContain("Messages about your payments");
    // Newest first, each dated by the day the bank returned the payment.
    expect(words).toMatch(
      /10 March 2026: The payment of £400\.00 due on 9 March 2026 came back from the bank on 10 March 2026.*13 January 2026: The payment/,
    );
    expect(words).not.toContain("reason B");
  });

  it("rule (issue 6): the person's home page gives a short notice of recent payment messages only, linking to the budget page", async () => {
    const me = await signedInPerson();
    const home = await me.get("/my");
    expect(home.statusCode).toBe(200);
    const words = text(home.body);
    expect(words).toContain("Messages about your payments");
    expect(words).toContain("came back from the bank on 10 March 2026");
    expect(words).not.toContain("came back from the bank on 13 January 2026");
    expect(home.body).toContain(`href="/my/people/${person.personId}/budget#payment-messages"`);
  });

  it("rule (issue 6): the staff budget page shows the person's invoices and messages, and what finance was told to do", async () => {
    const finance = new Browser(app);
    await finance.signInStaff(tenant.maker.email);
    const page = await finance.get(`/people/${person.personId}/budget`);
    expect(page.statusCode).toBe(200);
    const words = text(page.body);
    expect(words).toContain(
      "Person1 was asked to pay £100.00 towards Person1's care for 12 January to 8 February 2026. We received it on 14 January 2026.",
    );
    expect(words).toContain("Messages about Person1's payments");
    expect(words).toContain("Payments for finance to act on");
    expect(words).toMatch(
      /10 March 2026: Payment of £400\.00 \(pay date 9 March 2026\) returned on 10 March 2026, reason B/,
    );
  });

  it("rule (issue 6): the money statement says how much of the invoiced contribution is still to be received", async () => {
    const finance = new Browser(app);
    await finance.signInStaff(tenant.maker.email);
    const statement = await finance.get(`/people/${person.personId}/statement`);
    expect(statement.statusCode).toBe(200);
    expect(text(statement.body)).toContain(
      "We send you an invoice for your contribution. We have not yet received £200.00 (2 invoices).",
    );
  });
});
