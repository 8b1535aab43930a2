import type { TenantTx } from "#/platform/db/tenant.ts";

/** Spending as the commissioner's money report reads it (features/reports): posted amounts, no payees. */
export type SpendFact = {
  budgetId: string;
  deployment: string;
  category: string | null;
  spendDate: string;
  /** Out is positive, money back in (a refund) negative. */
  amountPence: number;
};

/** Posted spending dated in [from, to]. */
export async function spendFactsIn(tx: TenantTx, from: string, to: string): Promise<SpendFact[]> {
  const rows = await tx
    .selectFrom("spends")
    .select(["budget_id", "deployment", "category", "spend_date", "direction", "amount_pence"])
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("state", "=", "posted")
    .where("spend_date", ">=", from)
    .where("spend_date", "<=", to)
    .orderBy("spend_date")
    .orderBy("spend_id")
    .execute();
  return rows.map((r) => ({
    budgetId: r.budget_id,
    deployment: r.deployment,
    category: r.category,
    spendDate: r.spend_date,
    amountPence: (r.direction === "in" ? -1 : 1) * Number(r.amount_pence),
  }));
}
