import { type Kysely, type Selectable, sql } from "kysely";
import { jsonObjectFrom } from "kysely/helpers/postgres";
import type { DB } from "#/platform/db/schema.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/** SQL for tenants and their RAS models. Queries name tenant_id even under RLS, so Citus can route them. */

export type TenantRow = Selectable<DB["tenants"]>;
export type ContactRow = Selectable<DB["council_contact_details"]>;
export type RasModelRow = Selectable<DB["ras_models"]>;

/** Only the owner connection may insert tenants (upfront_app has SELECT only). */
export async function insertTenant(
  trx: Kysely<DB>,
  row: Pick<TenantRow, "tenant_id" | "slug" | "name" | "jurisdiction"> & Partial<Pick<TenantRow, "ons_code">>,
): Promise<TenantRow> {
  return trx.insertInto("tenants").values(row).returningAll().executeTakeFirstOrThrow();
}

/** Before a tenant is known the app role reads councils only through migrations/0025's functions. */
export async function findTenantBySlug(db: Kysely<DB>, slug: string): Promise<TenantRow | undefined> {
  return (await sql<TenantRow>`SELECT * FROM tenant_by_slug(${slug})`.execute(db)).rows[0];
}

export async function findTenantById(db: Kysely<DB>, tenantId: string): Promise<TenantRow | undefined> {
  return (await sql<TenantRow>`SELECT * FROM tenant_by_id(${tenantId}::uuid)`.execute(db)).rows[0];
}

/**
 * The transaction's council (short name, name, jurisdiction) as a subquery, for another feature's query to select
 * in the same statement; null only if RLS hid the council, which its own transaction never does.
 */
export function councilSubquery(tx: TenantTx) {
  return jsonObjectFrom(
    tx
      .selectFrom("tenants")
      .select(["slug", "name", "jurisdiction"])
      .where("tenant_id", "=", tx.scope.tenantId),
  );
}

/** Every council's id, short name and name, by name. */
export async function listCouncils(
  db: Kysely<DB>,
): Promise<{ tenant_id: string; slug: string; name: string }[]> {
  return (
    await sql<{ tenant_id: string; slug: string; name: string }>`SELECT * FROM list_councils()`.execute(db)
  ).rows;
}

/** The tenant's current model: its highest version. */
export async function latestRasModel(tx: TenantTx): Promise<RasModelRow | undefined> {
  return tx
    .selectFrom("ras_models")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .orderBy("version", "desc")
    .limit(1)
    .executeTakeFirst();
}

/** The version number of one of the tenant's RAS models. */
export async function findRasModelVersion(tx: TenantTx, rasModelId: string): Promise<number | undefined> {
  const row = await tx
    .selectFrom("ras_models")
    .select("version")
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("ras_model_id", "=", rasModelId)
    .executeTakeFirst();
  return row?.version;
}

export async function insertRasModel(
  tx: TenantTx,
  row: { ras_model_id: string; version: number; model: unknown; adopted_by: string; reason: string },
): Promise<RasModelRow> {
  return tx
    .insertInto("ras_models")
    .values({ ...row, tenant_id: tx.scope.tenantId, model: JSON.stringify(row.model) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function listRasModels(tx: TenantTx): Promise<RasModelRow[]> {
  return tx
    .selectFrom("ras_models")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .orderBy("version", "desc")
    .execute();
}

export async function findContactDetails(tx: TenantTx): Promise<ContactRow | undefined> {
  return tx
    .selectFrom("council_contact_details")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .executeTakeFirst();
}

/** Inserts or replaces the council's one row of contact details. */
export async function saveContactDetails(
  tx: TenantTx,
  row: Omit<ContactRow, "tenant_id" | "updated_at">,
): Promise<ContactRow> {
  const values = { ...row, tenant_id: tx.scope.tenantId };
  return tx
    .insertInto("council_contact_details")
    .values(values)
    .onConflict((oc) => oc.column("tenant_id").doUpdateSet({ ...row, updated_at: new Date() }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Councils whose short name or ONS code is one of these (before a new council is made; owner connection). */
export async function tenantsWithSlugOrOnsCode(
  trx: Kysely<DB>,
  slug: string,
  onsCode: string,
): Promise<{ slug: string; ons_code: string | null }[]> {
  return trx
    .selectFrom("tenants")
    .select(["slug", "ons_code"])
    .where((eb) => eb.or([eb("slug", "=", slug), eb("ons_code", "=", onsCode)]))
    .execute();
}
