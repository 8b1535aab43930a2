import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type FormBody, one } from "#/features/budgets/forms.ts";
import { END_REASON_LABELS } from "#/features/budgets/schemas.ts";
import {
  type DebtView,
  debtsForPerson,
  getDebt,
  recoverDebt,
  writeOffDebt,
} from "#/features/payments/debts.ts";
import { getPerson } from "#/features/people/service.ts";
import { can } from "#/platform/auth/permissions.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { ConflictError, type FieldError, ValidationError } from "#/platform/errors.ts";
import { pageErrors } from "#/platform/web/page-errors.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";
import { requireStaff } from "#/platform/web/security.ts";

/**
 * Money to recover after a budget ends, for staff: listed on the budget page (budgets:read), and a page per debt
 * where a finance officer (debts:manage) records that the money came back or writes it off with a reason.
 *
 *   GET  /people/:personId/debts/:debtId              the debt, and the two things finance can record
 *   POST /people/:personId/debts/:debtId/recovered    the money came back (moved in the ledger, once)
 *   POST /people/:personId/debts/:debtId/write-off    it will not be recovered: `reason`
 */

const V = "payments/views";

export const DEBT_STATUS_TEXT: Record<DebtView["status"], { text: string; tag: string }> = {
  to_recover: { text: "To recover", tag: "govuk-tag--orange" },
  recovered: { text: "Recovered", tag: "govuk-tag--green" },
  written_off: { text: "Written off", tag: "govuk-tag--grey" },
};

const SAVED = {
  ended: "The budget has ended",
  recovered: "The money has been recorded as recovered",
  "written-off": "The money has been written off",
} as const;

/**
 * What the staff budget page adds for ending a budget and money to recover: the debts, who may act, and the
 * success message after a redirect (?saved=…).
 */
export async function budgetPageAdditions(request: FastifyRequest, ctx: ServiceContext, personId: string) {
  const saved = (request.query as Record<string, unknown>).saved;
  const roles = request.staff!.roles;
  return {
    debts: (await debtsForPerson(ctx, personId)).map((d) => ({
      ...d,
      statusText: DEBT_STATUS_TEXT[d.status],
    })),
    debtsHref: `/people/${personId}/debts`,
    mayEnd: can(roles, "budgets:end"),
    mayManageDebts: can(roles, "debts:manage"),
    endReasonLabels: END_REASON_LABELS,
    savedText: typeof saved === "string" && saved in SAVED ? SAVED[saved as keyof typeof SAVED] : null,
    saved: typeof saved === "string" ? saved : null,
  };
}

export async function debtRoutes(app: FastifyInstance, deps: RouteDeps) {
  const guard = { preHandler: requireStaff("debts:manage") };
  const context = serviceContextFor(deps);
  const paramsOf = (request: FastifyRequest) => request.params as { personId: string; debtId: string };

  const renderDebt = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { errors?: FieldError[]; reason?: string; status?: number } = {},
  ) => {
    const { personId, debtId } = paramsOf(request);
    const ctx = context(request);
    const debt = await getDebt(ctx, debtId, personId);
    const person = await getPerson(ctx, personId);
    return reply.code(extra.status ?? 200).render(`${V}/debt.njk`, {
      title: "Money to recover",
      backLink: `/people/${personId}/budget#money-to-recover`,
      personName: `${person.givenName} ${person.familyName}`,
      debt: { ...debt, statusText: DEBT_STATUS_TEXT[debt.status] },
      action: `/people/${personId}/debts/${debtId}`,
      reason: extra.reason ?? "",
      ...pageErrors(extra.errors ?? []),
    });
  };

  app.get("/people/:personId/debts/:debtId", guard, async (request, reply) => renderDebt(request, reply));

  app.post("/people/:personId/debts/:debtId/recovered", guard, async (request, reply) => {
    const { personId, debtId } = paramsOf(request);
    try {
      await recoverDebt(context(request), debtId, { personId });
    } catch (error) {
      // Already written off, or the money is no longer where it was (the ledger refused): say so on the page.
      if (!(error instanceof ConflictError)) throw error;
      return renderDebt(request, reply, {
        errors: [{ path: "recovered", message: error.message }],
        status: 409,
      });
    }
    return reply.redirect(`/people/${personId}/budget?saved=recovered#money-to-recover`, 303);
  });

  app.post("/people/:personId/debts/:debtId/write-off", guard, async (request, reply) => {
    const { personId, debtId } = paramsOf(request);
    const reason = one((request.body ?? {}) as FormBody, "reason");
    try {
      await writeOffDebt(context(request), debtId, { reason }, { personId });
    } catch (error) {
      const errors =
        error instanceof ValidationError
          ? error.fieldErrors.map((e) => ({ ...e, path: "reason" }))
          : error instanceof ConflictError
            ? [{ path: "reason", message: error.message }]
            : null;
      if (!errors) throw error;
      return renderDebt(request, reply, {
        errors,
        reason,
        status: error instanceof ValidationError ? 400 : 409,
      });
    }
    return reply.redirect(`/people/${personId}/budget?saved=written-off#money-to-recover`, 303);
  });
}
