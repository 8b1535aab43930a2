import type { ColumnType, Generated } from "kysely";

/** The assessment feature's tables, declared once (declaration merging into platform/db/schema.ts's DB); only this feature's repository uses them. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T = unknown> = ColumnType<T, string, string>;

declare module "#/platform/db/schema.ts" {
  interface DB {
    assessments: {
      tenant_id: string;
      assessment_id: string;
      person_id: string;
      version: number;
      previous_assessment_id: string | null;
      questionnaire_id: string;
      status: "draft" | "submitted";
      answers: Json;
      decision_date: string | null;
      created_by: string;
      created_at: Generated<Date>;
      updated_at: Generated<Date>;
      submitted_by: string | null;
      submitted_at: Timestamp | null;
    };
    eligibility_decisions: {
      tenant_id: string;
      decision_id: string;
      assessment_id: string;
      eligible: boolean;
      rule_id: string;
      decision: Json;
      decided_by: string;
      decided_at: Generated<Date>;
    };
    allocations: {
      tenant_id: string;
      allocation_id: string;
      assessment_id: string;
      ras_model_id: string;
      weekly_pence: number;
      annual_pence: number;
      working: Json;
      created_by: string;
      created_at: Generated<Date>;
    };
    // ---- 0007_person_accounts: people and their representatives sign in ----------------------------------
  }
}
