import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { budgetPage } from "#/faces/budget-page/page-service.ts";
import { endBudget } from "#/features/budgets/end-service.ts";
import { accountByCodeIn } from "#/features/ledger/service.ts";
import { verifyLedgerIn } from "#/features/ledger/verify.ts";
import { debtsForPerson, recoverDebt, writeOffDebt } from "#/features/payments/debts.ts";
import {
  countRows,
  type FixtureBudget,
  type PaymentsTenant,
  paymentsTenant,
  personWithBudget,
} from "#/features/payments/payments.fixture.ts";
import { prepareRun } from "#/features/payments/run.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { withTenant } from "#/platform/db/tenant.ts";
import { ConflictError, NotFoundError, ValidationError } from "#/platform/errors.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";

/**
 * Ending a budget and the money owed back (Upfront issue 6), through the real payment run: a budget paid 4-weekly
 * in advance ends half-way through a paid period; the next run records what was paid for the later days as a
 * debt, once per payment, however often it runs; marking a debt recovered moves the money back to the funding
 * stream once (from the payee for a bank payment, from the budget's own account for council-arranged funding),
 * however often it is marked and even when two finance officers mark it at once; a recovered debt cannot be
 * written off; the ledger verifies after all of it.
 *
 * Budget: £100 a week direct payment (less a £20 weekly contribution, netted) and £50 a week council-arranged,
 * 4-weekly cycles from Monday 12 January 2026.
 */

const DP_CYCLE = 4 * 10_000 - 4 * 2_000;
const COUNCIL_CYCLE = 4 * 5_000;

describe.each(enginesUnderTest())("money owed back after a budget ends on %s", (engine) => {
  let database: TestDatabase;
  let tenant: PaymentsTenant;
  let finance: ServiceContext;
  let other: ServiceContext;
  let person: FixtureBudget;

  const balance = (code: string) =>
    withTenant(
      finance.db,
      finance.scope,
      async (tx) => (await accountByCodeIn({ tx, today: finance.today }, code))?.balance ?? 0,
    );
  const debtsOf = async () => debtsForPerson(finance, person.personId);
  const recoveryTransfers = () =>
    countRows(
      database.db,
      sql<{ n: number }>`SELECT count(*) AS n FROM ledger_transfers
        WHERE tenant_id = ${tenant.tenantId} AND ref_kind = 'payment_debt'`,
    );

  beforeAll(async () => {
    database = await databaseFor(engine, "migrated");
    tenant = await paymentsTenant(database);
    finance = tenant.maker;
    other = tenant.checker;
    person = await personWithBudget(database, tenant, {
      startDate: "2026-01-12",
      approvedOn: "2026-01-05",
      directWeekly: 10_000,
      councilWeekly: 5_000,
      contributionWeekly: 2_000,
    });
    await prepareRun(finance, { date: "2026-02-09" }); // cycles 1 and 2 (9 February – 8 March), in advance
  }, 60_000);
  afterAll(() => database?.drop());

  it("rule (issue 6): ending a budget then running payments records each debt once, for the days paid after the end date", async () => {
    await expect(
      endBudget(finance, person.budgetId, { endDate: "2026-01-10", reason: "died" }),
    ).rejects.toMatchObject({
      fieldErrors: [
        { path: "endDate", message: "The end date cannot be before the budget starts on 12 January 2026" },
      ],
    });
    const ended = await endBudget(finance, person.budgetId, { endDate: "2026-02-22", reason: "died" });
    expect(ended).toMatchObject({ status: "ended", endDate: "2026-02-22", endReason: "died" });
    await expect(
      endBudget(finance, person.budgetId, { endDate: "2026-02-28", reason: "other" }),
    ).rejects.toBeInstanceOf(ValidationError);

    const run = await prepareRun(finance, { date: "2026-02-10" });
    expect(run).toMatchObject({ made: 0, debtsRecorded: 2 });
    expect((await prepareRun(finance, { date: "2026-02-11" })).debtsRecorded).toBe(0);
    const debts = await debtsOf();
    // 14 of the 28 days of cycle 2 were after the end date: half of each payment.
    expect(debts.map((d) => [d.deployment, d.amountPence, d.status, d.periodFrom, d.heldBy]).sort()).toEqual([
      ["council_arranged", COUNCIL_CYCLE / 2, "to_recover", "2026-02-09", "budget_account"],
      ["direct_payment", DP_CYCLE / 2, "to_recover", "2026-02-09", "payee"],
    ]);
  });

  it("rule (issue 6): marking a debt recovered moves the money back to its stream once, however often it is marked", async () => {
    const dp = (await debtsOf()).find((d) => d.deployment === "direct_payment")!;
    const payee = await balance(`payee:${person.payeeId}`);
    const stream = await balance("stream:asc");
    const first = await recoverDebt(finance, dp.debtId, { personId: person.personId });
    expect(first.replayed).toBe(false);
    expect(first.debt).toMatchObject({
      status: "recovered",
      decision: { outcome: "recovered", reason: null },
    });
    const again = await recoverDebt(other, dp.debtId);
    expect(again.replayed).toBe(true);
    expect(await balance(`payee:${person.payeeId}`)).toBe(payee - DP_CYCLE / 2);
    expect(await balance("stream:asc")).toBe(stream + DP_CYCLE / 2);
    expect(await recoveryTransfers()).toBe(1);
    await expect(writeOffDebt(finance, dp.debtId, { reason: "Too late" })).rejects.toBeInstanceOf(
      ConflictError,
    );
  });

  it("two finance officers marking the same debt at once move the money once; funding never sent comes back from the budget's account", async () => {
    const council = (await debtsOf()).find((d) => d.deployment === "council_arranged")!;
    await expect(
      recoverDebt(finance, council.debtId, { personId: crypto.randomUUID() }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(writeOffDebt(finance, council.debtId, { reason: "  " })).rejects.toBeInstanceOf(
      ValidationError,
    );
    const account = await balance(`budget:${person.budgetId}:council_arranged`);
    const results = await Promise.all([
      recoverDebt(finance, council.debtId),
      recoverDebt(other, council.debtId),
    ]);
    expect(results.map((r) => r.replayed).sort()).toEqual([false, true]);
    expect(await balance(`budget:${person.budgetId}:council_arranged`)).toBe(account - COUNCIL_CYCLE / 2);
    expect(await recoveryTransfers()).toBe(2);
    // The budget's statement calls it what it is: not surplus, but money paid for after the end. (Today, 7
    // January, is before the budget starts on 12 January: the page must still open, paid in advance.)
    const lines = (await budgetPage(finance, person.personId)).statements.flatMap((s) =>
      s.rows.map((r) => r.description),
    );
    expect(lines).toContain("Money paid for after the budget ended, returned to the council");
    expect(lines).not.toContain("Unspent money returned to the council");
    const audited = await countRows(
      database.db,
      sql<{ n: number }>`SELECT count(*) AS n FROM audit_events
        WHERE tenant_id = ${tenant.tenantId} AND action = 'payment_debt.recover'`,
    );
    expect(audited).toBe(2);
  });

  it("the ledger verifies after all of it", async () => {
    expect((await verifyLedgerIn(database.db, tenant.tenantId)).problems).toEqual([]);
  });
});
