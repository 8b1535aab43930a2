import type { TenantTx } from "#/platform/db/tenant.ts";

/** Each member of staff's team (null: none), by user id: the commissioner's reports count work by team. */
export async function staffTeamsIn(tx: TenantTx): Promise<Map<string, string | null>> {
  const rows = await tx
    .selectFrom("staff_users")
    .select(["user_id", "team_id"])
    .where("tenant_id", "=", tx.scope.tenantId)
    .execute();
  return new Map(rows.map((r) => [r.user_id, r.team_id]));
}
