import { type Kysely, type Selectable, sql } from "kysely";
import type { DB } from "#/platform/db/schema.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * SQL for RAS calibrations (migrations/0004_ras_calibration.sql), inside the caller's tenant transaction.
 * Queries name tenant_id even under RLS, so Citus can route them.
 */

export type CalibrationRow = Selectable<DB["ras_calibrations"]>;
export type CalibrationListRow = Omit<CalibrationRow, "report" | "fitted_model">;

export async function insertCalibration(
  tx: TenantTx,
  row: {
    calibration_id: string;
    based_on_ras_model_id: string;
    input_summary: unknown;
    fitted_model: unknown;
    report: unknown;
    created_by: string;
  },
): Promise<CalibrationRow> {
  return tx
    .insertInto("ras_calibrations")
    .values({
      tenant_id: tx.scope.tenantId,
      calibration_id: row.calibration_id,
      status: "proposed",
      based_on_ras_model_id: row.based_on_ras_model_id,
      input_summary: JSON.stringify(row.input_summary),
      fitted_model: JSON.stringify(row.fitted_model),
      report: JSON.stringify(row.report),
      created_by: row.created_by,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** `forUpdate` locks the row, so two adoptions of one calibration run one after the other. */
export async function findCalibration(
  tx: TenantTx,
  calibrationId: string,
  opts: { forUpdate?: boolean } = {},
): Promise<CalibrationRow | undefined> {
  let query = tx
    .selectFrom("ras_calibrations")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("calibration_id", "=", calibrationId);
  if (opts.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** Newest first, without the (large) report and model. */
export async function listCalibrations(tx: TenantTx, limit: number): Promise<CalibrationListRow[]> {
  return tx
    .selectFrom("ras_calibrations")
    .select([
      "tenant_id",
      "calibration_id",
      "status",
      "based_on_ras_model_id",
      "input_summary",
      "created_by",
      "created_at",
      "adopted_ras_model_id",
      "adopted_by",
      "adopted_at",
      "adoption_reason",
    ])
    .where("tenant_id", "=", tx.scope.tenantId)
    .orderBy("created_at", "desc")
    .orderBy("calibration_id", "desc")
    .limit(limit)
    .execute();
}

/** Proposed → adopted; returns undefined if it was not proposed any more (someone adopted it first). */
export async function markAdopted(
  tx: TenantTx,
  calibrationId: string,
  adoption: { rasModelId: string; adoptedBy: string; reason: string },
): Promise<CalibrationRow | undefined> {
  return tx
    .updateTable("ras_calibrations")
    .set({
      status: "adopted",
      adopted_ras_model_id: adoption.rasModelId,
      adopted_by: adoption.adoptedBy,
      adopted_at: sql<Date>`now()`,
      adoption_reason: adoption.reason,
    })
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("calibration_id", "=", calibrationId)
    .where("status", "=", "proposed")
    .returningAll()
    .executeTakeFirst();
}

/** The council a calibration belongs to, before any tenant is known (owner connection). */
export async function tenantOfCalibration(
  trx: Kysely<DB>,
  calibrationId: string,
): Promise<string | undefined> {
  const row = await trx
    .selectFrom("ras_calibrations")
    .select("tenant_id")
    .where("calibration_id", "=", calibrationId)
    .executeTakeFirst();
  return row?.tenant_id;
}
