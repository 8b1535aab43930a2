import type { ColumnType, Generated } from "kysely";

/** The payments feature's tables (migrations/0010_payments.sql and later), declared once; only repository.ts uses them. */

export type Json<T = unknown> = ColumnType<T, string, string>;
export type DateColumn = ColumnType<string, string, string>;
export type Money = ColumnType<number, number, number>;

declare module "#/platform/db/schema.ts" {
  interface DB {
    payment_settings_versions: {
      tenant_id: string;
      settings_version_id: string;
      version: number;
      valid_from: DateColumn;
      settings: Json;
      reason: string;
      created_by: string;
      created_at: Generated<Date>;
    };
    payees: {
      tenant_id: string;
      payee_id: string;
      kind: "person" | "provider" | "personal_assistant";
      person_id: string | null;
      provider_id: string | null;
      name: string;
      created_by: string;
      created_at: Generated<Date>;
    };
    payee_bank_details: {
      tenant_id: string;
      details_id: string;
      payee_id: string;
      account_name: string;
      sort_code: string;
      account_number: string;
      effective_from: DateColumn;
      status: "proposed" | "approved" | "refused";
      proposed_by: string;
      proposed_at: Generated<Date>;
      decided_by: string | null;
      decided_at: Date | null;
    };
    payment_runs: {
      tenant_id: string;
      run_id: string;
      run_no: number;
      pay_date: DateColumn;
      status: "prepared" | "reviewed" | "approved";
      held: Json<HeldPayment[]>;
      created_by: string;
      created_at: Generated<Date>;
      prepared_at: Generated<Date>;
      reviewed_by: string | null;
      reviewed_at: Date | null;
      approved_by: string | null;
      approved_at: Date | null;
    };
    payment_run_redates: {
      tenant_id: string;
      redate_id: string;
      run_id: string;
      from_pay_date: DateColumn;
      pay_date: DateColumn;
      reason: string;
      status: "proposed" | "approved" | "replaced";
      proposed_by: string;
      proposed_at: Generated<Date>;
      decided_by: string | null;
      decided_at: Date | null;
    };
    payments: {
      tenant_id: string;
      payment_id: string;
      payment_key: string;
      run_id: string;
      budget_id: string;
      person_id: string;
      cycle_start: DateColumn;
      cycle_end: DateColumn;
      due_date: DateColumn;
      pay_date: DateColumn;
      kind: "bank" | "funding";
      deployment: "direct_payment" | "council_managed" | "individual_service_fund" | "council_arranged";
      payee_id: string | null;
      amount: Money;
      parts: Json<StoredPart[]>;
      bank_details_id: string | null;
      account_name: string | null;
      sort_code: string | null;
      account_number: string | null;
      status: "made" | "returned";
      created_at: Generated<Date>;
    };
    contribution_invoices: {
      tenant_id: string;
      invoice_id: string;
      invoice_key: string;
      run_id: string;
      budget_id: string;
      person_id: string;
      cycle_start: DateColumn;
      cycle_end: DateColumn;
      amount: Money;
      status: "raised" | "paid";
      paid_on: string | null;
      created_at: Generated<Date>;
    };
    payment_debts: {
      tenant_id: string;
      debt_id: string;
      payment_id: string;
      budget_id: string;
      amount: Money;
      status: "to_recover" | "recovered" | "written_off";
      created_at: Generated<Date>;
    };
    payment_deductions: {
      tenant_id: string;
      deduction_id: string;
      budget_id: string;
      person_id: string;
      amount: Money;
      status: "to_take" | "taken";
      source_kind: "dp_audit";
      source_id: string;
      reason: string;
      created_by: string;
      created_on: DateColumn;
      created_at: Generated<Date>;
    };
    payment_deduction_takes: {
      tenant_id: string;
      deduction_id: string;
      payment_id: string;
      amount: Money;
      pay_date: DateColumn;
      created_at: Generated<Date>;
    };
    payment_debt_decisions: {
      tenant_id: string;
      debt_id: string;
      outcome: "recovered" | "written_off";
      reason: string | null;
      decided_by: string;
      decided_at: Generated<Date>;
    };
    payment_returns: {
      tenant_id: string;
      return_id: string;
      payment_id: string;
      reason_code: string;
      returned_on: DateColumn;
      recorded_by: string;
      recorded_at: Generated<Date>;
    };
    payment_messages: {
      tenant_id: string;
      message_id: string;
      payment_id: string;
      person_id: string;
      audience: "person" | "finance";
      body: string;
      created_at: Generated<Date>;
    };
  }
}

export type HeldPayment = {
  key: string;
  budgetId: string;
  /** Whose budget (runs prepared before this was kept have none). */
  personId?: string;
  payeeId?: string;
  /** What fixes it: add the person (or provider) as a payee, or add and approve bank details. */
  fix?: "add_person_payee" | "add_payee" | "bank_details";
  reason: string;
};
export type StoredPart = {
  /** deduction: money owed back taken off a direct payment (payment_deductions), negative, per stream. */
  kind: "regular" | "one_off" | "contribution_netted" | "deduction";
  fundingStreamId?: string;
  deployment?: string;
  amount: number;
  description?: string;
};
