import type { Generated } from "kysely";
import type { StaffRole } from "#/platform/db/schema.ts";

/** The staff feature's tables, declared once (declaration merging into platform/db/schema.ts's DB); only this feature's repository uses them. */

declare module "#/platform/db/schema.ts" {
  interface DB {
    teams: {
      tenant_id: string;
      team_id: string;
      name: string;
      /** This team takes new requests (migrations/0020): at most one per council. */
      takes_new_requests: Generated<boolean>;
      created_by: string;
      created_at: Generated<Date>;
    };
    staff_password_links: {
      tenant_id: string;
      link_id: string;
      user_id: string;
      token_hash: string;
      expires_at: Date;
      created_by: string;
      created_at: Generated<Date>;
      used_at: Date | null;
      revoked_at: Date | null;
    };
  }
}

declare module "#/platform/db/schema.ts" {
  interface DB {
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
  }
}
