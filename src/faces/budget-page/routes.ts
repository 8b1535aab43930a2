import type { FastifyInstance, FastifyReply } from "fastify";
import { endRoutes } from "#/faces/budget-page/end-routes.ts";
import { budgetPage } from "#/faces/budget-page/page-service.ts";
import { budgetPageAdditions } from "#/features/payments/debt-routes.ts";
import { receiptFile } from "#/features/spending/receipts.ts";
import { proposeSurplus } from "#/features/spending/surplus.ts";
import { can } from "#/platform/auth/permissions.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";
import { requireStaff } from "#/platform/web/security.ts";

/**
 * Staff: a person's budget page (/people/:id/budget): balances per deployment as a table and a chart, alerts,
 * statements, receipts (downloaded as attachments); finance officers check a budget for surplus from it. Ending a
 * budget (end-routes.ts) and money to recover after it ends (payments/debt-routes.ts) start from it too.
 */

/** A stored receipt as a download: its checked type, never sniffed, never shown inline. */
export function sendReceipt(
  reply: FastifyReply,
  file: { fileName: string; mediaType: string; content: Buffer },
): FastifyReply {
  const ascii = file.fileName.replace(/[^A-Za-z0-9 ._()-]/g, "_");
  return reply
    .type(file.mediaType)
    .header("x-content-type-options", "nosniff")
    .header("cache-control", "private, no-store")
    .header(
      "content-disposition",
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    )
    .send(file.content);
}

export async function budgetRoutes(app: FastifyInstance, deps: RouteDeps) {
  const read = { preHandler: requireStaff("budgets:read") };
  const manage = { preHandler: requireStaff("spending:manage") };
  const context = serviceContextFor(deps);

  app.get("/people/:personId/budget", read, async (request, reply) => {
    const { personId } = request.params as { personId: string };
    const page = await budgetPage(context(request), personId);
    return reply.render("budget-page/views/budget.njk", {
      ...(await budgetPageAdditions(request, context(request), personId)),
      title: `Budget for ${page.person.givenName} ${page.person.familyName}`,
      backLink: `/people/${personId}`,
      page,
      receiptHref: `/people/${personId}/receipts`,
      mayManage: can(request.staff!.roles, "spending:manage"),
    });
  });

  app.get("/people/:personId/receipts/:receiptId", read, async (request, reply) => {
    const { personId, receiptId } = request.params as { personId: string; receiptId: string };
    return sendReceipt(reply, await receiptFile(context(request), receiptId, personId));
  });

  app.post("/people/:personId/budget/surplus", manage, async (request, reply) => {
    const { personId } = request.params as { personId: string };
    const ctx = context(request);
    const page = await budgetPage(ctx, personId);
    if (page.budget) await proposeSurplus(ctx, page.budget.budgetId);
    return reply.redirect(`/surplus`, 303);
  });

  await endRoutes(app, deps);
}
