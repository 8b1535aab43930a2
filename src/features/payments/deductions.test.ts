import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { budgetIn } from "#/features/budgets/service.ts";
import { accountByCodeIn } from "#/features/ledger/service.ts";
import { verifyLedgerIn } from "#/features/ledger/verify.ts";
import { deductionIn, raiseDeductionIn } from "#/features/payments/deductions.ts";
import {
  type FixtureBudget,
  type PaymentsTenant,
  paymentsTenant,
  personWithBudget,
} from "#/features/payments/payments.fixture.ts";
import { prepareRun } from "#/features/payments/run.ts";
import { getRun } from "#/features/payments/service.ts";
import { inTenant, type ServiceContext } from "#/platform/context.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import { ValidationError } from "#/platform/errors.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";

/**
 * Money owed back taken from future direct payments (issue 15, direct-payment audit; St Helens, "Recovering
 * Direct Payments": a repayment not made within 2 weeks is recovered by reducing future payments, REPORTING.md
 * §3). A deduction of £500 from a £100-a-week direct payment (£20 a week contribution netted: £320 a 4-weekly
 * cycle) takes all of the first payment, £180 of the second, none of the third; a run repeated takes nothing more;
 * the money goes back to the stream that paid it; the ledger verifies.
 */

const DP_CYCLE = 4 * 10_000 - 4 * 2_000;
const OWED = 50_000;

describe.each(enginesUnderTest())("deductions from future direct payments on %s", (engine) => {
  let database: TestDatabase;
  let tenant: PaymentsTenant;
  let maker: ServiceContext;
  let person: FixtureBudget;
  let deductionId: string;

  beforeAll(async () => {
    database = await databaseFor(engine, "migrated");
    tenant = await paymentsTenant(database);
    ({ maker } = tenant);
    person = await personWithBudget(database, tenant, {
      startDate: "2026-01-12",
      approvedOn: "2026-01-05",
      directWeekly: 10_000,
      contributionWeekly: 2_000,
    });
  }, 60_000);
  afterAll(() => database?.drop());

  const balance = (code: string) =>
    inTenant(maker, async (t) => (await accountByCodeIn(t, code))?.balance ?? 0);
  const dpPaymentOf = async (runId: string) =>
    (await getRun(maker, runId)).payments.find((p) => p.deployment === "direct_payment")!;

  it("refuses an amount of nothing, and writes nothing", async () => {
    await expect(
      inTenant(maker, async (t) =>
        raiseDeductionIn(t, {
          budget: await budgetIn(t.tx, person.budgetId),
          amountPence: 0,
          source: { kind: "dp_audit", id: uuidv7() },
          reason: "Test",
        }),
      ),
    ).rejects.toThrow(ValidationError);
  });

  it("takes what is owed from each direct payment, at most the payment, once per payment, back to the stream", async () => {
    const raised = await inTenant(maker, async (t) =>
      raiseDeductionIn(t, {
        budget: await budgetIn(t.tx, person.budgetId),
        amountPence: OWED,
        source: { kind: "dp_audit", id: uuidv7() },
        reason: "Direct-payment audit: money to recover",
      }),
    );
    deductionId = raised.deductionId;
    // When: the next direct payment the schedule makes (cycles from Monday 12 January 2026).
    expect(raised).toMatchObject({
      amountPence: OWED,
      takenPence: 0,
      status: "to_take",
      nextPayDate: "2026-01-12",
    });

    // First cycle: all £320 is taken; nothing is sent to the person's bank.
    const first = await prepareRun(maker, { date: "2026-01-12" });
    const p1 = await dpPaymentOf(first.runId!);
    expect(p1.amount).toBe(0);
    expect(p1.parts.filter((x) => x.kind === "deduction")).toEqual([
      expect.objectContaining({ fundingStreamId: "asc", amount: -DP_CYCLE }),
    ]);
    expect(await balance(`payee:${person.payeeId}`)).toBe(0);
    expect(await balance(`budget:${person.budgetId}:direct_payment`)).toBe(0);
    // The stream paid £400 gross, got the £80 contribution's worth kept back and the £320 taken back.
    expect(await balance("stream:asc")).toBe(-(4 * 10_000) + DP_CYCLE);

    // The run again: nothing more made, nothing more taken.
    await prepareRun(maker, { date: "2026-01-12" });
    expect(await inTenant(maker, (t) => deductionIn(t, deductionId))).toMatchObject({
      takenPence: DP_CYCLE,
      nextPayDate: "2026-02-09",
    });

    // Second cycle: the £180 still owed, the rest (£140) sent; the deduction is then paid in full.
    const second = await prepareRun(maker, { date: "2026-02-09" });
    const p2 = await dpPaymentOf(second.runId!);
    expect(p2.amount).toBe(DP_CYCLE - (OWED - DP_CYCLE));
    const after = (await inTenant(maker, (t) => deductionIn(t, deductionId)))!;
    expect(after).toMatchObject({ takenPence: OWED, status: "taken", nextPayDate: null });
    expect(after.takes.map((k) => [k.payDate, k.amountPence])).toEqual([
      ["2026-01-12", DP_CYCLE],
      ["2026-02-09", OWED - DP_CYCLE],
    ]);

    // Third cycle: nothing owed, the whole payment sent.
    const third = await prepareRun(maker, { date: "2026-03-09" });
    expect((await dpPaymentOf(third.runId!)).amount).toBe(DP_CYCLE);
    expect(await balance(`payee:${person.payeeId}`)).toBe(3 * DP_CYCLE - OWED);
    expect((await verifyLedgerIn(database.db)).problems).toEqual([]);
  });
});
