import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listPeople } from "#/features/people/service.ts";
import { completeTask, raiseTaskIn, tasksFor } from "#/features/tasks/service.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { withTenant } from "#/platform/db/tenant.ts";
import { NotFoundError, ValidationError } from "#/platform/errors.ts";
import { staffScope } from "../../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { TODAY } from "../../../test/today.ts";

/** The one task list's service: what a task must say, and who may finish it. */
describe.each(enginesUnderTest())("tasks on %s", (engine) => {
  let database: TestDatabase;
  let sw: ServiceContext;
  let personId: string;

  beforeAll(async () => {
    database = await databaseFor(engine, { demo: { people: 2 } });
    sw = {
      db: database.db,
      scope: await staffScope(database, "social.worker@demo.upfront.test"),
      today: TODAY,
    };
    personId = (await listPeople(sw, { page: 1, pageSize: 1 })).rows[0]!.personId;
  }, 180_000);
  afterAll(async () => {
    await database?.drop();
  });

  const raise = (input: Parameters<typeof raiseTaskIn>[1]) =>
    withTenant(database.db, sw.scope, (tx) => raiseTaskIn({ tx }, input));

  it("rule (issue 11): a task names its kind from the list, who it is for, a real due date and a page in Upfront, or nothing is raised", async () => {
    const error = await raise({
      kind: "make_tea" as never,
      title: "",
      dueOn: "2026-02-30",
      link: "https://example.com/",
      source: { type: "test", id: "bad" },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fieldErrors.map((e) => e.path).sort()).toEqual(
      ["assignedUserId", "dueOn", "kind", "link", "title"].sort(),
    );
    const viewer = { userId: sw.scope.actor.id!, roles: ["social_worker"] as const };
    expect(await tasksFor(sw, { ...viewer, roles: [...viewer.roles] })).toEqual([]);
  });

  it("rule (issue 11): only someone the task is for may mark it done; then it leaves their list for the done list", async () => {
    const taskId = await raise({
      kind: "audit_finding",
      title: "Look at the audit finding",
      personId,
      forRoles: ["team_manager"],
      dueOn: "2026-11-30",
      link: `/people/${personId}`,
      source: { type: "test", id: "audit-1" },
    });
    const manager = await staffScope(database, "team.manager@demo.upfront.test");
    const managerCtx = { ...sw, scope: manager };
    const asManager = { userId: manager.actor.id!, roles: ["team_manager" as const] };
    await expect(
      completeTask(sw, { userId: sw.scope.actor.id!, roles: ["social_worker"] }, taskId),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect((await tasksFor(managerCtx, asManager)).map((t) => t.taskId)).toEqual([taskId]);
    await completeTask(managerCtx, asManager, taskId);
    expect(await tasksFor(managerCtx, asManager)).toEqual([]);
    expect((await tasksFor(managerCtx, asManager, "done")).map((t) => t.kindLabel)).toEqual([
      "Audit finding",
    ]);
  });
});
