import type { Kysely } from "kysely";
import { SECURITY_DEFAULTS } from "#/config.ts";
import { audit } from "#/platform/audit/audit.ts";
import type { DB, StaffRole } from "#/platform/db/schema.ts";
import { dropToTenant, type TenantTx, withSystem } from "#/platform/db/tenant.ts";
import { sha256 } from "./secrets.ts";

/** The signed-in member of staff a request acts for, however they proved it. */
export type StaffIdentity = {
  tenantId: string;
  tenantSlug: string;
  tenantName: string;
  jurisdiction: string;
  userId: string;
  email: string;
  name: string;
  roles: StaffRole[];
  /**
   * How the request was authenticated; audit events record the token, not just the user, for API calls. A token
   * works only on /api/v1, and only for its scopes (permission strings, checked by requireStaff).
   */
  via: { kind: "session" } | { kind: "api_token"; tokenId: string; scopes: readonly string[] };
};

export const SESSION_HOURS = 8;

function staffQuery(db: Kysely<DB>) {
  return db
    .selectFrom("staff_users as u")
    .innerJoin("tenants as t", "t.tenant_id", "u.tenant_id")
    .where("u.disabled_at", "is", null)
    .select([
      "u.tenant_id as tenantId",
      "t.slug as tenantSlug",
      "t.name as tenantName",
      "t.jurisdiction",
      "u.user_id as userId",
      "u.email",
      "u.name",
      "u.roles",
    ]);
}

/** A session's last use is written at most this often, not on every request. */
export const SESSION_TOUCH_MS = 60_000;

/**
 * The session's member of staff, if it has neither reached its fixed limit (SESSION_HOURS) nor gone unused for
 * `idleMinutes` (SESSION_IDLE_MINUTES); using it keeps it alive.
 */
export async function identityFromSession(
  db: Kysely<DB>,
  sessionId: string,
  idleMinutes: number = SECURITY_DEFAULTS.sessionIdleMinutes,
): Promise<StaffIdentity | null> {
  return withSystem(db, async (trx) => {
    const now = Date.now();
    const row = await staffQuery(trx)
      .innerJoin("sessions as s", (j) =>
        j.onRef("s.tenant_id", "=", "u.tenant_id").onRef("s.user_id", "=", "u.user_id"),
      )
      .where("s.session_hash", "=", sha256(sessionId))
      .where("s.expires_at", ">", new Date(now))
      .where("s.last_seen_at", ">", new Date(now - idleMinutes * 60_000))
      .select("s.last_seen_at as lastSeenAt")
      .executeTakeFirst();
    if (!row) return null;
    const { lastSeenAt, ...identity } = row;
    if (now - lastSeenAt.getTime() > SESSION_TOUCH_MS) {
      await trx
        .updateTable("sessions")
        .set({ last_seen_at: new Date(now) })
        .where("tenant_id", "=", identity.tenantId)
        .where("session_hash", "=", sha256(sessionId))
        .execute();
    }
    return { ...identity, via: { kind: "session" } };
  });
}

/** Stores the session (owner only: the app role cannot read sessions) and audits the sign-in, in one transaction. */
export async function createSession(db: Kysely<DB>, tenantId: string, userId: string, sessionId: string) {
  await withSystem(db, async (trx) => {
    await trx
      .insertInto("sessions")
      .values({
        tenant_id: tenantId,
        user_id: userId,
        session_hash: sha256(sessionId),
        expires_at: new Date(Date.now() + SESSION_HOURS * 3600_000),
      })
      .execute();
    const tx = await dropToTenant(trx, { tenantId, actor: { type: "staff", id: userId } });
    await audit(tx, { action: "sign_in", recordType: "staff_user", recordId: userId });
  });
}

export async function endSession(db: Kysely<DB>, sessionId: string): Promise<void> {
  await withSystem(db, async (trx) => {
    const ended = await trx
      .deleteFrom("sessions")
      .where("session_hash", "=", sha256(sessionId))
      .returning(["tenant_id", "user_id"])
      .executeTakeFirst();
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
  await withSystem(db, async (trx) => {
    const tx = await dropToTenant(trx, { tenantId, actor: { type: "system", id: null } });
    await audit(tx, { action: "sign_in_failed", recordType: "staff_user", recordId: userId });
  });
}

/**
 * API tokens look like `upf_<secret>`; the bearer must not be revoked or expired, and the user must still be
 * active.
 */
export async function identityFromApiToken(db: Kysely<DB>, token: string): Promise<StaffIdentity | null> {
  if (!token.startsWith("upf_")) return null;
  return withSystem(db, async (trx) => {
    const row = await staffQuery(trx)
      .innerJoin("api_tokens as k", (j) =>
        j.onRef("k.tenant_id", "=", "u.tenant_id").onRef("k.user_id", "=", "u.user_id"),
      )
      .where("k.token_hash", "=", sha256(token))
      .where("k.revoked_at", "is", null)
      .where("k.expires_at", ">", new Date())
      .select(["k.token_id as tokenId", "k.scopes"])
      .executeTakeFirst();
    if (!row) return null;
    await trx
      .updateTable("api_tokens")
      .set({ last_used_at: new Date() })
      .where("tenant_id", "=", row.tenantId)
      .where("token_id", "=", row.tokenId)
      .execute();
    const { tokenId, scopes, ...identity } = row;
    return { ...identity, via: { kind: "api_token", tokenId, scopes } };
  });
}

/** Sign-in looks the email up across tenants: emails are unique per tenant, so more than one match is refused. */
export async function findStaffForSignIn(db: Kysely<DB>, email: string) {
  return withSystem(db, (trx) =>
    trx
      .selectFrom("staff_users")
      .where("email", "=", email.trim().toLowerCase())
      .where("disabled_at", "is", null)
      .select(["tenant_id", "user_id", "password_hash"])
      .execute(),
  );
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
