import { postedBalance } from "#/features/ledger/ledger.calc.ts";
import { sumsOf } from "#/features/ledger/rows.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * The posted balance of every budget account (money held for a budget, by deployment): the commissioner's money
 * report works out the surplus held across the council from them (features/reports).
 */
export async function budgetAccountBalancesIn(
  tx: TenantTx,
): Promise<{ budgetId: string; deployment: string | null; balancePence: number }[]> {
  const rows = await tx
    .selectFrom("ledger_accounts")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("kind", "=", "budget")
    .where("budget_id", "is not", null)
    .orderBy("code")
    .execute();
  return rows.map((r) => ({
    budgetId: r.budget_id!,
    deployment: r.deployment,
    balancePence: postedBalance(sumsOf(r)),
  }));
}
