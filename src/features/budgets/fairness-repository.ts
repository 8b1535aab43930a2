import type { TenantTx } from "#/platform/db/tenant.ts";

/** SQL for what the reports need of personal budgets: every budget live on any day of a period, and its lines. */

export type BudgetFactsRow = {
  budget_id: string;
  person_id: string;
  plan_id: string;
  start_date: string;
  end_date: string | null;
  weekly_pence: number;
};

export async function budgetsOverlapping(tx: TenantTx, from: string, to: string): Promise<BudgetFactsRow[]> {
  return tx
    .selectFrom("personal_budgets")
    .select(["budget_id", "person_id", "plan_id", "start_date", "end_date", "weekly_pence"])
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("start_date", "<=", to)
    .where((eb) => eb.or([eb("end_date", "is", null), eb("end_date", ">=", from)]))
    .orderBy("budget_id")
    .execute();
}
