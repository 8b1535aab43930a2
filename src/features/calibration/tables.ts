import type { ColumnType, Generated } from "kysely";

// Kysely's view of the table, added to the shared DB interface from here (declaration merging) so this
// feature's table is described beside its SQL.
export type Json<T = unknown> = ColumnType<T, string, string>;

declare module "#/platform/db/schema.ts" {
  interface DB {
    ras_calibrations: {
      tenant_id: string;
      calibration_id: string;
      status: "proposed" | "adopted";
      based_on_ras_model_id: string;
      input_summary: Json;
      fitted_model: Json;
      report: Json;
      created_by: string;
      created_at: Generated<Date>;
      adopted_ras_model_id: string | null;
      adopted_by: string | null;
      adopted_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
      adoption_reason: string | null;
    };
  }
}
