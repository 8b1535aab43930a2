import type { FastifyInstance } from "fastify";
import { z } from "zod";
import {
  type ContributionInvoice,
  invoiceListQuerySchema,
  invoicePaymentSchema,
  listContributionInvoices,
  recordInvoicePayment,
} from "#/features/payments/contribution-invoices.ts";
import { ValidationError } from "#/platform/errors.ts";
import { apiRoute } from "#/platform/web/openapi.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";

/**
 * Contribution invoices over `/api/v1` (registered by the payments API plugin): list them (raised, paid or
 * both), and record that one was paid in full on a date. Finance officers (payments:run); the same service as
 * the page, so the same rules: the whole amount only, once (the same payment again is a replay that changes
 * nothing; a different date for a paid invoice is 409).
 */

export const contributionInvoiceResponse = z
  .object({
    invoiceId: z.uuid(),
    runId: z.uuid().describe("The payment run that raised it"),
    budgetId: z.uuid(),
    personId: z.uuid(),
    cycleStart: z.iso.date(),
    cycleEnd: z.iso.date(),
    amountPence: z.number().int(),
    status: z.enum(["raised", "paid"]).describe("raised: not paid yet; paid: payment received"),
    paidOn: z.iso.date().nullable(),
    raisedAt: z.iso.datetime(),
  })
  .meta({ id: "ContributionInvoice" });

const invoiceJson = (i: ContributionInvoice) => ({
  invoiceId: i.invoiceId,
  runId: i.runId,
  budgetId: i.budgetId,
  personId: i.personId,
  cycleStart: i.cycleStart,
  cycleEnd: i.cycleEnd,
  amountPence: i.amount,
  status: i.status,
  paidOn: i.paidOn,
  raisedAt: i.raisedAt.toISOString(),
});

export async function contributionInvoicesApi(app: FastifyInstance, deps: RouteDeps) {
  const ctx = serviceContextFor(deps);
  const tag = "Payments";

  apiRoute(
    app,
    deps.api,
    {
      method: "GET",
      path: "/contribution-invoices",
      operationId: "listContributionInvoices",
      summary:
        "Contribution invoices (where the council invoices the person's contribution each cycle), oldest cycle first, at most 500",
      tag,
      auth: "staff",
      permission: "payments:run",
      query: invoiceListQuerySchema,
      response: z.object({
        invoices: z.array(contributionInvoiceResponse),
        limited: z.boolean().describe("More invoices match than were returned: record the oldest first"),
      }),
    },
    async ({ request, query }) => {
      const { invoices, limited } = await listContributionInvoices(
        ctx(request),
        query.status ? { status: query.status } : {},
      );
      return { invoices: invoices.map(invoiceJson), limited };
    },
  );

  apiRoute(
    app,
    deps.api,
    {
      method: "POST",
      path: "/contribution-invoices/:invoiceId/payment",
      operationId: "recordContributionInvoicePayment",
      summary:
        "Record that a contribution invoice was paid in full on a date: the invoice is marked paid and the person's contribution account is cleared in the ledger. Sending the same payment again changes nothing (replayed: true)",
      tag,
      auth: "staff",
      permission: "payments:run",
      body: invoicePaymentSchema,
      response: z.object({
        invoice: contributionInvoiceResponse,
        replayed: z.boolean().describe("This payment had already been recorded: nothing was changed"),
      }),
      problems: { 409: "The invoice was already recorded as paid on a different date" },
    },
    async ({ request, params, body }) => {
      const invoiceId = params.invoiceId;
      if (!invoiceId || !z.uuid().safeParse(invoiceId).success)
        throw new ValidationError(
          [{ path: "invoiceId", message: "The invoiceId must be a UUID" }],
          "The path is not valid",
        );
      const { invoice, replayed } = await recordInvoicePayment(ctx(request), invoiceId, body);
      return { invoice: invoiceJson(invoice), replayed };
    },
  );
}
