import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { isoDateSchema } from "#/features/funding/settings-schemas.ts";
import { PLAN_STATUSES } from "#/features/planning/approval.calc.ts";
import { previousPackageApi } from "#/features/planning/previous-package-routes.ts";
import {
  approvalQueue,
  approvePlan,
  decideAllocationOverride,
  getPlan,
  getPlanVersion,
  newPlanVersion,
  overridesFor,
  plansForPerson,
  requestAllocationOverride,
  returnPlan,
  saveDraft,
  staffEditor,
  startPlan,
  submitPlan,
} from "#/features/planning/service.ts";
import { apiRoute } from "#/platform/web/openapi.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";

/**
 * Support plans over `/api/v1` (Upfront issue 5), the same use cases the pages call: list and start a person's
 * plans, read a plan (its live costing, budget fit, apportionment across funding streams, readiness and the
 * approver it needs), save a draft version, submit it, approve or return it, start a new version; the approval
 * queue; allocation overrides. Refusals come back as problem+json with every message: 400 with field errors for
 * bad input, 409 when the plan's state or the rules (maker-checker, delegated authority) refuse it.
 */

const pence = (what: string) => z.number().int().describe(`${what}, in pence`);

const versionSummary = z.object({
  version: z.number().int(),
  status: z.enum(PLAN_STATUSES),
  indicativeWeeklyPence: pence("The indicative weekly allocation the version is costed against"),
  createdBy: z.string(),
  createdAt: z.date(),
  updatedAt: z.date(),
  submittedBy: z.string().nullable(),
  submittedByName: z.string().nullable(),
  submittedAt: z.date().nullable(),
  decidedBy: z.string().nullable(),
  decidedByName: z.string().nullable(),
  decidedAt: z.date().nullable(),
  decisionReasons: z.array(z.string()).describe("Why it was returned, in words the person can read"),
  requiredLevel: z.string().nullable(),
  approverLevel: z.string().nullable(),
});

const person = z.object({
  personId: z.uuid(),
  givenName: z.string(),
  familyName: z.string(),
  name: z.string(),
});

export const planResponse = z
  .object({
    planId: z.uuid(),
    person,
    assessmentId: z.uuid(),
    allocationId: z.uuid().nullable(),
    createdBy: z.string(),
    createdAt: z.date(),
    latestVersion: z.number().int(),
    versions: z.array(versionSummary),
    version: versionSummary,
    content: z.record(z.string(), z.unknown()).describe("The plan (SupportPlan); a draft may be incomplete"),
    changes: z.array(
      z.object({
        changeId: z.uuid(),
        version: z.number().int(),
        actorKind: z.enum(["staff", "person", "representative"]),
        actorId: z.string(),
        actorName: z.string(),
        summary: z.string(),
        at: z.date(),
      }),
    ),
    analysis: z
      .object({
        costing: z.record(z.string(), z.unknown()),
        fit: z.record(z.string(), z.unknown()),
        apportionment: z.record(z.string(), z.unknown()).nullable(),
        fundingDate: z.iso.date(),
        fundingProblem: z.string().nullable(),
        readiness: z.array(
          z.object({ path: z.string(), message: z.string(), severity: z.enum(["error", "warning"]) }),
        ),
        schemaProblems: z.array(z.object({ path: z.string(), message: z.string() })),
        required: z.record(z.string(), z.unknown()).nullable(),
        contributionWeeklyPence: pence("The weekly contribution used"),
        contributionNote: z.string(),
      })
      .describe("Costing, budget fit, apportionment, readiness and the approver needed, worked out on read"),
    editable: z.boolean(),
    budget: z
      .object({
        budgetId: z.uuid(),
        status: z.enum(["live", "replaced", "ended"]),
        startDate: z.iso.date(),
        endDate: z.iso.date().nullable(),
        weeklyPence: pence("The budget's weekly amount"),
      })
      .nullable(),
    previousPackage: z
      .object({
        weeklyPence: pence("The replaced package's weekly cost"),
        date: z.iso.date().describe("The date of that cost"),
      })
      .nullable()
      .describe(
        "The council-arranged package the plan replaced, when recorded (PUT /plans/{planId}/previous-package); null when not",
      ),
  })
  .meta({ id: "SupportPlanView" });

const planSummary = z
  .object({
    planId: z.uuid(),
    personId: z.uuid(),
    assessmentId: z.uuid(),
    latestVersion: z.number().int(),
    status: z.enum(PLAN_STATUSES),
    approvedVersion: z.number().int().nullable(),
    plannedWeeklyPence: pence("The latest version's weekly cost"),
    indicativeWeeklyPence: pence("The indicative weekly allocation"),
    updatedAt: z.date(),
  })
  .meta({ id: "SupportPlanSummary" });

const overrideView = z
  .object({
    overrideId: z.uuid(),
    allocationId: z.uuid(),
    fromWeeklyPence: pence("The allocation before"),
    toWeeklyPence: pence("The allocation asked for"),
    reason: z.string(),
    status: z.enum(["applied", "pending", "approved", "refused"]),
    requestedBy: z.string(),
    requestedByName: z.string().nullable(),
    requestedAt: z.date(),
    decidedBy: z.string().nullable(),
    decidedByName: z.string().nullable(),
    decidedAt: z.date().nullable(),
    decisionNote: z.string().nullable(),
    reasons: z.array(z.string()).describe("Why it applied at once or needs an approver"),
  })
  .meta({ id: "AllocationOverride" });

export const plansQuery = z.strictObject({
  personId: z.uuid({ error: "Give the person's id (a UUID)" }),
});
export const startPlanBody = z
  .strictObject({ personId: z.uuid({ error: "Give the person's id (a UUID)" }) })
  .meta({ id: "StartPlan" });
export const saveDraftBody = z
  .strictObject({
    content: z
      .record(z.string(), z.unknown(), { error: "Give the plan as an object: outcomes, supports, risks…" })
      .describe("The whole draft plan (SupportPlan; empty lists allowed while it is written)"),
    summary: z.string().max(2000).optional().describe("What changed, in plain words; worked out if left out"),
  })
  .meta({ id: "SavePlanDraft" });
export const approveBody = z
  .strictObject({ startDate: isoDateSchema("the date the budget starts") })
  .meta({ id: "ApprovePlan" });
export const returnBody = z
  .strictObject({
    reasons: z
      .array(z.string().max(2000), { error: "Give the reasons as a list of sentences" })
      .min(1, { error: "Say why the plan is being returned, in words the person can read" }),
  })
  .meta({ id: "ReturnPlan" });
export const overrideBody = z
  .strictObject({
    toWeeklyPence: z.int({ error: "Give the new weekly allocation as a whole number of pence" }),
    reason: z.string({ error: "Give the reason for changing the allocation" }),
  })
  .meta({ id: "RequestAllocationOverride" });
export const overrideDecisionBody = z
  .strictObject({
    approve: z.boolean({ error: "Say whether you approve the change: true or false" }),
    note: z.string().max(2000).optional(),
  })
  .meta({ id: "DecideAllocationOverride" });

const version = (params: Record<string, string>) =>
  /^\d{1,9}$/.test(params.version ?? "") ? Number(params.version) : 0;

/** What every plan route shares: the service context, the OpenAPI tag, and the words for a refusal. */
function planApiShared(deps: RouteDeps) {
  return {
    ctx: serviceContextFor(deps),
    tag: "Support plans",
    refused: "The plan's state or the rules refuse it (every reason is given)",
  };
}
type PlanApiShared = ReturnType<typeof planApiShared>;

/** The routes are registered in the order the OpenAPI document lists them. */
export async function planningApi(app: FastifyInstance, deps: RouteDeps) {
  const shared = planApiShared(deps);
  registerPlanReads(app, deps, shared);
  registerVersionSteps(app, deps, shared);
  registerReturnsAndQueue(app, deps, shared);
  registerOverrideRoutes(app, deps, shared);
  await previousPackageApi(app, deps); // the package a plan replaced (issue 15)
}

/** A person's plans, starting one, and a plan or one of its versions. */
function registerPlanReads(app: FastifyInstance, deps: RouteDeps, shared: PlanApiShared) {
  const { ctx, tag } = shared;
  apiRoute(
    app,
    deps.api,
    {
      method: "GET",
      path: "/plans",
      operationId: "listPlans",
      summary: "A person's support plans",
      tag,
      auth: "staff",
      permission: "plans:read",
      query: plansQuery,
      response: z.array(planSummary),
    },
    async ({ request, query }) => plansForPerson(ctx(request), query.personId),
  );

  apiRoute(
    app,
    deps.api,
    {
      method: "POST",
      path: "/plans",
      operationId: "startPlan",
      summary: "Start a support plan from the person's indicative allocation (version 1, an empty draft)",
      tag,
      auth: "staff",
      permission: "plans:write",
      body: startPlanBody,
      response: z.object({ planId: z.uuid(), version: z.literal(1) }),
      successStatus: 201,
      problems: { 409: "No submitted assessment with an allocation, or a plan already open" },
    },
    async ({ request, body }) => {
      const c = ctx(request);
      return startPlan(c, { personId: body.personId, editor: await staffEditor(c) });
    },
  );

  apiRoute(
    app,
    deps.api,
    {
      method: "GET",
      path: "/plans/:planId",
      operationId: "getPlan",
      summary: "A support plan: every version, the latest's content, who changed it, and its live budget fit",
      tag,
      auth: "staff",
      permission: "plans:read",
      response: planResponse,
    },
    async ({ request, params }) => getPlan(ctx(request), params.planId!),
  );

  apiRoute(
    app,
    deps.api,
    {
      method: "GET",
      path: "/plans/:planId/versions/:version",
      operationId: "getPlanVersion",
      summary: "One version of a support plan",
      tag,
      auth: "staff",
      permission: "plans:read",
      response: planResponse,
    },
    async ({ request, params }) => getPlanVersion(ctx(request), params.planId!, version(params)),
  );
}

/** A version's steps: save the draft, send it for approval, approve it. */
function registerVersionSteps(app: FastifyInstance, deps: RouteDeps, shared: PlanApiShared) {
  const { ctx, tag, refused } = shared;
  apiRoute(
    app,
    deps.api,
    {
      method: "PUT",
      path: "/plans/:planId/versions/:version",
      operationId: "savePlanDraft",
      summary: "Save a draft (or returned) version: the whole plan; the change is recorded against you",
      tag,
      auth: "staff",
      permission: "plans:write",
      body: saveDraftBody,
      response: planResponse,
      problems: { 409: refused },
    },
    async ({ request, params, body }) => {
      const c = ctx(request);
      return saveDraft(c, params.planId!, version(params), body.content, await staffEditor(c), body.summary);
    },
  );

  apiRoute(
    app,
    deps.api,
    {
      method: "POST",
      path: "/plans/:planId/versions/:version/submit",
      operationId: "submitPlan",
      summary: "Send a version for approval: the whole plan is checked, costed, apportioned and routed",
      tag,
      auth: "staff",
      permission: "plans:write",
      response: z.object({
        planId: z.uuid(),
        version: z.number().int(),
        status: z.literal("submitted"),
        requiredLevel: z.object({ id: z.string(), label: z.string() }),
        warnings: z.array(z.string()),
      }),
      problems: { 409: refused },
    },
    async ({ request, params }) => {
      const c = ctx(request);
      return submitPlan(c, params.planId!, version(params), await staffEditor(c));
    },
  );

  apiRoute(
    app,
    deps.api,
    {
      method: "POST",
      path: "/plans/:planId/versions/:version/approve",
      operationId: "approvePlan",
      summary:
        "Approve a submitted version (not one you wrote; at the level it needs): creates or replaces the live personal budget from the start date",
      tag,
      auth: "staff",
      permission: "plans:approve",
      body: approveBody,
      response: z.object({
        planId: z.uuid(),
        version: z.number().int(),
        budgetId: z.uuid(),
        replacedBudgetId: z.uuid().nullable(),
        contributionWeeklyPence: pence("The person's weekly contribution"),
        contributionNote: z.string(),
      }),
      problems: { 409: refused },
    },
    async ({ request, params, body }) => approvePlan(ctx(request), params.planId!, version(params), body),
  );
}

/** Returning a plan, a new version of an agreed plan, and the queue of plans waiting. */
function registerReturnsAndQueue(app: FastifyInstance, deps: RouteDeps, shared: PlanApiShared) {
  const { ctx, tag, refused } = shared;
  apiRoute(
    app,
    deps.api,
    {
      method: "POST",
      path: "/plans/:planId/versions/:version/return",
      operationId: "returnPlan",
      summary: "Return a submitted version to its writers, with reasons the person can read",
      tag,
      auth: "staff",
      permission: "plans:approve",
      body: returnBody,
      successStatus: 204,
      problems: { 409: refused },
    },
    async ({ request, params, body, reply }) => {
      await returnPlan(ctx(request), params.planId!, version(params), body.reasons);
      return reply.code(204).send();
    },
  );

  apiRoute(
    app,
    deps.api,
    {
      method: "POST",
      path: "/plans/:planId/versions",
      operationId: "newPlanVersion",
      summary: "Start a new draft version from the latest approved one",
      tag,
      auth: "staff",
      permission: "plans:write",
      response: z.object({ planId: z.uuid(), version: z.number().int() }),
      successStatus: 201,
      problems: { 409: "A version is still open, or none is approved" },
    },
    async ({ request, params }) => {
      const c = ctx(request);
      return newPlanVersion(c, params.planId!, await staffEditor(c));
    },
  );

  apiRoute(
    app,
    deps.api,
    {
      method: "GET",
      path: "/approvals",
      operationId: "approvalQueue",
      summary: "Plans waiting for approval, the level each needs, and whether you may approve it",
      tag,
      auth: "staff",
      permission: "plans:approve",
      response: z.array(
        z.object({
          planId: z.uuid(),
          version: z.number().int(),
          person,
          submittedBy: z.string(),
          submittedByName: z.string(),
          submittedAt: z.date(),
          plannedWeeklyPence: pence("The plan's weekly cost"),
          indicativeWeeklyPence: pence("The indicative weekly allocation"),
          position: z.enum(["under", "exact", "over"]),
          requiredLevel: z.object({ id: z.string(), label: z.string() }).nullable(),
          mayApprove: z.boolean(),
          whyNot: z.array(z.string()),
        }),
      ),
    },
    async ({ request }) => approvalQueue(ctx(request)),
  );
}

/** Allocation overrides: an allocation's overrides, requesting one, deciding one. */
function registerOverrideRoutes(app: FastifyInstance, deps: RouteDeps, shared: PlanApiShared) {
  const { ctx, tag } = shared;
  apiRoute(
    app,
    deps.api,
    {
      method: "GET",
      path: "/allocations/:allocationId/overrides",
      operationId: "listAllocationOverrides",
      summary: "An allocation as calculated, as it stands after overrides, and every override",
      tag,
      auth: "staff",
      permission: "plans:read",
      response: z.object({
        allocationId: z.uuid(),
        calculatedWeeklyPence: pence("The allocation as the RAS worked it out"),
        effectiveWeeklyPence: pence("The allocation after applied and approved overrides"),
        overrides: z.array(overrideView),
      }),
    },
    async ({ request, params }) => overridesFor(ctx(request), params.allocationId!),
  );

  apiRoute(
    app,
    deps.api,
    {
      method: "POST",
      path: "/allocations/:allocationId/overrides",
      operationId: "requestAllocationOverride",
      summary:
        "Change an indicative allocation, with a reason: applied at once within the council's threshold, otherwise waiting for an approver",
      tag,
      auth: "staff",
      permission: "allocation:override",
      body: overrideBody,
      response: overrideView,
      successStatus: 201,
    },
    async ({ request, params, body }) =>
      requestAllocationOverride(ctx(request), { allocationId: params.allocationId!, ...body }),
  );

  apiRoute(
    app,
    deps.api,
    {
      method: "POST",
      path: "/allocation-overrides/:overrideId/decision",
      operationId: "decideAllocationOverride",
      summary: "Approve or refuse a pending allocation override (not one you asked for)",
      tag,
      auth: "staff",
      permission: "allocation:override",
      body: overrideDecisionBody,
      response: overrideView,
      problems: { 409: "Already decided, or you may not decide it" },
    },
    async ({ request, params, body }) => decideAllocationOverride(ctx(request), params.overrideId!, body),
  );
}
