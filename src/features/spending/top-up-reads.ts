import { sql } from "kysely";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * Third-party top-ups received in a period, for the reports feature: spend by ASC-FR setting excludes them
 * (REPORTING.md §2) and says how much it left out. A read for a feature above, inside its transaction; SQL on
 * spending's own table only. Whole pence; dates YYYY-MM-DD, inclusive.
 */

export type TopUpsInPeriod = { count: number; pence: number; people: number };

export async function topUpsInPeriodIn(tx: TenantTx, from: string, to: string): Promise<TopUpsInPeriod> {
  const row = await tx
    .selectFrom("top_ups")
    .select([
      sql<string>`count(*)`.as("count"),
      sql<string>`coalesce(sum(amount_pence), 0)`.as("pence"),
      sql<string>`count(distinct person_id)`.as("people"),
    ])
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("received_on", ">=", from)
    .where("received_on", "<=", to)
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), pence: Number(row.pence), people: Number(row.people) };
}
