import type { TransferRequest } from "#/features/ledger/ledger.calc.ts";
import { type AccountSpec, ensureAccountIn, transfersIn } from "#/features/ledger/service.ts";
import { recoveryShares } from "#/features/payments/debts.calc.ts";
import * as repo from "#/features/payments/debts-repository.ts";
import { writeOffSchema } from "#/features/payments/schemas.ts";
import { audit } from "#/platform/audit/audit.ts";
import { actorRef, inTenant, type ServiceContext, type TxContext } from "#/platform/context.ts";
import { ConflictError, NotFoundError, ValidationError } from "#/platform/errors.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";
import { DEPLOYMENT_LABELS } from "#/vocabulary/deployments.ts";

/**
 * Money owed back after a budget ends (Upfront issue 6): a payment run records, once per payment, what was paid
 * for days after the budget's end date (payments/run.ts, step 3). Staff see these debts on the person's budget
 * page; a finance officer records what became of each, once:
 *  - recovered: the money came back. The ledger moves it from where it is now — the payee's account for a bank
 *    payment (the payee gave it back), or the budget's own account for funding that was never sent (or a payment
 *    the bank returned) — to the funding streams that paid it, split by recoveryShares. One transfer per stream,
 *    keyed by the debt, so the money moves once however often it is marked.
 *  - written off: the council will not ask for it (with the reason). Nothing moves: the streams already bore it.
 * Each decision is written with its audit event in one transaction; the debt row is locked first, so two finance
 * officers deciding at once queue, and the second sees the first's decision.
 */

export type DebtStatus = repo.DebtRow["status"];

export type DebtView = {
  debtId: string;
  budgetId: string;
  personId: string;
  paymentId: string;
  amountPence: number;
  status: DebtStatus;
  /** The payment period the money was paid for. */
  periodFrom: string;
  periodTo: string;
  payDate: string;
  deployment: repo.DebtRow["deployment"];
  deploymentLabel: string;
  /** Where the money is now: with the payee (a bank payment), or in the budget's own account. */
  heldBy: "payee" | "budget_account";
  paymentPence: number;
  decision: { outcome: "recovered" | "written_off"; reason: string | null; decidedAt: Date } | null;
};

const heldBy = (d: repo.DebtRow): DebtView["heldBy"] =>
  d.payment_kind === "bank" && d.payment_status === "made" ? "payee" : "budget_account";

function toView(d: repo.DebtRow): DebtView {
  return {
    debtId: d.debt_id,
    budgetId: d.budget_id,
    personId: d.person_id,
    paymentId: d.payment_id,
    amountPence: d.amount,
    status: d.status,
    periodFrom: d.cycle_start,
    periodTo: d.cycle_end,
    payDate: d.pay_date,
    deployment: d.deployment,
    deploymentLabel: DEPLOYMENT_LABELS[d.deployment] ?? d.deployment,
    heldBy: heldBy(d),
    paymentPence: d.payment_amount,
    decision:
      d.outcome && d.decided_at
        ? { outcome: d.outcome, reason: d.reason, decidedAt: new Date(d.decided_at) }
        : null,
  };
}

/** A person's debts, newest period first, inside the caller's transaction (the caller checks who may see). */
export async function debtsForPersonIn(t: TxContext, personId: string): Promise<DebtView[]> {
  return (await repo.debtsOfPerson(t.tx, personId)).map(toView);
}

/** Staff read a person's debts (budgets:read; the route checks): audited as a view. */
export const debtsForPerson = (ctx: ServiceContext, personId: string) =>
  inTenant(ctx, async (t) => {
    const debts = await debtsForPersonIn(t, personId);
    await audit(t.tx, { action: "view", recordType: "person_debts", recordId: personId });
    return debts;
  });

/** One debt; not found when it does not exist or (given a person) is not one of theirs. */
async function debtIn(t: TxContext, debtId: string, personId?: string): Promise<repo.DebtRow> {
  const debt = await repo.findDebt(t.tx, debtId);
  if (!debt || (personId !== undefined && debt.person_id !== personId))
    throw new NotFoundError("The money to recover");
  return debt;
}

export const getDebt = (ctx: ServiceContext, debtId: string, personId?: string) =>
  inTenant(ctx, async (t) => {
    const debt = toView(await debtIn(t, debtId, personId));
    await audit(t.tx, { action: "view", recordType: "payment_debt", recordId: debtId });
    return debt;
  });

const decided = (d: repo.DebtRow) => (d.status === "recovered" ? "recorded as recovered" : "written off");

/** Locks and reads the debt: a decision made meanwhile by someone else is seen, not overwritten. */
async function lockedDebtIn(t: TxContext, debtId: string, personId?: string): Promise<repo.DebtRow> {
  if (!(await repo.lockDebt(t.tx, debtId))) throw new NotFoundError("The money to recover");
  return debtIn(t, debtId, personId);
}

function refuseDecided(debt: repo.DebtRow): void {
  if (debt.status !== "to_recover")
    throw new ConflictError(`This money has already been ${decided(debt)}, so nothing has changed`);
}

/**
 * The money came back: moves it, once, from where it is to the streams that paid it, and marks the debt
 * recovered. Marking it again changes nothing (replayed: true).
 */
export async function recoverDebt(
  ctx: ServiceContext,
  debtId: string,
  options: { personId?: string } = {},
): Promise<{ debt: DebtView; replayed: boolean }> {
  return inTenant(ctx, async (t) => {
    const debt = await lockedDebtIn(t, debtId, options.personId);
    if (debt.status === "recovered") return { debt: toView(debt), replayed: true };
    refuseDecided(debt);
    const shares = recoveryShares(debt.amount, debt.parts);
    if (shares.length === 0)
      throw new ConflictError(
        "The payment does not say which funding stream paid it, so the money cannot be put back: ask the system administrator",
      );
    const from: AccountSpec =
      heldBy(debt) === "payee"
        ? { code: `payee:${debt.payee_id}`, kind: "payee" }
        : {
            // The same account the payment run funds (payments/run.ts), flags and all.
            code: `budget:${debt.budget_id}:${debt.deployment}`,
            kind: "budget",
            budgetId: debt.budget_id,
            deployment: debt.deployment,
            personId: debt.person_id,
            mustNotGoBelowZero: true,
          };
    const debit = await ensureAccountIn(t, from);
    const requests: TransferRequest[] = [];
    for (const share of shares) {
      const stream = await ensureAccountIn(t, {
        code: `stream:${share.streamId}`,
        kind: "stream",
        streamId: share.streamId,
      });
      requests.push({
        type: "posted",
        idempotencyKey: `debt:${debtId}:recovered:${share.streamId}`,
        debitAccountId: debit.accountId,
        creditAccountId: stream.accountId,
        amount: share.amount,
        code: "recovery",
        refKind: "payment_debt",
        refId: debtId,
      });
    }
    await transfersIn(t, requests);
    await repo.recordDecision(t.tx, {
      debt_id: debtId,
      outcome: "recovered",
      reason: null,
      decided_by: actorRef(t.tx.scope.actor),
    });
    await audit(t.tx, {
      action: "payment_debt.recover",
      recordType: "payment_debt",
      recordId: debtId,
      changes: { budgetId: debt.budget_id, amountPence: debt.amount, shares },
    });
    return { debt: toView((await repo.findDebt(t.tx, debtId))!), replayed: false };
  });
}

/** The council will not ask for the money back: recorded with the reason; nothing moves in the ledger. */
export async function writeOffDebt(
  ctx: ServiceContext,
  debtId: string,
  input: unknown,
  options: { personId?: string } = {},
): Promise<DebtView> {
  const parsed = writeOffSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError(fieldErrorsFrom(parsed.error), "The write-off needs a reason");
  return inTenant(ctx, async (t) => {
    const debt = await lockedDebtIn(t, debtId, options.personId);
    refuseDecided(debt);
    await repo.recordDecision(t.tx, {
      debt_id: debtId,
      outcome: "written_off",
      reason: parsed.data.reason,
      decided_by: actorRef(t.tx.scope.actor),
    });
    await audit(t.tx, {
      action: "payment_debt.write_off",
      recordType: "payment_debt",
      recordId: debtId,
      changes: { budgetId: debt.budget_id, amountPence: debt.amount, reason: parsed.data.reason },
    });
    return toView((await repo.findDebt(t.tx, debtId))!);
  });
}
