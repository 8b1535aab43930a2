import { type Kysely, type Selectable, sql } from "kysely";
import type { DB } from "#/platform/db/schema.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * Settings that change on a date. A council's settings (funding, reviews, payments, charging) are kept as
 * versions: a change never overwrites, it adds a version that applies from a date, so a decision re-run later
 * reads the settings that were in force on its date. The queries are written once here; each feature's repository
 * still owns its table and names it.
 *
 * Numbered versions (funding, reviews, payments): each row has the tenant, a version number (1, 2, … in the
 * order recorded) and valid_from. The version in force on a date is the latest valid_from on or before it; of
 * two from one day, the later recorded. Ranged versions (charging) carry valid_from and valid_to instead, and
 * are chosen in memory by versionInForce.
 */

/** The tables whose rows are numbered dated versions of a tenant's settings. */
export type NumberedVersionTable = {
  [K in keyof DB]: DB[K] extends { tenant_id: string; version: number; valid_from: unknown } ? K : never;
}[keyof DB];

type VersionColumns = { tenant_id: string; version: number; valid_from: string };

/** One change to a tenant's settings at a time, so version numbers follow one another. Ends with the transaction. */
export async function lockTenantSettings(tx: TenantTx, name: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`${name}:${tx.scope.tenantId}`}, 0))`.execute(tx);
}

export type NumberedVersions<Row> = {
  /** Holds the settings still while one change is checked and made (lockTenantSettings). */
  lock(tx: TenantTx): Promise<void>;
  /** Every version, newest recorded first. */
  list(tx: TenantTx): Promise<Row[]>;
  /** The version in force on a date: the latest valid_from on or before it, the later recorded on a tie. */
  inForceOn(tx: TenantTx, date: string): Promise<Row | undefined>;
  /** The version recorded last, whatever date it applies from. */
  latest(tx: TenantTx): Promise<Row | undefined>;
  find(tx: TenantTx, version: number): Promise<Row | undefined>;
  /** The number the next version gets (1 for the first). Call under lock. */
  nextVersion(tx: TenantTx): Promise<number>;
};

/** The queries over one table of numbered versions; `lockName` keys its advisory lock ("payment-settings"). */
export function numberedVersions<T extends NumberedVersionTable>(
  table: T,
  lockName: string,
): NumberedVersions<Selectable<DB[T]>> {
  type Row = Selectable<DB[T]>;
  // Every such table has these columns; Kysely cannot see that through a generic table name.
  const name: string = table;
  const db = (tx: TenantTx) => tx as unknown as Kysely<Record<string, VersionColumns>>;
  const versions = (tx: TenantTx) =>
    db(tx).selectFrom(name).selectAll().where("tenant_id", "=", tx.scope.tenantId);
  return {
    lock: (tx) => lockTenantSettings(tx, lockName),
    list: async (tx) => (await versions(tx).orderBy("version", "desc").execute()) as Row[],
    inForceOn: async (tx, date) =>
      (await versions(tx)
        .where("valid_from", "<=", date)
        .orderBy("valid_from", "desc")
        .orderBy("version", "desc")
        .limit(1)
        .executeTakeFirst()) as Row | undefined,
    latest: async (tx) =>
      (await versions(tx).orderBy("version", "desc").limit(1).executeTakeFirst()) as Row | undefined,
    find: async (tx, version) =>
      (await versions(tx).where("version", "=", version).executeTakeFirst()) as Row | undefined,
    nextVersion: async (tx) => {
      const last = await db(tx)
        .selectFrom(name)
        .select(sql<number | string | null>`max(version)`.as("max"))
        .where("tenant_id", "=", tx.scope.tenantId)
        .executeTakeFirst();
      return Number(last?.max ?? 0) + 1;
    },
  };
}

/** A version that applies from one date to another (inclusive), or with no end yet (null or absent). */
export type RangedVersion = { readonly validFrom: string; readonly validTo?: string | null };

/**
 * The version in force on a date among versions with start and end dates: of those covering the date, the one
 * starting latest (the later listed on a tie). ISO dates compare correctly as strings.
 */
export function versionInForce<V extends RangedVersion>(versions: readonly V[], date: string): V | undefined {
  let found: V | undefined;
  for (const v of versions) {
    const covers = v.validFrom <= date && (v.validTo == null || date <= v.validTo);
    if (covers && (found === undefined || v.validFrom >= found.validFrom)) found = v;
  }
  return found;
}
