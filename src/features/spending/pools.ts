import { z } from "zod";
import { budgetAccountIn } from "#/features/budgets/accounts.ts";
import { budgetIn } from "#/features/budgets/service.ts";
import type { TransferRequest } from "#/features/ledger/ledger.calc.ts";
import { ensureAccountIn, transfersIn } from "#/features/ledger/service.ts";
import { payeeAccountIn } from "#/features/spending/accounts.ts";
import {
  type PoolMember,
  type PoolStatementLine,
  poolShareProblems,
  splitPoolCost,
} from "#/features/spending/pool.calc.ts";
import * as repo from "#/features/spending/repository.ts";
import { dateSchema, poolSchema } from "#/features/spending/schemas.ts";
import { audit } from "#/platform/audit/audit.ts";
import { actorRef, inTenant, type ServiceContext, type TxContext } from "#/platform/context.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import { NotFoundError, ValidationError } from "#/platform/errors.ts";
import { type Pence, pence } from "#/platform/money/pence.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";

/** A pooled arrangement: members' budgets and their agreed shares (fractions adding up to 1, or fixed sums). */
export async function createPool(ctx: ServiceContext, input: unknown): Promise<{ poolId: string }> {
  const parsed = poolSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(fieldErrorsFrom(parsed.error), "The pool was not created");
  const members: PoolMember[] = parsed.data.members.map((m) => ({
    budgetId: m.budgetId,
    share: m.share.kind === "fixed" ? { kind: "fixed", pence: pence(m.share.pence) } : m.share,
  }));
  const problems = poolShareProblems(members);
  if (problems.length)
    throw new ValidationError(
      problems.map((message) => ({ path: "members", message })),
      "The pool was not created",
    );
  return inTenant(ctx, async (t) => {
    for (const m of members)
      await budgetIn(t.tx, m.budgetId).catch(() => {
        throw new ValidationError(
          [{ path: "members", message: `There is no budget ${m.budgetId}` }],
          "The pool was not created",
        );
      });
    const poolId = uuidv7();
    await repo.insertPool(
      t.tx,
      { pool_id: poolId, name: parsed.data.name, created_by: actorRef(t.tx.scope.actor) },
      members.map((m) => ({
        budget_id: m.budgetId,
        share_kind: m.share.kind,
        numerator: m.share.kind === "fraction" ? m.share.numerator : null,
        denominator: m.share.kind === "fraction" ? m.share.denominator : null,
        fixed_pence: m.share.kind === "fixed" ? m.share.pence : null,
      })),
    );
    await ensureAccountIn(t, {
      code: `pool:${poolId}`,
      kind: "pool",
      mustNotGoBelowZero: true,
      name: parsed.data.name,
    });
    await audit(t.tx, {
      action: "create",
      recordType: "pool",
      recordId: poolId,
      changes: { name: parsed.data.name, members: parsed.data.members },
    });
    return { poolId };
  });
}

const poolCostSchema = z.strictObject({
  payeeName: z.string().trim().min(1, { error: "Say who the pool paid" }).max(300),
  period: z.string().trim().min(1, { error: "Say what period the cost is for" }).max(200),
  costPence: z
    .int({ error: "Give the cost in pence" })
    .min(1, { error: "The cost must be more than £0.00" })
    .max(100_000_000),
  paidOn: dateSchema("the date the pool paid"),
});

/**
 * One member's share of a pool's cost: the transfer from their budget's direct payment into the pool's account,
 * and their spend record (its transfer id set once the ledger has written it).
 */
async function memberShareIn(
  t: TxContext,
  line: PoolStatementLine,
  cost: { poolCostId: string; poolAccountId: string; payeeName: string; paidOn: string },
): Promise<{ request: TransferRequest; spend: repo.NewSpendRow }> {
  const budget = await budgetIn(t.tx, line.budgetId);
  const account = await budgetAccountIn(t, budget, "direct_payment");
  const spendId = uuidv7();
  return {
    request: {
      type: "posted",
      idempotencyKey: `pool:${cost.poolCostId}:${line.budgetId}`,
      debitAccountId: account.accountId,
      creditAccountId: cost.poolAccountId,
      amount: line.sharePence,
      code: "pool_share",
      refKind: "spend",
      refId: spendId,
    },
    spend: {
      spend_id: spendId,
      budget_id: budget.budgetId,
      person_id: budget.personId,
      deployment: "direct_payment",
      source: "pool",
      source_key: `${cost.poolCostId}:${line.budgetId}`,
      state: "posted",
      direction: "out",
      amount_pence: line.sharePence,
      spend_date: cost.paidOn,
      payee_name: cost.payeeName.slice(0, 300),
      card_type: null,
      mcc: null,
      category: null,
      support_id: null,
      match_how: null,
      match_explanation: line.description,
      flags: "[]",
      transfer_id: "", // set by the caller, once the ledger has written it
      pending_transfer_id: null,
      import_id: null,
      invoice_id: null,
    },
  };
}

/**
 * The pool pays its provider: each member's budget pays its share into the pool's account (pool.calc.ts's exact
 * split), and the pool pays the provider, all in one batch. Each member gets a spend record with their share,
 * which their statement shows.
 */
export async function payPoolCost(ctx: ServiceContext, poolId: string, input: unknown) {
  const parsed = poolCostSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError(fieldErrorsFrom(parsed.error), "The pool's payment was not recorded");
  const c = parsed.data;
  return inTenant(ctx, async (t) => {
    const found = await repo.poolById(t.tx, poolId);
    if (!found) throw new NotFoundError("The pool");
    const members: PoolMember[] = found.members.map((m) => ({
      budgetId: m.budget_id,
      share:
        m.share_kind === "fixed"
          ? { kind: "fixed", pence: pence(m.fixed_pence!) }
          : { kind: "fraction", numerator: m.numerator!, denominator: m.denominator! },
    }));
    const split = splitPoolCost({
      poolName: found.pool.name,
      period: c.period,
      costPence: pence(c.costPence),
      members,
    });
    if (!split.ok)
      throw new ValidationError(
        split.problems.map((message) => ({ path: "costPence", message })),
        "The pool's payment was not recorded",
      );
    const poolAccount = await ensureAccountIn(t, {
      code: `pool:${poolId}`,
      kind: "pool",
      mustNotGoBelowZero: true,
      name: found.pool.name,
    });
    const payee = await payeeAccountIn(t, `payee:pool:${poolId}`, c.payeeName);
    const poolCostId = uuidv7();
    const requests: TransferRequest[] = [];
    const spends: repo.NewSpendRow[] = [];
    for (const line of split.lines) {
      if (line.sharePence === 0) continue;
      const share = await memberShareIn(t, line, {
        poolCostId,
        poolAccountId: poolAccount.accountId,
        payeeName: `${found.pool.name} (pool): ${c.payeeName}`,
        paidOn: c.paidOn,
      });
      requests.push(share.request);
      spends.push(share.spend);
    }
    requests.push({
      type: "posted",
      idempotencyKey: `pool:${poolCostId}:paid`,
      debitAccountId: poolAccount.accountId,
      creditAccountId: payee.accountId,
      amount: c.costPence,
      code: "spend",
      refKind: "pool_cost",
      refId: poolCostId,
    });
    const results = await transfersIn(t, requests);
    spends.forEach((s, i) => {
      s.transfer_id = results[i]!.transfer.transferId;
    });
    await repo.insertPoolCost(t.tx, {
      pool_cost_id: poolCostId,
      pool_id: poolId,
      payee_name: c.payeeName,
      period: c.period,
      cost_pence: c.costPence,
      paid_on: c.paidOn,
      transfer_id: results.at(-1)!.transfer.transferId,
      created_by: actorRef(t.tx.scope.actor),
    });
    await repo.insertSpends(t.tx, spends);
    await audit(t.tx, {
      action: "spending.pool_paid",
      recordType: "pool",
      recordId: poolId,
      changes: {
        poolCostId,
        costPence: c.costPence,
        shares: split.lines.map((l) => ({ budgetId: l.budgetId, pence: l.sharePence })),
      },
    });
    return {
      poolCostId,
      shares: split.lines.map((l) => ({
        budgetId: l.budgetId,
        sharePence: l.sharePence as Pence,
        description: l.description,
      })),
    };
  });
}
