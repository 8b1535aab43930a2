import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import {
  dateValues,
  dateValuesFrom,
  type FormBody,
  type FormValues,
  one,
  parseDateInput,
  parsePounds,
  poundsText,
} from "#/features/planning/forms.ts";
import {
  getPreviousPackage,
  previousPackageSchema,
  setPreviousPackage,
} from "#/features/planning/previous-package.ts";
import { getPlan } from "#/features/planning/service.ts";
import { type FieldError, ValidationError } from "#/platform/errors.ts";
import { apiRoute } from "#/platform/web/openapi.ts";
import { pageErrors } from "#/platform/web/page-errors.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";
import { requireStaff } from "#/platform/web/security.ts";

/**
 * The council-arranged package a plan replaced (issue 15, "cover for cuts?"), for staff: a page under the plan
 * (/plans/:planId/previous-package) to record, change or clear its weekly cost and date, and the same over the
 * API (PUT and DELETE /api/v1/plans/:planId/previous-package). The public fairness dashboard reads it.
 */

const write = { preHandler: requireStaff("plans:write") };

async function render(
  deps: RouteDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  extra: { errors?: FieldError[]; values?: FormValues; status?: number } = {},
) {
  const { planId } = request.params as { planId: string };
  const ctx = serviceContextFor(deps)(request);
  const view = await getPlan(ctx, planId);
  const current = await getPreviousPackage(ctx, planId);
  return reply.code(extra.status ?? 200).render("planning/views/previous-package.njk", {
    title: "The package this plan replaces",
    backLink: `/plans/${planId}`,
    base: `/plans/${planId}`,
    personName: view.person.name,
    current,
    values: extra.values ?? {
      weekly: poundsText(current?.weeklyPence),
      ...dateValues("date", current?.date),
    },
    ...pageErrors(extra.errors ?? [], (path) => (path === "previousPackage.date" ? "date" : "weekly")),
  });
}

function parseForm(
  body: FormBody,
): { ok: true; value: { weeklyPence: number; date: string } } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const weekly = parsePounds(one(body, "weekly"), "the weekly cost");
  if (!weekly.ok) errors.push({ path: "weekly", message: weekly.message });
  const date = parseDateInput(body, "date", "the date of that cost");
  if (!date.ok) errors.push(...date.errors.map((e) => ({ ...e, path: "previousPackage.date" })));
  if (!weekly.ok || !date.ok) return { ok: false, errors };
  return { ok: true, value: { weeklyPence: weekly.pence, date: date.value } };
}

export async function previousPackageRoutes(app: FastifyInstance, deps: RouteDeps) {
  const path = "/plans/:planId/previous-package";
  app.get(path, write, (request, reply) => render(deps, request, reply));
  app.post(path, write, async (request, reply) => {
    const { planId } = request.params as { planId: string };
    const body = (request.body ?? {}) as FormBody;
    const values = { weekly: one(body, "weekly"), ...dateValuesFrom(body, "date") };
    const ctx = serviceContextFor(deps)(request);
    if (one(body, "action") === "clear") {
      await setPreviousPackage(ctx, planId, null);
      return reply.redirect(`/plans/${planId}?saved=previous-package`, 303);
    }
    const parsed = parseForm(body);
    if (!parsed.ok) return render(deps, request, reply, { errors: parsed.errors, values, status: 400 });
    try {
      await setPreviousPackage(ctx, planId, parsed.value);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return render(deps, request, reply, { errors: error.fieldErrors, values, status: 400 });
    }
    return reply.redirect(`/plans/${planId}?saved=previous-package`, 303);
  });
}

const previousPackageDoc = previousPackageSchema.meta({
  id: "PreviousPackage",
  description:
    "The council-arranged package a support plan replaced: its weekly cost in pence and the date of that cost (YYYY-MM-DD, not in the future)",
});

export async function previousPackageApi(app: FastifyInstance, deps: RouteDeps) {
  const context = serviceContextFor(deps);
  apiRoute(
    app,
    deps.api,
    {
      method: "PUT",
      path: "/plans/:planId/previous-package",
      operationId: "setPreviousPackage",
      summary:
        "Record the council-arranged package a plan replaced (weekly cost in pence, and its date), for the public fairness dashboard's comparison in the same year's prices.",
      tag: "Support plans",
      auth: "staff",
      permission: "plans:write",
      body: previousPackageDoc,
      response: previousPackageDoc,
    },
    ({ request, body, params }) => setPreviousPackage(context(request), params.planId ?? "", body),
  );
  apiRoute(
    app,
    deps.api,
    {
      method: "DELETE",
      path: "/plans/:planId/previous-package",
      operationId: "clearPreviousPackage",
      summary: "Clear the package a plan replaced (the plan did not replace one).",
      tag: "Support plans",
      auth: "staff",
      permission: "plans:write",
      response: z.object({ previousPackage: z.null() }),
    },
    async ({ request, params }) => {
      await setPreviousPackage(context(request), params.planId ?? "", null);
      return { previousPackage: null };
    },
  );
}
