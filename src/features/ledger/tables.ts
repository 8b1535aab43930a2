import type { Generated } from "kysely";

/** The ledger feature's tables, declared once (declaration merging into platform/db/schema.ts's DB); only this feature's repository uses them. */

declare module "#/platform/db/schema.ts" {
  interface DB {
    ledger_accounts: {
      tenant_id: string;
      account_id: string;
      code: string;
      kind: string;
      currency: Generated<string>;
      name: string | null;
      budget_id: string | null;
      stream_id: string | null;
      deployment: string | null;
      person_id: string | null;
      must_not_go_below_zero: Generated<boolean>;
      debits_pending: Generated<number>;
      debits_posted: Generated<number>;
      credits_pending: Generated<number>;
      credits_posted: Generated<number>;
      created_at: Generated<Date>;
    };
    ledger_transfers: {
      tenant_id: string;
      transfer_id: string;
      seq: Generated<number>;
      idempotency_key: string;
      /** Whose key: the member of staff who sent it (API Idempotency-Key); NULL for the system's keys (0022). */
      key_user_id: string | null;
      request_fingerprint: string;
      debit_account_id: string;
      credit_account_id: string;
      amount: number;
      currency: string;
      code: string;
      ref_kind: string | null;
      ref_id: string | null;
      pending: Generated<boolean>;
      pending_of: string | null;
      state: "pending" | "posted" | "voided";
      created_at: Generated<Date>;
    };
  }
}
