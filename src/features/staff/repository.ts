import { type AliasableExpression, type Kysely, type Selectable, sql, type Transaction } from "kysely";
import type { DB, StaffRole } from "#/platform/db/schema.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/** SQL for staff accounts, teams and the one-time links to set a password (migrations/0001, 0017, 0020). */

/** A member of staff's row as the app role may read it: never the password hash (migrations/0025). */
export type StaffUserRow = Omit<Selectable<DB["staff_users"]>, "password_hash">;
const STAFF_COLUMNS = [
  "tenant_id",
  "user_id",
  "email",
  "name",
  "roles",
  "created_at",
  "disabled_at",
  "team_id",
  "has_password",
] as const;
export type TeamRow = Selectable<DB["teams"]>;
export type PasswordLinkRow = Selectable<DB["staff_password_links"]>;

export type NewStaffUser = {
  userId: string;
  email: string;
  name: string;
  /** An argon2id hash from platform/auth/passwords.ts; never the password. Null until they set one. */
  passwordHash: string | null;
  roles: StaffRole[];
  teamId?: string | null;
};

export async function insertStaffUsers(tx: TenantTx, users: readonly NewStaffUser[]): Promise<void> {
  if (users.length === 0) return;
  await tx
    .insertInto("staff_users")
    .values(
      users.map((u) => ({
        tenant_id: tx.scope.tenantId,
        user_id: u.userId,
        // The column insists on lower case, so sign-in can match without lower() on every row.
        email: u.email.toLowerCase(),
        name: u.name,
        password_hash: u.passwordHash,
        roles: u.roles,
        team_id: u.teamId ?? null,
      })),
    )
    .execute();
}

export async function findStaffUser(tx: TenantTx, userId: string): Promise<StaffUserRow | undefined> {
  return tx
    .selectFrom("staff_users")
    .select(STAFF_COLUMNS)
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
}

/**
 * An active member of staff with `council` (the tenants feature's subquery) selected in the same statement: a
 * session or API token is checked this way on every request, so it stays one round trip.
 */
export async function findActiveStaffWith<C>(tx: TenantTx, userId: string, council: AliasableExpression<C>) {
  return tx
    .selectFrom("staff_users")
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("user_id", "=", userId)
    .where("disabled_at", "is", null)
    .select(["user_id", "email", "name", "roles", council.as("council")])
    .executeTakeFirst();
}

/** An active member of staff's roles (what an API token they make may do at most). */
export async function findActiveStaffRoles(tx: TenantTx, userId: string): Promise<StaffRole[] | undefined> {
  const row = await tx
    .selectFrom("staff_users")
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("user_id", "=", userId)
    .where("disabled_at", "is", null)
    .select("roles")
    .executeTakeFirst();
  return row?.roles;
}

/**
 * Staff with this (lower-case) email in every council, with their hashes for the password check: before a
 * council is known, through migrations/0025's function, the app role's only way to read a staff hash.
 */
export async function findSignInCandidates(trx: Transaction<DB>, email: string) {
  const { rows } = await sql<{ tenant_id: string; user_id: string; password_hash: string | null }>`
    SELECT * FROM staff_sign_in_candidates(${email})`.execute(trx);
  return rows;
}

/** Locks one member of staff's row for the rest of the transaction (two changes to one person queue). */
export async function lockStaffUser(tx: TenantTx, userId: string): Promise<StaffUserRow | undefined> {
  return tx
    .selectFrom("staff_users")
    .select(STAFF_COLUMNS)
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("user_id", "=", userId)
    .forUpdate()
    .executeTakeFirst();
}

export async function listStaffUsers(tx: TenantTx): Promise<StaffUserRow[]> {
  return tx
    .selectFrom("staff_users")
    .select(STAFF_COLUMNS)
    .where("tenant_id", "=", tx.scope.tenantId)
    .orderBy("name")
    .orderBy("email")
    .execute();
}

/**
 * The council's active administrators, their rows locked until the transaction ends: any change that could take
 * away the last one waits here for any other, so two administrators cannot each remove the other at once.
 */
export async function lockActiveAdministrators(tx: TenantTx): Promise<string[]> {
  const rows = await tx
    .selectFrom("staff_users")
    .select("user_id")
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("disabled_at", "is", null)
    .where(sql<boolean>`'administrator' = ANY (roles)`)
    .orderBy("user_id")
    .forUpdate()
    .execute();
  return rows.map((r) => r.user_id);
}

/** Team, deactivation or a new password hash: what the app role may write itself (migrations/0025). */
export async function updateStaffUser(
  tx: TenantTx,
  userId: string,
  set: { team_id?: string | null; disabled_at?: Date | null; password_hash?: string },
): Promise<void> {
  await tx
    .updateTable("staff_users")
    .set(set)
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("user_id", "=", userId)
    .execute();
}

/**
 * Roles change only through migrations/0025's staff_set_roles: in this council, for an active member of staff,
 * never leaving the council without an active administrator (the database refuses that too).
 */
export async function setStaffRoles(
  tx: TenantTx,
  userId: string,
  roles: readonly StaffRole[],
): Promise<void> {
  await sql`SELECT staff_set_roles(${userId}::uuid, ${[...roles]}::text[])`.execute(tx);
}

// ---- teams ------------------------------------------------------------------------------------------------------

export async function insertTeam(tx: TenantTx, row: { team_id: string; name: string; created_by: string }) {
  return tx
    .insertInto("teams")
    .values({ ...row, tenant_id: tx.scope.tenantId })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function listTeams(tx: TenantTx): Promise<TeamRow[]> {
  return tx
    .selectFrom("teams")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .orderBy("name")
    .execute();
}

export async function findTeam(tx: TenantTx, teamId: string): Promise<TeamRow | undefined> {
  return tx
    .selectFrom("teams")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("team_id", "=", teamId)
    .executeTakeFirst();
}

/** The team that takes new requests, if the council has named one. */
export async function findIntakeTeam(tx: TenantTx): Promise<TeamRow | undefined> {
  return tx
    .selectFrom("teams")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("takes_new_requests", "=", true)
    .executeTakeFirst();
}

/** Names one team (or none) as the one that takes new requests; every other team stops taking them. */
export async function setIntakeTeam(tx: TenantTx, teamId: string | null): Promise<void> {
  await tx
    .updateTable("teams")
    .set({ takes_new_requests: false })
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("takes_new_requests", "=", true)
    .execute();
  if (teamId === null) return;
  await tx
    .updateTable("teams")
    .set({ takes_new_requests: true })
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("team_id", "=", teamId)
    .execute();
}

// ---- one-time links to set a password ----------------------------------------------------------------------------

export async function insertPasswordLink(
  tx: TenantTx,
  row: { link_id: string; user_id: string; token_hash: string; expires_at: Date; created_by: string },
): Promise<void> {
  await tx
    .insertInto("staff_password_links")
    .values({ ...row, tenant_id: tx.scope.tenantId })
    .execute();
}

/** Revokes a member of staff's links not yet used; returns how many. */
export async function revokeOpenPasswordLinks(tx: TenantTx, userId: string, at: Date): Promise<number> {
  const result = await tx
    .updateTable("staff_password_links")
    .set({ revoked_at: at })
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("user_id", "=", userId)
    .where("used_at", "is", null)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** A link found by its hash before the tenant is known (migrations/0025's function): its council and user. */
export async function findPasswordLinkByHash(
  db: Kysely<DB>,
  tokenHash: string,
): Promise<{ tenant_id: string; link_id: string; user_id: string } | undefined> {
  return (
    await sql<{ tenant_id: string; link_id: string; user_id: string }>`
      SELECT * FROM staff_password_link_find(${tokenHash})`.execute(db)
  ).rows[0];
}

/** One member of staff's password hash, for checking their current password only (migrations/0025). */
export async function staffPasswordHash(tx: TenantTx, userId: string): Promise<string | null> {
  const { rows } = await sql<{
    hash: string | null;
  }>`SELECT staff_password_hash(${userId}::uuid) AS hash`.execute(tx);
  return rows[0]?.hash ?? null;
}

export async function findPasswordLink(tx: TenantTx, linkId: string): Promise<PasswordLinkRow | undefined> {
  return tx
    .selectFrom("staff_password_links")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("link_id", "=", linkId)
    .executeTakeFirst();
}

/** The link's row, locked, inside the tenant transaction that uses it (so it is used once, even at once). */
export async function lockPasswordLink(tx: TenantTx, linkId: string): Promise<PasswordLinkRow | undefined> {
  return tx
    .selectFrom("staff_password_links")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("link_id", "=", linkId)
    .forUpdate()
    .executeTakeFirst();
}

export async function markPasswordLinkUsed(tx: TenantTx, linkId: string, at: Date): Promise<void> {
  await tx
    .updateTable("staff_password_links")
    .set({ used_at: at })
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("link_id", "=", linkId)
    .execute();
}

// ---- for other features: who a member of staff is -----------------------------------------------------------

/** Staff names by user id (for "submitted by" and "approved by"). */
export async function staffNames(tx: TenantTx, ids: readonly string[]): Promise<Map<string, string>> {
  const uuids = [...new Set(ids)].filter((id) => /^[0-9a-f-]{36}$/i.test(id));
  if (uuids.length === 0) return new Map();
  const rows = await tx
    .selectFrom("staff_users")
    .select(["user_id", "name"])
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("user_id", "in", uuids)
    .execute();
  return new Map(rows.map((r) => [r.user_id, r.name]));
}

/** A member of staff who is not deactivated, with their roles. */
export async function activeStaffUser(
  tx: TenantTx,
  userId: string,
): Promise<{ user_id: string; name: string; roles: string[] } | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(userId)) return undefined;
  return tx
    .selectFrom("staff_users")
    .select(["user_id", "name", "roles"])
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("user_id", "=", userId)
    .where("disabled_at", "is", null)
    .executeTakeFirst();
}
