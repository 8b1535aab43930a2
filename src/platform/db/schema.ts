import type { ColumnType, Generated } from "kysely";

/**
 * Kysely's view of the tables in migrations/. Keep it in step with the SQL. Only the platform's own tables are
 * here (migrations, sessions, API tokens, audit); every feature declares its tables once, in its tables.ts, by
 * declaration merging into `DB`, so a table is described beside the only SQL that touches it.
 */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T = unknown> = ColumnType<T, string, string>;

export type StaffRole =
  | "social_worker"
  | "support_planner"
  | "team_manager"
  | "funding_panel_member"
  | "finance_officer"
  | "commissioner"
  | "administrator";

export type ActorType = "staff" | "person" | "api_token" | "system";

export interface DB {
  schema_migrations: { name: string; applied_at: Generated<Date> };
  sessions: {
    tenant_id: string;
    session_hash: string;
    user_id: string;
    created_at: Generated<Date>;
    expires_at: Timestamp;
    /** Written at most once a minute; the session ends after SESSION_IDLE_MINUTES without use (0021). */
    last_seen_at: Timestamp;
  };
  api_tokens: {
    tenant_id: string;
    token_id: string;
    user_id: string;
    name: string;
    token_hash: string;
    created_at: Generated<Date>;
    last_used_at: Timestamp | null;
    revoked_at: Timestamp | null;
    /** Permission strings the token may use (a subset of its creator's), migrations/0022. */
    scopes: string[];
    /** The token stops working at this moment (migrations/0022). */
    expires_at: Timestamp;
  };
  audit_events: {
    tenant_id: string;
    event_id: string;
    occurred_at: Generated<Date>;
    actor_type: ActorType;
    actor_id: string | null;
    action: string;
    record_type: string;
    record_id: string;
    changes: Json | null;
    /** The seal that holds this event; set once, by the sealing job (the app role cannot insert or update it). */
    sealed_in: ColumnType<number | null, never, number>;
  };
  audit_seals: {
    tenant_id: string;
    seal_no: number;
    hash_version: Generated<number>;
    event_count: number;
    first_event_id: string;
    last_event_id: string;
    events_hash: string;
    previous_seal_hash: string;
    seal_hash: string;
    sealed_at: Generated<Date>;
  };
  person_sessions: {
    tenant_id: string;
    session_hash: string;
    account_id: string;
    method: "local" | "one_login";
    created_at: Generated<Date>;
    expires_at: Timestamp;
    last_seen_at: Timestamp;
  };
}
