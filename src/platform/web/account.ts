import type { FastifyInstance } from "fastify";
import { PERMISSION_LABELS, ROLE_LABELS, tokenScopesFor } from "#/platform/auth/permissions.ts";
import { withTenant } from "#/platform/db/tenant.ts";
import { ValidationError } from "#/platform/errors.ts";
import {
  createApiToken,
  DEFAULT_TOKEN_DAYS,
  listApiTokens,
  revokeApiToken,
  TOKEN_DAYS_CHOICES,
} from "./api-tokens.ts";
import type { StaffLookups } from "./identity-lookups.ts";
import type { RouteDeps } from "./routes.ts";
import { requireStaff, scopeOf } from "./security.ts";

type TokenForm = { name: string; scopes: readonly string[]; days: number };

export async function accountRoutes(app: FastifyInstance, deps: RouteDeps & { staff: StaffLookups }) {
  const guard = { preHandler: requireStaff("api_tokens:own") };

  const showAccount = async (
    request: Parameters<typeof scopeOf>[0],
    extra: Record<string, unknown> = {},
  ): Promise<Record<string, unknown>> => {
    const staff = request.staff!;
    const tokens = await withTenant(deps.db, scopeOf(request), (tx) => listApiTokens(tx, staff.userId));
    const now = new Date();
    // A token's scopes are offered from the creator's own permissions only; all are ticked to start with.
    const offered = tokenScopesFor(staff.roles);
    const form = (extra.form as TokenForm | undefined) ?? {
      name: "",
      scopes: offered,
      days: DEFAULT_TOKEN_DAYS,
    };
    return {
      title: "Your account",
      roles: staff.roles.map((r) => ROLE_LABELS[r]),
      tokens: tokens.map((t) => ({ ...t, expired: new Date(t.expires_at) <= now })),
      scopeItems: offered.map((p) => ({
        value: p,
        text: PERMISSION_LABELS[p],
        hint: { text: p },
        checked: form.scopes.includes(p),
      })),
      dayItems: TOKEN_DAYS_CHOICES.map((d) => ({
        value: String(d),
        text: `${d} days`,
        checked: d === form.days,
      })),
      ...extra,
      form,
    };
  };

  app.get("/account", guard, async (request, reply) => {
    const { passwordChanged } = request.query as { passwordChanged?: string };
    return reply.render(
      "account.njk",
      await showAccount(request, { passwordChanged: passwordChanged === "1" }),
    );
  });

  // Tokens are made only from a signed-in session (with its CSRF token): a token cannot make a token. The
  // security plugin already refuses tokens outside /api/v1; this says so here too.
  app.post("/account/api-tokens", guard, async (request, reply) => {
    if (request.staff!.via.kind !== "session") return reply.code(403).send();
    const body = (request.body ?? {}) as Record<string, unknown>;
    const name = String(body.name ?? "");
    const ticked = body.scopes === undefined ? [] : [body.scopes].flat().map(String);
    const days = Number(body.days ?? DEFAULT_TOKEN_DAYS);
    try {
      const created = await withTenant(deps.db, scopeOf(request), (tx) =>
        createApiToken(tx, deps.staff, request.staff!.userId, name, { scopes: ticked, days }),
      );
      return reply.render("account.njk", await showAccount(request, { created }));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const errors = Object.fromEntries(error.fieldErrors.map((e) => [e.path, e.message]));
      const hrefs: Record<string, string> = { name: "#name", scopes: "#scopes", days: "#days" };
      return reply.code(400).render(
        "account.njk",
        await showAccount(request, {
          errors,
          errorList: error.fieldErrors.map((e) => ({ text: e.message, href: hrefs[e.path] ?? "#name" })),
          form: { name, scopes: ticked, days },
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
