import { type Insertable, type Selectable, sql } from "kysely";
import type { DB } from "#/platform/db/schema.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * SQL for the provider and service directory (migrations/0006_directory_funding.sql), inside the caller's
 * tenant transaction. Queries name tenant_id even under RLS, so Citus can route them.
 */

export type ProviderRow = Selectable<DB["directory_providers"]>;
export type LocationRow = Selectable<DB["directory_locations"]>;
export type ServiceRow = Selectable<DB["directory_services"]>;
export type LinkRow = Selectable<DB["directory_service_locations"]>;

/** What is written for a provider: the row without the tenant and the stamps the database sets. */
type Written = "tenant_id" | "created_at" | "updated_at" | "created_by" | "updated_by";
export type ProviderValues = Omit<Insertable<DB["directory_providers"]>, Written>;
export type LocationValues = Omit<Insertable<DB["directory_locations"]>, Written>;
export type ServiceValues = Omit<Insertable<DB["directory_services"]>, Written>;
export type LinkValues = Omit<LinkRow, "tenant_id">;

/** Rows per INSERT: well under PostgreSQL's 65,535 bind parameters for the widest table. */
const CHUNK = 500;
function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

/** One change to the directory at a time per tenant (imports, and positions for new records). */
export async function lockDirectory(tx: TenantTx): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`directory:${tx.scope.tenantId}`}, 0))`.execute(
    tx,
  );
}

// ---- settings --------------------------------------------------------------------------------------------------

export async function findSettings(tx: TenantTx) {
  return tx
    .selectFrom("directory_settings")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .executeTakeFirst();
}

export async function saveSettings(tx: TenantTx, values: { allowOffApprovedList: boolean; by: string }) {
  return tx
    .insertInto("directory_settings")
    .values({
      tenant_id: tx.scope.tenantId,
      allow_off_approved_list: values.allowOffApprovedList,
      updated_by: values.by,
    })
    .onConflict((oc) =>
      oc.column("tenant_id").doUpdateSet({
        allow_off_approved_list: values.allowOffApprovedList,
        updated_by: values.by,
        updated_at: sql<Date>`now()`,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

// ---- reading the whole directory -------------------------------------------------------------------------------

export async function listProviders(tx: TenantTx): Promise<ProviderRow[]> {
  return tx
    .selectFrom("directory_providers")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .orderBy("position")
    .orderBy("provider_id")
    .execute();
}

export async function listLocations(tx: TenantTx): Promise<LocationRow[]> {
  return tx
    .selectFrom("directory_locations")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .orderBy("position")
    .orderBy("location_id")
    .execute();
}

export async function listServices(tx: TenantTx, providerIds?: readonly string[]): Promise<ServiceRow[]> {
  if (providerIds && providerIds.length === 0) return [];
  let query = tx.selectFrom("directory_services").selectAll().where("tenant_id", "=", tx.scope.tenantId);
  if (providerIds) query = query.where("provider_id", "in", providerIds);
  return query.orderBy("position").orderBy("service_id").execute();
}

export async function listLinks(tx: TenantTx, serviceIds?: readonly string[]): Promise<LinkRow[]> {
  if (serviceIds && serviceIds.length === 0) return [];
  let query = tx
    .selectFrom("directory_service_locations")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId);
  if (serviceIds) query = query.where("service_id", "in", serviceIds);
  return query.orderBy("service_id").orderBy("position").execute();
}

export async function findLocations(tx: TenantTx, locationIds: readonly string[]): Promise<LocationRow[]> {
  if (locationIds.length === 0) return [];
  return tx
    .selectFrom("directory_locations")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("location_id", "in", locationIds)
    .orderBy("position")
    .orderBy("location_id")
    .execute();
}

export async function findProvider(
  tx: TenantTx,
  providerId: string,
  opts: { forUpdate?: boolean } = {},
): Promise<ProviderRow | undefined> {
  let query = tx
    .selectFrom("directory_providers")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("provider_id", "=", providerId);
  if (opts.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function findProviders(tx: TenantTx, providerIds: readonly string[]): Promise<ProviderRow[]> {
  if (providerIds.length === 0) return [];
  return tx
    .selectFrom("directory_providers")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("provider_id", "in", providerIds)
    .execute();
}

export async function findService(
  tx: TenantTx,
  serviceId: string,
  opts: { forUpdate?: boolean } = {},
): Promise<ServiceRow | undefined> {
  let query = tx
    .selectFrom("directory_services")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("service_id", "=", serviceId);
  if (opts.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function nextPosition(
  tx: TenantTx,
  table: "directory_providers" | "directory_services" | "directory_locations",
): Promise<number> {
  const row = await tx
    .selectFrom(table)
    .select((eb) => eb.fn.max<number | null>("position").as("max"))
    .where("tenant_id", "=", tx.scope.tenantId)
    .executeTakeFirst();
  return row?.max === null || row?.max === undefined ? 0 : Number(row.max) + 1;
}

// ---- search ------------------------------------------------------------------------------------------------------

/** LIKE treats % and _ as wildcards; a search for them means the characters themselves. */
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export type ProviderSearch = {
  search?: string;
  category?: string;
  area?: string;
  kind?: ProviderRow["kind"];
  approvedList?: boolean;
  limit: number;
  offset: number;
};

/**
 * A page of providers by name. The text matches the provider's name or any of its services' names; a
 * category or an area matches when one of the provider's services has it (the area by name, anywhere in it).
 */
export async function searchProviders(
  tx: TenantTx,
  query: ProviderSearch,
): Promise<{ rows: ProviderRow[]; total: number }> {
  const tenantId = tx.scope.tenantId;
  let base = tx.selectFrom("directory_providers as p").where("p.tenant_id", "=", tenantId);
  if (query.search) {
    const pattern = `%${escapeLike(query.search)}%`;
    base = base.where((eb) =>
      eb.or([
        eb("p.name", "ilike", pattern),
        eb.exists(
          eb
            .selectFrom("directory_services as s")
            .select(sql.lit(1).as("one"))
            .whereRef("s.tenant_id", "=", "p.tenant_id")
            .whereRef("s.provider_id", "=", "p.provider_id")
            .where("s.name", "ilike", pattern),
        ),
      ]),
    );
  }
  if (query.category) {
    const category = query.category;
    base = base.where((eb) =>
      eb.exists(
        eb
          .selectFrom("directory_services as s")
          .select(sql.lit(1).as("one"))
          .whereRef("s.tenant_id", "=", "p.tenant_id")
          .whereRef("s.provider_id", "=", "p.provider_id")
          .where(sql<boolean>`${category} = ANY (s.categories)`),
      ),
    );
  }
  if (query.area) {
    const pattern = `%${escapeLike(query.area)}%`;
    base = base.where((eb) =>
      eb.exists(
        eb
          .selectFrom("directory_services as s")
          .select(sql.lit(1).as("one"))
          .whereRef("s.tenant_id", "=", "p.tenant_id")
          .whereRef("s.provider_id", "=", "p.provider_id")
          .where(
            sql<boolean>`EXISTS (SELECT 1 FROM jsonb_array_elements(s.service_areas) AS a
              WHERE a->>'name' ILIKE ${pattern})`,
          ),
      ),
    );
  }
  if (query.kind) base = base.where("p.kind", "=", query.kind);
  if (query.approvedList !== undefined) base = base.where("p.approved_list", "=", query.approvedList);
  // One after the other: a transaction has one connection.
  const rows = await base
    .selectAll("p")
    .orderBy(sql`lower(p.name)`)
    .orderBy("p.provider_id")
    .limit(query.limit)
    .offset(query.offset)
    .execute();
  const count = await base.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
  return { rows, total: Number(count.total) };
}

// ---- writing -----------------------------------------------------------------------------------------------------

// The directory's three record tables are written alike: rows in chunks, each tagged with the tenant and who wrote
// it; a row whose id is there already takes the new values of its columns, and who changed it and when.
type RecordTable = "directory_providers" | "directory_locations" | "directory_services";
type IdColumn = {
  directory_providers: "provider_id";
  directory_locations: "location_id";
  directory_services: "service_id";
};

async function upsertRecords<T extends RecordTable>(
  tx: TenantTx,
  table: T,
  id: IdColumn[T],
  columns: readonly Exclude<keyof Insertable<DB[T]> & string, Written | IdColumn[T]>[],
  rows: readonly Omit<Insertable<DB[T]>, Written>[],
  by: string,
) {
  const updates = Object.fromEntries([
    ...columns.map((c) => [c, sql.ref(`excluded.${c}`)]),
    ["updated_by", sql.ref("excluded.updated_by")],
    ["updated_at", sql<Date>`now()`],
  ]);
  for (const chunk of chunks(rows)) {
    await tx
      .insertInto(table)
      .values(
        chunk.map((r) => ({ ...r, tenant_id: tx.scope.tenantId, created_by: by, updated_by: by })) as never,
      )
      .onConflict((oc) => oc.columns(["tenant_id", id] as never).doUpdateSet(updates as never))
      .execute();
  }
}

/** Deletes these records by id, in chunks. */
async function deleteRecords<T extends RecordTable>(
  tx: TenantTx,
  table: T,
  id: IdColumn[T],
  ids: readonly string[],
) {
  for (const chunk of chunks(ids)) {
    // Typed as one of the three: all this touches is tenant_id and the text id, which each of them has.
    await tx
      .deleteFrom(table as "directory_services")
      .where("tenant_id", "=", tx.scope.tenantId)
      .where(id as "service_id", "in", chunk)
      .execute();
  }
}

export async function upsertProviders(tx: TenantTx, rows: readonly ProviderValues[], by: string) {
  await upsertRecords(
    tx,
    "directory_providers",
    "provider_id",
    [
      "position",
      "name",
      "description",
      "email",
      "website",
      "kind",
      "approved_list",
      "identifiers",
      "other_terms",
    ],
    rows,
    by,
  );
}

export async function upsertLocations(tx: TenantTx, rows: readonly LocationValues[], by: string) {
  await upsertRecords(
    tx,
    "directory_locations",
    "location_id",
    ["position", "name", "description", "latitude", "longitude", "addresses"],
    rows,
    by,
  );
}

export async function upsertServices(tx: TenantTx, rows: readonly ServiceValues[], by: string) {
  await upsertRecords(
    tx,
    "directory_services",
    "service_id",
    [
      "provider_id",
      "position",
      "name",
      "description",
      "url",
      "email",
      "status",
      "categories",
      "other_terms",
      "service_areas",
      "cost_options",
    ],
    rows,
    by,
  );
}

/** Replaces the location links of these services with the ones given. */
export async function replaceLinks(
  tx: TenantTx,
  serviceIds: readonly string[],
  links: readonly LinkValues[],
) {
  for (const chunk of chunks(serviceIds)) {
    await tx
      .deleteFrom("directory_service_locations")
      .where("tenant_id", "=", tx.scope.tenantId)
      .where("service_id", "in", chunk)
      .execute();
  }
  for (const chunk of chunks(links)) {
    await tx
      .insertInto("directory_service_locations")
      .values(chunk.map((l) => ({ ...l, tenant_id: tx.scope.tenantId })))
      .execute();
  }
}

export async function deleteServices(tx: TenantTx, ids: readonly string[]) {
  await deleteRecords(tx, "directory_services", "service_id", ids);
}

export async function deleteLocations(tx: TenantTx, ids: readonly string[]) {
  await deleteRecords(tx, "directory_locations", "location_id", ids);
}

export async function deleteProviders(tx: TenantTx, ids: readonly string[]) {
  await deleteRecords(tx, "directory_providers", "provider_id", ids);
}
