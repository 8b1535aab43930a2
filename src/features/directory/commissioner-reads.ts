import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * Which providers and services the directory lists, by id: the commissioner's market-gaps report (features/reports)
 * asks whether each plan's support came from the directory. A service counts only while it is active.
 */
export async function directoryIdsIn(
  tx: TenantTx,
): Promise<{ providerIds: Set<string>; activeServiceIds: Set<string> }> {
  const providers = await tx
    .selectFrom("directory_providers")
    .select("provider_id")
    .where("tenant_id", "=", tx.scope.tenantId)
    .execute();
  const services = await tx
    .selectFrom("directory_services")
    .select("service_id")
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("status", "=", "active")
    .execute();
  return {
    providerIds: new Set(providers.map((p) => p.provider_id)),
    activeServiceIds: new Set(services.map((s) => s.service_id)),
  };
}
