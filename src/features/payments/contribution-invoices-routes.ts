import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { listContributionInvoices, recordInvoicePayment } from "#/features/payments/contribution-invoices.ts";
import { formDate, withDateProblems } from "#/features/payments/date-fields.ts";
import { dateFieldValues } from "#/platform/date-input.ts";
import { ConflictError, type FieldError, ValidationError } from "#/platform/errors.ts";
import { parsePoundsText } from "#/platform/money/parse.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";
import { requireStaff } from "#/platform/web/security.ts";

/**
 * Finance's page of contribution invoices not paid yet (/payments/contribution-invoices), with a form per
 * invoice to record the payment received: the date and the amount, which must be the whole invoice. Registered
 * by the payments routes plugin. The service makes every check; errors go on the form of the invoice they are
 * about, with the error summary linking to its fields. A plain form: no JavaScript needed.
 */

type Body = Record<string, string | string[] | undefined>;
const one = (body: Body, key: string) => {
  const v = body[key];
  return (Array.isArray(v) ? v[0] : v)?.trim() ?? "";
};

type FormState = {
  invoiceId: string;
  values: Record<string, string>;
  errors: Record<string, string>;
};

export async function contributionInvoiceRoutes(app: FastifyInstance, deps: RouteDeps) {
  const guard = { preHandler: requireStaff("payments:run") };
  const ctx = serviceContextFor(deps);

  async function page(request: FastifyRequest, reply: FastifyReply, form?: FormState) {
    const { invoices, limited } = await listContributionInvoices(ctx(request), { status: "raised" });
    const q = request.query as Record<string, string | undefined>;
    // Each invoice's fields have ids of their own, so the error summary links to the right form.
    const errorList = form
      ? Object.entries(form.errors).map(([field, text]) => ({
          text,
          // The date received is three boxes: its link goes to the day.
          href: `#${field}-${form.invoiceId}${field === "paidOn" ? "-day" : ""}`,
        }))
      : [];
    return reply.render("payments/views/contribution-invoices.njk", {
      title: "Contribution invoices not paid yet",
      backLink: "/payments",
      invoices,
      limited,
      form,
      errorList,
      recorded: q.recorded === "1" || q.recorded === "again" ? q.recorded : undefined,
    });
  }

  app.get("/payments/contribution-invoices", guard, (request, reply) => page(request, reply));

  app.post("/payments/contribution-invoices/:invoiceId/payment", guard, async (request, reply) => {
    const { invoiceId } = request.params as { invoiceId: string };
    const body = (request.body ?? {}) as Body;
    const values = { ...dateFieldValues(body, "paidOn"), amount: one(body, "amount") };
    const paidOn = formDate(body, "paidOn", "the date received", { required: true });
    const fail = (status: number, fieldErrors: readonly FieldError[]) => {
      const errors: Record<string, string> = {};
      for (const e of withDateProblems(fieldErrors, { paidOn }))
        errors[e.path === "amountPence" ? "amount" : e.path] ??= e.message;
      reply.code(status);
      return page(request, reply, { invoiceId, values, errors });
    };
    const amount = parsePoundsText(values.amount);
    if (values.amount === "" || !amount || amount.negative)
      return fail(400, [
        {
          path: "amount",
          message:
            values.amount === ""
              ? "Enter the amount received, in pounds, like 100.00"
              : "Enter the amount received in pounds and pence, like 100.00",
        },
      ]);
    try {
      const { replayed } = await recordInvoicePayment(ctx(request), invoiceId, {
        paidOn: paidOn.iso,
        amountPence: amount.pence,
      });
      return reply.redirect(`/payments/contribution-invoices?recorded=${replayed ? "again" : "1"}`, 303);
    } catch (error) {
      if (error instanceof ValidationError) return fail(400, error.fieldErrors);
      if (error instanceof ConflictError) return fail(409, [{ path: "paidOn", message: error.message }]);
      throw error;
    }
  });
}
