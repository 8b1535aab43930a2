import type { ColumnType, Generated } from "kysely";

export type DateColumn = ColumnType<string, string, string>;

// Kysely's view of the tables, added to the shared DB interface from here (declaration merging), beside the SQL.
export type Json<T = unknown> = ColumnType<T, string, string>;

declare module "#/platform/db/schema.ts" {
  interface DB {
    funding_streams: {
      tenant_id: string;
      stream_id: string;
      kind: string;
      created_at: Generated<Date>;
    };
    funding_settings_versions: {
      tenant_id: string;
      settings_version_id: string;
      version: number;
      valid_from: DateColumn;
      settings: Json;
      reason: string;
      created_by: string;
      created_at: Generated<Date>;
    };
  }
}
