import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { OUTCOME_LABELS } from "#/features/dp-audits/schemas.ts";
import { auditRequestsForPortal, replyToAuditForPortal } from "#/features/dp-audits/service.ts";
import { getCouncilContact } from "#/features/tenants/contact-service.ts";
import { NotFoundError, ValidationError } from "#/platform/errors.ts";
import { type FormBody, one } from "#/platform/web/forms.ts";
import { answerNotFoundAsPersonPage, personPages } from "#/platform/web/person-pages.ts";
import type { RouteDeps } from "#/platform/web/routes.ts";

/**
 * The person's side of a direct-payment audit (/my): the advice or repayment request the council sent after
 * auditing their direct payment, with what was found, and one reply in their own words (a form: no JavaScript,
 * CSRF-checked). The person, or a representative who may manage their money; anyone else gets "Page not found".
 */

const base = (personId: string) => `/my/people/${personId}/audits`;

export async function dpAuditPortalRoutes(app: FastifyInstance, deps: RouteDeps) {
  const { guard, context, page, notFound } = personPages(deps);
  answerNotFoundAsPersonPage(app, notFound);

  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: { reply: string },
    error: string | null,
  ) => {
    const { personId, auditId } = request.params as { personId: string; auditId: string };
    const found = (await auditRequestsForPortal(context(request), personId)).find(
      (a) => a.auditId === auditId,
    );
    if (!found) throw new NotFoundError("The request");
    const isSelf = request.person!.personId === personId;
    return page(request, reply.code(error ? 400 : 200), "portal/views/dp-audit.njk", {
      title:
        found.outcome === "repayment_request"
          ? "The council asks for money back"
          : found.outcome === "recovery"
            ? "The council is taking money back"
            : "Advice about your direct payment",
      backLink: isSelf ? "/my" : `/my/people/${personId}`,
      isSelf,
      found,
      outcomeLabels: OUTCOME_LABELS,
      action: `${base(personId)}/${auditId}`,
      values,
      errors: error ? { reply: error } : {},
      errorList: error ? [{ text: error, href: "#reply" }] : [],
      replied: (request.query as Record<string, unknown>).replied === "1",
      councilContact: await getCouncilContact(context(request)),
      councilContactName: request.person?.tenantName,
    });
  };

  app.get("/my/people/:personId/audits/:auditId", guard, (request, reply) =>
    show(request, reply, { reply: "" }, null),
  );

  app.post("/my/people/:personId/audits/:auditId", guard, async (request, reply) => {
    const { personId, auditId } = request.params as { personId: string; auditId: string };
    const values = { reply: one((request.body ?? {}) as FormBody, "reply") };
    try {
      await replyToAuditForPortal(context(request), personId, auditId, values);
      return reply.redirect(`${base(personId)}/${auditId}?replied=1`, 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return show(request, reply, values, error.fieldErrors[0]?.message ?? "Write your reply");
    }
  });
}
