import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { formDate, withDateProblems } from "#/features/payments/date-fields.ts";
import { type Body, type ContextOf, errorView, one, render } from "#/features/payments/page-kit.ts";
import { RETURN_REASONS } from "#/features/payments/returns.calc.ts";
import { recordReturn } from "#/features/payments/returns.ts";
import { getPayment } from "#/features/payments/service.ts";
import { dateFieldValues } from "#/platform/date-input.ts";
import { type FieldError, ValidationError } from "#/platform/errors.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";
import { requireStaff } from "#/platform/web/security.ts";

/** Recording a payment the bank returned: the reason and the day it came back (/payments/:paymentId/return). */

const returnPage = (
  reply: FastifyReply,
  paymentId: string,
  values: Record<string, string>,
  fieldErrors: FieldError[] = [],
) =>
  render(reply, "return.njk", {
    title: "Record a returned payment",
    paymentId,
    reasons: RETURN_REASONS,
    values,
    ...errorView(fieldErrors, (p) => p, ["returnedOn"]),
  });

async function returnForm(ctx: ContextOf, request: FastifyRequest, reply: FastifyReply) {
  // Only a payment of the caller's own council: another council's id, or one that names nothing, is not found.
  const { paymentId } = await getPayment(ctx(request), (request.params as { paymentId: string }).paymentId);
  return returnPage(reply, paymentId, { reasonCode: "" });
}

async function recordReturnFromForm(ctx: ContextOf, request: FastifyRequest, reply: FastifyReply) {
  const { paymentId } = request.params as { paymentId: string };
  const body = (request.body ?? {}) as Body;
  const values = { reasonCode: one(body, "reasonCode"), ...dateFieldValues(body, "returnedOn") };
  const returnedOn = formDate(body, "returnedOn", "the date the payment came back", { required: true });
  try {
    const payment = await recordReturn(ctx(request), paymentId, {
      reasonCode: values.reasonCode,
      returnedOn: returnedOn.iso,
    });
    return reply.redirect(`/payments/runs/${payment.runId}?done=return`, 303);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    reply.code(400);
    return returnPage(reply, paymentId, values, withDateProblems(error.fieldErrors, { returnedOn }));
  }
}

export async function returnRoutes(app: FastifyInstance, deps: RouteDeps) {
  const ctx = serviceContextFor(deps);
  const guard = { preHandler: requireStaff("payments:run") };
  app.get("/payments/:paymentId/return", guard, (request, reply) => returnForm(ctx, request, reply));
  app.post("/payments/:paymentId/return", guard, (request, reply) =>
    recordReturnFromForm(ctx, request, reply),
  );
}
