import type { Selectable } from "kysely";
import { numberedVersions } from "#/platform/db/dated-versions.ts";
import type { DB } from "#/platform/db/schema.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * SQL for the council's funding settings (migrations/0006_directory_funding.sql), inside the caller's tenant
 * transaction. Versions are only ever added. Queries name tenant_id even under RLS, so Citus can route them.
 */

export type SettingsVersionRow = Selectable<DB["funding_settings_versions"]>;

const settingsVersions = numberedVersions("funding_settings_versions", "funding-settings");

/** One change to the funding settings at a time per tenant, so version numbers follow one another. */
export const lockSettings = settingsVersions.lock;

/** Every version, newest recorded first. */
export const listVersions = settingsVersions.list;

export const findVersion = settingsVersions.find;

export const latestVersion = settingsVersions.latest;

/** The version in force on a date: the latest start on or before it; of two from one day, the later recorded. */
export const versionOn = settingsVersions.inForceOn;

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
