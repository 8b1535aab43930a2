import type { Kysely } from "kysely";
import { z } from "zod";
import { audit } from "#/platform/audit/audit.ts";
import { newPasswordSchema } from "#/platform/auth/password-rules.ts";
import { hashPassword, verifyPassword } from "#/platform/auth/passwords.ts";
import { ROLE_LABELS, STAFF_ROLES } from "#/platform/auth/permissions.ts";
import {
  actorRef,
  inTenant,
  isUniqueViolation,
  type ServiceContext,
  type TxContext,
} from "#/platform/context.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import type { DB, StaffRole } from "#/platform/db/schema.ts";
import { dropToTenant, withoutTenant } from "#/platform/db/tenant.ts";
import { ConflictError, NotFoundError, ValidationError } from "#/platform/errors.ts";
import { parseInput } from "#/platform/parse-input.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";
import { revokeAllApiTokensIn } from "#/platform/web/api-tokens.ts";
import { endAllSessionsIn } from "#/platform/web/identity.ts";
import { randomSecret, sha256 } from "#/platform/web/secrets.ts";
import * as repo from "./repository.ts";

/**
 * Staff administration (issue 11): administrators add staff, change their roles and team, and deactivate them;
 * staff set their first password with a one-time link and change it later themselves. Two rules hold whatever
 * the path: a council always keeps at least one active administrator, and a deactivated member of staff can do
 * nothing more (their sessions end and API tokens are revoked in the same transaction). Every change is audited.
 */

/**
 * How long a set-password link works. A week gives the administrator time to pass it on and the new member of
 * staff time to use it, while an unused link does not linger; a new link can be made at any time.
 */
export const SET_PASSWORD_LINK_DAYS = 7;

/** Where a set-password link opens; the secret is the last part. */
export const SET_PASSWORD_PATH = "/set-password";

export type StaffMember = {
  userId: string;
  email: string;
  name: string;
  roles: StaffRole[];
  teamId: string | null;
  teamName: string | null;
  active: boolean;
  /** False until they have set a password with their link. */
  hasPassword: boolean;
  createdAt: Date;
  disabledAt: Date | null;
};

export type Team = {
  teamId: string;
  name: string /** New requests' tasks go to this team. */;
  takesNewRequests: boolean;
};

const toTeam = (row: repo.TeamRow): Team => ({
  teamId: row.team_id,
  name: row.name,
  takesNewRequests: row.takes_new_requests,
});

/** A set-password link, made now and shown once: only its hash is stored. */
export type IssuedPasswordLink = { token: string; path: string; expiresAt: Date };

const uuidOrNone = z.preprocess(
  (v) => (v === "" || v === undefined ? null : v),
  z.uuid({ error: "Choose a team from the list" }).nullable(),
);

const rolesSchema = z
  .array(z.enum(STAFF_ROLES as [StaffRole, ...StaffRole[]], { error: "Choose roles from the list" }), {
    error: "Choose at least one role",
  })
  .min(1, { error: "Choose at least one role" })
  .transform((roles) => STAFF_ROLES.filter((r) => roles.includes(r)));

export const newStaffSchema = z.strictObject({
  name: z.string().trim().min(1, { error: "Enter their full name" }).max(200, {
    error: "Their name must be 200 characters or fewer",
  }),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, { error: "Enter their email address" })
    .max(320, { error: "The email address must be 320 characters or fewer" })
    .pipe(z.email({ error: "Enter an email address in the correct format, like name@example.com" })),
  roles: rolesSchema,
  teamId: uuidOrNone.optional(),
});
export type NewStaff = z.output<typeof newStaffSchema>;

export const staffChangeSchema = z.strictObject({ roles: rolesSchema, teamId: uuidOrNone.optional() });

export const teamSchema = z.strictObject({
  name: z.string().trim().min(1, { error: "Enter the team's name" }).max(100, {
    error: "The team's name must be 100 characters or fewer",
  }),
});

function toMember(row: repo.StaffUserRow, teams: ReadonlyMap<string, string>): StaffMember {
  return {
    userId: row.user_id,
    email: row.email,
    name: row.name,
    roles: row.roles,
    teamId: row.team_id,
    teamName: row.team_id ? (teams.get(row.team_id) ?? null) : null,
    active: row.disabled_at === null,
    hasPassword: row.has_password,
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
  };
}

async function teamNames(t: TxContext): Promise<Map<string, string>> {
  return new Map((await repo.listTeams(t.tx)).map((team) => [team.team_id, team.name]));
}

const isUuid = (id: string) => z.uuid().safeParse(id).success;

// ---- reading -------------------------------------------------------------------------------------------------

export async function listStaff(ctx: ServiceContext): Promise<StaffMember[]> {
  return inTenant(ctx, async (t) => {
    const teams = await teamNames(t);
    return (await repo.listStaffUsers(t.tx)).map((row) => toMember(row, teams));
  });
}

export async function getStaffMember(ctx: ServiceContext, userId: string): Promise<StaffMember> {
  return inTenant(ctx, async (t) => getStaffMemberIn(t, userId));
}

async function getStaffMemberIn(t: TxContext, userId: string): Promise<StaffMember> {
  const row = isUuid(userId) ? await repo.findStaffUser(t.tx, userId) : undefined;
  if (!row) throw new NotFoundError("The member of staff");
  return toMember(row, await teamNames(t));
}

export async function listTeams(ctx: ServiceContext): Promise<Team[]> {
  return inTenant(ctx, listTeamsIn);
}

export async function listTeamsIn({ tx }: TxContext): Promise<Team[]> {
  return (await repo.listTeams(tx)).map(toTeam);
}

/** One of the council's teams, inside the caller's transaction (e.g. the task list checking a task's team). */
export async function findTeamIn({ tx }: Pick<TxContext, "tx">, teamId: string): Promise<Team | undefined> {
  const row = isUuid(teamId) ? await repo.findTeam(tx, teamId) : undefined;
  return row ? toTeam(row) : undefined;
}

/** The team a member of staff is in, or null (none, or not one of this council's staff). */
export async function teamOfIn({ tx }: Pick<TxContext, "tx">, userId: string): Promise<string | null> {
  const row = isUuid(userId) ? await repo.findStaffUser(tx, userId) : undefined;
  return row?.team_id ?? null;
}

/** Staff names by user id, inside the caller's transaction (e.g. "submitted by" on a plan); ids not found are left out. */
export async function staffNamesIn(
  { tx }: Pick<TxContext, "tx">,
  userIds: readonly string[],
): Promise<Map<string, string>> {
  return repo.staffNames(tx, userIds);
}

/** A member of staff who may still act (not deactivated), with their roles; undefined otherwise. */
export async function activeStaffMemberIn(
  { tx }: Pick<TxContext, "tx">,
  userId: string,
): Promise<{ userId: string; name: string; roles: string[] } | undefined> {
  const row = await repo.activeStaffUser(tx, userId);
  return row ? { userId: row.user_id, name: row.name, roles: row.roles } : undefined;
}

/** The team the council named as taking new requests, or null when it has named none. */
export async function intakeTeamIn({ tx }: Pick<TxContext, "tx">): Promise<Team | null> {
  const row = await repo.findIntakeTeam(tx);
  return row ? toTeam(row) : null;
}

export const intakeTeamSchema = z.strictObject({ teamId: uuidOrNone });

/**
 * Names the team that takes new requests (the public self-referral form's tasks go to it), or none (they go to
 * the intake role group). At most one team at a time. Audited.
 */
export async function setIntakeTeam(ctx: ServiceContext, input: unknown): Promise<Team | null> {
  const { teamId } = parseInput(intakeTeamSchema, input);
  return inTenant(ctx, async (t) => {
    await checkTeam(t, teamId);
    const before = await repo.findIntakeTeam(t.tx);
    if ((before?.team_id ?? null) !== teamId) {
      await repo.setIntakeTeam(t.tx, teamId);
      await audit(t.tx, {
        action: "update",
        recordType: "team",
        recordId: teamId ?? before!.team_id,
        changes: { takesNewRequests: { from: before?.team_id ?? null, to: teamId } },
      });
    }
    return intakeTeamIn(t);
  });
}

// ---- teams ---------------------------------------------------------------------------------------------------

export async function createTeam(ctx: ServiceContext, input: unknown): Promise<Team> {
  const { name } = parseInput(teamSchema, input);
  try {
    return await inTenant(ctx, (t) => createTeamIn(t, name));
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateTeam();
    throw error;
  }
}

const duplicateTeam = () =>
  new ValidationError([{ path: "name", message: "There is already a team with that name: choose another" }]);

/** Adds a team inside the caller's transaction (the demo seed, a new council). The name must be valid. */
export async function createTeamIn({ tx }: TxContext, name: string): Promise<Team> {
  const existing = await repo.listTeams(tx);
  if (existing.some((t) => t.name.toLowerCase() === name.toLowerCase())) throw duplicateTeam();
  const row = await repo.insertTeam(tx, { team_id: uuidv7(), name, created_by: actorRef(tx.scope.actor) });
  await audit(tx, { action: "create", recordType: "team", recordId: row.team_id, changes: { name } });
  return toTeam(row);
}

async function checkTeam(t: TxContext, teamId: string | null | undefined): Promise<void> {
  if (teamId && !(await repo.findTeam(t.tx, teamId))) {
    throw new ValidationError([{ path: "teamId", message: "Choose a team from the list" }]);
  }
}

// ---- adding staff and their set-password links ---------------------------------------------------------------

/** Adds a member of staff, with no password yet, and makes their one-time set-password link (shown once). */
export async function addStaff(
  ctx: ServiceContext,
  input: unknown,
): Promise<{ member: StaffMember; link: IssuedPasswordLink }> {
  const data = parseInput(newStaffSchema, input);
  try {
    return await inTenant(ctx, (t) => addStaffIn(t, data));
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateEmail();
    throw error;
  }
}

const duplicateEmail = () =>
  new ValidationError([
    { path: "email", message: "There is already a member of staff with that email address" },
  ]);

/** addStaff inside the caller's transaction (a new council's first administrator). Input must be validated. */
export async function addStaffIn(
  t: TxContext,
  data: NewStaff,
): Promise<{ member: StaffMember; link: IssuedPasswordLink }> {
  const { tx } = t;
  const taken = await tx
    .selectFrom("staff_users")
    .select("user_id")
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("email", "=", data.email)
    .executeTakeFirst();
  if (taken) throw duplicateEmail();
  await checkTeam(t, data.teamId);
  const userId = uuidv7();
  await repo.insertStaffUsers(tx, [
    {
      userId,
      email: data.email,
      name: data.name,
      passwordHash: null,
      roles: data.roles,
      teamId: data.teamId,
    },
  ]);
  await audit(tx, {
    action: "create",
    recordType: "staff_user",
    recordId: userId,
    changes: { email: data.email, name: data.name, roles: data.roles, teamId: data.teamId ?? null },
  });
  const link = await issueLinkIn(t, userId);
  return { member: await getStaffMemberIn(t, userId), link };
}

async function issueLinkIn({ tx }: TxContext, userId: string): Promise<IssuedPasswordLink> {
  const now = new Date();
  const revoked = await repo.revokeOpenPasswordLinks(tx, userId, now);
  const token = randomSecret();
  const linkId = uuidv7();
  const expiresAt = new Date(now.getTime() + SET_PASSWORD_LINK_DAYS * 24 * 3600_000);
  await repo.insertPasswordLink(tx, {
    link_id: linkId,
    user_id: userId,
    token_hash: sha256(token),
    expires_at: expiresAt,
    created_by: actorRef(tx.scope.actor),
  });
  await audit(tx, {
    action: "issue_password_link",
    recordType: "staff_user",
    recordId: userId,
    changes: { linkId, expiresAt: expiresAt.toISOString(), earlierLinksRevoked: revoked },
  });
  return { token, path: `${SET_PASSWORD_PATH}/${token}`, expiresAt };
}

/** A new set-password link for an active member of staff (the first was lost, or they forgot their password). */
export async function issuePasswordLink(ctx: ServiceContext, userId: string): Promise<IssuedPasswordLink> {
  return inTenant(ctx, async (t) => {
    const row = isUuid(userId) ? await repo.lockStaffUser(t.tx, userId) : undefined;
    if (!row) throw new NotFoundError("The member of staff");
    if (row.disabled_at) throw new ConflictError(`${row.name} is deactivated: no link can be made for them`);
    return issueLinkIn(t, userId);
  });
}

export type PasswordLinkState = { usable: true; name: string; email: string } | { usable: false };

/**
 * Whether a link still works (the page asks before showing its form). Found by its hash before any tenant is
 * known (migrations/0025's function), then read in its council.
 */
export async function passwordLinkState(db: Kysely<DB>, token: string): Promise<PasswordLinkState> {
  return withoutTenant(db, async (trx) => {
    const found = await repo.findPasswordLinkByHash(trx, sha256(token));
    if (!found) return { usable: false };
    const tx = await dropToTenant(trx, {
      tenantId: found.tenant_id,
      actor: { type: "staff", id: found.user_id },
    });
    const link = await repo.findPasswordLink(tx, found.link_id);
    if (!link || !linkUsable(link, new Date())) return { usable: false };
    const user = await repo.findStaffUser(tx, found.user_id);
    if (!user || user.disabled_at) return { usable: false };
    return { usable: true, name: user.name, email: user.email };
  });
}

const linkUsable = (link: repo.PasswordLinkRow, now: Date) =>
  link.used_at === null && link.revoked_at === null && link.expires_at.getTime() > now.getTime();

export const LINK_NOT_USABLE =
  "This link to set a password has been used, has expired or was replaced by a newer one. Ask an administrator for a new link.";

const setPasswordSchema = z.strictObject({
  password: newPasswordSchema,
  confirmPassword: z.string({ error: "Enter your new password again" }),
});

/**
 * Sets a member of staff's password with their one-time link: the link is used up, any other open link is
 * revoked and any session they had ends (a link may be how a forgotten password is replaced). Signs nothing in.
 */
export async function setPasswordWithLink(db: Kysely<DB>, token: string, input: unknown): Promise<void> {
  const data = parseInput(setPasswordSchema, input);
  if (data.confirmPassword !== data.password) {
    throw new ValidationError([
      { path: "confirmPassword", message: "The passwords do not match: enter the same one twice" },
    ]);
  }
  const passwordHash = await hashPassword(data.password);
  await withoutTenant(db, async (trx) => {
    const found = await repo.findPasswordLinkByHash(trx, sha256(token));
    if (!found) throw new ConflictError(LINK_NOT_USABLE);
    const tx = await dropToTenant(trx, {
      tenantId: found.tenant_id,
      actor: { type: "staff", id: found.user_id },
    });
    const now = new Date();
    const link = await repo.lockPasswordLink(tx, found.link_id);
    const user = await repo.lockStaffUser(tx, found.user_id);
    if (!link || !linkUsable(link, now) || !user || user.disabled_at)
      throw new ConflictError(LINK_NOT_USABLE);
    await repo.updateStaffUser(tx, user.user_id, { password_hash: passwordHash });
    await repo.markPasswordLinkUsed(tx, link.link_id, now);
    await repo.revokeOpenPasswordLinks(tx, user.user_id, now);
    const sessionsEnded = await endAllSessionsIn(tx, user.user_id);
    await audit(tx, {
      action: "set_password",
      recordType: "staff_user",
      recordId: user.user_id,
      changes: { linkId: link.link_id, sessionsEnded },
    });
  });
}

// ---- changing and deactivating staff --------------------------------------------------------------------------

const onlyAdministrator = (name: string) =>
  `${name} is the council's only active administrator. Give someone else the administrator role first, so the council is never left without one.`;

/**
 * Changes a member of staff's roles and team. Refused if it would take the administrator role from the council's
 * last active administrator: the administrators' rows are locked first, so concurrent changes cannot both pass.
 */
export async function changeStaff(ctx: ServiceContext, userId: string, input: unknown): Promise<StaffMember> {
  const data = parseInput(staffChangeSchema, input);
  return inTenant(ctx, async (t) => {
    const { tx } = t;
    const administrators = await repo.lockActiveAdministrators(tx);
    const row = isUuid(userId) ? await repo.lockStaffUser(tx, userId) : undefined;
    if (!row) throw new NotFoundError("The member of staff");
    if (row.disabled_at)
      throw new ConflictError(`${row.name} is deactivated: their roles and team cannot change`);
    if (
      administrators.includes(userId) &&
      !data.roles.includes("administrator") &&
      administrators.length <= 1
    ) {
      throw new ValidationError([{ path: "roles", message: onlyAdministrator(row.name) }]);
    }
    await checkTeam(t, data.teamId);
    const teamId = data.teamId === undefined ? row.team_id : data.teamId;
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (row.roles.join() !== data.roles.join()) changes.roles = { from: row.roles, to: data.roles };
    if (row.team_id !== teamId) changes.teamId = { from: row.team_id, to: teamId };
    if (Object.keys(changes).length > 0) {
      if (changes.roles) await repo.setStaffRoles(tx, userId, data.roles);
      if (changes.teamId) await repo.updateStaffUser(tx, userId, { team_id: teamId });
      await audit(tx, { action: "update", recordType: "staff_user", recordId: userId, changes });
    }
    return getStaffMemberIn(t, userId);
  });
}

/**
 * Deactivates a member of staff: they cannot sign in, every session of theirs ends and every API token and
 * open set-password link is revoked, in one transaction with its audit event. The council's last active
 * administrator cannot be deactivated.
 */
export async function deactivateStaff(
  ctx: ServiceContext,
  userId: string,
): Promise<{ member: StaffMember; sessionsEnded: number; tokensRevoked: number }> {
  return inTenant(ctx, async (t) => {
    const { tx } = t;
    const administrators = await repo.lockActiveAdministrators(tx);
    const row = isUuid(userId) ? await repo.lockStaffUser(tx, userId) : undefined;
    if (!row) throw new NotFoundError("The member of staff");
    if (row.disabled_at) throw new ConflictError(`${row.name} is already deactivated`);
    if (administrators.includes(userId) && administrators.length <= 1) {
      throw new ConflictError(onlyAdministrator(row.name));
    }
    const now = new Date();
    await repo.updateStaffUser(tx, userId, { disabled_at: now });
    const sessionsEnded = await endAllSessionsIn(tx, userId);
    const tokensRevoked = await revokeAllApiTokensIn(tx, userId, now);
    const linksRevoked = await repo.revokeOpenPasswordLinks(tx, userId, now);
    await audit(tx, {
      action: "deactivate",
      recordType: "staff_user",
      recordId: userId,
      changes: { sessionsEnded, tokensRevoked, linksRevoked },
    });
    return { member: await getStaffMemberIn(t, userId), sessionsEnded, tokensRevoked };
  });
}

// ---- your own password ----------------------------------------------------------------------------------------

const changeOwnPasswordSchema = z.object({
  currentPassword: z
    .string({ error: "Enter your current password" })
    .min(1, { error: "Enter your current password" }),
  newPassword: newPasswordSchema,
  confirmPassword: z.string({ error: "Enter your new password again" }),
});

/** A member of staff changes their own password: the current one first, then the new one twice. */
export async function changeOwnPassword(ctx: ServiceContext, input: unknown): Promise<void> {
  const parsed = changeOwnPasswordSchema.safeParse(input);
  const errors = parsed.success ? [] : fieldErrorsFrom(parsed.error);
  const raw = (input ?? {}) as Record<string, unknown>;
  if (parsed.success && raw.confirmPassword !== raw.newPassword) {
    errors.push({
      path: "confirmPassword",
      message: "The new passwords do not match: enter the same one twice",
    });
  }
  if (errors.length > 0 || !parsed.success) throw new ValidationError(errors);
  const data = parsed.data;
  const userId = ctx.scope.actor.id;
  if (ctx.scope.actor.type !== "staff" || !userId) {
    throw new ConflictError("Only a member of staff signed in with their password can change it");
  }
  const passwordHash = await hashPassword(data.newPassword);
  await inTenant(ctx, async ({ tx }) => {
    const row = await repo.lockStaffUser(tx, userId);
    if (!row || row.disabled_at) throw new NotFoundError("Your account");
    const hash = await repo.staffPasswordHash(tx, userId);
    if (!hash || !(await verifyPassword(hash, data.currentPassword))) {
      throw new ValidationError([
        { path: "currentPassword", message: "Your current password is not right: enter it again" },
      ]);
    }
    if (data.newPassword === data.currentPassword) {
      throw new ValidationError([
        { path: "newPassword", message: "Choose a new password different from your current one" },
      ]);
    }
    await repo.updateStaffUser(tx, userId, { password_hash: passwordHash });
    await audit(tx, { action: "change_password", recordType: "staff_user", recordId: userId });
  });
}

/** Words for the roles, in the order pages list them. */
export const roleItems = () => STAFF_ROLES.map((role) => ({ value: role, text: ROLE_LABELS[role] }));
