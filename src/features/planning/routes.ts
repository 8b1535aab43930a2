import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { getAllocation, listAssessmentsForPerson } from "#/features/assessment/service.ts";
import { getPerson } from "#/features/people/service.ts";
import { refusalErrors, V } from "#/features/planning/editor-kit.ts";
import { registerPlanEditor } from "#/features/planning/editor-routes.ts";
import {
  dateValues,
  dateValuesFrom,
  type FormBody,
  type FormValues,
  one,
  parseDateInput,
  parseOverride,
  parseOverrideDecision,
  parseReturnReasons,
} from "#/features/planning/forms.ts";
import { planModel, STATUS_TAG, STATUS_TEXT } from "#/features/planning/plan-model.ts";
import { previousPackageRoutes } from "#/features/planning/previous-package-routes.ts";
import {
  approvalQueue,
  approvePlan,
  decideAllocationOverride,
  getPlanVersion,
  newPlanVersion,
  overridesFor,
  type PlanEditor,
  plansForPerson,
  requestAllocationOverride,
  returnPlan,
  startPlan,
} from "#/features/planning/service.ts";
import { can } from "#/platform/auth/permissions.ts";
import {
  ConflictError,
  type FieldError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from "#/platform/errors.ts";
import { pageErrors } from "#/platform/web/page-errors.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";
import { requireStaff } from "#/platform/web/security.ts";

/**
 * The staff's support plan pages: a person's plans (list, start), the approvals queue, the approver's page
 * (approve with a start date, or return with reasons), a new version from an approved plan, and allocation
 * overrides. The plan editor itself (editor-routes.ts) is registered here under /plans/:planId.
 */

/** What every staff plan page shares: the permissions its routes need, the service context, the editor. */
function staffPages(deps: RouteDeps) {
  const read = { preHandler: requireStaff("plans:read") };
  const write = { preHandler: requireStaff("plans:write") };
  const approve = { preHandler: requireStaff("plans:approve") };
  const context = serviceContextFor(deps);
  const editorOf = (request: FastifyRequest): PlanEditor => ({
    kind: "staff",
    userId: request.staff!.userId,
    name: request.staff!.name,
  });
  return { deps, read, write, approve, context, editorOf };
}
type StaffPages = ReturnType<typeof staffPages>;

export async function planningRoutes(app: FastifyInstance, deps: RouteDeps) {
  const pages = staffPages(deps);
  registerStaffEditor(app, pages);
  registerPlanList(app, pages);
  registerApprovalPages(app, pages);
  registerOverridePages(app, pages);
  await previousPackageRoutes(app, deps); // the package a plan replaced (issue 15)
}

/** The plan editor, for staff: under /plans/:planId, editing when the role may write plans. */
function registerStaffEditor(app: FastifyInstance, pages: StaffPages) {
  const { read, context, editorOf } = pages;
  registerPlanEditor(app, {
    prefix: "/plans/:planId",
    guard: read,
    planIdOf: (request) => (request.params as { planId: string }).planId,
    access: async (request, purpose) => {
      const mayWrite = can(request.staff!.roles, "plans:write");
      if (purpose === "edit" && !mayWrite)
        throw new ForbiddenError("Your role may read plans but not change them");
      const planId = (request.params as { planId: string }).planId;
      return {
        ctx: context(request),
        editor: mayWrite ? editorOf(request) : null,
        base: `/plans/${planId}`,
        listHref: "/approvals",
        layout: "layout.njk",
        locals: {},
        audience: "staff",
        isStaff: true,
      };
    },
  });
}

/** A person's plans, and starting one. */
function registerPlanList(app: FastifyInstance, pages: StaffPages) {
  const { read, write, context, editorOf } = pages;
  const renderList = async (request: FastifyRequest, reply: FastifyReply, errors: string[] = []) => {
    const { personId } = request.params as { personId: string };
    const ctx = context(request);
    const plans = await plansForPerson(ctx, personId);
    const assessments = await listAssessmentsForPerson(ctx, personId);
    const latest = assessments.find((a) => a.status === "submitted" && a.weeklyPence !== null);
    const open = plans.find(
      (p) => p.status === "draft" || p.status === "submitted" || p.status === "returned",
    );
    const person = await getPerson(ctx, personId);
    return reply.code(errors.length ? 409 : 200).render(`${V}/plans.njk`, {
      title: "Support plans",
      personName: `${person.givenName} ${person.familyName}`,
      backLink: `/people/${personId}`,
      personId,
      plansBase: "/plans",
      startAction: `/people/${personId}/plans`,
      plans: plans.map((p) => ({ ...p, statusText: STATUS_TEXT[p.status], tagClass: STATUS_TAG[p.status] })),
      open,
      latestAllocation: latest
        ? { assessmentId: latest.assessmentId, weeklyPence: latest.weeklyPence }
        : null,
      mayWrite: can(request.staff!.roles, "plans:write"),
      mayOverride: can(request.staff!.roles, "allocation:override"),
      errorList: errors.map((text) => ({ text, href: "#start" })),
    });
  };

  app.get("/people/:personId/plans", read, async (request, reply) => renderList(request, reply));

  app.post("/people/:personId/plans", write, async (request, reply) => {
    const { personId } = request.params as { personId: string };
    try {
      const started = await startPlan(context(request), { personId, editor: editorOf(request) });
      return reply.redirect(`/plans/${started.planId}`, 303);
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

/** The approvals queue, the approver's page (approve or return), and a new version of an agreed plan. */
function registerApprovalPages(app: FastifyInstance, pages: StaffPages) {
  const { deps, write, approve, context, editorOf } = pages;
  // The approvals queue: plans waiting, the level each needs, and whether this member of staff may approve it.
  app.get("/approvals", approve, async (request, reply) => {
    const queue = await approvalQueue(context(request));
    return reply.render(`${V}/approvals.njk`, { title: "Plans waiting for approval", queue });
  });

  // The approver's page: the plan, its fit, risks, history and split; approve with a start date, or return it.
  const renderApprove = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { errors?: FieldError[]; values?: FormValues; status?: number } = {},
  ) => {
    const { planId, version } = request.params as { planId: string; version: string };
    const n = Number(version);
    if (!Number.isInteger(n) || n < 1) throw new NotFoundError("The version");
    const ctx = context(request);
    const view = await getPlanVersion(ctx, planId, n);
    const queued = (await approvalQueue(ctx)).find((q) => q.planId === planId && q.version === n);
    const access = { audience: "staff" as const, base: `/plans/${planId}` };
    const shown = pageErrors(extra.errors ?? []);
    return reply.code(extra.status ?? 200).render(`${V}/approve.njk`, {
      title: `Approve the support plan for ${view.person.name}`,
      backLink: "/approvals",
      layout: "layout.njk",
      base: access.base,
      audience: "staff",
      isStaff: true,
      plan: { ...planModel(view, access), editable: false },
      waiting: view.version.status === "submitted" && view.version.version === view.latestVersion,
      whyNot: queued ? queued.whyNot : [],
      mayApprove: queued?.mayApprove ?? false,
      values: extra.values ?? { ...dateValues("startDate", deps.today()), reasons: "" },
      ...shown,
    });
  };

  app.get("/plans/:planId/versions/:version/approve", approve, async (request, reply) =>
    renderApprove(request, reply),
  );

  app.post("/plans/:planId/versions/:version/approve", approve, async (request, reply) => {
    const { planId, version } = request.params as { planId: string; version: string };
    const body = (request.body ?? {}) as FormBody;
    const values = { ...dateValuesFrom(body, "startDate"), reasons: "" };
    const start = parseDateInput(body, "startDate", "the date the budget starts");
    if (!start.ok) return renderApprove(request, reply, { errors: start.errors, values, status: 400 });
    try {
      await approvePlan(context(request), planId, Number(version), { startDate: start.value });
    } catch (error) {
      const refused = refusalErrors(error, "startDate");
      if (!refused) throw error;
      return renderApprove(request, reply, { errors: refused, values, status: 409 });
    }
    return reply.redirect(`/plans/${planId}?saved=approved`, 303);
  });

  app.post("/plans/:planId/versions/:version/return", approve, async (request, reply) => {
    const { planId, version } = request.params as { planId: string; version: string };
    const body = (request.body ?? {}) as FormBody;
    const values = {
      ...dateValues("startDate", deps.today()),
      reasons: typeof body.reasons === "string" ? body.reasons : "",
    };
    const reasons = parseReturnReasons(body);
    if (!reasons.ok) return renderApprove(request, reply, { errors: reasons.errors, values, status: 400 });
    try {
      await returnPlan(context(request), planId, Number(version), reasons.value);
    } catch (error) {
      const refused = refusalErrors(error, "reasons");
      if (!refused) throw error;
      return renderApprove(request, reply, { errors: refused, values, status: 409 });
    }
    return reply.redirect(`/plans/${planId}?saved=returned`, 303);
  });

  // A new version from the agreed plan: a draft copying it, to change.
  app.post("/plans/:planId/versions", write, async (request, reply) => {
    const { planId } = request.params as { planId: string };
    await newPlanVersion(context(request), planId, editorOf(request));
    return reply.redirect(`/plans/${planId}?saved=new-version`, 303);
  });
}

/** The override page: the allocation, its overrides, and the forms to request or decide one. */
function overridePage(pages: StaffPages) {
  const { context } = pages;
  const renderOverride = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { errors?: FieldError[]; values?: FormValues; status?: number } = {},
  ) => {
    const { allocationId } = request.params as { allocationId: string };
    const overrides = await overridesFor(context(request), allocationId);
    const staff = request.staff!;
    return reply.code(extra.status ?? 200).render(`${V}/override.njk`, {
      title: "Change the indicative budget",
      backLink: backFrom(request),
      overrides: {
        ...overrides,
        overrides: overrides.overrides.map((o) => ({
          ...o,
          statusText: {
            applied: "Applied",
            pending: "Waiting for approval",
            approved: "Approved",
            refused: "Refused",
          }[o.status],
          ownRequest: o.requestedBy === staff.userId,
        })),
      },
      saved: (request.query as Record<string, unknown>).saved,
      mayRequest: can(staff.roles, "allocation:override"),
      mayDecide: can(staff.roles, "plans:approve"),
      values: extra.values ?? { newWeekly: "", reason: "" },
      ...pageErrors(extra.errors ?? []),
    });
  };
  return renderOverride;
}

/** Allocation overrides: find the person's allocation, see its overrides, request one, decide one. */
function registerOverridePages(app: FastifyInstance, pages: StaffPages) {
  const { read, approve, context } = pages;
  app.get("/people/:personId/allocation-override", read, async (request, reply) => {
    const { personId } = request.params as { personId: string };
    const ctx = context(request);
    const latest = (await listAssessmentsForPerson(ctx, personId)).find(
      (a) => a.status === "submitted" && a.weeklyPence !== null,
    );
    const allocation = latest ? await getAllocation(ctx, latest.assessmentId) : null;
    if (!allocation) throw new NotFoundError("An indicative budget for this person");
    return reply.redirect(`/allocations/${allocation.allocationId}/override`, 303);
  });

  const renderOverride = overridePage(pages);

  app.get("/allocations/:allocationId/override", read, async (request, reply) =>
    renderOverride(request, reply),
  );

  app.post(
    "/allocations/:allocationId/override",
    { preHandler: requireStaff("allocation:override") },
    async (request, reply) => {
      const { allocationId } = request.params as { allocationId: string };
      const body = (request.body ?? {}) as FormBody;
      const values = {
        newWeekly: one(body, "newWeekly"),
        reason: typeof body.reason === "string" ? body.reason : "",
      };
      const parsed = parseOverride(body);
      if (!parsed.ok) return renderOverride(request, reply, { errors: parsed.errors, values, status: 400 });
      try {
        const made = await requestAllocationOverride(context(request), { allocationId, ...parsed.value });
        return reply.redirect(`/allocations/${allocationId}/override?saved=${made.status}`, 303);
      } catch (error) {
        const refused = refusalErrors(error, "newWeekly", { toWeeklyPence: "newWeekly", reason: "reason" });
        if (!refused) throw error;
        return renderOverride(request, reply, { errors: refused, values, status: 400 });
      }
    },
  );

  app.post("/allocation-overrides/:overrideId/decision", approve, async (request, reply) => {
    const { overrideId } = request.params as { overrideId: string };
    const body = (request.body ?? {}) as FormBody;
    const allocationId = one(body, "allocationId");
    const parsed = parseOverrideDecision(body);
    const back = (errors: FieldError[]) => {
      (request.params as Record<string, string>).allocationId = allocationId;
      return renderOverride(request, reply, {
        errors: errors.map((e) => ({ ...e, path: `decision-${overrideId}` })),
        status: 400,
      });
    };
    if (!parsed.ok) return back(parsed.errors);
    try {
      await decideAllocationOverride(context(request), overrideId, parsed.value);
    } catch (error) {
      const refused = refusalErrors(error, "decision");
      if (!refused) throw error;
      return back(refused);
    }
    return reply.redirect(`/allocations/${allocationId}/override?saved=decided`, 303);
  });
}

/** A "from" query naming a page on this site to go back to, else the list of people. */
function backFrom(request: FastifyRequest): string {
  const from = (request.query as Record<string, unknown>).from;
  return typeof from === "string" && /^\/[a-z]/.test(from) ? from : "/people";
}
