import type { FastifyInstance } from "fastify";
import { ROLE_LABELS } from "#/platform/auth/permissions.ts";
import { withTenant } from "#/platform/db/tenant.ts";
import { ValidationError } from "#/platform/errors.ts";
import { createApiToken, listApiTokens, revokeApiToken } from "./api-tokens.ts";
import type { RouteDeps } from "./routes.ts";
import { requireStaff, scopeOf } from "./security.ts";

export async function accountRoutes(app: FastifyInstance, deps: RouteDeps) {
  const guard = { preHandler: requireStaff("api_tokens:own") };

  const showAccount = async (
    request: Parameters<typeof scopeOf>[0],
    extra: Record<string, unknown> = {},
  ): Promise<Record<string, unknown>> => {
    const staff = request.staff!;
    const tokens = await withTenant(deps.db, scopeOf(request), (tx) => listApiTokens(tx, staff.userId));
    return {
      title: "Your account",
      roles: staff.roles.map((r) => ROLE_LABELS[r]),
      tokens,
      ...extra,
    };
  };

  app.get("/account", guard, async (request, reply) => {
    const { passwordChanged } = request.query as { passwordChanged?: string };
    return reply.render(
      "account.njk",
      await showAccount(request, { passwordChanged: passwordChanged === "1" }),
    );
  });

  app.post("/account/api-tokens", guard, async (request, reply) => {
    const name = String((request.body as Record<string, unknown>)?.name ?? "");
    try {
      const created = await withTenant(deps.db, scopeOf(request), (tx) =>
        createApiToken(tx, request.staff!.userId, name),
      );
      return reply.render("account.njk", await showAccount(request, { created }));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const message = error.fieldErrors[0]?.message ?? "Enter a name";
      return reply.code(400).render(
        "account.njk",
        await showAccount(request, {
          errors: { name: message },
          errorList: [{ text: message, href: "#name" }],
        }),
      );
    }
  });

  app.post("/account/api-tokens/:tokenId/revoke", guard, async (request, reply) => {
    const { tokenId } = request.params as { tokenId: string };
    await withTenant(deps.db, scopeOf(request), (tx) => revokeApiToken(tx, request.staff!.userId, tokenId));
    return reply.redirect("/account", 303);
  });
}
