import type { ColumnType } from "kysely";
import { sql } from "kysely";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * The reports' materialised snapshots (migrations/0030_report_snapshots.sql): one stored model per report and
 * parameter set, as the JSON its page, downloads and API read. Declared here rather than in a tables.ts so the
 * reports feature's parts being built side by side do not write the same new file; its SQL runs inside the
 * caller's tenant transaction.
 */

declare module "#/platform/db/schema.ts" {
  interface DB {
    report_snapshots: {
      tenant_id: string;
      report: string;
      parameters: string;
      is_default: ColumnType<boolean, boolean | undefined, boolean>;
      as_at: ColumnType<string, string, string>;
      computed_at: ColumnType<Date, Date | string, Date | string>;
      computed_by: string;
      model: ColumnType<unknown, string, string>;
    };
  }
}

export type SnapshotRow = {
  report: string;
  parameters: string;
  isDefault: boolean;
  /** The data date the figures are as at (YYYY-MM-DD). */
  asAt: string;
  computedAt: Date;
  computedBy: string;
  model: unknown;
};

const COLUMNS = [
  "report",
  "parameters",
  "is_default",
  "as_at",
  "computed_at",
  "computed_by",
  "model",
] as const;

type Selected = {
  report: string;
  parameters: string;
  is_default: boolean;
  as_at: string;
  computed_at: Date;
  computed_by: string;
  model: unknown;
};

function fromRow(row: Selected): SnapshotRow {
  return {
    report: row.report,
    parameters: row.parameters,
    isDefault: row.is_default,
    asAt: row.as_at,
    computedAt: row.computed_at instanceof Date ? row.computed_at : new Date(row.computed_at),
    computedBy: row.computed_by,
    // jsonb comes back parsed from pg and PGlite alike; a string would be a driver set to leave it alone.
    model: typeof row.model === "string" ? JSON.parse(row.model) : row.model,
  };
}

/** The snapshot for exactly these parameters, if one is stored. */
export async function snapshotFor(
  tx: TenantTx,
  report: string,
  parameters: string,
): Promise<SnapshotRow | undefined> {
  const row = await tx
    .selectFrom("report_snapshots")
    .select(COLUMNS)
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("report", "=", report)
    .where("parameters", "=", parameters)
    .executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

/** The latest snapshot of the page's default view as at a date on or before `onOrBefore`. */
export async function latestDefaultSnapshot(
  tx: TenantTx,
  report: string,
  onOrBefore: string,
): Promise<SnapshotRow | undefined> {
  const row = await tx
    .selectFrom("report_snapshots")
    .select(COLUMNS)
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("report", "=", report)
    .where("is_default", "=", true)
    .where("as_at", "<=", onOrBefore)
    .orderBy("as_at", "desc")
    .orderBy("computed_at", "desc")
    .limit(1)
    .executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

/** Stores (or replaces) the snapshot for a report's parameters. */
export async function saveSnapshot(tx: TenantTx, snapshot: SnapshotRow): Promise<void> {
  const values = {
    is_default: snapshot.isDefault,
    as_at: snapshot.asAt,
    computed_at: snapshot.computedAt,
    computed_by: snapshot.computedBy,
    model: JSON.stringify(snapshot.model),
  };
  await tx
    .insertInto("report_snapshots")
    .values({
      tenant_id: tx.scope.tenantId,
      report: snapshot.report,
      parameters: snapshot.parameters,
      ...values,
    })
    .onConflict((oc) =>
      oc.columns(["tenant_id", "report", "parameters"]).doUpdateSet({
        ...values,
        is_default: sql<boolean>`report_snapshots.is_default OR excluded.is_default`,
      }),
    )
    .execute();
}

/** Every stored snapshot's report, parameters and times (no models), newest data first. */
export async function listSnapshots(tx: TenantTx): Promise<Omit<SnapshotRow, "model" | "computedBy">[]> {
  const rows = await tx
    .selectFrom("report_snapshots")
    .select(["report", "parameters", "is_default", "as_at", "computed_at"])
    .where("tenant_id", "=", tx.scope.tenantId)
    .orderBy("report")
    .orderBy("as_at", "desc")
    .execute();
  return rows.map((r) => ({
    report: r.report,
    parameters: r.parameters,
    isDefault: r.is_default,
    asAt: r.as_at,
    computedAt: r.computed_at,
  }));
}

/** Drops the snapshots whose data date is before `before` (not refreshed since); returns how many. */
export async function dropSnapshotsBefore(tx: TenantTx, before: string): Promise<number> {
  const result = await tx
    .deleteFrom("report_snapshots")
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("as_at", "<", before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
