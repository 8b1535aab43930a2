import { type Kysely, sql, type Transaction } from "kysely";
import { SECURITY_DEFAULTS } from "#/config.ts";
import { audit } from "#/platform/audit/audit.ts";
import type { DB } from "#/platform/db/schema.ts";
import { dropToTenant, type TenantTx, withoutTenant, withTenant } from "#/platform/db/tenant.ts";
import type { ActiveStaff, StaffLookups } from "./identity-lookups.ts";
import { sha256 } from "./secrets.ts";

/** The signed-in member of staff a request acts for, however they proved it. */
export type StaffIdentity = ActiveStaff & {
  /**
   * How the request was authenticated; audit events record the token, not just the user, for API calls. A token
   * works only on /api/v1, and only for its scopes (permission strings, checked by requireStaff).
   */
  via: { kind: "session" } | { kind: "api_token"; tokenId: string; scopes: readonly string[] };
};

export const SESSION_HOURS = 8;

/** A session's last use is written at most this often, not on every request. */
export const SESSION_TOUCH_MS = 60_000;

/**
 * The session's member of staff, if it has neither reached its fixed limit (SESSION_HOURS) nor gone unused for
 * `idleMinutes` (SESSION_IDLE_MINUTES); using it keeps it alive.
 */
export async function identityFromSession(
  db: Kysely<DB>,
  staff: StaffLookups,
  sessionId: string,
  idleMinutes: number = SECURITY_DEFAULTS.sessionIdleMinutes,
): Promise<StaffIdentity | null> {
  const hash = sha256(sessionId);
  return withoutTenant(db, async (trx) => {
    const now = Date.now();
    // Found by its hash through migrations/0025's function (no council is known yet), then read in its council.
    const { rows } = await sql<{ tenant_id: string; user_id: string; last_seen_at: Date }>`
      SELECT * FROM staff_session_find(${hash}, ${new Date(now)}, ${new Date(now - idleMinutes * 60_000)})`.execute(
      trx,
    );
    const session = rows[0];
    if (!session) return null;
    const identity = await activeStaff(trx, staff, session.tenant_id, session.user_id);
    if (!identity) return null;
    if (now - new Date(session.last_seen_at).getTime() > SESSION_TOUCH_MS)
      await sql`SELECT staff_session_touch(${hash}, ${new Date(now)})`.execute(trx);
    return { ...identity, via: { kind: "session" } };
  });
}

/** An active member of staff of one council, read under that council's RLS (the rest of the transaction too). */
async function activeStaff(trx: Transaction<DB>, staff: StaffLookups, tenantId: string, userId: string) {
  const tx = await dropToTenant(trx, { tenantId, actor: { type: "staff", id: userId } });
  return staff.activeStaffIn(tx, userId);
}

/** Stores the session (the app role may insert one, never read a hash back) and audits the sign-in, in one transaction. */
export async function createSession(db: Kysely<DB>, tenantId: string, userId: string, sessionId: string) {
  await withTenant(db, { tenantId, actor: { type: "staff", id: userId } }, async (tx) => {
    await tx
      .insertInto("sessions")
      .values({
        tenant_id: tenantId,
        user_id: userId,
        session_hash: sha256(sessionId),
        expires_at: new Date(Date.now() + SESSION_HOURS * 3600_000),
      })
      .execute();
    await audit(tx, { action: "sign_in", recordType: "staff_user", recordId: userId });
  });
}

export async function endSession(db: Kysely<DB>, sessionId: string): Promise<void> {
  await withoutTenant(db, async (trx) => {
    const { rows } = await sql<{ tenant_id: string; user_id: string }>`
      SELECT * FROM staff_session_end(${sha256(sessionId)})`.execute(trx);
    const ended = rows[0];
    if (!ended) return;
    const tx = await dropToTenant(trx, {
      tenantId: ended.tenant_id,
      actor: { type: "staff", id: ended.user_id },
    });
    await audit(tx, { action: "sign_out", recordType: "staff_user", recordId: ended.user_id });
  });
}

/** A wrong password for a real account is a security event the council should be able to see. */
export async function auditFailedSignIn(db: Kysely<DB>, tenantId: string, userId: string): Promise<void> {
  await withTenant(db, { tenantId, actor: { type: "system", id: null } }, (tx) =>
    audit(tx, { action: "sign_in_failed", recordType: "staff_user", recordId: userId }),
  );
}

/**
 * API tokens look like `upf_<secret>`; the bearer must not be revoked or expired, and the user must still be
 * active.
 */
export async function identityFromApiToken(
  db: Kysely<DB>,
  staff: StaffLookups,
  token: string,
): Promise<StaffIdentity | null> {
  if (!token.startsWith("upf_")) return null;
  return withoutTenant(db, async (trx) => {
    const { rows } = await sql<{ tenant_id: string; user_id: string; token_id: string; scopes: string[] }>`
      SELECT * FROM api_token_use(${sha256(token)}, ${new Date()})`.execute(trx);
    const found = rows[0];
    if (!found) return null;
    const identity = await activeStaff(trx, staff, found.tenant_id, found.user_id);
    if (!identity) return null;
    return { ...identity, via: { kind: "api_token", tokenId: found.token_id, scopes: found.scopes } };
  });
}

/** Sign-in looks the email up across tenants: emails are unique per tenant, so more than one match is refused. */
export async function findStaffForSignIn(db: Kysely<DB>, staff: StaffLookups, email: string) {
  return withoutTenant(db, (trx) => staff.staffByEmailAcrossCouncils(trx, email.trim().toLowerCase()));
}

/**
 * Ends every session of one member of staff inside the caller's tenant transaction (deactivating them): the app
 * role may delete its own tenant's sessions by user, never read their hashes (migrations/0017). Returns how many.
 */
export async function endAllSessionsIn(tx: TenantTx, userId: string): Promise<number> {
  const result = await tx
    .deleteFrom("sessions")
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
