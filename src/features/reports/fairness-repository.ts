import type { ColumnType, Generated } from "kysely";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * The fairness dashboard's own table (migrations/0028_fairness_settings.sql), declared here rather than in a
 * tables.ts so the reports feature's parts being built side by side do not write the same new file; and its SQL,
 * inside the caller's tenant transaction.
 */

declare module "#/platform/db/schema.ts" {
  interface DB {
    fairness_settings: {
      tenant_id: string;
      valid_from: ColumnType<string, string, string>;
      suppress_fewer_than: number;
      margin_percent: number;
      reason: string;
      created_by: string;
      created_at: Generated<Date>;
    };
  }
}

export type FairnessSettingsRow = {
  valid_from: string;
  suppress_fewer_than: number;
  margin_percent: number;
  reason: string;
};

/** The council's setting in force on a date: the latest from on or before it. */
export async function settingsOn(tx: TenantTx, date: string): Promise<FairnessSettingsRow | undefined> {
  return tx
    .selectFrom("fairness_settings")
    .select(["valid_from", "suppress_fewer_than", "margin_percent", "reason"])
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("valid_from", "<=", date)
    .orderBy("valid_from", "desc")
    .limit(1)
    .executeTakeFirst();
}

export async function insertSettings(
  tx: TenantTx,
  row: FairnessSettingsRow & { created_by: string },
): Promise<void> {
  await tx
    .insertInto("fairness_settings")
    .values({ ...row, tenant_id: tx.scope.tenantId })
    .execute();
}

/** Every setting the council has made, newest first. */
export async function allSettings(tx: TenantTx): Promise<(FairnessSettingsRow & { created_by: string })[]> {
  return tx
    .selectFrom("fairness_settings")
    .select(["valid_from", "suppress_fewer_than", "margin_percent", "reason", "created_by"])
    .where("tenant_id", "=", tx.scope.tenantId)
    .orderBy("valid_from", "desc")
    .execute();
}
