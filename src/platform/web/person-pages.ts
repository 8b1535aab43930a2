import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ServiceContext } from "#/platform/context.ts";
import { NotFoundError } from "#/platform/errors.ts";
import { personPageLocals, personScopeOf, requirePerson } from "#/platform/web/person-session.ts";
import type { RouteDeps } from "#/platform/web/routes.ts";

/**
 * What every group of the person's pages (/my) shares: the sign-in guard, the service context as the person's
 * account, rendering in the person's layout, and "Page not found" in that layout — which is also what anything
 * the account may not see answers (accounts' authorise throws NotFoundError).
 */
export function personPages(deps: Pick<RouteDeps, "db" | "today">) {
  const guard = { preHandler: requirePerson() };
  const context = (request: FastifyRequest): ServiceContext => ({
    db: deps.db,
    scope: personScopeOf(request),
    today: deps.today(),
  });
  const page = (
    request: FastifyRequest,
    reply: FastifyReply,
    template: string,
    extra: Record<string, unknown>,
  ) => reply.render(template, { ...personPageLocals(request), ...extra });
  const notFound = (request: FastifyRequest, reply: FastifyReply) =>
    page(request, reply.code(404), "person-error.njk", {
      title: "Page not found",
      paragraphs: ["If you typed the web address, check it is correct."],
      links: [{ href: "/my", text: "Go to your home page" }],
    });
  return { guard, context, page, notFound };
}

/** "Page not found" in the person's layout for a NotFoundError; anything else goes on to the app's handler. */
export function answerNotFoundAsPersonPage(
  app: FastifyInstance,
  notFound: (request: FastifyRequest, reply: FastifyReply) => unknown,
): void {
  app.setErrorHandler(async (error, request, reply) => {
    if (!(error instanceof NotFoundError)) throw error;
    return notFound(request, reply);
  });
}
