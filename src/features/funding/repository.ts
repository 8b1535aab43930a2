import { type Selectable, sql } from "kysely";
import type { DB } from "#/platform/db/schema.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * SQL for the council's funding settings (migrations/0006_directory_funding.sql), inside the caller's tenant
 * transaction. Versions are only ever added. Queries name tenant_id even under RLS, so Citus can route them.
 */

export type SettingsVersionRow = Selectable<DB["funding_settings_versions"]>;

/** One change to the funding settings at a time per tenant, so version numbers follow one another. */
export async function lockSettings(tx: TenantTx): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`funding-settings:${tx.scope.tenantId}`}, 0))`.execute(
    tx,
  );
}

/** Every version, newest recorded first. */
export async function listVersions(tx: TenantTx): Promise<SettingsVersionRow[]> {
  return tx
    .selectFrom("funding_settings_versions")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .orderBy("version", "desc")
    .execute();
}

export async function findVersion(tx: TenantTx, version: number): Promise<SettingsVersionRow | undefined> {
  return tx
    .selectFrom("funding_settings_versions")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("version", "=", version)
    .executeTakeFirst();
}

export async function latestVersion(tx: TenantTx): Promise<SettingsVersionRow | undefined> {
  return tx
    .selectFrom("funding_settings_versions")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .orderBy("version", "desc")
    .limit(1)
    .executeTakeFirst();
}

/** The version in force on a date: the latest start on or before it; of two from one day, the later recorded. */
export async function versionOn(tx: TenantTx, date: string): Promise<SettingsVersionRow | undefined> {
  return tx
    .selectFrom("funding_settings_versions")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("valid_from", "<=", date)
    .orderBy("valid_from", "desc")
    .orderBy("version", "desc")
    .limit(1)
    .executeTakeFirst();
}

export async function insertVersion(
  tx: TenantTx,
  row: {
    settings_version_id: string;
    version: number;
    valid_from: string;
    settings: unknown;
    reason: string;
    created_by: string;
  },
): Promise<SettingsVersionRow> {
  return tx
    .insertInto("funding_settings_versions")
    .values({ ...row, tenant_id: tx.scope.tenantId, settings: JSON.stringify(row.settings) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The kind each stream id was first set up with. */
export async function listStreamKinds(tx: TenantTx): Promise<Map<string, string>> {
  const rows = await tx
    .selectFrom("funding_streams")
    .select(["stream_id", "kind"])
    .where("tenant_id", "=", tx.scope.tenantId)
    .execute();
  return new Map(rows.map((r) => [r.stream_id, r.kind]));
}

export async function registerStreams(tx: TenantTx, streams: readonly { id: string; kind: string }[]) {
  if (streams.length === 0) return;
  await tx
    .insertInto("funding_streams")
    .values(streams.map((s) => ({ tenant_id: tx.scope.tenantId, stream_id: s.id, kind: s.kind })))
    .onConflict((oc) => oc.columns(["tenant_id", "stream_id"]).doNothing())
    .execute();
}
