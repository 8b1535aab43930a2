import type { FastifyInstance, FastifyRequest } from "fastify";
import { sendStatementPdf, statementPdf } from "#/faces/statement/routes.ts";
import { moneyStatementIn, type StatementView } from "#/faces/statement/service.ts";
import { authoriseIn } from "#/features/accounts/service.ts";
import { getCouncilContact } from "#/features/tenants/contact-service.ts";
import { inTenant } from "#/platform/context.ts";
import { answerNotFoundAsPersonPage, personPages } from "#/platform/web/person-pages.ts";
import type { RouteDeps } from "#/platform/web/routes.ts";

/**
 * The person's money statement at /my (Upfront issue 12, "The person sees what they pay"):
 * `/my/people/:personId/statement`, and the same printed as a PDF at `.pdf`. The statement is the staff one —
 * the same service, calc and template (statement/service.ts, _statement.njk), addressed to the person — with the
 * council's contact details. For the person and representatives with "view" (accounts' authorise, in the same
 * transaction as the reading); anyone else gets "Page not found".
 */

const base = (personId: string) => `/my/people/${personId}`;

export async function statementPortalRoutes(app: FastifyInstance, deps: RouteDeps) {
  const { guard, context, page, notFound } = personPages(deps);

  answerNotFoundAsPersonPage(app, notFound);

  /** The statement, read only once the account may view this person's records. */
  const statementFor = (request: FastifyRequest): Promise<StatementView> => {
    const { personId } = request.params as { personId: string };
    return inTenant(context(request), async (t) => {
      await authoriseIn(t, personId, "view");
      return moneyStatementIn(t, personId);
    });
  };

  app.get("/my/people/:personId/statement", guard, async (request, reply) => {
    const view = await statementFor(request);
    const isSelf = request.person!.personId === view.person.personId;
    return page(request, reply, "statement/views/portal-statement.njk", {
      ...view,
      title: isSelf ? "Your money statement" : `${view.person.givenName}'s money statement`,
      isSelf,
      backLink: isSelf ? "/my" : base(view.person.personId),
      recordBase: base(view.person.personId),
      councilContact: await getCouncilContact(context(request)),
      councilContactName: request.person!.tenantName,
    });
  });

  app.get("/my/people/:personId/statement.pdf", guard, async (request, reply) => {
    const view = await statementFor(request);
    const pdf = await statementPdf(view);
    if (pdf) return sendStatementPdf(reply, view, pdf);
    return page(request, reply.code(503), "person-error.njk", {
      title: "The PDF cannot be made at the moment",
      paragraphs: [
        "You can still print your money statement, or save it as a PDF, from your browser: open the statement and use your browser's print option.",
      ],
      links: [{ href: `${base(view.person.personId)}/statement`, text: "Go to the money statement" }],
    });
  });
}
