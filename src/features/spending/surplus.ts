import { budgetAccountCode, budgetAccountIn, topUpAccountCode } from "#/features/budgets/accounts.ts";
import { budgetIn, type PersonalBudget } from "#/features/budgets/service.ts";
import type { TransferRequest } from "#/features/ledger/ledger.calc.ts";
import {
  accountByCodeIn,
  accountsByCodesIn,
  ensureAccountIn,
  type LedgerAccount,
  transfersIn,
} from "#/features/ledger/service.ts";
import * as repo from "#/features/spending/repository.ts";
import { surplusLimitSettingSchema } from "#/features/spending/schemas.ts";
import {
  proposeSurplusRecovery,
  type SurplusLimit,
  surplusLimitOn,
} from "#/features/spending/surplus.calc.ts";
import { councilRulesIn } from "#/features/tenants/rules.ts";
import { audit } from "#/platform/audit/audit.ts";
import { actorRef, inTenant, type ServiceContext, type TxContext } from "#/platform/context.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";
import { ConflictError, NotFoundError, ValidationError } from "#/platform/errors.ts";
import { formatPounds, pence } from "#/platform/money/pence.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";

export async function surplusLimitOnIn(
  tx: TenantTx,
  date: string,
): Promise<SurplusLimit & { minimumRecoveryPence: number }> {
  const rows = await repo.surplusSettings(tx);
  const limit = surplusLimitOn(
    rows.map((r) => ({ validFrom: r.valid_from, weeks: r.weeks, source: r.source })),
    date,
    (await councilRulesIn(tx, date)).spending.rules,
  );
  const row = rows.filter((r) => r.valid_from <= date).at(-1);
  return { ...limit, minimumRecoveryPence: limit.councilSet && row ? row.minimum_recovery_pence : 0 };
}

/** A new dated version of the council's surplus limit (from its date; never back-dated over one in use). */
export async function setSurplusLimit(ctx: ServiceContext, input: unknown) {
  const parsed = surplusLimitSettingSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError(fieldErrorsFrom(parsed.error), "The surplus limit was not saved");
  const s = parsed.data;
  return inTenant(ctx, async ({ tx }) => {
    const inserted = await repo.insertSurplusSetting(tx, {
      valid_from: s.validFrom,
      weeks: s.weeks,
      source: s.source,
      minimum_recovery_pence: s.minimumRecoveryPence ?? 0,
      created_by: actorRef(tx.scope.actor),
    });
    if (!inserted) {
      throw new ValidationError([
        { path: "validFrom", message: "A limit already starts on this date: choose another date" },
      ]);
    }
    await audit(tx, {
      action: "spending.surplus_limit",
      recordType: "surplus_setting",
      recordId: s.validFrom,
      changes: s,
    });
  });
}

export type RecoveryView = {
  recoveryId: string;
  budgetId: string;
  personId: string;
  amountPence: number;
  limitPence: number;
  limitSource: string;
  explanation: string[];
  status: "proposed" | "approved" | "rejected";
  proposedOn: string;
  decisionNote: string | null;
  /** Who gave the first of the two approvals (an actor reference), while it waits for the second. */
  firstApprovedBy: string | null;
};

const toRecovery = (r: repo.RecoveryRow): RecoveryView => ({
  recoveryId: r.recovery_id,
  budgetId: r.budget_id,
  personId: r.person_id,
  amountPence: r.amount_pence,
  limitPence: r.limit_pence,
  limitSource: r.limit_source,
  explanation: (typeof r.explanation === "string" ? JSON.parse(r.explanation) : r.explanation) as string[],
  status: r.status,
  proposedOn: r.proposed_on,
  decisionNote: r.decision_note,
  firstApprovedBy: r.first_approved_by ?? null,
});

/** A budget's direct-payment money, its top-ups and what is promised: the surplus calc's (and DP audit's) inputs. */
export async function surplusInputsIn(t: TxContext, budget: PersonalBudget) {
  const dp = await accountByCodeIn(t, budgetAccountCode(budget.budgetId, "direct_payment"));
  const topUp = await accountByCodeIn(t, topUpAccountCode(budget.budgetId));
  return surplusInputsOf(budget, dp, topUp);
}

/** surplusInputsIn for many budgets with one ledger query (the DP audit queue reads a page at a time). */
export async function surplusInputsOfBudgetsIn(t: TxContext, budgets: readonly PersonalBudget[]) {
  const accounts = await accountsByCodesIn(
    t,
    budgets.flatMap((b) => [budgetAccountCode(b.budgetId, "direct_payment"), topUpAccountCode(b.budgetId)]),
  );
  return new Map(
    budgets.map((b) => [
      b.budgetId,
      surplusInputsOf(
        b,
        accounts.get(budgetAccountCode(b.budgetId, "direct_payment")),
        accounts.get(topUpAccountCode(b.budgetId)),
      ),
    ]),
  );
}

function surplusInputsOf(budget: PersonalBudget, dp?: LedgerAccount, topUp?: LedgerAccount) {
  const weekly = budget.lines
    .filter((l) => l.deployment === "direct_payment")
    .reduce((s, l) => s + l.netWeeklyPence, 0);
  return {
    dp,
    weeklyBudgetPence: pence(weekly),
    balancePence: pence((dp?.balance ?? 0) + (topUp?.balance ?? 0)),
    topUpPence: pence(topUp?.balance ?? 0),
    committedPence: pence(dp?.sums.debitsPending ?? 0),
  };
}

/**
 * Works out whether a budget holds more unspent council money than the council's limit and, if so, records a
 * proposal for a finance officer (never taken here). Returns the calc's result either way.
 */
export async function proposeSurplus(ctx: ServiceContext, budgetId: string) {
  return inTenant(ctx, (t) => proposeSurplusIn(t, budgetId));
}

/**
 * proposeSurplus inside the caller's transaction (a direct-payment audit's outcome proposes one this way). With
 * `atMostPence`, the proposal is for no more than that (the audit recovers a set amount: the surplus covers what
 * it can). `alreadyOpen` says the recovery returned was proposed earlier and is still waiting.
 */
export async function proposeSurplusIn(
  t: TxContext,
  budgetId: string,
  options: { atMostPence?: number } = {},
) {
  const budget = await budgetIn(t.tx, budgetId);
  const limit = await surplusLimitOnIn(t.tx, t.today);
  const inputs = await surplusInputsIn(t, budget);
  const proposal = proposeSurplusRecovery({
    weeklyBudgetPence: inputs.weeklyBudgetPence,
    limit,
    balancePence: inputs.balancePence,
    topUpPence: inputs.topUpPence,
    committedPence: inputs.committedPence,
    minimumRecoveryPence: pence(limit.minimumRecoveryPence),
  });
  if (proposal.outcome !== "recovery_proposed") return { proposal, recovery: null, alreadyOpen: false };
  const open = await repo.openRecoveryOf(t.tx, budgetId);
  if (open) return { proposal, recovery: toRecovery(open), alreadyOpen: true };
  const amount = Math.min(proposal.recoveryPence, options.atMostPence ?? proposal.recoveryPence);
  const explanation =
    amount < proposal.recoveryPence
      ? [
          ...proposal.explanation,
          `An audit of your direct payment set what the council asks back at ${formatPounds(pence(amount))}, so only that is proposed.`,
        ]
      : [...proposal.explanation];
  const recoveryId = uuidv7();
  const row = {
    recovery_id: recoveryId,
    budget_id: budgetId,
    person_id: budget.personId,
    amount_pence: amount,
    limit_pence: proposal.limitPence,
    limit_source: limit.source,
    status: "proposed" as const,
    proposed_on: t.today,
    proposed_by: actorRef(t.tx.scope.actor),
  };
  await repo.insertRecovery(t.tx, { ...row, explanation: JSON.stringify(explanation) });
  await audit(t.tx, {
    action: "spending.surplus_proposed",
    recordType: "surplus_recovery",
    recordId: recoveryId,
    changes: { budgetId, amountPence: amount },
  });
  return {
    proposal,
    alreadyOpen: false,
    recovery: toRecovery({
      ...row,
      explanation,
      decided_by: null,
      decided_at: null,
      decision_note: null,
      first_approved_by: null,
      first_approved_at: null,
      created_at: new Date(),
      tenant_id: t.tx.scope.tenantId,
    }),
  };
}

/** Surplus recoveries, newest first; they name people's budgets, so the list is audited as a view of what it listed. */
export async function listRecoveries(ctx: ServiceContext, filter: { status?: RecoveryView["status"] } = {}) {
  return inTenant(ctx, async ({ tx }) => {
    const recoveries = (await repo.recoveries(tx, filter)).map(toRecovery);
    await audit(tx, {
      action: "view",
      recordType: "surplus_recoveries",
      recordId: tx.scope.tenantId,
      changes: {
        status: filter.status ?? null,
        recoveryIds: recoveries.map((r) => r.recoveryId),
        personIds: [...new Set(recoveries.map((r) => r.personId))],
      },
    });
    return recoveries;
  });
}

export async function recoveriesForPersonIn(t: TxContext, personId: string): Promise<RecoveryView[]> {
  return (await repo.recoveries(t.tx, { personId })).map(toRecovery);
}

/**
 * Two finance officers (surplus:approve) approve a proposed recovery, as for every decision that moves a person's
 * money: the first approval is recorded and moves nothing; the second, by another officer, transfers from the
 * budget's direct-payment account back to each funding stream's surplus-recovered account, split by the streams'
 * weekly shares of the direct payment (to the penny, the remainder to the largest share). Either may reject it,
 * with a note.
 */
export async function decideRecovery(
  ctx: ServiceContext,
  recoveryId: string,
  decision: { approve: boolean; note?: string },
): Promise<RecoveryView> {
  const note = decision.note?.trim() || null;
  if (!decision.approve && !note)
    throw new ValidationError([{ path: "note", message: "Say why the recovery is not approved" }]);
  return inTenant(ctx, async (t) => {
    const row = await repo.recoveryById(t.tx, recoveryId);
    if (!row) throw new NotFoundError("The surplus recovery");
    if (row.status !== "proposed") throw new ConflictError(`The recovery has already been ${row.status}`);
    const me = actorRef(t.tx.scope.actor);
    if (decision.approve && row.first_approved_by === null) {
      await repo.firstApproveRecovery(t.tx, recoveryId, me);
      await audit(t.tx, {
        action: "spending.surplus_first_approval",
        recordType: "surplus_recovery",
        recordId: recoveryId,
        changes: { amountPence: row.amount_pence, ...(note ? { note } : {}) },
      });
      return toRecovery({ ...row, first_approved_by: me });
    }
    if (decision.approve && row.first_approved_by === me) {
      throw new ConflictError(
        "You gave this recovery its first approval: a second finance officer must approve it before any money moves",
      );
    }
    if (decision.approve) {
      const budget = await budgetIn(t.tx, row.budget_id);
      const dp = await budgetAccountIn(t, budget, "direct_payment");
      const byStream = new Map<string, number>();
      for (const l of budget.lines.filter((x) => x.deployment === "direct_payment")) {
        byStream.set(l.streamId, (byStream.get(l.streamId) ?? 0) + l.netWeeklyPence);
      }
      const total = [...byStream.values()].reduce((a, b) => a + b, 0);
      const streams = [...byStream.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      const parts = streams.map(([streamId, weekly]) => ({
        streamId,
        amount: total > 0 ? Math.floor((row.amount_pence * weekly) / total) : 0,
      }));
      if (parts.length === 0) parts.push({ streamId: "", amount: 0 });
      parts[0]!.amount += row.amount_pence - parts.reduce((s, p) => s + p.amount, 0);
      const requests: TransferRequest[] = [];
      for (const p of parts.filter((x) => x.amount > 0)) {
        const to = await ensureAccountIn(t, {
          code: p.streamId ? `surplus_recovered:${p.streamId}` : "surplus_recovered:unassigned",
          kind: "surplus_recovered",
          ...(p.streamId ? { streamId: p.streamId } : {}),
          name: "Surplus recovered",
        });
        requests.push({
          type: "posted",
          idempotencyKey: `recovery:${recoveryId}:${p.streamId || "unassigned"}`,
          debitAccountId: dp.accountId,
          creditAccountId: to.accountId,
          amount: p.amount,
          code: "recovery",
          refKind: "surplus_recovery",
          refId: recoveryId,
        });
      }
      await transfersIn(t, requests);
    }
    const status = decision.approve ? ("approved" as const) : ("rejected" as const);
    await repo.decideRecovery(t.tx, recoveryId, {
      status,
      decided_by: actorRef(t.tx.scope.actor),
      decision_note: note,
    });
    await audit(t.tx, {
      action: decision.approve ? "spending.surplus_approved" : "spending.surplus_rejected",
      recordType: "surplus_recovery",
      recordId: recoveryId,
      changes: { amountPence: row.amount_pence, ...(note ? { note } : {}) },
    });
    return toRecovery({ ...row, status, decision_note: note });
  });
}
