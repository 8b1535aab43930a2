import type { ColumnType, Generated } from "kysely";

export type DateColumn = ColumnType<string, string, string>;

export type Json<T = unknown> = ColumnType<T, string, string>;

declare module "#/platform/db/schema.ts" {
  interface DB {
    reviews: {
      tenant_id: string;
      review_id: string;
      person_id: string;
      plan_id: string;
      plan_version: number;
      budget_id: string | null;
      kinds: ("plan" | "direct_payment")[];
      held_on: DateColumn;
      record: Json;
      result: "no_change" | "new_plan_version" | "new_assessment";
      recorded_by: string;
      recorded_at: Generated<Date>;
    };
    look_again_requests: {
      tenant_id: string;
      request_id: string;
      person_id: string;
      decision_kind: "eligibility" | "allocation" | "plan" | "financial_assessment" | "review" | "other";
      decision_ref: string | null;
      what_is_wrong: string;
      asked_by_kind: "person" | "representative" | "staff";
      asked_by_id: string;
      asked_by_name: string;
      asked_at: Generated<Date>;
      due_on: DateColumn;
      status: "open" | "answered";
      answer: string | null;
      answered_by: string | null;
      answered_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
    };
    review_settings_versions: {
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
