import type { Apportionment } from "#/features/funding/apportion.calc.ts";
import { daysInclusive, type FinancialYear } from "#/features/funding/settings.calc.ts";
import type { PlanCosting } from "#/features/planning/plan.calc.ts";
import { type Pence, pence } from "#/platform/money/pence.ts";
import type { Deployment } from "#/vocabulary/deployments.ts";

/**
 * The live personal budget an approved plan makes, worked out from the plan's apportionment (pure), and what
 * budgets commit from a funding stream's yearly pot.
 *
 * A budget line is one support × funding stream × deployment: what the stream pays for the support a week
 * (gross) and the part of the person's weekly contribution taken off it (only ever on a means-tested stream:
 * the apportionment puts none on the others), or what it pays once for a one-off cost.
 */

export type BudgetLineSource = {
  readonly supportId: string;
  readonly what: string;
  /** A directory provider id, where the plan names one. */
  readonly providerId: string | null;
  /** Who is paid, where the plan names them (a provider's or personal assistant's name). */
  readonly payeeName: string | null;
};

export type BudgetLine = {
  readonly lineNo: number;
  readonly supportId: string;
  readonly supportName: string;
  readonly category: string;
  readonly deployment: Deployment;
  readonly streamId: string;
  readonly meansTested: boolean;
  readonly weeklyPence: Pence;
  readonly contributionWeeklyPence: Pence;
  readonly oneOffPence: Pence;
  readonly providerId: string | null;
  readonly payeeName: string | null;
};

export type BudgetFromPlan = {
  /** The plan's weekly cost (every stream, before the contribution). */
  readonly weeklyPence: Pence;
  readonly oneOffPence: Pence;
  /** The contribution actually taken off means-tested streams (never more than they pay). */
  readonly contributionWeeklyPence: Pence;
  readonly lines: readonly BudgetLine[];
};

/**
 * The budget lines, in the plan's support order then payer order. A share of nothing makes no line. Throws when
 * a costed line has no deployment or is not fully funded: approval refuses both before this is called.
 */
export function budgetFromPlan(
  costing: PlanCosting,
  apportionment: Apportionment,
  sources: readonly BudgetLineSource[],
): BudgetFromPlan {
  if (apportionment.unfunded.length > 0) throw new RangeError("An unfunded plan makes no budget");
  const bySupport = new Map(sources.map((s) => [s.supportId, s]));
  const lines: BudgetLine[] = [];
  for (const line of apportionment.lines) {
    if (line.deployment === null) throw new RangeError(`Support ${line.supportId} has no deployment`);
    const source = bySupport.get(line.supportId);
    for (const share of line.shares) {
      if (share.grossPence === 0) continue;
      const weekly = line.basis === "weekly";
      lines.push({
        lineNo: lines.length + 1,
        supportId: line.supportId,
        supportName: source?.what ?? line.supportId,
        category: line.category,
        deployment: line.deployment,
        streamId: share.streamId,
        meansTested: share.meansTested,
        weeklyPence: weekly ? share.grossPence : pence(0),
        contributionWeeklyPence: weekly ? share.contributionPence : pence(0),
        oneOffPence: weekly ? pence(0) : share.grossPence,
        providerId: source?.providerId ?? null,
        payeeName: source?.payeeName ?? null,
      });
    }
  }
  return {
    weeklyPence: costing.weeklyPence,
    oneOffPence: costing.oneOffPence,
    contributionWeeklyPence: apportionment.contribution.appliedWeeklyPence,
    lines,
  };
}

export type CommittedBudget = {
  readonly startDate: string;
  /** Null while the budget runs on. */
  readonly endDate: string | null;
  /** What the stream pays for it a week (gross), and once. */
  readonly weeklyPence: number;
  readonly oneOffPence: number;
};

/**
 * What budgets commit from a stream's pot in a financial year: each budget's weekly amount for every week it
 * runs in the year (a part week counted as a week, as the apportionment's period is), and its one-off costs when
 * it starts in the year. The gross amount is committed: a contribution the person does not pay still has to be
 * met. A budget ended before it started (end = start − 1, replaced on its first day) commits nothing.
 */
// YYYY-MM-DD strings compare in date order.
const later = (a: string, b: string) => (a > b ? a : b);
const earlier = (a: string, b: string) => (a < b ? a : b);

export function committedInYear(budgets: readonly CommittedBudget[], year: FinancialYear): Pence {
  let total = 0;
  for (const b of budgets) {
    const from = later(b.startDate, year.start);
    const to = b.endDate === null ? year.end : earlier(b.endDate, year.end);
    if (to < from) continue;
    total += Math.ceil(daysInclusive(from, to) / 7) * b.weeklyPence;
    if (
      b.startDate >= year.start &&
      b.startDate <= year.end &&
      (b.endDate === null || b.endDate >= b.startDate)
    ) {
      total += b.oneOffPence;
    }
  }
  return pence(total);
}
