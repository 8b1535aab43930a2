import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountByCodeIn } from "#/features/ledger/service.ts";
import { verifyLedgerIn } from "#/features/ledger/verify.ts";
import {
  contributionInvoicesOfPersonIn,
  type InvoiceForFinance,
  listContributionInvoices,
  recordInvoicePayment,
} from "#/features/payments/contribution-invoices.ts";
import {
  countRows,
  type FixtureBudget,
  type PaymentsTenant,
  paymentsTenant,
  personWithBudget,
} from "#/features/payments/payments.fixture.ts";
import { prepareRun } from "#/features/payments/run.ts";
import { inTenant, type ServiceContext } from "#/platform/context.ts";
import { ConflictError, NotFoundError, ValidationError } from "#/platform/errors.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";

/**
 * Recording a contribution invoice's payment (issue 6, Payments: "otherwise the contribution is invoiced each
 * cycle, shown on the person's statement, and its payment recorded"), on each engine. The council invoices a
 * £25 weekly contribution; three 4-weekly cycles from Monday 12 January 2026 raise three £100 invoices. Paying
 * one marks it paid and clears the person's contribution account in the same transaction; the same payment
 * again changes nothing; a different date, a part payment or an overpayment is refused with nothing written;
 * two officers recording at once pay it once; the ledger verifies.
 */

const INVOICE = 4 * 2_500;

describe.each(enginesUnderTest())("contribution invoice payments on %s", (engine) => {
  let database: TestDatabase;
  let tenant: PaymentsTenant;
  let finance: ServiceContext;
  let person: FixtureBudget;
  let invoices: InvoiceForFinance[];

  beforeAll(async () => {
    database = await databaseFor(engine, "migrated");
    tenant = await paymentsTenant(database, "2026-01-07", { contributionCollection: "invoice" });
    person = await personWithBudget(database, tenant, {
      startDate: "2026-01-12",
      approvedOn: "2026-01-05",
      directWeekly: 10_000,
      contributionWeekly: 2_500,
    });
    expect((await prepareRun(tenant.maker, { date: "2026-03-09" })).invoicesRaised).toBe(3);
    finance = { ...tenant.maker, today: "2026-03-20" };
    // Oldest cycle first.
    invoices = (await listContributionInvoices(finance, { status: "raised" })).invoices;
  }, 60_000);
  afterAll(() => database?.drop());

  const balance = (code: string) =>
    inTenant(finance, async (t) => (await accountByCodeIn(t, code))?.balance ?? 0);
  const count = (query: ReturnType<typeof sql<{ n: number }>>) => countRows(database.db, query);
  const paidTransfers = () =>
    count(sql<{ n: number }>`SELECT count(*) AS n FROM ledger_transfers
      WHERE tenant_id = ${tenant.tenantId} AND code = 'contribution_paid'`);
  const paidEvents = () =>
    count(sql<{ n: number }>`SELECT count(*) AS n FROM audit_events
      WHERE tenant_id = ${tenant.tenantId} AND action = 'contribution_invoice.paid'`);
  const statusOf = async (invoiceId: string) =>
    (await inTenant(finance, (t) => contributionInvoicesOfPersonIn(t, person.personId))).find(
      (i) => i.invoiceId === invoiceId,
    )!;

  it("each cycle's invoice is listed for finance, oldest first, with the person's name and the cycle in words", () => {
    expect(invoices.map((i) => [i.cycleText, i.amount, i.status])).toEqual([
      ["12 January to 8 February 2026", INVOICE, "raised"],
      ["9 February to 8 March 2026", INVOICE, "raised"],
      ["9 March to 5 April 2026", INVOICE, "raised"],
    ]);
    expect(invoices[0]!.personName).toBe("Person1 Fernhollow");
    expect(invoices[0]!.personId).toBe(person.personId);
  });

  it("rule (issue 6): a payment in full marks the invoice paid on its date and clears the person's contribution account, with its audit event", async () => {
    const contributionCode = `contribution:${person.budgetId}`;
    expect(await balance(contributionCode)).toBe(-3 * INVOICE);
    const { invoice, replayed } = await recordInvoicePayment(finance, invoices[0]!.invoiceId, {
      paidOn: "2026-01-14",
      amountPence: INVOICE,
    });
    expect(replayed).toBe(false);
    expect(invoice).toMatchObject({ status: "paid", paidOn: "2026-01-14", amount: INVOICE });
    expect(await statusOf(invoices[0]!.invoiceId)).toMatchObject({ status: "paid", paidOn: "2026-01-14" });
    // Debit contributions received, credit the person's contribution account: what they owe falls by £100.
    expect(await balance(contributionCode)).toBe(-2 * INVOICE);
    expect(await balance("contributions_received")).toBe(-INVOICE);
    expect(await paidTransfers()).toBe(1);
    expect(await paidEvents()).toBe(1);
    const raised = (await listContributionInvoices(finance, { status: "raised" })).invoices;
    expect(raised.map((i) => i.invoiceId)).not.toContain(invoices[0]!.invoiceId);
    const paid = (await listContributionInvoices(finance, { status: "paid" })).invoices;
    expect(paid.map((i) => i.invoiceId)).toEqual([invoices[0]!.invoiceId]);
  });

  it("rule (issue 6): recording the same payment again changes nothing", async () => {
    const again = await recordInvoicePayment(finance, invoices[0]!.invoiceId, {
      paidOn: "2026-01-14",
      amountPence: INVOICE,
    });
    expect(again.replayed).toBe(true);
    expect(again.invoice).toMatchObject({ status: "paid", paidOn: "2026-01-14" });
    expect(await paidTransfers()).toBe(1);
    expect(await paidEvents()).toBe(1);
    expect(await balance(`contribution:${person.budgetId}`)).toBe(-2 * INVOICE);
  });

  it("rule (issue 6): an invoice already paid cannot be recorded as paid on a different date", async () => {
    const refused = await recordInvoicePayment(finance, invoices[0]!.invoiceId, {
      paidOn: "2026-01-15",
      amountPence: INVOICE,
    }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConflictError);
    expect((refused as Error).message).toBe(
      "This invoice was already recorded as paid on 14 January 2026, so it cannot be recorded as paid on 15 January 2026 as well. Nothing was changed",
    );
    expect(await statusOf(invoices[0]!.invoiceId)).toMatchObject({ status: "paid", paidOn: "2026-01-14" });
    expect(await paidTransfers()).toBe(1);
  });

  it("rule (issue 6): only a payment in full is recorded: a part payment or an overpayment is refused, saying so, with nothing written", async () => {
    const id = invoices[1]!.invoiceId;
    for (const amountPence of [INVOICE - 1, 5_000, INVOICE + 100]) {
      const refused = await recordInvoicePayment(finance, id, { paidOn: "2026-02-20", amountPence }).catch(
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(ValidationError);
      const [error] = (refused as ValidationError).fieldErrors;
      expect(error!.path).toBe("amountPence");
      expect(error!.message).toMatch(
        /^This invoice is for £100\.00 and only a payment in full can be recorded/,
      );
    }
    expect(await statusOf(id)).toMatchObject({ status: "raised", paidOn: null });
    expect(await paidTransfers()).toBe(1);
    expect(await paidEvents()).toBe(1);
    expect(await balance(`contribution:${person.budgetId}`)).toBe(-2 * INVOICE);
  });

  it("a date that is not a date, or after today, and an invoice that does not exist are refused with nothing written", async () => {
    const id = invoices[1]!.invoiceId;
    const bad = await recordInvoicePayment(finance, id, { paidOn: "2026-02-30", amountPence: INVOICE }).catch(
      (e: unknown) => e,
    );
    expect((bad as ValidationError).fieldErrors).toEqual([
      { path: "paidOn", message: "Write the date the payment was received as YYYY-MM-DD" },
    ]);
    const future = await recordInvoicePayment(finance, id, {
      paidOn: "2026-03-21",
      amountPence: INVOICE,
    }).catch((e: unknown) => e);
    expect((future as ValidationError).fieldErrors[0]!.message).toMatch(
      /cannot be after today \(20 March 2026\)/,
    );
    await expect(
      recordInvoicePayment(finance, "01900000-0000-7000-8000-000000000000", {
        paidOn: "2026-02-20",
        amountPence: INVOICE,
      }),
    ).rejects.toThrow(NotFoundError);
    expect(await statusOf(id)).toMatchObject({ status: "raised" });
    expect(await paidTransfers()).toBe(1);
  });

  it("two finance officers recording the same payment at once: it is recorded once, the other is a replay", async () => {
    const id = invoices[2]!.invoiceId;
    const checker = { ...tenant.checker, today: finance.today };
    const results = await Promise.all([
      recordInvoicePayment(finance, id, { paidOn: "2026-03-16", amountPence: INVOICE }),
      recordInvoicePayment(checker, id, { paidOn: "2026-03-16", amountPence: INVOICE }),
    ]);
    expect(results.map((r) => r.replayed).sort()).toEqual([false, true]);
    expect(await paidTransfers()).toBe(2);
    expect(await paidEvents()).toBe(2);
    expect(await balance(`contribution:${person.budgetId}`)).toBe(-INVOICE);
  });

  it("the ledger verifies after all of it", async () => {
    expect((await verifyLedgerIn(database.db)).problems).toEqual([]);
  });
});
