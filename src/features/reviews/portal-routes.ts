import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  askToLookAgain,
  DECISION_KIND_LABELS,
  DECISION_KINDS,
  lookAgainForPortal,
  openLookAgainForm,
} from "#/features/reviews/look-again.ts";
import { reviewsLocals } from "#/features/reviews/page-kit.ts";
import { reviewsForPortal } from "#/features/reviews/service.ts";
import { getCouncilContact } from "#/features/tenants/contact-service.ts";
import { NotFoundError, ValidationError } from "#/platform/errors.ts";
import { answerNotFoundAsPersonPage, personPages } from "#/platform/web/person-pages.ts";
import { personPageLocals } from "#/platform/web/person-session.ts";
import type { RouteDeps } from "#/platform/web/routes.ts";

/**
 * The person's side (/my): their reviews (what is due, past ratings) and their requests to look at a decision
 * again, with the answers; and the form to ask, open to the person and to a representative with the "ask for a
 * review" scope (accounts' authorise; anyone else gets "Page not found").
 */

const base = (personId: string) => `/my/people/${personId}`;

export async function reviewsPortalRoutes(app: FastifyInstance, deps: RouteDeps) {
  const { guard, context: ctx, notFound } = personPages(deps);
  const page = (
    request: FastifyRequest,
    reply: FastifyReply,
    template: string,
    extra: Record<string, unknown>,
  ) =>
    reply.render(`reviews/views/${template}`, { ...personPageLocals(request), ...reviewsLocals, ...extra });
  // Review outcomes and answers to "look again" are decisions: the council's contact details go with them.
  const contact = async (request: FastifyRequest) => ({
    councilContact: await getCouncilContact(ctx(request)),
    councilContactName: request.person?.tenantName,
  });
  const recordHref = (request: FastifyRequest, personId: string) =>
    request.person!.personId === personId ? "/my" : base(personId);

  answerNotFoundAsPersonPage(app, notFound);

  app.get("/my/people/:personId/reviews", guard, async (request, reply) => {
    const { personId } = request.params as { personId: string };
    const found = await reviewsForPortal(ctx(request), personId);
    const requests = await lookAgainForPortal(ctx(request), personId);
    const isSelf = request.person!.personId === personId;
    return page(request, reply, "portal-reviews.njk", {
      title: isSelf ? "Your reviews" : `${found.person.givenName}'s reviews`,
      backLink: recordHref(request, personId),
      isSelf,
      found,
      requests,
      askHref: `${base(personId)}/look-again`,
      ...(await contact(request)),
    });
  });

  const formPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    personId: string,
    values: Record<string, string>,
    errors: Record<string, string>,
  ) => {
    const isSelf = request.person!.personId === personId;
    const errorList = Object.entries(errors).map(([field, text]) => ({
      text,
      href: field === "decisionKind" ? "#decisionKind" : `#${field}`,
    }));
    return page(request, reply.code(errorList.length ? 400 : 200), "portal-look-again.njk", {
      title: "Ask us to look at a decision again",
      backLink: `${base(personId)}/reviews`,
      isSelf,
      action: `${base(personId)}/look-again`,
      values,
      errors,
      errorList,
      kinds: DECISION_KINDS.map((k) => ({
        value: k,
        text: DECISION_KIND_LABELS[k],
        checked: values.decisionKind === k,
      })),
    });
  };

  app.get("/my/people/:personId/look-again", guard, async (request, reply) => {
    const { personId } = request.params as { personId: string };
    await openLookAgainForm(ctx(request), personId);
    return formPage(request, reply, personId, {}, {});
  });

  app.post("/my/people/:personId/look-again", guard, async (request, reply) => {
    const { personId } = request.params as { personId: string };
    const body = (request.body ?? {}) as Record<string, string | undefined>;
    const values = { decisionKind: body.decisionKind ?? "", whatIsWrong: body.whatIsWrong ?? "" };
    try {
      const asked = await askToLookAgain(ctx(request), {
        personId,
        whatIsWrong: values.whatIsWrong,
        ...(values.decisionKind ? { decisionKind: values.decisionKind } : {}),
      });
      return reply.redirect(`${base(personId)}/look-again/${asked.request.requestId}`, 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const errors: Record<string, string> = {};
      for (const e of error.fieldErrors) {
        const field = e.path === "decisionKind" ? "decisionKind" : "whatIsWrong";
        errors[field] ??= e.message;
      }
      return formPage(request, reply, personId, values, errors);
    }
  });

  app.get("/my/people/:personId/look-again/:requestId", guard, async (request, reply) => {
    const { personId, requestId } = request.params as { personId: string; requestId: string };
    const found = (await lookAgainForPortal(ctx(request), personId)).find((r) => r.requestId === requestId);
    if (!found) throw new NotFoundError("The request");
    return page(request, reply, "portal-look-again-done.njk", {
      title: found.answer ? "The council's answer" : "We have your request",
      isSelf: request.person!.personId === personId,
      found,
      reviewsHref: `${base(personId)}/reviews`,
      ...(await contact(request)),
    });
  });
}
