import { audit } from "#/platform/audit/audit.ts";
import { hashPassword } from "#/platform/auth/passwords.ts";
import type { TxContext } from "#/platform/context.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import type { StaffRole } from "#/platform/db/schema.ts";
import { insertStaffUsers } from "./repository.ts";
import { createTeamIn } from "./service.ts";

export type StaffWithPassword = { email: string; name: string; roles: readonly StaffRole[]; team?: string };
export type AddedStaff = { userId: string; email: string; name: string };

/**
 * Adds members of staff who already have a password (a demo or training council), with the teams they name,
 * inside the caller's transaction; each one audited as the staff pages audit an added member.
 */
export async function addStaffWithPasswordIn(
  t: TxContext,
  staff: readonly StaffWithPassword[],
  password: string,
): Promise<AddedStaff[]> {
  // Each account gets its own salt; hashing in parallel keeps it quick.
  const hashes = await Promise.all(staff.map(() => hashPassword(password)));
  // The teams the accounts name, made through the staff service (audited), in the order first named.
  const teamIds = new Map<string, string>();
  for (const name of new Set(staff.flatMap((s) => (s.team ? [s.team] : [])))) {
    teamIds.set(name, (await createTeamIn(t, name)).teamId);
  }
  const users = staff.map((s, i) => ({
    userId: uuidv7(),
    email: s.email,
    name: s.name,
    roles: [...s.roles],
    passwordHash: hashes[i]!,
    teamId: s.team ? teamIds.get(s.team)! : null,
  }));
  await insertStaffUsers(t.tx, users);
  for (const u of users) {
    await audit(t.tx, {
      action: "create",
      recordType: "staff_user",
      recordId: u.userId,
      changes: { roles: u.roles, teamId: u.teamId },
    });
  }
  return users.map(({ userId, email, name }) => ({ userId, email, name }));
}
