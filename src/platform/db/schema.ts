import type { ColumnType, Generated } from "kysely";

/**
 * Kysely's view of the tables in migrations/. Keep it in step with the SQL. The platform's and the first
 * steps' tables are here; a feature may instead add its own tables to `DB` by declaration merging in its
 * repository.ts (calibration, charging, directory, funding do), so a table is described beside its SQL.
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
  tenants: {
    tenant_id: string;
    slug: string;
    name: string;
    jurisdiction: "england" | "wales" | "scotland" | "ndis";
    created_at: Generated<Date>;
    /** The council's ONS (GSS) code, e.g. E09000033 (migrations/0017). */
    ons_code: string | null;
  };
  staff_users: {
    tenant_id: string;
    user_id: string;
    email: string;
    name: string;
    /** Null until the member of staff sets one with their one-time link (migrations/0017). */
    password_hash: string | null;
    roles: StaffRole[];
    created_at: Generated<Date>;
    disabled_at: Date | null;
    /** Their team (migrations/0017; features/staff). */
    team_id: string | null;
    /** Whether a password is set: what the app role may read instead of the hash (migrations/0025). */
    has_password: Generated<boolean>;
  };
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
  people: {
    tenant_id: string;
    person_id: string;
    reference: string;
    given_name: string;
    family_name: string;
    date_of_birth: string;
    postcode: string | null;
    created_at: Generated<Date>;
    nhs_number: string | null;
    address_line_1: string | null;
    address_line_2: string | null;
    town: string | null;
    phone: string | null;
    email: string | null;
    sex: string | null;
    ethnicity: string | null;
    accommodation_status: string | null;
    employment_status: string | null;
    has_unpaid_carer: string | null;
    gp_practice_name: string | null;
    gp_practice_code: string | null;
    communication_needs: string[] | null;
    preferred_language: string | null;
    field_lists_id: string | null;
  };
  ras_models: {
    tenant_id: string;
    ras_model_id: string;
    version: number;
    model: Json;
    adopted_at: Generated<Date>;
    adopted_by: string;
    reason: string;
  };
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
  person_accounts: {
    tenant_id: string;
    account_id: string;
    name: string;
    email: string | null;
    /** The app role's grant leaves it out: read only by person_sign_in_candidates (migrations/0025), to sign in. */
    password_hash: string | null;
    one_login_sub: string | null;
    person_id: string | null;
    created_at: Generated<Date>;
    disabled_at: Timestamp | null;
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
  representatives: {
    tenant_id: string;
    representative_id: string;
    person_id: string;
    account_id: string | null;
    name: string;
    relationship: string | null;
    kind:
      | "family_or_friend"
      | "independent_advocate"
      | "lasting_power_of_attorney"
      | "deputy"
      | "suitable_person";
    authority_type: "property_and_financial_affairs" | "health_and_welfare" | "personal_welfare" | null;
    authority_reference: string | null;
    scopes: ("view" | "edit_plan" | "manage_money" | "ask_for_review")[];
    starts_on: string;
    ends_on: string | null;
    consent_given_at: Timestamp | null;
    consent_given_how: "online" | "told_staff" | "in_writing" | null;
    consent_withdrawn_at: Timestamp | null;
    ended_at: Timestamp | null;
    ended_by: string | null;
    ended_reason: string | null;
    created_by: string;
    created_at: Generated<Date>;
  };
  person_claim_codes: {
    tenant_id: string;
    claim_id: string;
    person_id: string;
    representative_id: string | null;
    code_hash: string;
    expires_at: Timestamp;
    created_by: string;
    created_at: Generated<Date>;
    used_at: Timestamp | null;
    used_by_account_id: string | null;
    revoked_at: Timestamp | null;
  };
  one_login_settings: {
    tenant_id: string;
    issuer_url: string;
    client_id: string;
    client_auth: "private_key_jwt" | "client_secret_post" | "client_secret_basic";
    /** The client secret or private key (PEM); the app role reads it only through one_login_client (migrations/0025). */
    client_secret: string;
    vtr: string | null;
    enabled: Generated<boolean>;
    updated_by: string;
    updated_at: Generated<Date>;
  };
}
