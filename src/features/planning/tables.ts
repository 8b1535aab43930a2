import type { ColumnType, Generated } from "kysely";

export type Money = ColumnType<number, number, number>;
export type Stamp = ColumnType<Date | null, Date | string | null, Date | string | null>;

export type NullableJson<T = unknown> = ColumnType<T | null, string | null, string | null>;
export type Json<T = unknown> = ColumnType<T, string, string>;

declare module "#/platform/db/schema.ts" {
  interface DB {
    support_plans: {
      tenant_id: string;
      plan_id: string;
      person_id: string;
      assessment_id: string;
      lead_worker_id: string | null;
      created_by: string;
      created_at: Generated<Date>;
      /** 0027: the council-arranged package the plan replaced (both or neither). */
      previous_package_weekly_pence: ColumnType<number | null, number | null | undefined, number | null>;
      previous_package_date: ColumnType<string | null, string | null | undefined, string | null>;
    };
    plan_versions: {
      tenant_id: string;
      plan_id: string;
      version: number;
      status: "draft" | "submitted" | "approved" | "returned" | "superseded";
      content: Json;
      indicative_weekly_pence: Money;
      costing: NullableJson;
      fit: NullableJson;
      apportionment: NullableJson;
      required_level: string | null;
      submitted_by: string | null;
      submitted_at: Stamp;
      decided_by: string | null;
      decided_at: Stamp;
      decision_reasons: NullableJson;
      approver_level: string | null;
      created_by: string;
      created_at: Generated<Date>;
      updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
    };
    plan_changes: {
      tenant_id: string;
      change_id: string;
      plan_id: string;
      version: number;
      actor_kind: "staff" | "person" | "representative";
      actor_id: string;
      actor_name: string;
      summary: string;
      at: Generated<Date>;
    };
    allocation_overrides: {
      tenant_id: string;
      override_id: string;
      allocation_id: string;
      from_weekly_pence: Money;
      to_weekly_pence: Money;
      reason: string;
      status: "applied" | "pending" | "approved" | "refused";
      requested_by: string;
      requested_at: Generated<Date>;
      decided_by: string | null;
      decided_at: Stamp;
      decision_note: string | null;
    };
  }
}
