import type { ColumnType, Generated } from "kysely";

/** The budgets feature's tables, declared once (declaration merging into platform/db/schema.ts's DB); only this feature's repository uses them. */

export type DateColumn = ColumnType<string, string, string>;
export type Money = ColumnType<number, number, number>;

declare module "#/platform/db/schema.ts" {
  interface DB {
    personal_budgets: {
      tenant_id: string;
      budget_id: string;
      person_id: string;
      plan_id: string;
      plan_version: number;
      start_date: DateColumn;
      end_date: string | null;
      status: "live" | "replaced" | "ended";
      end_reason: "replaced" | "support_ended" | "died" | "moved_away" | "other" | null;
      replaced_by_budget_id: string | null;
      weekly_pence: Money;
      one_off_pence: Money;
      contribution_weekly_pence: Money;
      financial_assessment_id: string | null;
      first_payment_date: string | null;
      approved_by: string;
      approved_at: Generated<Date>;
    };
    personal_budget_lines: {
      tenant_id: string;
      budget_id: string;
      line_no: number;
      support_id: string;
      support_name: string;
      category: string;
      deployment: "direct_payment" | "council_managed" | "individual_service_fund" | "council_arranged";
      stream_id: string;
      means_tested: boolean;
      weekly_pence: Money;
      one_off_pence: Money;
      contribution_weekly_pence: Money;
      provider_id: string | null;
      payee_name: string | null;
    };
  }
}
