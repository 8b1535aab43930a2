import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listPeople } from "#/features/people/service.ts";
import { findCouncil, referralsFor, selfRefer } from "#/features/referrals/service.ts";
import { createTeam, listTeams, setIntakeTeam, type Team } from "#/features/staff/service.ts";
import { completeTask, raiseTaskIn, tasksFor } from "#/features/tasks/service.ts";
import type { Tenant } from "#/features/tenants/service.ts";
import type { ServiceContext } from "#/platform/context.ts";
import type { StaffRole } from "#/platform/db/schema.ts";
import { withTenant } from "#/platform/db/tenant.ts";
import { NotFoundError, ValidationError } from "#/platform/errors.ts";
import { DEMO_TEAMS, DEMO_TENANT_SLUG } from "#/seed/seed.ts";
import { staffScope } from "../../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { TODAY } from "../../../test/today.ts";

/** A self-referral as the public form sends it. */
const FORM = {
  givenName: "Teodora",
  familyName: "Teamwork",
  dateOfBirth: "1951-06-14",
  postcode: "ZX4 7QP",
  phone: "01632 960 002",
  who: "self",
  supportWanted: "Help with shopping and cooking.",
  confirm: "yes",
};

/** Tasks for teams, the team that takes new requests, and self-referrals about someone maybe already known. */
describe.each(enginesUnderTest())("tasks by team on %s", (engine) => {
  let database: TestDatabase;
  let demo: Tenant;
  let admin: ServiceContext;
  let teams: Team[];
  let personId: string;
  let address = 10;

  const ctxOf = async (email: string): Promise<ServiceContext> => ({
    db: database.db,
    scope: await staffScope(database, email),
    today: TODAY,
  });
  const teamNamed = (name: string) => teams.find((t) => t.name === name)!.teamId;
  const seen = async (email: string, roles: StaffRole[]) => {
    const ctx = await ctxOf(email);
    return tasksFor(ctx, { userId: ctx.scope.actor.id!, roles });
  };
  const send = (form: Record<string, string>) =>
    selfRefer(database.db, demo, form, {
      clientAddress: `192.0.2.${address++}`,
      addressKey: "test-address-key",
      today: TODAY,
    });

  beforeAll(async () => {
    database = await databaseFor(engine, { demo: { people: 2 } });
    demo = (await findCouncil(database.db, DEMO_TENANT_SLUG))!;
    admin = await ctxOf("administrator@demo.upfront.test");
    teams = await listTeams(admin);
    personId = (await listPeople(admin, { page: 1, pageSize: 1 })).rows[0]!.personId;
  }, 180_000);
  afterAll(async () => {
    await database?.drop();
  });

  it("rule (issue 11): a team's task is seen and done by its members, not by others in the council (even holding its roles) nor by another council", async () => {
    const practice = teamNamed(DEMO_TEAMS.practice);
    const taskId = await withTenant(database.db, admin.scope, (tx) =>
      raiseTaskIn(
        { tx },
        {
          kind: "audit_finding",
          title: "Practice team: look at the audit finding",
          personId,
          teamId: practice,
          // Roles named beside a team do not widen it: the task is the team's.
          forRoles: ["finance_officer"],
          dueOn: "2026-12-01",
          link: `/people/${personId}`,
          source: { type: "test", id: "team-1" },
        },
      ),
    );
    const ids = (tasks: Awaited<ReturnType<typeof seen>>) => tasks.map((t) => t.taskId);
    const swTasks = await seen("social.worker@demo.upfront.test", ["social_worker"]);
    expect(ids(swTasks)).toContain(taskId);
    expect(swTasks.find((t) => t.taskId === taskId)).toMatchObject({
      forYou: "your_team",
      team: { teamId: practice, name: DEMO_TEAMS.practice },
    });
    expect(ids(await seen("team.manager@demo.upfront.test", ["team_manager"]))).toContain(taskId);
    // Same council, another team: not seen, even by a finance officer the task's roles name.
    expect(ids(await seen("finance.officer@demo.upfront.test", ["finance_officer"]))).not.toContain(taskId);
    expect(ids(await seen("funding.panel@demo.upfront.test", ["funding_panel_member"]))).not.toContain(
      taskId,
    );
    const finance = await ctxOf("finance.officer@demo.upfront.test");
    await expect(
      completeTask(finance, { userId: finance.scope.actor.id!, roles: ["finance_officer"] }, taskId),
    ).rejects.toBeInstanceOf(NotFoundError);
    // Another council: not seen, and its own team cannot be given a task of this council's.
    const otherAdmin = await ctxOf("administrator@other.upfront.test");
    const otherTeam = await createTeam(otherAdmin, { name: DEMO_TEAMS.practice });
    expect(
      ids(await seen("administrator@other.upfront.test", ["administrator", "social_worker", "team_manager"])),
    ).not.toContain(taskId);
    const refused = await withTenant(database.db, admin.scope, (tx) =>
      raiseTaskIn(
        { tx },
        {
          kind: "audit_finding",
          title: "Another council's team",
          teamId: otherTeam.teamId,
          dueOn: "2026-12-01",
          link: "/tasks",
          source: { type: "test", id: "team-2" },
        },
      ),
    ).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).fieldErrors.map((e) => e.path)).toEqual(["teamId"]);
    // A member marks it done.
    const sw = await ctxOf("social.worker@demo.upfront.test");
    await completeTask(sw, { userId: sw.scope.actor.id!, roles: ["social_worker"] }, taskId);
    expect(ids(await seen("team.manager@demo.upfront.test", ["team_manager"]))).not.toContain(taskId);
  });

  it("rule (issue 11): a self-referral's task goes to the team that takes new requests when the council names one, else to the intake role group", async () => {
    const panel = teamNamed(DEMO_TEAMS.panel);
    expect(await setIntakeTeam(admin, { teamId: panel })).toMatchObject({
      teamId: panel,
      takesNewRequests: true,
    });
    // Only one team at a time takes new requests.
    const practice = teamNamed(DEMO_TEAMS.practice);
    await setIntakeTeam(admin, { teamId: practice });
    await setIntakeTeam(admin, { teamId: panel });
    expect((await listTeams(admin)).filter((t) => t.takesNewRequests).map((t) => t.teamId)).toEqual([panel]);
    expect(await setIntakeTeam(admin, { teamId: "not-a-team" }).catch((e: unknown) => e)).toBeInstanceOf(
      ValidationError,
    );

    const toTeam = await send(FORM);
    const forLink = (tasks: Awaited<ReturnType<typeof seen>>, referralId: string) =>
      tasks.filter((t) => t.link.includes(referralId));
    const panelTasks = forLink(
      await seen("funding.panel@demo.upfront.test", ["funding_panel_member"]),
      toTeam.referralId,
    );
    expect(panelTasks).toHaveLength(1);
    expect(panelTasks[0]).toMatchObject({ kind: "new_self_referral", team: { teamId: panel } });
    expect(
      forLink(await seen("social.worker@demo.upfront.test", ["social_worker"]), toTeam.referralId),
    ).toEqual([]);

    await setIntakeTeam(admin, { teamId: "" });
    const toRoles = await send({ ...FORM, givenName: "Rolanda" });
    expect(
      forLink(await seen("social.worker@demo.upfront.test", ["social_worker"]), toRoles.referralId),
    ).toHaveLength(1);
    expect(
      forLink(await seen("funding.panel@demo.upfront.test", ["funding_panel_member"]), toRoles.referralId),
    ).toEqual([]);
  });

  it("rule (issue 11): a self-referral for someone already known (same name and date of birth) makes its own record, and its task and referral name the possible match for staff to check", async () => {
    const known = (await listPeople(admin, { page: 1, pageSize: 1 })).rows[0]!;
    const sent = await send({
      ...FORM,
      givenName: known.givenName,
      familyName: known.familyName,
      dateOfBirth: known.dateOfBirth,
    });
    // Never joined to the existing record automatically.
    expect(sent.personId).not.toBe(known.personId);
    const tasks = (await seen("social.worker@demo.upfront.test", ["social_worker"])).filter((t) =>
      t.link.includes(sent.referralId),
    );
    expect(tasks).toHaveLength(1);
    expect(tasks[0]!.title).toContain(`${known.givenName} ${known.familyName} (${known.reference})`);
    const sw = await ctxOf("social.worker@demo.upfront.test");
    const { referrals } = await referralsFor(sw, sent.personId);
    expect(referrals[0]!.details?.possibleMatches).toEqual([
      {
        personId: known.personId,
        name: `${known.givenName} ${known.familyName}`,
        reference: known.reference,
        reason: "Same name and date of birth",
      },
    ]);
    // Someone not known: no match named.
    const stranger = await send({ ...FORM, givenName: "Unmatched", familyName: "Stranger" });
    const strangerTask = (await seen("social.worker@demo.upfront.test", ["social_worker"])).find((t) =>
      t.link.includes(stranger.referralId),
    );
    expect(strangerTask!.title).toMatch(/^New self-referral SR-[A-Z2-9]{8}$/);
    expect(
      (await referralsFor(sw, stranger.personId)).referrals[0]!.details?.possibleMatches,
    ).toBeUndefined();
  });
});
