import type { FastifyInstance, FastifyRequest } from "fastify";
import { completeTask, tasksFor, type Viewer } from "#/features/tasks/service.ts";
import { ROLE_LABELS } from "#/platform/auth/permissions.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";
import { requireStaff } from "#/platform/web/security.ts";

/**
 * The staff task list (/tasks): this officer's tasks, their team's and their role group's (not given to a team),
 * open ones by due date, each with its kind, the person, the due date, who it is for and a link to where the work
 * is done; "Mark as done" is a small form (CSRF).
 * /tasks?show=done lists the latest done.
 */
export async function tasksRoutes(app: FastifyInstance, deps: RouteDeps) {
  const ctx = serviceContextFor(deps);
  const viewer = (request: FastifyRequest): Viewer => ({
    userId: request.staff!.userId,
    roles: request.staff!.roles,
  });

  app.get("/tasks", { preHandler: requireStaff("tasks:read") }, async (request, reply) => {
    const q = request.query as Record<string, string | undefined>;
    const done = q.show === "done";
    const tasks = await tasksFor(ctx(request), viewer(request), done ? "done" : "open");
    return reply.render("tasks/views/list.njk", {
      title: done ? "Tasks done" : "Your tasks",
      done,
      tasks,
      today: deps.today(),
      marked: q.marked === "1",
      roleLabels: ROLE_LABELS,
    });
  });

  app.post("/tasks/:taskId/done", { preHandler: requireStaff("tasks:read") }, async (request, reply) => {
    const { taskId } = request.params as { taskId: string };
    await completeTask(ctx(request), viewer(request), taskId);
    return reply.redirect("/tasks?marked=1", 303);
  });
}
