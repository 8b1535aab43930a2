import type { FastifyInstance } from "fastify";
import { setUpChecklist } from "#/faces/setup/service.ts";
import { ROLE_LABELS } from "#/platform/auth/permissions.ts";
import type { RouteDeps } from "#/platform/web/routes.ts";
import { requireStaff, scopeOf } from "#/platform/web/security.ts";

/**
 * /admin/setup: the administrator's set-up checklist (faces/setup/service.ts). Administrators, as for the
 * council's other settings; each item links to the page that fixes it and says who may use that page.
 */
export async function setUpRoutes(app: FastifyInstance, deps: RouteDeps) {
  app.get("/admin/setup", { preHandler: requireStaff("funding:settings") }, async (request, reply) => {
    const checklist = await setUpChecklist({ db: deps.db, scope: scopeOf(request), today: deps.today() });
    return reply.render("setup/views/checklist.njk", {
      title: "Set-up checklist",
      ...checklist,
      itemsToDo: checklist.items.filter((i) => !i.done).length,
      roleLabels: ROLE_LABELS,
      today: deps.today(),
    });
  });
}
