import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { budgetIn, endBudgetIn } from "#/features/budgets/service.ts";
import { accountByCodeIn } from "#/features/ledger/service.ts";
import { verifyLedgerIn } from "#/features/ledger/verify.ts";
import { approveBankDetails, createPayee, proposeBankDetails } from "#/features/payments/bank-details.ts";
import {
  countRows,
  type FixtureBudget,
  type PaymentsTenant,
  paymentsTenant,
  personWithBudget,
} from "#/features/payments/payments.fixture.ts";
import { recordReturn } from "#/features/payments/returns.ts";
import { earliestPayDateFor, PayDateTooEarlyError, prepareRun } from "#/features/payments/run.ts";
import {
  approveRun,
  financeWork,
  getRun,
  paymentsForPerson,
  reviewRun,
  runFile,
} from "#/features/payments/service.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { withTenant } from "#/platform/db/tenant.ts";
import { ConflictError, ForbiddenError, ValidationError } from "#/platform/errors.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";

/**
 * Payment runs (issue 6, Payments), on each engine: a run creates each due payment exactly once (run twice pays
 * once); pay dates skip weekends and UK bank holidays (Easter Monday 2026 paid the Thursday before, Good Friday
 * being a holiday; a run on a holiday or a weekend refused); maker-checker on bank details and on runs (the
 * proposer or reviewer is refused); only an approved run releases its files and the Bacs Standard 18 file carries
 * its direct payments' totals; the contribution is netted, or invoiced and put on the person's account; one-off
 * costs once, in the first cycle; the first direct payment recorded on the budget; an end date turns money paid
 * for later days into a debt to recover; a returned payment restores the budget's balance and tells the person
 * and finance; the ledger verifies after all of it.
 *
 * Budget: £100 a week direct payment (with a £20 weekly contribution, netted), £50 a week council-arranged day
 * service, a £150 one-off; 4-weekly cycles from Monday 12 January 2026.
 */

const DP_CYCLE = 4 * 10_000 - 4 * 2_000; // £400 less the £80 netted contribution
const ONE_OFF = 15_000;
const COUNCIL_CYCLE = 4 * 5_000;

describe.each(enginesUnderTest())("payment runs on %s", (engine) => {
  let database: TestDatabase;
  let tenant: PaymentsTenant;
  let maker: ServiceContext;
  let checker: ServiceContext;
  let person: FixtureBudget;
  let firstRunId: string;

  beforeAll(async () => {
    database = await databaseFor(engine, "migrated");
    tenant = await paymentsTenant(database);
    ({ maker, checker } = tenant);
    person = await personWithBudget(database, tenant, {
      startDate: "2026-01-12",
      approvedOn: "2026-01-05",
      directWeekly: 10_000,
      councilWeekly: 5_000,
      contributionWeekly: 2_000,
      oneOff: ONE_OFF,
    });
  }, 60_000);
  afterAll(() => database?.drop());

  const balance = (ctx: ServiceContext, code: string) =>
    withTenant(
      ctx.db,
      ctx.scope,
      async (tx) => (await accountByCodeIn({ tx, today: ctx.today }, code))?.balance ?? 0,
    );

  it("rule (bank details, maker-checker): details take effect only when a second person approves; the proposer is refused", async () => {
    const payee = await createPayee(maker, { kind: "personal_assistant", name: "Sam Hazelbrook" });
    const proposed = await proposeBankDetails(maker, payee.payeeId, {
      accountName: "Sam O'Hazelbrook",
      sortCode: "12 34 56",
      accountNumber: "87654321",
      effectiveFrom: "2026-01-01",
    });
    expect(proposed).toMatchObject({ status: "proposed", sortCode: "123456", accountNumberEnding: "4321" });
    await expect(approveBankDetails(maker, proposed.detailsId)).rejects.toThrow(ForbiddenError);
    const approved = await approveBankDetails(checker, proposed.detailsId);
    expect(approved.status).toBe("approved");
    await expect(approveBankDetails(checker, proposed.detailsId)).rejects.toThrow(ConflictError);
    await expect(
      proposeBankDetails(maker, payee.payeeId, {
        accountName: "Sam",
        sortCode: "1234",
        accountNumber: "123",
        effectiveFrom: "2026-01-01",
      }),
    ).rejects.toThrow(ValidationError);
  });

  it("a run makes each due payment once: the first cycle's direct payment net of the contribution with the one-off, and the council-arranged funding; run again, nothing more", async () => {
    const first = await prepareRun(maker, { date: "2026-01-12" });
    expect(first).toMatchObject({
      made: 2,
      alreadyMade: 0,
      held: [],
      madePence: DP_CYCLE + ONE_OFF + COUNCIL_CYCLE,
    });
    firstRunId = first.runId!;
    const again = await prepareRun(maker, { date: "2026-01-12" });
    expect(again).toMatchObject({ runId: firstRunId, made: 0, alreadyMade: 2 });
    const { payments } = await getRun(maker, firstRunId);
    const dp = payments.find((p) => p.deployment === "direct_payment")!;
    expect(dp).toMatchObject({
      kind: "bank",
      amount: DP_CYCLE + ONE_OFF,
      payDate: "2026-01-12",
      payeeId: person.payeeId,
    });
    expect(dp.parts.map((p) => p.kind)).toEqual(["regular", "one_off", "contribution_netted"]);
    // Ledger: stream → budget accounts → payee; the netted contribution to contribution income.
    expect(await balance(maker, `payee:${person.payeeId}`)).toBe(DP_CYCLE + ONE_OFF);
    expect(await balance(maker, `budget:${person.budgetId}:direct_payment`)).toBe(0);
    expect(await balance(maker, `budget:${person.budgetId}:council_arranged`)).toBe(COUNCIL_CYCLE);
    expect(await balance(maker, "contribution_income")).toBe(4 * 2_000);
    expect(await balance(maker, "stream:asc")).toBe(-(4 * 10_000 + ONE_OFF + COUNCIL_CYCLE));
    const transfers = await countRows(
      database.db,
      sql<{
        n: number;
      }>`SELECT count(*) AS n FROM ledger_transfers WHERE tenant_id = ${tenant.tenantId} AND code = 'payment'`,
    );
    expect(transfers).toBe(1);
  });

  it("rule (issue 6 / planning): the first direct payment records the budget's first payment date", async () => {
    const budget = await withTenant(maker.db, maker.scope, (tx) => budgetIn(tx, person.budgetId));
    expect(budget.firstPaymentDate).toBe("2026-01-12");
  });

  it("rule (maker-checker on runs): files only after review and approval by a different finance officer", async () => {
    await expect(runFile(maker, firstRunId, "bacs18")).rejects.toThrow(ConflictError);
    await expect(approveRun(checker, firstRunId)).rejects.toThrow(ConflictError); // not reviewed yet
    await reviewRun(maker, firstRunId);
    await expect(approveRun(maker, firstRunId)).rejects.toThrow(ForbiddenError);
    await expect(runFile(maker, firstRunId, "finance_csv")).rejects.toThrow(ConflictError);
    const approved = await approveRun(checker, firstRunId);
    expect(approved).toMatchObject({ status: "approved", payments: 2 });
    await expect(prepareRun(maker, { date: "2026-01-12" })).rejects.toThrow(ConflictError); // final
  });

  it("the Bacs Standard 18 file of the approved run carries its direct payments and their total; the finance CSV every payment; downloads audited", async () => {
    const bacs = await runFile(maker, firstRunId, "bacs18");
    expect(bacs).toMatchObject({ count: 1, totalPence: DP_CYCLE + ONE_OFF });
    const records = bacs.body.split("\r\n").filter(Boolean);
    const credits = records.filter((r) => r.length === 100 && r.slice(15, 17) === "99");
    expect(credits).toHaveLength(1);
    expect(credits[0]!.slice(35, 46)).toBe(String(DP_CYCLE + ONE_OFF).padStart(11, "0"));
    const contra = records.find((r) => r.length === 100 && r.slice(15, 17) === "17")!;
    expect(contra.slice(35, 46)).toBe(String(DP_CYCLE + ONE_OFF).padStart(11, "0"));
    const csv = await runFile(maker, firstRunId, "finance_csv");
    expect(csv.totalPence).toBe(DP_CYCLE + ONE_OFF + COUNCIL_CYCLE);
    expect(csv.body).toContain("ASC-INC");
    const downloads = await countRows(
      database.db,
      sql<{ n: number }>`SELECT count(*) AS n FROM audit_events WHERE tenant_id = ${tenant.tenantId}
        AND action = 'payment_run.download' AND record_id = ${firstRunId}`,
    );
    expect(downloads).toBe(2);
  });

  it("rule (pay dates): a cycle due on Easter Monday 2026 is paid on Thursday 2 April (Good Friday is a bank holiday); runs on a holiday or a weekend are refused", async () => {
    await prepareRun(maker, { date: "2026-03-09" }); // cycles 2 and 3
    const before = await prepareRun(maker, { date: "2026-04-01" });
    expect(before.made).toBe(0);
    const easter = await prepareRun(maker, { date: "2026-04-02" });
    expect(easter.made).toBe(2);
    const { payments } = await getRun(maker, easter.runId!);
    expect(payments.every((p) => p.cycleStart === "2026-04-06" && p.dueDate === "2026-04-06")).toBe(true);
    expect(payments.every((p) => p.payDate === "2026-04-02")).toBe(true);
    const holiday = await prepareRun(maker, { date: "2026-04-06" }).catch((e: unknown) => e);
    expect(holiday).toBeInstanceOf(ValidationError);
    expect((holiday as ValidationError).fieldErrors[0]!.message).toMatch(
      /6 April 2026 is a weekend or bank holiday.*paid on 2 April 2026/,
    );
    await expect(prepareRun(maker, { date: "2026-04-04" })).rejects.toThrow(ValidationError);
    await expect(prepareRun(maker, { date: "2026-04-31" })).rejects.toThrow(ValidationError);
    // One payment per cycle and payee, however many runs.
    const perKey = await countRows(
      database.db,
      sql<{ n: number }>`SELECT count(*) AS n FROM payments WHERE tenant_id = ${tenant.tenantId}`,
    );
    expect(perKey).toBe(8);
  });

  it("rule (returned payment): the money goes back to the budget's account, the payment is marked returned, and the person and finance are told what to do", async () => {
    const { payments } = await getRun(maker, firstRunId);
    const dp = payments.find((p) => p.deployment === "direct_payment")!;
    const payeeBefore = await balance(maker, `payee:${person.payeeId}`);
    const budgetBefore = await balance(maker, `budget:${person.budgetId}:direct_payment`);
    await expect(
      recordReturn(maker, dp.paymentId, { reasonCode: "Z", returnedOn: "2026-01-15" }),
    ).rejects.toThrow(ValidationError);
    const returned = await recordReturn(maker, dp.paymentId, { reasonCode: "b", returnedOn: "2026-01-15" });
    expect(returned.status).toBe("returned");
    expect(await balance(maker, `payee:${person.payeeId}`)).toBe(payeeBefore - dp.amount);
    expect(await balance(maker, `budget:${person.budgetId}:direct_payment`)).toBe(budgetBefore + dp.amount);
    await expect(
      recordReturn(maker, dp.paymentId, { reasonCode: "B", returnedOn: "2026-01-15" }),
    ).rejects.toThrow(ConflictError);
    const mine = await paymentsForPerson(maker, person.personId);
    expect(mine.messages).toHaveLength(1);
    expect(mine.messages[0]!.body).toMatch(/came back from the bank.*correct bank details/);
    const work = await financeWork(maker);
    expect(work.messages[0]!.body).toMatch(/reason B: The account is closed/);
  });

  it("rule (end of support): payments stop after the end date, and what was paid for days after it is a debt to recover", async () => {
    // Cycle 4 (6 April – 3 May) was paid in advance; support ends on 19 April, half-way through it.
    await withTenant(maker.db, maker.scope, (tx) =>
      endBudgetIn(tx, person.budgetId, "2026-04-19", "support_ended"),
    );
    const after = await prepareRun(maker, { date: "2026-05-05" });
    expect(after.made).toBe(0);
    expect(after.debtsRecorded).toBe(2);
    const work = await financeWork(maker);
    const owed = work.debts.filter((d) => d.budgetId === person.budgetId).reduce((s, d) => s + d.amount, 0);
    // 14 of 28 days: half the direct payment (net) and half the council-arranged funding.
    expect(owed).toBe(DP_CYCLE / 2 + COUNCIL_CYCLE / 2);
    const again = await prepareRun(maker, { date: "2026-05-06" });
    expect(again.debtsRecorded).toBe(0);
  });

  it("a payee without approved bank details is held, not paid, until a second person approves them", async () => {
    const other = await personWithBudget(
      database,
      tenant,
      { startDate: "2026-05-11", approvedOn: "2026-05-01", directWeekly: 7_000, bankDetails: false },
      2,
    );
    const run = await prepareRun(maker, { date: "2026-05-11" });
    expect(run.made).toBe(0);
    expect(run.held).toHaveLength(1);
    expect(run.held[0]!.reason).toMatch(/no payee record/);
    // Rule (issue 12): a held payment names the person (not only a budget id) and says what fixes it.
    expect(run.held[0]).toMatchObject({ personId: other.personId, fix: "add_person_payee" });
    const shown = await getRun(maker, run.runId!);
    expect(shown.held[0]).toMatchObject({ personName: "Person2 Fernhollow", fix: "add_person_payee" });
    const payee = await createPayee(maker, { kind: "person", personId: other.personId, name: "Person2" });
    const proposed = await proposeBankDetails(maker, payee.payeeId, {
      accountName: "PERSON TWO",
      sortCode: "200000",
      accountNumber: "22222222",
      effectiveFrom: "2026-05-01",
    });
    const waiting = await prepareRun(maker, { date: "2026-05-11" });
    expect(waiting.held[0]!.reason).toMatch(/second person/);
    expect(waiting.held[0]).toMatchObject({
      personId: other.personId,
      payeeId: payee.payeeId,
      fix: "bank_details",
    });
    await approveBankDetails(checker, proposed.detailsId);
    const paid = await prepareRun(maker, { date: "2026-05-11" });
    expect(paid).toMatchObject({ made: 1, held: [] });
  });

  it("where the council invoices the contribution, each cycle's invoice is raised once and put on the person's contribution account", async () => {
    const invoicing = await paymentsTenant(database, "2026-01-07", { contributionCollection: "invoice" });
    const p = await personWithBudget(database, invoicing, {
      startDate: "2026-01-12",
      approvedOn: "2026-01-05",
      directWeekly: 10_000,
      contributionWeekly: 2_500,
    });
    const run = await prepareRun(invoicing.maker, { date: "2026-02-09" });
    expect(run).toMatchObject({ made: 2, invoicesRaised: 2 });
    expect((await prepareRun(invoicing.maker, { date: "2026-02-09" })).invoicesRaised).toBe(0);
    expect(await balance(invoicing.maker, `contribution:${p.budgetId}`)).toBe(-2 * 4 * 2_500);
    expect(await balance(invoicing.maker, `payee:${p.payeeId}`)).toBe(2 * 4 * 10_000);
    const mine = await paymentsForPerson(invoicing.maker, p.personId);
    expect(mine.invoices.map((i) => i.amount)).toEqual([10_000, 10_000]);
  });

  it("rule (issue 12): a pay date the Bacs cycle cannot meet is refused at prepare, naming the earliest that works; nothing is written", async () => {
    // On Wednesday 7 January 2026 a file sent today pays on Friday 9 January at the earliest (rules/uk/bacs18-layout.ts).
    const late = await paymentsTenant(database, "2026-01-07");
    await personWithBudget(database, late, {
      startDate: "2026-01-05",
      approvedOn: "2026-01-02",
      directWeekly: 5_000,
    });
    expect(await earliestPayDateFor(late.maker)).toBe("2026-01-09");
    for (const date of ["2026-01-05", "2026-01-07", "2026-01-08"]) {
      const refused = await prepareRun(late.maker, { date }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(PayDateTooEarlyError);
      expect(refused).toMatchObject({ earliest: "2026-01-09" });
      expect((refused as PayDateTooEarlyError).fieldErrors).toEqual([
        {
          path: "date",
          message: `${date} is too soon for a Bacs payment made today: the earliest pay date that works is 2026-01-09`,
        },
      ]);
    }
    const count = (sqlText: string) =>
      withTenant(late.maker.db, late.maker.scope, async (tx) =>
        Number(
          (await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.raw(sqlText)}`.execute(tx)).rows[0]!.n,
        ),
      );
    expect(await count("payment_runs")).toBe(0);
    expect(await count("payments")).toBe(0);
    // The earliest date works, and its Bacs file is made once the run is approved (the download no longer fails).
    const run = await prepareRun(late.maker, { date: "2026-01-09" });
    expect(run.made).toBe(1);
    await reviewRun(late.maker, run.runId!);
    await approveRun(late.checker, run.runId!);
    const file = await runFile(late.checker, run.runId!, "bacs18");
    expect(file.body.startsWith("VOL1")).toBe(true);
    expect(file.count).toBe(1);
  });

  it("rule (issue 12): a run's Bacs file asked for after its deadline is refused in words, naming no field of the file", async () => {
    const late = await paymentsTenant(database, "2026-01-07");
    await personWithBudget(database, late, {
      startDate: "2026-01-05",
      approvedOn: "2026-01-02",
      directWeekly: 5_000,
    });
    const run = await prepareRun(late.maker, { date: "2026-01-09" });
    await reviewRun(late.maker, run.runId!);
    await approveRun(late.checker, run.runId!);
    // Downloaded on Monday 12 January, after the processing day (Thursday 8th): a dead end said plainly.
    const error = await runFile({ ...late.checker, today: "2026-01-12" }, run.runId!, "bacs18").catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toContain(
      "to pay on 9 January 2026 it had to reach Bacs by 7 January 2026",
    );
    expect((error as Error).message).not.toMatch(/creationDate|processingDay/);
  });

  it("the ledger verifies after all of it", async () => {
    expect((await verifyLedgerIn(database.db)).problems).toEqual([]);
  });
});
