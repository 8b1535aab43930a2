import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { endBudget, liveBudgetToEnd, previewBudgetEnd } from "#/features/budgets/end-service.ts";
import {
  dateValues,
  dateValuesFrom,
  type FormBody,
  type FormValues,
  one,
  parseDateInput,
} from "#/features/budgets/forms.ts";
import { END_REASON_LABELS, END_REASONS, type EndReason } from "#/features/budgets/schemas.ts";
import { getBudget, type PersonalBudget } from "#/features/budgets/service.ts";
import { getPerson } from "#/features/people/service.ts";
import { addDays } from "#/platform/dates/calendar.ts";
import { ConflictError, type FieldError, NotFoundError, ValidationError } from "#/platform/errors.ts";
import { pageErrors } from "#/platform/web/page-errors.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";
import { requireStaff } from "#/platform/web/security.ts";

/**
 * Staff end a person's live budget (budgets:end): a form (why, and the last day it pays for), a page that says
 * plainly what will happen, then the budget page with a success message. Nothing is written until the second
 * step is confirmed; every step checks again, so a budget ended meanwhile by someone else is refused.
 *
 *   GET  /people/:personId/budget/end           the form (?reason=…&endDate=… fill it in, for "Change")
 *   POST /people/:personId/budget/end           checks it; shows the confirmation page or the errors
 *   POST /people/:personId/budget/end/confirm   ends the budget; back to /people/:personId/budget?saved=ended
 */

const V = "budgets/views";

const isReason = (v: string): v is EndReason => (END_REASONS as readonly string[]).includes(v);

/** Errors for this form's fields: the date's summary link goes to its first box. */
function formErrors(fieldErrors: readonly FieldError[]) {
  const known = new Set(["reason", "endDate"]);
  const shown = pageErrors(fieldErrors.map((e) => (known.has(e.path) ? e : { ...e, path: "endDate" })));
  return {
    ...shown,
    errorList: shown.errorList.map((l) => (l.href === "#endDate" ? { ...l, href: "#endDate-day" } : l)),
  };
}

export async function endRoutes(app: FastifyInstance, deps: RouteDeps) {
  const guard = { preHandler: requireStaff("budgets:end") };
  const context = serviceContextFor(deps);
  const personIdOf = (request: FastifyRequest) => (request.params as { personId: string }).personId;

  const renderForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    budget: PersonalBudget,
    values: FormValues,
    errors: FieldError[] = [],
    status = 200,
  ) => {
    const person = await getPerson(context(request), budget.personId);
    const name = `${person.givenName} ${person.familyName}`;
    return reply.code(status).render(`${V}/end-form.njk`, {
      title: `End ${name}'s personal budget`,
      backLink: `/people/${budget.personId}/budget`,
      personName: name,
      budget,
      action: `/people/${budget.personId}/budget/end`,
      reasons: END_REASONS.map((r) => ({
        value: r,
        text: END_REASON_LABELS[r],
        checked: values.reason === r,
      })),
      values,
      ...formErrors(errors),
    });
  };

  app.get("/people/:personId/budget/end", guard, async (request, reply) => {
    const budget = await liveBudgetToEnd(context(request), personIdOf(request));
    const q = request.query as Record<string, unknown>;
    const reason = typeof q.reason === "string" && isReason(q.reason) ? q.reason : "";
    const endDate = typeof q.endDate === "string" ? q.endDate : undefined;
    return renderForm(request, reply, budget, { reason, ...dateValues("endDate", endDate) });
  });

  /** The budget named by the form's hidden field, which must be this person's. */
  const budgetOf = async (request: FastifyRequest, body: FormBody) => {
    const budgetId = one(body, "budgetId");
    if (!/^[0-9a-f-]{36}$/i.test(budgetId)) throw new NotFoundError("The personal budget");
    const budget = await getBudget(context(request), budgetId);
    if (budget.personId !== personIdOf(request)) throw new NotFoundError("The personal budget");
    return budget;
  };

  app.post("/people/:personId/budget/end", guard, async (request, reply) => {
    const body = (request.body ?? {}) as FormBody;
    const budget = await budgetOf(request, body);
    const reason = one(body, "reason");
    const values = { reason, ...dateValuesFrom(body, "endDate") };
    const errors: FieldError[] = [];
    if (!isReason(reason)) errors.push({ path: "reason", message: "Select why the budget is ending" });
    const date = parseDateInput(body, "endDate", "the last day the budget pays for");
    if (!date.ok) errors.push(date.error);
    if (errors.length > 0 || !date.ok) return renderForm(request, reply, budget, values, errors, 400);
    let preview: Awaited<ReturnType<typeof previewBudgetEnd>>;
    try {
      preview = await previewBudgetEnd(
        context(request),
        budget.budgetId,
        { endDate: date.value, reason },
        { personId: budget.personId },
      );
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return renderForm(request, reply, budget, values, error.fieldErrors, 400);
    }
    const person = await getPerson(context(request), budget.personId);
    const change = `/people/${budget.personId}/budget/end?reason=${preview.request.reason}&endDate=${preview.request.endDate}`;
    return reply.render(`${V}/end-check.njk`, {
      title: "Check before you end the budget",
      backLink: change,
      personName: `${person.givenName} ${person.familyName}`,
      budget,
      ending: preview.request,
      reasonLabel: END_REASON_LABELS[preview.request.reason],
      dayAfterEnd: addDays(preview.request.endDate, 1),
      paidUpTo: preview.paidUpTo,
      changeHref: change,
      action: `/people/${budget.personId}/budget/end/confirm`,
    });
  });

  app.post("/people/:personId/budget/end/confirm", guard, async (request, reply) => {
    const body = (request.body ?? {}) as FormBody;
    const budget = await budgetOf(request, body);
    const input = { endDate: one(body, "endDate"), reason: one(body, "reason") };
    try {
      await endBudget(context(request), budget.budgetId, input, { personId: budget.personId });
    } catch (error) {
      const refused =
        error instanceof ValidationError
          ? error.fieldErrors
          : error instanceof ConflictError
            ? [{ path: "endDate", message: error.message }]
            : null;
      if (!refused) throw error;
      const values = {
        reason: isReason(input.reason) ? input.reason : "",
        ...dateValues("endDate", input.endDate),
      };
      return renderForm(request, reply, budget, values, refused, 409);
    }
    return reply.redirect(`/people/${budget.personId}/budget?saved=ended`, 303);
  });
}
