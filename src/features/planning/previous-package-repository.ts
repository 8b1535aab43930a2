import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * SQL for the package a support plan replaced (migrations/0027_previous_package.sql), inside the caller's
 * tenant transaction.
 */

export async function setPreviousPackage(
  tx: TenantTx,
  planId: string,
  value: { weeklyPence: number; date: string } | null,
): Promise<void> {
  await tx
    .updateTable("support_plans")
    .set({
      previous_package_weekly_pence: value?.weeklyPence ?? null,
      previous_package_date: value?.date ?? null,
    })
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("plan_id", "=", planId)
    .execute();
}

export type PlanFactsRow = {
  plan_id: string;
  person_id: string;
  assessment_id: string;
  previous_package_weekly_pence: number | null;
  previous_package_date: string | null;
};

/** Every plan of the council: whose, which assessment it answers, and the package it replaced. */
export async function allPlanFacts(tx: TenantTx): Promise<PlanFactsRow[]> {
  return tx
    .selectFrom("support_plans")
    .select([
      "plan_id",
      "person_id",
      "assessment_id",
      "previous_package_weekly_pence",
      "previous_package_date",
    ])
    .where("tenant_id", "=", tx.scope.tenantId)
    .orderBy("plan_id")
    .execute();
}
