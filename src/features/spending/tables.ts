import type { Generated } from "kysely";

/** The spending feature's tables, declared once (declaration merging into platform/db/schema.ts's DB); only this feature's repository uses them. */

declare module "#/platform/db/schema.ts" {
  interface DB {
    spending_cards: {
      tenant_id: string;
      provider: string;
      card_id: string;
      person_id: string;
      cash_withdrawals_permitted: Generated<boolean>;
      created_at: Generated<Date>;
    };
    card_feed_imports: {
      tenant_id: string;
      import_id: string;
      file_name: string;
      file_sha256: string;
      layout: string;
      provider: string;
      transactions: number;
      new_count: number;
      already_count: number;
      imported_by: string;
      created_at: Generated<Date>;
    };
    provider_invoices: {
      tenant_id: string;
      invoice_id: string;
      budget_id: string;
      person_id: string;
      idempotency_key: string;
      provider_id: string | null;
      provider_name: string;
      invoice_number: string;
      issue_date: string;
      service_from: string;
      service_to: string;
      total_pence: number;
      lines: unknown;
      status: "received" | "paid" | "rejected";
      reject_reason: string | null;
      pending_transfer_id: string;
      created_at: Generated<Date>;
      decided_at: Date | null;
    };
    spends: {
      tenant_id: string;
      spend_id: string;
      budget_id: string;
      person_id: string;
      deployment: string;
      source: "card" | "invoice" | "pool";
      source_key: string;
      state: "pending" | "posted" | "voided";
      direction: "out" | "in";
      amount_pence: number;
      spend_date: string;
      payee_name: string;
      card_type: string | null;
      mcc: string | null;
      category: string | null;
      support_id: string | null;
      match_how: string | null;
      match_explanation: Generated<string>;
      flags: Generated<unknown>;
      transfer_id: string;
      pending_transfer_id: string | null;
      import_id: string | null;
      invoice_id: string | null;
      created_at: Generated<Date>;
      updated_at: Generated<Date>;
    };
    receipts: {
      tenant_id: string;
      receipt_id: string;
      spend_id: string;
      person_id: string;
      file_name: string;
      media_type: string;
      size_bytes: number;
      sha256: string;
      content: Uint8Array;
      uploaded_by: string;
      created_at: Generated<Date>;
    };
    top_ups: {
      tenant_id: string;
      top_up_id: string;
      budget_id: string;
      person_id: string;
      amount_pence: number;
      received_on: string;
      from_whom: string;
      transfer_id: string;
      recorded_by: string;
      created_at: Generated<Date>;
    };
    surplus_settings: {
      tenant_id: string;
      valid_from: string;
      weeks: number;
      source: string;
      minimum_recovery_pence: Generated<number>;
      created_by: string;
      created_at: Generated<Date>;
    };
    surplus_recoveries: {
      tenant_id: string;
      recovery_id: string;
      budget_id: string;
      person_id: string;
      amount_pence: number;
      limit_pence: number;
      limit_source: string;
      explanation: unknown;
      status: "proposed" | "approved" | "rejected";
      proposed_on: string;
      proposed_by: string;
      decided_by: string | null;
      decided_at: Date | null;
      decision_note: string | null;
      /** The first of the two finance officers' approvals (migration 0023); the second moves the money. */
      first_approved_by: Generated<string | null>;
      first_approved_at: Generated<Date | null>;
      created_at: Generated<Date>;
    };
    pools: {
      tenant_id: string;
      pool_id: string;
      name: string;
      created_by: string;
      created_at: Generated<Date>;
    };
    pool_members: {
      tenant_id: string;
      pool_id: string;
      budget_id: string;
      share_kind: "fraction" | "fixed";
      numerator: number | null;
      denominator: number | null;
      fixed_pence: number | null;
    };
    pool_costs: {
      tenant_id: string;
      pool_cost_id: string;
      pool_id: string;
      payee_name: string;
      period: string;
      cost_pence: number;
      paid_on: string;
      transfer_id: string;
      created_by: string;
      created_at: Generated<Date>;
    };
  }
}
