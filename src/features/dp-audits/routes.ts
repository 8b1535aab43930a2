import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { evidencedPence } from "#/features/dp-audits/outcomes.ts";
import { AUDIT_OUTCOMES, OUTCOME_LABELS } from "#/features/dp-audits/schemas.ts";
import {
  auditQueueOn,
  decideAudit,
  getAudit,
  openAudit,
  recoverUnpaidRepayment,
} from "#/features/dp-audits/service.ts";
import { auditSettingsOn } from "#/features/dp-audits/settings.ts";
import { settingsRoutes } from "#/features/dp-audits/settings-routes.ts";
import { ValidationError } from "#/platform/errors.ts";
import { typedPoundsToPence } from "#/platform/money/parse.ts";
import { type FormBody, oneTrimmed } from "#/platform/web/forms.ts";
import { type PageErrors, pageErrors } from "#/platform/web/page-errors.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";
import { requireStaff } from "#/platform/web/security.ts";

/**
 * The direct-payment audit pages for finance officers: the queue by risk (/dp-audits), opening an audit of a
 * budget (POST /dp-audits), the audit record with its findings and evidence and the decision form
 * (/dp-audits/:auditId), and the council's audit settings (/admin/dp-audits, settings-routes.ts). Every check is
 * the service's; the pages map its field errors onto the form.
 */

export const FINDING_LABELS: Record<string, string> = {
  blocked_merchant: "Card spending at a blocked merchant",
  cash_without_receipt: "Cash taken out with no receipt",
  payee_not_in_plan: "Paid to someone the plan does not include",
  contribution_not_paid: "Contribution not paid in",
  surplus_above_limit: "Surplus above the limit",
  no_spending_evidence: "No spending evidence",
  low_balance: "Low balance (a warning)",
};

export const DUE_LABELS = { first_review: "First review", annual: "Annual audit" } as const;
export const REASON_LABELS = {
  risk: "Something was flagged",
  ...DUE_LABELS,
  unpaid_repayment: "A repayment request was not paid",
} as const;

export const dpAuditLocals = {
  findingLabels: FINDING_LABELS,
  dueLabels: DUE_LABELS,
  reasonLabels: REASON_LABELS,
  outcomeLabels: OUTCOME_LABELS,
};

async function queuePage(deps: RouteDeps, request: FastifyRequest, reply: FastifyReply) {
  const queue = await auditQueueOn(serviceContextFor(deps)(request));
  return reply.render("dp-audits/views/queue.njk", {
    title: "Direct-payment audits",
    queue,
    ...dpAuditLocals,
  });
}

async function open(deps: RouteDeps, request: FastifyRequest, reply: FastifyReply) {
  const body = (request.body ?? {}) as FormBody;
  const { auditId } = await openAudit(serviceContextFor(deps)(request), {
    budgetId: oneTrimmed(body, "budgetId"),
  });
  return reply.redirect(`/dp-audits/${auditId}`, 303);
}

async function auditPage(
  deps: RouteDeps,
  request: FastifyRequest<{ Params: { auditId: string } }>,
  reply: FastifyReply,
  values: Record<string, string> = {},
  errors: PageErrors | null = null,
) {
  const ctx = serviceContextFor(deps)(request);
  const record = await getAudit(ctx, request.params.auditId);
  const { settings } = await auditSettingsOn(ctx, ctx.today);
  return reply.code(errors ? 400 : 200).render("dp-audits/views/audit.njk", {
    title: `Direct-payment audit: ${record.personName}`,
    backLink: "/dp-audits",
    record,
    outcomes: AUDIT_OUTCOMES,
    repaymentDays: settings.repaymentDays,
    evidencedPence: evidencedPence(record.findings),
    repaymentOverdue:
      record.outcome === "repayment_request" &&
      record.repaymentDueOn !== null &&
      record.repaymentDueOn < ctx.today &&
      record.followedUpBy === null,
    values,
    errors: errors?.errors ?? {},
    errorList: errors?.errorList ?? [],
    decided: (request.query as Record<string, string | undefined>).decided === "1",
    ...dpAuditLocals,
  });
}

const FIELDS = ["outcome", "repayment", "recovery", "explanation", "note"];
const fieldOf = (path: string) =>
  path === "repaymentPence" ? "repayment" : path === "recoveryPence" ? "recovery" : path;

/** An unpaid repayment request turned into a recovery (the button on the overdue request). */
async function recoverUnpaid(
  deps: RouteDeps,
  request: FastifyRequest<{ Params: { auditId: string } }>,
  reply: FastifyReply,
) {
  const body = (request.body ?? {}) as FormBody;
  const values = { recovery: oneTrimmed(body, "recovery") };
  const amount = values.recovery === "" ? undefined : typedPoundsToPence(values.recovery, 7);
  try {
    if (values.recovery !== "" && amount === undefined)
      throw new ValidationError([
        { path: "recoveryPence", message: "Give the amount to recover in pounds and pence, like 120.50" },
      ]);
    const followUp = await recoverUnpaidRepayment(
      serviceContextFor(deps)(request),
      request.params.auditId,
      amount === undefined ? {} : { recoveryPence: amount },
    );
    return reply.redirect(`/dp-audits/${followUp.auditId}?decided=1`, 303);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const errors = pageErrors(error.fieldErrors, fieldOf, FIELDS);
    return auditPage(deps, request, reply, values, errors);
  }
}

async function decide(
  deps: RouteDeps,
  request: FastifyRequest<{ Params: { auditId: string } }>,
  reply: FastifyReply,
) {
  const body = (request.body ?? {}) as FormBody;
  const values = {
    outcome: oneTrimmed(body, "outcome"),
    repayment: oneTrimmed(body, "repayment"),
    recovery: oneTrimmed(body, "recovery"),
    explanation: oneTrimmed(body, "explanation"),
    note: oneTrimmed(body, "note"),
  };
  // The amount of the chosen outcome, typed in pounds: a typing mistake is named before anything else is checked.
  const amountField = values.outcome === "recovery" ? "recovery" : "repayment";
  const typed = values.outcome === "recovery" ? values.recovery : values.repayment;
  const amount = typed === "" ? undefined : typedPoundsToPence(typed, 7);
  try {
    if (typed !== "" && amount === undefined && ["recovery", "repayment_request"].includes(values.outcome))
      throw new ValidationError([
        {
          path: `${amountField}Pence`,
          message: `Give the amount to ${amountField === "recovery" ? "recover" : "repay"} in pounds and pence, like 120.50`,
        },
      ]);
    await decideAudit(serviceContextFor(deps)(request), request.params.auditId, {
      outcome: values.outcome || undefined,
      ...(values.explanation ? { explanation: values.explanation } : {}),
      ...(values.note ? { note: values.note } : {}),
      ...(values.outcome === "repayment_request" && amount !== undefined ? { repaymentPence: amount } : {}),
      ...(values.outcome === "recovery" && amount !== undefined ? { recoveryPence: amount } : {}),
    });
    return reply.redirect(`/dp-audits/${request.params.auditId}?decided=1`, 303);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const errors = pageErrors(error.fieldErrors, fieldOf, FIELDS);
    return auditPage(deps, request, reply, values, errors);
  }
}

export async function dpAuditRoutes(app: FastifyInstance, deps: RouteDeps) {
  const guard = { preHandler: requireStaff("dp_audits:manage") };
  app.get("/dp-audits", guard, (request, reply) => queuePage(deps, request, reply));
  app.post("/dp-audits", guard, (request, reply) => open(deps, request, reply));
  app.get<{ Params: { auditId: string } }>("/dp-audits/:auditId", guard, (request, reply) =>
    auditPage(deps, request, reply),
  );
  app.post<{ Params: { auditId: string } }>("/dp-audits/:auditId", guard, (request, reply) =>
    decide(deps, request, reply),
  );
  app.post<{ Params: { auditId: string } }>("/dp-audits/:auditId/recover-unpaid", guard, (request, reply) =>
    recoverUnpaid(deps, request, reply),
  );
  await settingsRoutes(app, deps);
}
