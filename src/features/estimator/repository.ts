import type { Kysely } from "kysely";
import type { DB } from "#/platform/db/schema.ts";
import { withSystem } from "#/platform/db/tenant.ts";

/**
 * The estimator has no tables of its own: it stores nothing. Its one query lists the councils (names and
 * short names only, which are public) before any council is chosen, so it runs outside any tenant, as
 * findTenantBySlug does. It belongs with the tenants' SQL; it is here until tenants/service.ts offers it.
 */
export async function listCouncils(db: Kysely<DB>): Promise<{ slug: string; name: string }[]> {
  return withSystem(db, (trx) =>
    trx.selectFrom("tenants").select(["slug", "name"]).orderBy("name").execute(),
  );
}
