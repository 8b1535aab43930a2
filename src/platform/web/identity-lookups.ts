import type { Transaction } from "kysely";
import type { DB, StaffRole } from "#/platform/db/schema.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * What sessions, API tokens and sign-in need to know about the people behind them. Staff, people's accounts and
 * councils are the features' tables (staff_users, person_accounts, tenants), which the platform never reads: it
 * asks these questions instead, and src/app.ts passes in the owning features' answers (features/staff and
 * features/accounts, identity-lookups.ts). The platform keeps what is its own: finding a session or token by its
 * hash, dropping to the council's RLS before asking, touching, ending and auditing.
 */

/** An active member of staff with their council, as every staff request carries them. */
export type ActiveStaff = {
  tenantId: string;
  tenantSlug: string;
  tenantName: string;
  jurisdiction: string;
  userId: string;
  email: string;
  name: string;
  roles: StaffRole[];
};

/** An account with this email in some council, with its hash for the password check. */
export type StaffSignInCandidate = { tenant_id: string; user_id: string; password_hash: string | null };

export type StaffLookups = {
  /** The member of staff if active (not deactivated), in the caller's council transaction (one statement). */
  activeStaffIn(tx: TenantTx, userId: string): Promise<ActiveStaff | undefined>;
  /** An active member of staff's roles, or undefined (making an API token checks its scopes against them). */
  rolesOfActiveStaffIn(tx: TenantTx, userId: string): Promise<StaffRole[] | undefined>;
  /** Sign-in, before a council is known: every council's staff with this email (in a transaction with no tenant). */
  staffByEmailAcrossCouncils(trx: Transaction<DB>, email: string): Promise<StaffSignInCandidate[]>;
};

/** A person's or representative's account, not disabled, with its council, as every /my request carries it. */
export type ActivePersonAccount = {
  tenantId: string;
  tenantSlug: string;
  tenantName: string;
  accountId: string;
  name: string;
  email: string | null;
  /** The record this account belongs to, once a code has linked it; null for a representative only. */
  personId: string | null;
};

export type PersonAccountLookups = {
  /** The account if not disabled, in the caller's council transaction (one statement). */
  activePersonAccountIn(tx: TenantTx, accountId: string): Promise<ActivePersonAccount | undefined>;
};

/** Everything the security plugin asks, wired once in src/app.ts. */
export type IdentityLookups = StaffLookups & PersonAccountLookups;
