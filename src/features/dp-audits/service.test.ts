import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { liveBudgetsIn } from "#/features/budgets/service.ts";
import { budgetFactsIn, budgetFactsOfAllIn, directPaymentBudgetsIn } from "#/features/dp-audits/facts.ts";
import type { BudgetFacts } from "#/features/dp-audits/findings.calc.ts";
import {
  auditQueueOn,
  auditRequestsForPersonIn,
  decideAudit,
  getAudit,
  openAudit,
  recoverUnpaidRepayment,
} from "#/features/dp-audits/service.ts";
import { addAuditSettingsVersion, auditSettingsOn } from "#/features/dp-audits/settings.ts";
import { getPlanVersion } from "#/features/planning/service.ts";
import { listRecoveries } from "#/features/spending/surplus.ts";
import { inTenant, type ServiceContext } from "#/platform/context.ts";
import { ConflictError, ValidationError } from "#/platform/errors.ts";
import { DEMO_STAFF } from "#/seed/seed.ts";
import { staffScope } from "../../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { TODAY } from "../../../test/today.ts";

/**
 * Issue 15, done-when: "the DP audit queue finds the demo's planted cases and no other demo budget". The demo
 * (seed/dp-audit-seed.ts) plants a surplus, cash without receipts and a payee not in the plan; spending-seed.ts
 * already gives person2's budget a card spend at a pub (MCC 5813, a blocked merchant). Then the audit record:
 * opened with its findings, decided once, each outcome through its owning feature.
 */

const email = (role: string) => DEMO_STAFF.find((s) => s.roles.includes(role as never))!.email;

describe.each(enginesUnderTest())("direct-payment audits on the demo council (%s)", (engine) => {
  let database: TestDatabase;
  let finance: ServiceContext;
  let admin: ServiceContext;

  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
    finance = {
      db: database.appDb,
      scope: await staffScope(database, email("finance_officer")),
      today: TODAY,
    };
    admin = { db: database.appDb, scope: await staffScope(database, email("administrator")), today: TODAY };
  }, 180_000);
  afterAll(() => database?.drop());

  it("done-when: the queue finds the planted cases (surplus, cash, payee, the pub spend) and no other demo budget", async () => {
    const queue = await auditQueueOn(finance);
    const kinds = queue.flagged.map((e) =>
      e.findings.filter((f) => f.severity === "flag").map((f) => f.kind),
    );
    expect(kinds.map((k) => [...k].sort())).toEqual(
      expect.arrayContaining([
        ["surplus_above_limit"],
        ["cash_without_receipt"],
        ["payee_not_in_plan"],
        expect.arrayContaining(["blocked_merchant"]),
      ]),
    );
    expect(queue.flagged).toHaveLength(4);
    // Every other live direct-payment budget is left off the queue.
    const dpBudgets = await inTenant(finance, async ({ tx }) =>
      (await liveBudgetsIn(tx, TODAY)).filter((b) => b.lines.some((l) => l.deployment === "direct_payment")),
    );
    const others = dpBudgets.filter((b) => !queue.flagged.some((e) => e.budgetId === b.budgetId));
    expect(others.length).toBe(dpBudgets.length - 4);
    // Highest risk first: the pub spend (blocked merchant, weight 5) heads it.
    expect(queue.flagged[0]!.findings.map((f) => f.kind)).toContain("blocked_merchant");
    const cash = queue.flagged.find((e) => e.findings.some((f) => f.kind === "cash_without_receipt"))!;
    const evidence = cash.findings.find((f) => f.kind === "cash_without_receipt")!.evidence;
    expect(evidence.map((e) => e.amountPence)).toEqual(expect.arrayContaining([10000, 8000]));
    expect(evidence.every((e) => e.transferId && e.id && e.date)).toBe(true);
    // Each planted budget's first payment was 16 weeks ago: its first review (6–12 weeks) is overdue.
    expect(cash.due).toMatchObject({ kind: "first_review", status: "overdue" });
  });

  it("batching: the queue reads its facts a page of budgets at a time and finds exactly what one budget at a time finds", async () => {
    const [batched, single] = await inTenant(finance, async (t) => {
      const budgets = await directPaymentBudgetsIn(t, TODAY);
      expect(budgets.length).toBeGreaterThanOrEqual(4);
      // Pages of 3, so the demo's budgets span two pages with a boundary between planted cases.
      const paged = await budgetFactsOfAllIn(t, budgets, 3);
      const one: BudgetFacts[] = [];
      for (const b of budgets) one.push(await budgetFactsIn(t, b));
      return [paged, one];
    });
    expect(batched).toEqual(single);
    expect(batched.some((f) => f.spends.length > 0)).toBe(true);
    const queueInPagesOfOne = await auditQueueOn(finance, TODAY, { pageSize: 1 });
    const queue = await auditQueueOn(finance);
    expect(queueInPagesOfOne).toEqual(queue);
    expect(queue.flagged).toHaveLength(4);
  });

  it("rule: the council's own dated settings change what is found (a 20-week surplus limit clears the surplus case)", async () => {
    const before = await auditSettingsOn(admin, TODAY);
    expect(before.version).toBeNull();
    await expect(
      addAuditSettingsVersion(admin, {
        validFrom: TODAY,
        reason: "Test",
        settings: { ...before.settings, surplusWarnBelowWeeks: 30, surplusAboveWeeks: 20 },
      }),
    ).rejects.toThrow(ValidationError);
    await addAuditSettingsVersion(admin, {
      validFrom: "2026-11-24",
      reason: "Policy 2026: 20 weeks",
      settings: { ...before.settings, surplusAboveWeeks: 20 },
    });
    expect((await auditQueueOn(finance, TODAY)).flagged).toHaveLength(4);
    const later = await auditQueueOn({ ...finance, today: "2026-11-24" }, "2026-11-24");
    expect(later.flagged.some((e) => e.findings.some((f) => f.kind === "surplus_above_limit"))).toBe(false);
    // Nothing flagged on the surplus case now, but its first review (6–12 weeks after the first payment) is overdue.
    expect(later.flagged).toHaveLength(3);
    expect(later.routineDue).toHaveLength(1);
    expect(later.routineDue[0]!.due).toMatchObject({ kind: "first_review", status: "overdue" });
  });

  it("opens an audit once per budget, records the outcome once, and each outcome goes through its owner", async () => {
    const queue = await auditQueueOn(finance);
    const byKind = (kind: string) =>
      queue.flagged.find((e) => e.findings.some((f) => f.kind === kind && f.severity === "flag"))!;

    // Only a live direct payment can be audited: a budget id that is not one is refused, nothing written.
    await expect(openAudit(finance, { budgetId: "not-an-id" })).rejects.toThrow(ValidationError);

    const surplus = byKind("surplus_above_limit");
    const { auditId } = await openAudit(finance, { budgetId: surplus.budgetId });
    expect((await openAudit(finance, { budgetId: surplus.budgetId })).auditId).toBe(auditId);
    const opened = await getAudit(finance, auditId);
    expect(opened).toMatchObject({ status: "open", reason: "risk", riskScore: surplus.riskScore });
    expect(opened.findings.map((f) => f.kind)).toEqual(surplus.findings.map((f) => f.kind));

    // Recovery: an amount the officer sets, at most the money the findings show (checked first, nothing written);
    // spending's surplus recovery covers what the budget holds above the limit, the rest comes off future payments.
    const evidenced = surplus.findings
      .filter((f) => f.severity === "flag")
      .reduce((sum, f) => sum + f.atStakePence, 0);
    expect(evidenced).toBeGreaterThan(0);
    await expect(decideAudit(finance, auditId, { outcome: "recovery" })).rejects.toThrow(ValidationError);
    await expect(
      decideAudit(finance, auditId, { outcome: "recovery", recoveryPence: evidenced + 1 }),
    ).rejects.toThrow(/no more than/);
    expect((await getAudit(finance, auditId)).status).toBe("open");
    const decided = await decideAudit(finance, auditId, {
      outcome: "recovery",
      recoveryPence: evidenced,
      explanation: "Saving for a holiday",
    });
    expect(decided).toMatchObject({ status: "decided", outcome: "recovery" });
    expect(decided.recovery!.amountPence).toBe(evidenced);
    expect(decided.recovery!.fromSurplusPence).toBeGreaterThan(0);
    expect(decided.recovery!.fromSurplusPence + decided.recovery!.fromPaymentsPence).toBe(evidenced);
    const recoveries = await listRecoveries(finance, { status: "proposed" });
    const proposed = recoveries.find((r) => r.recoveryId === decided.recoveryId)!;
    expect(proposed.amountPence).toBe(decided.recovery!.fromSurplusPence);
    await expect(decideAudit(finance, auditId, { outcome: "no_action" })).rejects.toThrow(ConflictError);

    // Repayment request: due in 14 days (St Helens), the amount required.
    const cash = byKind("cash_without_receipt");
    const cashAudit = (await openAudit(finance, { budgetId: cash.budgetId })).auditId;
    await expect(decideAudit(finance, cashAudit, { outcome: "repayment_request" })).rejects.toThrow(
      ValidationError,
    );
    const repay = await decideAudit(finance, cashAudit, {
      outcome: "repayment_request",
      repaymentPence: 18000,
    });
    expect(repay).toMatchObject({ repaymentPence: 18000, repaymentDueOn: "2026-12-07" });
    // Past its due date it is listed for finance to follow up; not before.
    expect((await auditQueueOn(finance, "2026-12-07")).repaymentsOverdue).toEqual([]);
    const overdue = (await auditQueueOn(finance, "2026-12-08")).repaymentsOverdue;
    expect(overdue.map((a) => a.auditId)).toEqual([cashAudit]);

    // Not paid by then: turned into a recovery (St Helens: "otherwise future payments are reduced"), once, and
    // not before the due date, nor for more than was asked.
    const later = { ...finance, today: "2026-12-08" };
    await expect(recoverUnpaidRepayment(finance, cashAudit, {})).rejects.toThrow(/not overdue/);
    await expect(recoverUnpaidRepayment(later, cashAudit, { recoveryPence: 18001 })).rejects.toThrow(
      /no more than/,
    );
    const followUp = await recoverUnpaidRepayment(later, cashAudit, {});
    expect(followUp).toMatchObject({
      reason: "unpaid_repayment",
      followsAuditId: cashAudit,
      outcome: "recovery",
      status: "decided",
    });
    expect(followUp.recovery!.amountPence).toBe(18000);
    expect(followUp.recovery!.deduction!.amountPence).toBe(followUp.recovery!.fromPaymentsPence);
    expect(followUp.recovery!.fromPaymentsPence).toBeGreaterThan(0);
    await expect(recoverUnpaidRepayment(later, cashAudit, {})).rejects.toThrow(ConflictError);
    expect((await getAudit(finance, cashAudit)).followedUpBy).toBe(followUp.auditId);
    expect((await auditQueueOn(later, "2026-12-08")).repaymentsOverdue).toEqual([]);
    // The person sees the recovery, its amount and how it is taken, at /my.
    const seen = await inTenant(finance, (t) => auditRequestsForPersonIn(t, cash.personId));
    expect(seen.find((a) => a.auditId === followUp.auditId)?.recovery?.deduction?.amountPence).toBe(
      followUp.recovery!.fromPaymentsPence,
    );

    // Recovery where the budget holds no surplus above the limit: all of it from future payments.
    const payee = byKind("payee_not_in_plan");
    const payeeAudit = (await openAudit(finance, { budgetId: payee.budgetId })).auditId;
    const fromPayments = await decideAudit(finance, payeeAudit, { outcome: "recovery", recoveryPence: 2500 });
    expect(fromPayments.recovery).toMatchObject({
      amountPence: 2500,
      fromSurplusPence: 0,
      fromPaymentsPence: 2500,
    });
    expect(fromPayments.recoveryId).toBeNull();
    expect(fromPayments.recovery!.deduction).toMatchObject({
      amountPence: 2500,
      takenPence: 0,
      status: "to_take",
    });

    // A move to a managed account: planning starts a draft version of the plan with the direct payment moved to
    // a council-managed account, for the council's usual approval, and the planners get a task linking to it.
    const pub = byKind("blocked_merchant");
    const pubAudit = (await openAudit(finance, { budgetId: pub.budgetId })).auditId;
    await expect(decideAudit(finance, pubAudit, { outcome: "managed_account" })).rejects.toThrow(
      ValidationError,
    );
    const moved = await decideAudit(finance, pubAudit, {
      outcome: "managed_account",
      note: "Card spending at a pub",
    });
    expect(moved.taskId).toMatch(/^[0-9a-f-]{36}$/);
    expect(moved.proposedPlan).not.toBeNull();
    const draft = await getPlanVersion(admin, moved.proposedPlan!.planId, moved.proposedPlan!.version);
    expect(draft.version.status).toBe("draft");
    expect(draft.content.supports.some((x) => x.deployment === "direct_payment")).toBe(false);
    expect(draft.content.supports.some((x) => x.deployment === "council_managed")).toBe(true);
    expect(draft.changes.at(-1)?.summary).toMatch(/Proposed by a direct-payment audit/);
  });
});
