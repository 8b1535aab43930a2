import * as repo from "#/features/budgets/fairness-repository.ts";
import { linesOf } from "#/features/budgets/repository.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * What the reports feature reads of personal budgets (issue 15, the public fairness dashboard): every budget
 * live on any day from `from` to `to` (its end date is the last day it pays for), with how its lines that pay
 * something each week are arranged. Not audited: only suppressed group figures leave through the reports.
 */

export type BudgetFacts = {
  budgetId: string;
  personId: string;
  planId: string;
  startDate: string;
  endDate: string | null;
  weeklyPence: number;
  deployments: string[];
};

export async function budgetsForReportsIn(tx: TenantTx, from: string, to: string): Promise<BudgetFacts[]> {
  const rows = await repo.budgetsOverlapping(tx, from, to);
  const lines = await linesOf(
    tx,
    rows.map((r) => r.budget_id),
  );
  const deployments = new Map<string, Set<string>>();
  for (const l of lines) {
    if (l.weekly_pence <= 0) continue;
    const set = deployments.get(l.budget_id) ?? new Set<string>();
    set.add(l.deployment);
    deployments.set(l.budget_id, set);
  }
  return rows.map((r) => ({
    budgetId: r.budget_id,
    personId: r.person_id,
    planId: r.plan_id,
    startDate: r.start_date,
    endDate: r.end_date,
    weeklyPence: r.weekly_pence,
    deployments: [...(deployments.get(r.budget_id) ?? [])].sort(),
  }));
}
