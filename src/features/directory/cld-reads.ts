import { anyText } from "#/platform/db/any-of.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * Providers by id, for the reports feature's Client Level Data return (Provider CQC Location Name and ID): one
 * query for the providers a page of budget lines names.
 */

export type ProviderForReports = {
  providerId: string;
  name: string;
  /** The provider's Care Quality Commission identifier, if the directory records one. */
  cqcLocationId: string | null;
};

type Identifier = { scheme?: string; type?: string; identifier: string };

/** An identifier whose scheme or type names the CQC (Care Quality Commission). */
function cqcIdentifier(identifiers: unknown): string | null {
  if (!Array.isArray(identifiers)) return null;
  const found = (identifiers as Identifier[]).find((i) =>
    /\bcqc\b|care quality commission/i.test(`${i.scheme ?? ""} ${i.type ?? ""}`),
  );
  return found?.identifier ?? null;
}

export async function providersForReportsIn(
  tx: TenantTx,
  providerIds: readonly string[],
): Promise<ProviderForReports[]> {
  if (providerIds.length === 0) return [];
  const rows = await tx
    .selectFrom("directory_providers")
    .select(["provider_id", "name", "identifiers"])
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("provider_id", "=", anyText(providerIds))
    .orderBy("provider_id")
    .execute();
  return rows.map((r) => ({
    providerId: r.provider_id,
    name: r.name,
    cqcLocationId: cqcIdentifier(r.identifiers),
  }));
}
