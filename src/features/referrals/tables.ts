import type { ColumnType, Generated } from "kysely";

export type DateColumn = ColumnType<string, string, string>;

export type Json<T = unknown> = ColumnType<T, string, string>;

declare module "#/platform/db/schema.ts" {
  interface DB {
    referrals: {
      tenant_id: string;
      referral_id: string;
      reference: string;
      person_id: string;
      received_on: DateColumn;
      route_of_access: string;
      request_source: string;
      details: Json | null;
      status: "open" | "closed";
      outcome: string | null;
      closed_on: DateColumn | null;
      closed_by: string | null;
      created_by: string;
      created_at: Generated<Date>;
    };
    self_referral_submissions: {
      tenant_id: string;
      submission_id: string;
      submitted_on: DateColumn;
      client_hash: string;
      referral_id: string;
      created_at: Generated<Date>;
    };
  }
}
