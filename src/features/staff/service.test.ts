import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { staffLookups } from "#/features/staff/identity-lookups.ts";
import {
  addStaff,
  addStaffIn,
  changeOwnPassword,
  changeStaff,
  createTeam,
  deactivateStaff,
  getStaffMember,
  issuePasswordLink,
  LINK_NOT_USABLE,
  listStaff,
  listTeams,
  passwordLinkState,
  SET_PASSWORD_LINK_DAYS,
  setPasswordWithLink,
} from "#/features/staff/service.ts";
import { createTenant } from "#/features/tenants/service.ts";
import { verifyPassword } from "#/platform/auth/passwords.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { withSystem, withTenant } from "#/platform/db/tenant.ts";
import { ConflictError, type ValidationError } from "#/platform/errors.ts";
import { createApiToken } from "#/platform/web/api-tokens.ts";
import { createSession, identityFromApiToken, identityFromSession } from "#/platform/web/identity.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { TODAY } from "../../../test/today.ts";

const PASSWORD = "correct horse battery";

describe.each(enginesUnderTest())("staff service on %s", (engine) => {
  let database: TestDatabase;
  let tenantId: string;
  let admin: ServiceContext;
  let adminId: string;
  let counter = 0;

  const ctxAs = (userId: string): ServiceContext => ({
    db: database.db,
    scope: { tenantId, actor: { type: "staff", id: userId } },
    today: TODAY,
  });
  const errorOf = async (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (e: unknown) => e,
    );
  const fieldErrors = async (promise: Promise<unknown>) =>
    ((await errorOf(promise)) as ValidationError).fieldErrors;
  const auditFor = (recordId: string) =>
    withSystem(database.db, (trx) =>
      trx
        .selectFrom("audit_events")
        .select(["action", "actor_id", "changes"])
        .where("record_id", "=", recordId)
        .orderBy("occurred_at")
        .execute(),
    );
  /** A new member of staff who has set their password. */
  const newStaff = async (roles: string[], by = admin) => {
    counter++;
    const { member, link } = await addStaff(by, {
      name: `Person ${counter}`,
      email: `person${counter}@north.test`,
      roles,
    });
    await setPasswordWithLink(database.db, link.token, { password: PASSWORD, confirmPassword: PASSWORD });
    return member;
  };

  beforeAll(async () => {
    database = await databaseFor(engine, "migrated");
    const tenant = await createTenant(
      database.db,
      { slug: "north-staff", name: "North Council", jurisdiction: "england" },
      { today: TODAY },
    );
    tenantId = tenant.tenantId;
    const first = await withTenant(database.db, { tenantId, actor: { type: "system", id: null } }, (tx) =>
      addStaffIn(
        { tx, today: TODAY },
        { name: "First Admin", email: "first.admin@north.test", roles: ["administrator"] },
      ),
    );
    adminId = first.member.userId;
    admin = ctxAs(adminId);
    await setPasswordWithLink(database.db, first.link.token, {
      password: PASSWORD,
      confirmPassword: PASSWORD,
    });
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("rule (issue 11): an administrator adds staff with no password and a one-time link to set one; audited", async () => {
    const team = await createTeam(admin, { name: "Adults East" });
    const { member, link } = await addStaff(admin, {
      name: " Sam Newstarter ",
      email: "Sam.Newstarter@North.test",
      roles: ["support_planner", "social_worker"],
      teamId: team.teamId,
    });
    expect(member).toMatchObject({
      name: "Sam Newstarter",
      email: "sam.newstarter@north.test",
      roles: ["social_worker", "support_planner"],
      teamName: "Adults East",
      active: true,
      hasPassword: false,
    });
    expect(link.path).toBe(`/set-password/${link.token}`);
    const days = (link.expiresAt.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(SET_PASSWORD_LINK_DAYS - 0.01);
    expect(days).toBeLessThanOrEqual(SET_PASSWORD_LINK_DAYS);
    // Only the hash is stored.
    const stored = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("staff_password_links")
        .select("token_hash")
        .where("user_id", "=", member.userId)
        .execute(),
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]!.token_hash).not.toContain(link.token);
    expect((await auditFor(member.userId)).map((e) => [e.action, e.actor_id])).toEqual([
      ["create", adminId],
      ["issue_password_link", adminId],
    ]);
    expect(await passwordLinkState(database.db, link.token)).toEqual({
      usable: true,
      name: "Sam Newstarter",
      email: "sam.newstarter@north.test",
    });
    expect((await listStaff(admin)).map((s) => s.email)).toContain("sam.newstarter@north.test");
  });

  it("rule (issue 11): bad staff details are refused naming each field, and an email is used once per council", async () => {
    expect(
      (await fieldErrors(addStaff(admin, { name: "", email: "not-an-email", roles: [], teamId: "x" }))).map(
        (e) => e.path,
      ),
    ).toEqual(["name", "email", "roles", "teamId"]);
    expect(
      await fieldErrors(
        addStaff(admin, { name: "Again", email: "FIRST.ADMIN@north.test", roles: ["commissioner"] }),
      ),
    ).toEqual([{ path: "email", message: "There is already a member of staff with that email address" }]);
    expect(
      await fieldErrors(
        addStaff(admin, {
          name: "No team",
          email: "no.team@north.test",
          roles: ["commissioner"],
          teamId: "0190f0f0-0000-7000-8000-000000000000",
        }),
      ),
    ).toEqual([{ path: "teamId", message: "Choose a team from the list" }]);
    expect(await fieldErrors(createTeam(admin, { name: "adults east" }))).toEqual([
      { path: "name", message: "There is already a team with that name: choose another" },
    ]);
  });

  it("rule (issue 11): a set-password link works once, sets an argon2id hash, and refuses a weak password first", async () => {
    const { member, link } = await addStaff(admin, {
      name: "Link User",
      email: "link.user@north.test",
      roles: ["commissioner"],
    });
    expect(
      await fieldErrors(
        setPasswordWithLink(database.db, link.token, { password: "short", confirmPassword: "short" }),
      ),
    ).toEqual([{ path: "password", message: "Your password must be at least 10 characters" }]);
    expect(
      (
        await fieldErrors(
          setPasswordWithLink(database.db, link.token, {
            password: "password123",
            confirmPassword: "password123",
          }),
        )
      )[0]!.message,
    ).toMatch(/too common/);
    expect(
      await fieldErrors(
        setPasswordWithLink(database.db, link.token, { password: PASSWORD, confirmPassword: "other" }),
      ),
    ).toEqual([{ path: "confirmPassword", message: "The passwords do not match: enter the same one twice" }]);
    expect((await getStaffMember(admin, member.userId)).hasPassword).toBe(false);

    await setPasswordWithLink(database.db, link.token, { password: PASSWORD, confirmPassword: PASSWORD });
    const hash = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("staff_users")
        .select("password_hash")
        .where("user_id", "=", member.userId)
        .executeTakeFirstOrThrow(),
    );
    expect(await verifyPassword(hash.password_hash!, PASSWORD)).toBe(true);
    expect(await passwordLinkState(database.db, link.token)).toEqual({ usable: false });
    const again = await errorOf(
      setPasswordWithLink(database.db, link.token, {
        password: "another long one",
        confirmPassword: "another long one",
      }),
    );
    expect(again).toBeInstanceOf(ConflictError);
    expect((again as Error).message).toBe(LINK_NOT_USABLE);
    expect((await auditFor(member.userId)).map((e) => e.action)).toEqual([
      "create",
      "issue_password_link",
      "set_password",
    ]);
  });

  it("rule (issue 11): a set-password link expires, and a newer link replaces an older one", async () => {
    const { member, link } = await addStaff(admin, {
      name: "Late User",
      email: "late.user@north.test",
      roles: ["commissioner"],
    });
    await withSystem(database.db, (trx) =>
      trx
        .updateTable("staff_password_links")
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where("user_id", "=", member.userId)
        .execute(),
    );
    expect(await passwordLinkState(database.db, link.token)).toEqual({ usable: false });
    await expect(
      setPasswordWithLink(database.db, link.token, { password: PASSWORD, confirmPassword: PASSWORD }),
    ).rejects.toBeInstanceOf(ConflictError);

    const second = await issuePasswordLink(admin, member.userId);
    const third = await issuePasswordLink(admin, member.userId);
    expect(await passwordLinkState(database.db, second.token)).toEqual({ usable: false });
    expect((await passwordLinkState(database.db, third.token)).usable).toBe(true);
    await expect(
      setPasswordWithLink(database.db, second.token, { password: PASSWORD, confirmPassword: PASSWORD }),
    ).rejects.toBeInstanceOf(ConflictError);
    await setPasswordWithLink(database.db, third.token, { password: PASSWORD, confirmPassword: PASSWORD });
    expect((await getStaffMember(admin, member.userId)).hasPassword).toBe(true);
  });

  it("rule (issue 11): an administrator changes a member of staff's roles and team; audited with before and after", async () => {
    const member = await newStaff(["social_worker"]);
    const team = await createTeam(admin, { name: "Finance" });
    const changed = await changeStaff(admin, member.userId, {
      roles: ["finance_officer"],
      teamId: team.teamId,
    });
    expect(changed).toMatchObject({ roles: ["finance_officer"], teamId: team.teamId, teamName: "Finance" });
    const events = await auditFor(member.userId);
    expect(events.at(-1)).toMatchObject({
      action: "update",
      actor_id: adminId,
      changes: {
        roles: { from: ["social_worker"], to: ["finance_officer"] },
        teamId: { from: null, to: team.teamId },
      },
    });
    // No change, no event.
    await changeStaff(admin, member.userId, { roles: ["finance_officer"], teamId: team.teamId });
    expect(await auditFor(member.userId)).toHaveLength(events.length);
    expect((await listTeams(admin)).map((t) => t.name)).toEqual(["Adults East", "Finance"]);
  });

  it("rule (issue 11): deactivating ends the member's sessions and revokes their API tokens at once; audited", async () => {
    const member = await newStaff(["support_planner"]);
    const sessionId = `session-${member.userId}`;
    await createSession(database.db, tenantId, member.userId, sessionId);
    const { token } = await withTenant(
      database.db,
      { tenantId, actor: { type: "staff", id: member.userId } },
      (tx) => createApiToken(tx, staffLookups, member.userId, "script"),
    );
    expect(await identityFromSession(database.db, staffLookups, sessionId)).not.toBeNull();
    expect(await identityFromApiToken(database.db, staffLookups, token)).not.toBeNull();

    const result = await deactivateStaff(admin, member.userId);
    expect(result).toMatchObject({ sessionsEnded: 1, tokensRevoked: 1, member: { active: false } });
    expect(await identityFromSession(database.db, staffLookups, sessionId)).toBeNull();
    expect(await identityFromApiToken(database.db, staffLookups, token)).toBeNull();
    const rows = await withSystem(database.db, async (trx) => ({
      sessions: await trx
        .selectFrom("sessions")
        .select("user_id")
        .where("user_id", "=", member.userId)
        .execute(),
      tokens: await trx
        .selectFrom("api_tokens")
        .select("revoked_at")
        .where("user_id", "=", member.userId)
        .execute(),
    }));
    expect(rows.sessions).toEqual([]);
    expect(rows.tokens[0]!.revoked_at).toBeInstanceOf(Date);
    expect((await auditFor(member.userId)).at(-1)).toMatchObject({
      action: "deactivate",
      actor_id: adminId,
      changes: { sessionsEnded: 1, tokensRevoked: 1, linksRevoked: 0 },
    });
    await expect(deactivateStaff(admin, member.userId)).rejects.toBeInstanceOf(ConflictError);
    await expect(changeStaff(admin, member.userId, { roles: ["administrator"] })).rejects.toBeInstanceOf(
      ConflictError,
    );
    await expect(issuePasswordLink(admin, member.userId)).rejects.toBeInstanceOf(ConflictError);
  });

  it("rule (issue 11): no change by anyone leaves the council without an active administrator", async () => {
    // Alone: the first administrator can neither drop the role nor be deactivated (by themselves).
    const before = await auditFor(adminId);
    expect(await fieldErrors(changeStaff(admin, adminId, { roles: ["commissioner"] }))).toEqual([
      {
        path: "roles",
        message:
          "First Admin is the council's only active administrator. Give someone else the administrator role first, so the council is never left without one.",
      },
    ]);
    const refused = await errorOf(deactivateStaff(admin, adminId));
    expect(refused).toBeInstanceOf(ConflictError);
    expect((refused as Error).message).toMatch(/only active administrator/);
    // Nothing was written by either refusal.
    expect(await auditFor(adminId)).toEqual(before);
    expect((await getStaffMember(admin, adminId)).roles).toEqual(["administrator"]);

    // With a second administrator, either may go, but then the other is the last again.
    const second = await newStaff(["administrator", "finance_officer"]);
    const secondCtx = ctxAs(second.userId);
    await changeStaff(secondCtx, adminId, { roles: ["commissioner"] });
    expect(await fieldErrors(changeStaff(admin, second.userId, { roles: ["finance_officer"] }))).toEqual([
      expect.objectContaining({ path: "roles" }),
    ]);
    await expect(deactivateStaff(secondCtx, second.userId)).rejects.toBeInstanceOf(ConflictError);
    await changeStaff(secondCtx, adminId, { roles: ["administrator"] });
    // Two administrators removing each other at the same moment: the row locks queue them and one is refused.
    const results = await Promise.allSettled([
      deactivateStaff(admin, second.userId),
      deactivateStaff(secondCtx, adminId),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const active = (await listStaff(admin)).filter((s) => s.active && s.roles.includes("administrator"));
    expect(active).toHaveLength(1);
  });

  it("rule (issue 11): staff change their own password only with the current one; audited", async () => {
    const member = await newStaff(["commissioner"]);
    const self = ctxAs(member.userId);
    expect(
      await fieldErrors(
        changeOwnPassword(self, {
          currentPassword: "wrong password",
          newPassword: "a fresh long password",
          confirmPassword: "a fresh long password",
        }),
      ),
    ).toEqual([{ path: "currentPassword", message: "Your current password is not right: enter it again" }]);
    expect(
      (
        await fieldErrors(
          changeOwnPassword(self, { currentPassword: "", newPassword: "short", confirmPassword: "x" }),
        )
      ).map((e) => e.path),
    ).toEqual(["currentPassword", "newPassword"]);
    expect(
      await fieldErrors(
        changeOwnPassword(self, {
          currentPassword: PASSWORD,
          newPassword: "a fresh long password",
          confirmPassword: "different",
        }),
      ),
    ).toEqual([
      { path: "confirmPassword", message: "The new passwords do not match: enter the same one twice" },
    ]);
    expect((await auditFor(member.userId)).map((e) => e.action)).not.toContain("change_password");

    await changeOwnPassword(self, {
      currentPassword: PASSWORD,
      newPassword: "a fresh long password",
      confirmPassword: "a fresh long password",
    });
    const hash = await withSystem(database.db, (trx) =>
      trx
        .selectFrom("staff_users")
        .select("password_hash")
        .where("user_id", "=", member.userId)
        .executeTakeFirstOrThrow(),
    );
    expect(await verifyPassword(hash.password_hash!, "a fresh long password")).toBe(true);
    expect((await auditFor(member.userId)).at(-1)).toMatchObject({
      action: "change_password",
      actor_id: member.userId,
    });
  });
});
