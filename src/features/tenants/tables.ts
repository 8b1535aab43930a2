import type { ColumnType, Generated } from "kysely";

/** The tenants feature's tables, declared once (declaration merging into platform/db/schema.ts's DB); only this feature's repository uses them. */

type Json<T = unknown> = ColumnType<T, string, string>;

declare module "#/platform/db/schema.ts" {
  interface DB {
    /** migrations/0018_council_contact.sql: one current row per council. */
    council_contact_details: {
      tenant_id: string;
      phone: string;
      email: string;
      address_line_1: string;
      address_line_2: string | null;
      town: string;
      county: string | null;
      postcode: string;
      opening_hours: string;
      updated_by: string;
      updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
    };
  }
}

declare module "#/platform/db/schema.ts" {
  interface DB {
    tenants: {
      tenant_id: string;
      slug: string;
      name: string;
      jurisdiction: "england" | "wales" | "scotland" | "ndis";
      created_at: Generated<Date>;
      /** The council's ONS (GSS) code, e.g. E09000033 (migrations/0017). */
      ons_code: string | null;
    };
    ras_models: {
      tenant_id: string;
      ras_model_id: string;
      version: number;
      model: Json;
      adopted_at: Generated<Date>;
      adopted_by: string;
      reason: string;
    };
  }
}
