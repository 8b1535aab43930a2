import { type Generated, type Kysely, type Selectable, sql } from "kysely";
import type { DB, StaffRole } from "#/platform/db/schema.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/** SQL for staff accounts, teams and the one-time links to set a password (migrations/0001, 0017, 0020). */

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

export type StaffUserRow = Selectable<DB["staff_users"]>;
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
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
}

/** Locks one member of staff's row for the rest of the transaction (two changes to one person queue). */
export async function lockStaffUser(tx: TenantTx, userId: string): Promise<StaffUserRow | undefined> {
  return tx
    .selectFrom("staff_users")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("user_id", "=", userId)
    .forUpdate()
    .executeTakeFirst();
}

export async function listStaffUsers(tx: TenantTx): Promise<StaffUserRow[]> {
  return tx
    .selectFrom("staff_users")
    .selectAll()
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

export async function updateStaffUser(
  tx: TenantTx,
  userId: string,
  set: { roles?: StaffRole[]; team_id?: string | null; disabled_at?: Date | null; password_hash?: string },
): Promise<void> {
  await tx
    .updateTable("staff_users")
    .set(set)
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("user_id", "=", userId)
    .execute();
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

/** Owner connection only: a link is found by its hash before the tenant is known. */
export async function findPasswordLinkByHash(
  db: Kysely<DB>,
  tokenHash: string,
): Promise<PasswordLinkRow | undefined> {
  return db
    .selectFrom("staff_password_links")
    .selectAll()
    .where("token_hash", "=", tokenHash)
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
