import type { ColumnType, Generated } from "kysely";

/** The accounts feature's tables, declared once (declaration merging into platform/db/schema.ts's DB); only this feature's repository uses them. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

declare module "#/platform/db/schema.ts" {
  interface DB {
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
      scopes: ("view" | "edit_plan" | "manage_money" | "ask_for_review" | "receive_letters")[];
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
}
