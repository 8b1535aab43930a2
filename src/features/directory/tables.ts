import type { ColumnType, Generated } from "kysely";

export type Stamp = ColumnType<Date, Date | string | undefined, Date | string>;

// Kysely's view of the tables, added to the shared DB interface from here (declaration merging, as the
// calibration and charging features do), so the tables are described beside their SQL.
export type Json<T = unknown> = ColumnType<T, string, string>;

declare module "#/platform/db/schema.ts" {
  interface DB {
    directory_settings: {
      tenant_id: string;
      allow_off_approved_list: boolean;
      updated_by: string;
      updated_at: Stamp;
    };
    directory_providers: {
      tenant_id: string;
      provider_id: string;
      position: number;
      name: string;
      description: string | null;
      email: string | null;
      website: string | null;
      kind: "organisation" | "user_led_organisation" | "personal_assistant";
      approved_list: boolean;
      identifiers: Json;
      other_terms: Json;
      created_by: string;
      created_at: Generated<Date>;
      updated_by: string;
      updated_at: Stamp;
    };
    directory_locations: {
      tenant_id: string;
      location_id: string;
      position: number;
      name: string | null;
      description: string | null;
      latitude: number | null;
      longitude: number | null;
      addresses: Json;
      created_by: string;
      created_at: Generated<Date>;
      updated_by: string;
      updated_at: Stamp;
    };
    directory_services: {
      tenant_id: string;
      service_id: string;
      provider_id: string;
      position: number;
      name: string;
      description: string | null;
      url: string | null;
      email: string | null;
      status: "active" | "inactive" | "defunct" | "temporarily closed";
      categories: string[];
      other_terms: Json;
      service_areas: Json;
      cost_options: Json;
      created_by: string;
      created_at: Generated<Date>;
      updated_by: string;
      updated_at: Stamp;
    };
    directory_service_locations: {
      tenant_id: string;
      service_id: string;
      link_id: string;
      location_id: string;
      position: number;
    };
  }
}
