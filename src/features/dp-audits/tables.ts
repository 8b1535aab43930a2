import type { ColumnType, Generated } from "kysely";

/** The dp-audits feature's tables (migrations/0026), declared once; only this feature's repository uses them. */

export type DateColumn = ColumnType<string, string, string>;
export type Json<T = unknown> = ColumnType<T, string, string>;

declare module "#/platform/db/schema.ts" {
  interface DB {
    dp_audit_settings_versions: {
      tenant_id: string;
      settings_version_id: string;
      version: number;
      valid_from: DateColumn;
      settings: Json;
      reason: string;
      created_by: string;
      created_at: Generated<Date>;
    };
    dp_audits: {
      tenant_id: string;
      audit_id: string;
      budget_id: string;
      person_id: string;
      reason: "risk" | "first_review" | "annual" | "unpaid_repayment";
      opened_on: DateColumn;
      opened_by: string;
      settings_version: number | null;
      findings: Json;
      risk_score: number;
      status: "open" | "decided";
      outcome: "no_action" | "advice" | "repayment_request" | "recovery" | "managed_account" | null;
      explanation: string | null;
      note: string | null;
      repayment_pence: number | null;
      repayment_due_on: ColumnType<string | null, string | null | undefined, string | null>;
      recovery_id: string | null;
      task_id: string | null;
      decided_by: string | null;
      decided_on: ColumnType<string | null, string | null | undefined, string | null>;
      decided_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
      person_reply: string | null;
      replied_by_kind: "person" | "representative" | null;
      replied_by_name: string | null;
      replied_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
      recovery_pence: number | null;
      recovery_surplus_pence: number | null;
      deduction_id: string | null;
      follows_audit_id: string | null;
      proposed_plan_id: string | null;
      proposed_plan_version: number | null;
      created_at: Generated<Date>;
    };
  }
}
