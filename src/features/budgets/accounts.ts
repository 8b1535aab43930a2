import { budgetIn, type PersonalBudget } from "#/features/budgets/service.ts";
import {
  accountByCodeIn,
  ensureAccountIn,
  type LedgerAccount,
  statementIn,
  transfersIn,
} from "#/features/ledger/service.ts";
import { audit } from "#/platform/audit/audit.ts";
import { inTenant, type ServiceContext, type TxContext } from "#/platform/context.ts";
import { ValidationError } from "#/platform/errors.ts";
import { DEPLOYMENT_LABELS } from "#/vocabulary/deployments.ts";

/**
 * A budget's own ledger accounts: one holding account per deployment (may not go below zero) and the person's
 * own money (top-ups, never council money) apart. Budgets name and open them; spending, payments and the budget
 * page move money through them.
 *
 *   budget:<budgetId>:<deployment>   a budget's holding account per deployment
 *   topup:<budgetId>                 the person's own money added to the budget
 */

export const budgetAccountCode = (budgetId: string, deployment: string) => `budget:${budgetId}:${deployment}`;
export const topUpAccountCode = (budgetId: string) => `topup:${budgetId}`;

export function budgetAccountIn(
  t: TxContext,
  budget: PersonalBudget,
  deployment: string,
): Promise<LedgerAccount> {
  return ensureAccountIn(t, {
    code: budgetAccountCode(budget.budgetId, deployment),
    kind: "budget",
    mustNotGoBelowZero: true,
    budgetId: budget.budgetId,
    deployment,
    personId: budget.personId,
    name: `Budget ${deployment.replaceAll("_", " ")} account`,
  });
}

export function topUpAccountIn(t: TxContext, budget: PersonalBudget): Promise<LedgerAccount> {
  return ensureAccountIn(t, {
    code: topUpAccountCode(budget.budgetId),
    kind: "topup",
    mustNotGoBelowZero: true,
    budgetId: budget.budgetId,
    personId: budget.personId,
    name: "The person's own money",
  });
}

/**
 * A transfer out of one of a budget's accounts (the API's POST /budgets/{id}/transfers), keyed by the caller: the
 * key is the member of staff's own (keyUserId), apart from the system's keys.
 */
export async function budgetTransfer(
  ctx: ServiceContext,
  budgetId: string,
  r: {
    deployment: string;
    type: "posted" | "pending";
    idempotencyKey: string;
    keyUserId: string;
    creditAccountId: string;
    amount: number;
    code: string;
    refKind?: string;
    refId?: string;
  },
) {
  return inTenant(ctx, async (t) => {
    const budget = await budgetIn(t.tx, budgetId);
    if (!budget.lines.some((l) => l.deployment === r.deployment)) {
      throw new ValidationError([{ path: "deployment", message: "The budget has no money held this way" }]);
    }
    const account = await budgetAccountIn(t, budget, r.deployment);
    return (
      await transfersIn(t, [
        {
          type: r.type,
          idempotencyKey: r.idempotencyKey,
          keyUserId: r.keyUserId,
          debitAccountId: account.accountId,
          creditAccountId: r.creditAccountId,
          amount: r.amount,
          code: r.code,
          refKind: r.refKind ?? null,
          refId: r.refId ?? null,
        },
      ])
    )[0]!;
  });
}

export type BudgetBalances = {
  budget: PersonalBudget;
  accounts: { deployment: string; label: string; account: LedgerAccount | null }[];
  topUp: LedgerAccount | null;
};

/** A budget's ledger accounts: one per deployment in its lines, and the person's own money. Audited as a view. */
export async function budgetBalancesIn(t: TxContext, budgetId: string): Promise<BudgetBalances> {
  const budget = await budgetIn(t.tx, budgetId);
  await audit(t.tx, {
    action: "view",
    recordType: "personal_budget",
    recordId: budgetId,
    changes: { balances: true },
  });
  const accounts = [];
  for (const deployment of [...new Set(budget.lines.map((l) => l.deployment))]) {
    accounts.push({
      deployment,
      label: DEPLOYMENT_LABELS[deployment],
      account: (await accountByCodeIn(t, budgetAccountCode(budgetId, deployment))) ?? null,
    });
  }
  return { budget, accounts, topUp: (await accountByCodeIn(t, topUpAccountCode(budgetId))) ?? null };
}

export const budgetBalances = (ctx: ServiceContext, budgetId: string) =>
  inTenant(ctx, (t) => budgetBalancesIn(t, budgetId));

/** Every transfer of a budget's accounts, oldest first, each with its account's running balance. */
export const budgetStatement = (
  ctx: ServiceContext,
  budgetId: string,
  range: { from?: string; to?: string },
) =>
  inTenant(ctx, async (t) => {
    const { budget, accounts, topUp } = await budgetBalancesIn(t, budgetId);
    const out = [];
    for (const a of [
      ...accounts,
      ...(topUp ? [{ deployment: "own_money", label: "Own money", account: topUp }] : []),
    ]) {
      if (!a.account) continue;
      out.push({
        deployment: a.deployment,
        label: a.label,
        statement: await statementIn(t, a.account.accountId, range),
      });
    }
    return { budget, statements: out };
  });
