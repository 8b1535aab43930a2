import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { CARD_FEED_LAYOUT_IDS } from "#/features/spending/card-feed-layouts.calc.ts";
import { importCardFeed } from "#/features/spending/card-import.ts";
import { decideInvoice, recordInvoice } from "#/features/spending/invoices.ts";
import { invoiceSchema } from "#/features/spending/schemas.ts";
import { listSpends } from "#/features/spending/spends.ts";
import { decideRecovery, listRecoveries } from "#/features/spending/surplus.ts";
import { apiRoute } from "#/platform/web/openapi.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";

/**
 * Spending over `/api/v1` (issue 6): spends (card transactions, invoices, pool shares), card-feed imports (the
 * CSV in the body; refused whole with row numbers; the same file again adds nothing), provider invoices (a hold
 * when received, posted when paid, voided when rejected) and surplus recoveries (approved only by a finance
 * officer with surplus:approve).
 */

const spendResponse = z
  .object({
    spendId: z.uuid(),
    budgetId: z.uuid(),
    personId: z.uuid(),
    deployment: z.string(),
    source: z.enum(["card", "invoice", "pool"]),
    state: z.enum(["pending", "posted", "voided"]),
    direction: z.enum(["out", "in"]),
    amountPence: z.number().int(),
    date: z.iso.date(),
    payeeName: z.string(),
    category: z.string().nullable(),
    supportId: z.string().nullable().describe("The plan line it matched, or null: outside the plan"),
    matchExplanation: z.string(),
    flags: z.array(z.object({ code: z.string(), message: z.string() }).loose()),
  })
  .meta({ id: "Spend" });

const cardFeedBody = z
  .strictObject({
    fileName: z.string().max(300).default("card-feed.csv"),
    csv: z.string().min(1).max(50_000_000).describe("The card feed file's text (docs/card-feed.md)"),
    layout: z.enum([...CARD_FEED_LAYOUT_IDS, "detect"]).default("detect"),
    provider: z.string().optional(),
    cashWithdrawalsPermitted: z.boolean().default(false),
  })
  .meta({ id: "CardFeedImport" });

const cardFeedResponse = z
  .object({
    importId: z.uuid().nullable().describe("null when nothing was new"),
    transactions: z.number().int(),
    newCount: z.number().int(),
    alreadyCount: z.number().int(),
    ignored: z.array(z.object({ row: z.number().int(), reason: z.string() })),
    summary: z.string().describe('e.g. "0 new, 12 already imported"'),
  })
  .meta({ id: "CardFeedImportResult" });

const invoiceResponse = z
  .object({
    invoiceId: z.uuid(),
    budgetId: z.uuid(),
    personId: z.uuid(),
    providerName: z.string(),
    invoiceNumber: z.string(),
    totalPence: z.number().int(),
    status: z.enum(["received", "paid", "rejected"]),
    spendId: z.uuid(),
    replayed: z.boolean(),
  })
  .meta({ id: "ProviderInvoice" });

const recoveryResponse = z
  .object({
    recoveryId: z.uuid(),
    budgetId: z.uuid(),
    personId: z.uuid(),
    amountPence: z.number().int(),
    limitPence: z.number().int(),
    limitSource: z.string(),
    explanation: z.array(z.string()).describe("What the person is told, sentence by sentence"),
    status: z.enum(["proposed", "approved", "rejected"]),
    proposedOn: z.iso.date(),
    decisionNote: z.string().nullable(),
  })
  .meta({ id: "SurplusRecovery" });

type Context = ReturnType<typeof serviceContextFor>;

export async function spendingApi(app: FastifyInstance, deps: RouteDeps) {
  const ctx = serviceContextFor(deps);
  spendsAndCardFeedsApi(app, deps, ctx);
  invoicesApi(app, deps, ctx);
  surplusApi(app, deps, ctx);
}

/** Spends, and the card feeds that make most of them. */
function spendsAndCardFeedsApi(app: FastifyInstance, deps: RouteDeps, ctx: Context) {
  apiRoute(
    app,
    deps.api,
    {
      method: "GET",
      path: "/spends",
      operationId: "listSpends",
      summary: "Spends (card transactions, invoices, pool shares) by person, budget and date, newest first",
      tag: "Spending",
      auth: "staff",
      permission: "budgets:read",
      query: z.strictObject({
        personId: z.uuid().optional(),
        budgetId: z.uuid().optional(),
        from: z.iso.date().optional(),
        to: z.iso.date().optional(),
      }),
      response: z.array(spendResponse),
    },
    async ({ request, query }) =>
      listSpends(ctx(request), Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined))),
  );

  apiRoute(
    app,
    deps.api,
    {
      method: "POST",
      path: "/card-feeds",
      operationId: "importCardFeed",
      summary:
        "Import a prepaid-card feed: all rows or none (problems listed by row); importing the same file again adds nothing",
      tag: "Spending",
      auth: "staff",
      permission: "spending:manage",
      body: cardFeedBody,
      response: cardFeedResponse,
      successStatus: 201,
    },
    async ({ request, reply, body }) => {
      const result = await importCardFeed(ctx(request), {
        fileName: body.fileName,
        text: body.csv,
        layout: body.layout,
        ...(body.provider ? { provider: body.provider } : {}),
        cashWithdrawalsPermitted: body.cashWithdrawalsPermitted,
      });
      return reply.code(result.newCount > 0 ? 201 : 200).send(result);
    },
  );
}

/** Provider invoices: held when received, posted when paid, voided when rejected. */
function invoicesApi(app: FastifyInstance, deps: RouteDeps, ctx: Context) {
  apiRoute(
    app,
    deps.api,
    {
      method: "POST",
      path: "/budgets/:budgetId/invoices",
      operationId: "recordProviderInvoice",
      summary: "Record a provider's invoice against a budget: the money is held until it is paid or rejected",
      tag: "Spending",
      auth: "staff",
      permission: "spending:manage",
      body: invoiceSchema.meta({ id: "ProviderInvoiceInput" }),
      response: invoiceResponse,
      successStatus: 201,
    },
    async ({ request, reply, body, params }) => {
      const result = await recordInvoice(ctx(request), params.budgetId!, body);
      return reply.code(result.replayed ? 200 : 201).send(result);
    },
  );

  for (const outcome of ["pay", "reject"] as const) {
    apiRoute(
      app,
      deps.api,
      {
        method: "POST",
        path: `/invoices/:invoiceId/${outcome}`,
        operationId: outcome === "pay" ? "payProviderInvoice" : "rejectProviderInvoice",
        summary:
          outcome === "pay"
            ? "Pay a received invoice (posts its hold)"
            : "Reject a received invoice (voids its hold), with a reason",
        tag: "Spending",
        auth: "staff",
        permission: "spending:manage",
        body: z.strictObject({ reason: z.string().max(1000).optional() }),
        response: invoiceResponse,
      },
      async ({ request, body, params }) =>
        decideInvoice(
          ctx(request),
          params.invoiceId!,
          outcome === "pay" ? { outcome: "paid" } : { outcome: "rejected", reason: body.reason ?? "" },
        ),
    );
  }
}

/** Surplus recoveries, decided by finance officers with surplus:approve. */
function surplusApi(app: FastifyInstance, deps: RouteDeps, ctx: Context) {
  apiRoute(
    app,
    deps.api,
    {
      method: "GET",
      path: "/surplus-recoveries",
      operationId: "listSurplusRecoveries",
      summary: "Surplus recoveries, proposed and decided",
      tag: "Spending",
      auth: "staff",
      permission: "surplus:approve",
      query: z.strictObject({ status: z.enum(["proposed", "approved", "rejected"]).optional() }),
      response: z.array(recoveryResponse),
    },
    async ({ request, query }) => listRecoveries(ctx(request), query.status ? { status: query.status } : {}),
  );

  for (const approve of [true, false]) {
    apiRoute(
      app,
      deps.api,
      {
        method: "POST",
        path: `/surplus-recoveries/:recoveryId/${approve ? "approve" : "reject"}`,
        operationId: approve ? "approveSurplusRecovery" : "rejectSurplusRecovery",
        summary: approve
          ? "Approve a proposed recovery: the money goes back to its funding streams"
          : "Reject a proposed recovery, with a note saying why",
        tag: "Spending",
        auth: "staff",
        permission: "surplus:approve",
        body: z.strictObject({ note: z.string().max(1000).optional() }),
        response: recoveryResponse,
      },
      async ({ request, body, params }) =>
        decideRecovery(ctx(request), params.recoveryId!, {
          approve,
          ...(body.note ? { note: body.note } : {}),
        }),
    );
  }
}
