import type { ColumnType, Generated } from "kysely";

export type DateColumn = ColumnType<string, string, string>;

// Kysely's view of the tables, added to the shared DB interface from here (declaration merging), beside the SQL.
export type Json<T = unknown> = ColumnType<T, string, string>;

declare module "#/platform/db/schema.ts" {
  interface DB {
    financial_assessments: {
      tenant_id: string;
      financial_assessment_id: string;
      person_id: string;
      version: number;
      previous_financial_assessment_id: string | null;
      status: "draft" | "completed";
      answers: Json;
      calculator_input: Json | null;
      supplied_figures: Json | null;
      result: Json | null;
      rule_pack_ids: string[] | null;
      assessment_kind: "full" | "light_touch" | "nothing_to_charge" | null;
      applies_from: string | null;
      applies_to: string | null;
      weekly_contribution_pence: number | null;
      cost_of_care_weekly_pence: number | null;
      cost_of_care_basis: "agreed_plan" | "indicative_budget" | "estimate" | null;
      created_by: string;
      created_at: Generated<Date>;
      updated_at: Generated<Date>;
      completed_by: string | null;
      completed_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
    };
    charging_policy_versions: {
      tenant_id: string;
      policy_version_id: string;
      valid_from: DateColumn;
      valid_to: string | null;
      policy: Json;
      reference: string;
      created_by: string;
      created_at: Generated<Date>;
    };
    charging_supplied_figures: {
      tenant_id: string;
      supplied_figure_id: string;
      figure: string;
      valid_from: DateColumn;
      valid_to: string | null;
      pence: number;
      source: string;
      created_by: string;
      created_at: Generated<Date>;
    };
  }
}
