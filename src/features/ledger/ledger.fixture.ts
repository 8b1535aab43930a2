import type { ServiceContext } from "#/platform/context.ts";
import type { Database } from "#/platform/db/database.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import { withSystem } from "#/platform/db/tenant.ts";

/** A bare tenant for ledger tests and the benchmark (the ledger needs no people, plans or staff). */
export async function ledgerTenant(
  database: Database,
  slug = `ledger-${uuidv7().slice(-12)}`,
): Promise<ServiceContext> {
  const tenantId = uuidv7();
  await withSystem(database.db, (trx) =>
    trx
      .insertInto("tenants")
      .values({ tenant_id: tenantId, slug, name: `Ledger ${slug}`, jurisdiction: "england" })
      .execute(),
  );
  return {
    db: database.db,
    scope: { tenantId, actor: { type: "system", id: null, name: "ledger test" } },
    today: "2026-11-23",
  };
}
