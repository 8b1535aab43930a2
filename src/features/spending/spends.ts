import { z } from "zod";
import type { PersonalBudget } from "#/features/budgets/service.ts";
import type { MatchableLine, PlanMatch } from "#/features/spending/plan-match.calc.ts";
import * as repo from "#/features/spending/repository.ts";
import { dateSchema } from "#/features/spending/schemas.ts";
import { audit } from "#/platform/audit/audit.ts";
import { inTenant, type ServiceContext, type TxContext } from "#/platform/context.ts";
import { ValidationError } from "#/platform/errors.ts";
import { pence, scalePence } from "#/platform/money/pence.ts";
import type { FieldError } from "#/platform/validation.ts";

/** Spends: each card transaction, invoice or pool share charged to a budget, matched to a plan line. */

/** The budget's lines in the shape plan-match.calc.ts matches against. */
export function matchableBudgetLines(budget: PersonalBudget): MatchableLine[] {
  return budget.lines.map((l) => ({
    supportId: l.supportId,
    what: l.supportName,
    category: l.category,
    deployment: l.deployment,
    ...(l.providerId ? { providerId: l.providerId } : {}),
    ...(l.payeeName ? { payeeName: l.payeeName } : {}),
    weeklyPence: pence(l.weeklyPence),
    oneOffPence: pence(l.oneOffPence),
  }));
}

export const matchColumns = (m: PlanMatch) => ({
  support_id: m.matched ? m.supportId : null,
  match_how: m.matched ? m.how : null,
  match_explanation: m.explanation,
});

export type SpendView = {
  spendId: string;
  budgetId: string;
  personId: string;
  deployment: string;
  source: "card" | "invoice" | "pool";
  state: "pending" | "posted" | "voided";
  direction: "out" | "in";
  amountPence: number;
  date: string;
  payeeName: string;
  category: string | null;
  supportId: string | null;
  matchExplanation: string;
  flags: { code: string; message: string }[];
};

export const toSpendView = (s: repo.SpendRow): SpendView => ({
  spendId: s.spend_id,
  budgetId: s.budget_id,
  personId: s.person_id,
  deployment: s.deployment,
  source: s.source,
  state: s.state,
  direction: s.direction,
  amountPence: s.amount_pence,
  date: s.spend_date,
  payeeName: s.payee_name,
  category: s.category,
  supportId: s.support_id,
  matchExplanation: s.match_explanation,
  flags: (typeof s.flags === "string" ? JSON.parse(s.flags) : s.flags) as SpendView["flags"],
});

export async function spendsIn(
  t: TxContext,
  filter: Parameters<typeof repo.spendsOf>[1],
): Promise<SpendView[]> {
  return (await repo.spendsOf(t.tx, filter)).map(toSpendView);
}

/** Staff list spends (spending:manage or budgets:read), audited as a view of each person's spending. */
export async function listSpends(
  ctx: ServiceContext,
  filter: { personId?: string; budgetId?: string; from?: string; to?: string },
): Promise<SpendView[]> {
  const errors: FieldError[] = [];
  for (const k of ["from", "to"] as const) {
    const v = filter[k];
    if (v !== undefined && !dateSchema(k).safeParse(v).success)
      errors.push({ path: k, message: "Give the date as YYYY-MM-DD" });
  }
  for (const k of ["personId", "budgetId"] as const) {
    const v = filter[k];
    if (v !== undefined && !z.uuid().safeParse(v).success) errors.push({ path: k, message: "Give an id" });
  }
  if (errors.length) throw new ValidationError(errors);
  return inTenant(ctx, async (t) => {
    const spends = await spendsIn(t, {
      ...(filter.personId ? { personId: filter.personId } : {}),
      ...(filter.budgetId ? { budgetIds: [filter.budgetId] } : {}),
      ...(filter.from ? { from: filter.from } : {}),
      ...(filter.to ? { to: filter.to } : {}),
    });
    for (const personId of new Set(spends.map((s) => s.personId))) {
      await audit(t.tx, {
        action: "view",
        recordType: "person",
        recordId: personId,
        changes: { spends: true },
      });
    }
    return spends;
  });
}

/** Used by the budget page: plan lines' planned amount over some weeks, to the penny. */
export const plannedOver = (weeklyPence: number, days: number): number =>
  scalePence(pence(weeklyPence), days, 7);

/** One spend as a direct-payment audit reads it: with its card's merchant code, its transfer and its receipts. */
export type SpendEvidence = {
  spendId: string;
  budgetId: string;
  /** The budget account it was paid from (direct_payment, council_managed, …). */
  deployment: string;
  transferId: string;
  date: string;
  amountPence: number;
  direction: "out" | "in";
  state: "pending" | "posted" | "voided";
  payeeName: string;
  mcc: string | null;
  supportId: string | null;
  receiptIds: string[];
  /** The day the latest receipt for it was uploaded (London time is not needed: a calendar day in UTC). */
  lastReceiptOn: string | null;
};

/** The most spends one audit reads per budget: the newest first. */
export const AUDIT_SPEND_LIMIT = 5000;

/** Spends of these budgets with their receipts, for the direct-payment audit (dp-audits); the caller audits. */
export async function spendEvidenceIn(t: TxContext, budgetIds: readonly string[]): Promise<SpendEvidence[]> {
  const rows = await repo.spendsOf(t.tx, {
    budgetIds,
    limit: AUDIT_SPEND_LIMIT * Math.max(1, budgetIds.length),
  });
  const receipts = new Map<string, { ids: string[]; last: string | null }>();
  // One query for every person's receipts (the DP audit queue reads a page of budgets at a time).
  for (const r of await repo.receiptsOfPeople(t.tx, [...new Set(rows.map((r) => r.person_id))])) {
    const day = r.created_at.toISOString().slice(0, 10);
    const seen = receipts.get(r.spend_id) ?? { ids: [], last: null };
    seen.ids.push(r.receipt_id);
    if (seen.last === null || day > seen.last) seen.last = day;
    receipts.set(r.spend_id, seen);
  }
  return rows.map((s) => ({
    spendId: s.spend_id,
    budgetId: s.budget_id,
    deployment: s.deployment,
    transferId: s.transfer_id,
    date: s.spend_date,
    amountPence: s.amount_pence,
    direction: s.direction,
    state: s.state,
    payeeName: s.payee_name,
    mcc: s.mcc,
    supportId: s.support_id,
    receiptIds: receipts.get(s.spend_id)?.ids ?? [],
    lastReceiptOn: receipts.get(s.spend_id)?.last ?? null,
  }));
}
