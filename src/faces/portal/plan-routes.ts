import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { personRecord } from "#/faces/portal/service.ts";
import { authorise } from "#/features/accounts/service.ts";
import { registerPlanEditor } from "#/features/planning/editor-routes.ts";
import { type PlanEditor, plansForPerson, startPlan } from "#/features/planning/service.ts";
import { ConflictError, NotFoundError, ValidationError } from "#/platform/errors.ts";
import { personPages } from "#/platform/web/person-pages.ts";
import { personPageLocals } from "#/platform/web/person-session.ts";
import type { RouteDeps } from "#/platform/web/routes.ts";

/**
 * The person's and their representative's plan pages, under /my/people/:personId/plans: the same editor as
 * staff use (features/planning/editor-routes.ts registerPlanEditor), in the person's layout. The person, and a
 * representative with the edit_plan scope, build and change a draft and send it for approval; a representative
 * without it reads the plan only. Everyone who may see the record reads returned reasons and the agreed plan
 * (page and PDF). Anything the account may not see is "Page not found" (accounts/service.ts authorise).
 * A face: it gathers the portal's person record (accounts, people, assessment) and planning's plans.
 */

const STATUS_TEXT: Record<string, string> = {
  draft: "Draft",
  submitted: "Waiting for approval",
  approved: "Agreed",
  returned: "Returned for changes",
  superseded: "Replaced by a later version",
};
const STATUS_TAG: Record<string, string> = {
  draft: "govuk-tag--grey",
  submitted: "govuk-tag--blue",
  approved: "govuk-tag--green",
  returned: "govuk-tag--orange",
  superseded: "govuk-tag--grey",
};

const plansBase = (personId: string) => `/my/people/${personId}/plans`;

export async function planPortalRoutes(app: FastifyInstance, deps: RouteDeps) {
  const { guard, context, page, notFound } = personPages(deps);

  // "Page not found" and "cannot be changed" in the person's own layout.
  app.setErrorHandler(async (error, request, reply) => {
    if (error instanceof NotFoundError) return notFound(request, reply);
    if (error instanceof ConflictError) {
      return page(request, reply.code(409), "person-error.njk", {
        title: "This cannot be changed",
        paragraphs: [error.message],
        links: [{ href: "/my", text: "Go to your home page" }],
      });
    }
    throw error;
  });

  /** The person or representative as the plan's editor, when they may edit; null when they may only read. */
  async function editorFor(
    request: FastifyRequest,
    personId: string,
    must: boolean,
  ): Promise<PlanEditor | null> {
    try {
      const decision = await authorise(context(request), personId, "edit_plan");
      const account = request.person!;
      return {
        kind: decision.as === "self" ? "person" : "representative",
        accountId: account.accountId,
        name: account.name,
      };
    } catch (error) {
      if (!must && error instanceof NotFoundError) return null;
      throw error;
    }
  }

  registerPlanEditor(app, {
    prefix: "/my/people/:personId/plans/:planId",
    guard,
    planIdOf: (request) => (request.params as { planId: string }).planId,
    access: async (request, purpose) => {
      const { personId } = request.params as { personId: string };
      const seen = await authorise(context(request), personId, "view");
      const editor = await editorFor(request, personId, purpose === "edit");
      const planId = (request.params as { planId: string }).planId;
      return {
        ctx: context(request),
        editor,
        base: `${plansBase(personId)}/${planId}`,
        listHref: plansBase(personId),
        layout: "person-layout.njk",
        locals: personPageLocals(request),
        audience: seen.as === "self" ? "self" : "representative",
        isStaff: false,
        personId,
      };
    },
  });

  const renderList = async (request: FastifyRequest, reply: FastifyReply, errors: string[] = []) => {
    const { personId } = request.params as { personId: string };
    const record = await personRecord(context(request), personId);
    const editor = await editorFor(request, personId, false);
    const plans = await plansForPerson(context(request), personId);
    const isSelf = record.access.as === "self";
    const open = plans.find((p) => ["draft", "submitted", "returned"].includes(p.status));
    return page(request, reply.code(errors.length ? 409 : 200), "planning/views/plans.njk", {
      layout: "person-layout.njk",
      title: isSelf ? "Your support plan" : "Support plan",
      backLink: isSelf ? "/my" : `/my/people/${personId}`,
      personId,
      plansBase: plansBase(personId),
      startAction: plansBase(personId),
      plans: plans.map((p) => ({ ...p, statusText: STATUS_TEXT[p.status], tagClass: STATUS_TAG[p.status] })),
      open,
      personName: isSelf ? null : `${record.person.givenName} ${record.person.familyName}`,
      // A plan starts from the latest indicative budget.
      latestAllocation:
        record.latest?.weeklyPence != null ? { weeklyPence: record.latest.weeklyPence } : null,
      // People start a first plan; changing an agreed one is a new version, which staff start.
      mayWrite: (editor !== null && plans.length === 0) || (editor !== null && open !== undefined),
      mayOverride: false,
      errorList: errors.map((text) => ({ text, href: "#start" })),
    });
  };

  app.get("/my/people/:personId/plans", guard, async (request, reply) => renderList(request, reply));

  app.post("/my/people/:personId/plans", guard, async (request, reply) => {
    const { personId } = request.params as { personId: string };
    const editor = await editorFor(request, personId, true);
    try {
      const started = await startPlan(context(request), { personId, editor: editor! });
      return reply.redirect(`${plansBase(personId)}/${started.planId}`, 303);
    } catch (error) {
      if (error instanceof ValidationError)
        return renderList(
          request,
          reply,
          error.fieldErrors.map((e) => e.message),
        );
      if (error instanceof ConflictError) return renderList(request, reply, [error.message]);
      throw error;
    }
  });
}
