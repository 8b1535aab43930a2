import type { Selectable } from "kysely";
import type { DB, StaffRole } from "#/platform/db/schema.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/** SQL for staff accounts. */

export type StaffUserRow = Selectable<DB["staff_users"]>;

export type NewStaffUser = {
  userId: string;
  email: string;
  name: string;
  /** An argon2id hash from platform/auth/passwords.ts; never the password. */
  passwordHash: string;
  roles: StaffRole[];
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
