import { type PersonalBudget, withLines } from "#/features/budgets/service.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * Budgets in force at some time in [from, to] (started by `to`, not ended before `from`), with their lines:
 * the commissioner's money and caseload reports (features/reports).
 */
export async function budgetsOverlappingIn(
  tx: TenantTx,
  from: string,
  to: string,
): Promise<PersonalBudget[]> {
  const rows = await tx
    .selectFrom("personal_budgets")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("start_date", "<=", to)
    .where((eb) => eb.or([eb("end_date", "is", null), eb("end_date", ">=", from)]))
    .orderBy("start_date")
    .orderBy("budget_id")
    .execute();
  return withLines(tx, rows);
}
