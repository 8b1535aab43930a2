import type { FastifyInstance } from "fastify";
import { z } from "zod";
import {
  approveBankDetails,
  type BankDetailsRecord,
  bankDetailsProposalSchema,
  createPayee,
  newPayeeSchema,
  proposeBankDetails,
} from "#/features/payments/bank-details.ts";
import { contributionInvoicesApi } from "#/features/payments/contribution-invoices-api.ts";
import {
  approveRedate,
  proposeRedate,
  type Redate,
  redateRequestSchema,
} from "#/features/payments/redate.ts";
import { recordReturn, returnSchema } from "#/features/payments/returns.ts";
import { prepareRun } from "#/features/payments/run.ts";
import { paymentRunRequestSchema } from "#/features/payments/schemas.ts";
import {
  approveRun,
  getRun,
  listRuns,
  type Payment,
  type RunSummary,
  reviewRun,
  runFile,
} from "#/features/payments/service.ts";
import { ValidationError } from "#/platform/errors.ts";
import { apiRoute } from "#/platform/web/openapi.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";

/**
 * Payments over `/api/v1`: runs (list, prepare one for a pay date, read its payments, review, approve, and the
 * files an approved run releases), payees and their bank details (propose; a second person approves),
 * returned payments, and contribution invoices (contribution-invoices-api.ts). Finance officers only:
 * payments:run to prepare and read, payments:approve to review and approve, bank_details:manage for payees.
 * The same services as the pages and the CLI, so the same rules.
 */

const held = z.object({ key: z.string(), budgetId: z.uuid(), reason: z.string() });

export const runResponse = z
  .object({
    runId: z.uuid(),
    runNo: z.number().int(),
    payDate: z.iso.date(),
    filePayDate: z.iso
      .date()
      .describe(
        "The date the run's files pay on: payDate, or a later date approved because its Bacs file was not sent in time",
      ),
    status: z.enum(["prepared", "reviewed", "approved"]),
    held: z.array(held).describe("Payments due but not made yet, and why"),
    payments: z.number().int(),
    totalPence: z.number().int(),
    bankPayments: z.number().int(),
    bankPence: z.number().int(),
    reviewedBy: z.string().nullable(),
    approvedBy: z.string().nullable(),
  })
  .meta({ id: "PaymentRun" });

export const paymentResponse = z
  .object({
    paymentId: z.uuid(),
    paymentKey: z.string().describe("The exactly-once key: budget, cycle start and payee"),
    runId: z.uuid(),
    budgetId: z.uuid(),
    personId: z.uuid(),
    cycleStart: z.iso.date(),
    cycleEnd: z.iso.date(),
    dueDate: z.iso.date(),
    payDate: z.iso.date(),
    kind: z
      .enum(["bank", "funding"])
      .describe("bank: sent to a bank account; funding: put in a council-held account"),
    deployment: z.string(),
    payeeId: z.uuid().nullable(),
    payeeName: z.string().nullable(),
    amountPence: z.number().int(),
    parts: z.array(
      z.object({
        kind: z
          .enum(["regular", "one_off", "contribution_netted", "deduction"])
          .describe("deduction: money owed back taken off the payment (negative, per stream)"),
        fundingStreamId: z.string().optional(),
        amount: z.number().int(),
        description: z.string().optional(),
      }),
    ),
    status: z.enum(["made", "returned"]),
  })
  .meta({ id: "Payment" });

export const runOutcomeResponse = z
  .object({
    runId: z.uuid().nullable(),
    runNo: z.number().int().nullable(),
    payDate: z.iso.date(),
    due: z.number().int(),
    made: z.number().int().describe("Payments this request made"),
    madePence: z.number().int(),
    alreadyMade: z.number().int().describe("Due payments an earlier (or concurrent) run had already made"),
    held: z.array(held),
    invoicesRaised: z.number().int(),
    debtsRecorded: z.number().int(),
  })
  .meta({ id: "PaymentRunOutcome" });

const bankDetailsResponse = z
  .object({
    detailsId: z.uuid(),
    payeeId: z.uuid(),
    accountName: z.string(),
    sortCode: z.string(),
    accountNumberEnding: z.string().describe("The last 4 digits"),
    effectiveFrom: z.iso.date(),
    status: z.enum(["proposed", "approved", "refused"]),
    proposedBy: z.string(),
    decidedBy: z.string().nullable(),
  })
  .meta({ id: "PayeeBankDetails" });

const runJson = (r: RunSummary) => ({
  runId: r.runId,
  runNo: r.runNo,
  payDate: r.payDate,
  filePayDate: r.filePayDate,
  status: r.status,
  held: r.held,
  payments: r.payments,
  totalPence: r.totalPence,
  bankPayments: r.bankPayments,
  bankPence: r.bankPence,
  reviewedBy: r.reviewedBy,
  approvedBy: r.approvedBy,
});

const redateResponse = z
  .object({
    redateId: z.uuid(),
    runId: z.uuid(),
    fromPayDate: z.iso.date(),
    payDate: z.iso.date(),
    reason: z.string(),
    status: z.enum(["proposed", "approved", "replaced"]),
    proposedBy: z.string(),
    decidedBy: z.string().nullable(),
  })
  .meta({ id: "PaymentRunRedate" });

const redateJson = (r: Redate) => ({
  redateId: r.redateId,
  runId: r.runId,
  fromPayDate: r.fromPayDate,
  payDate: r.payDate,
  reason: r.reason,
  status: r.status,
  proposedBy: r.proposedBy,
  decidedBy: r.decidedBy,
});

const paymentJson = ({ amount, ...p }: Payment) => ({ ...p, amountPence: amount });

const detailsJson = (d: BankDetailsRecord) => ({
  detailsId: d.detailsId,
  payeeId: d.payeeId,
  accountName: d.accountName,
  sortCode: d.sortCode,
  accountNumberEnding: d.accountNumberEnding,
  effectiveFrom: d.effectiveFrom,
  status: d.status,
  proposedBy: d.proposedBy,
  decidedBy: d.decidedBy,
});

function uuidParam(value: string | undefined, name: string): string {
  if (!value || !z.uuid().safeParse(value).success)
    throw new ValidationError(
      [{ path: name, message: `The ${name} must be a UUID` }],
      "The path is not valid",
    );
  return value;
}

const tag = "Payments";

export async function paymentsApi(app: FastifyInstance, deps: RouteDeps) {
  // Contribution invoices: list them, and record one paid (contribution-invoices-api.ts).
  await contributionInvoicesApi(app, deps);
  runsApi(app, deps);
  runDatesAndFilesApi(app, deps);
  payeesApi(app, deps);
  returnsApi(app, deps);
}

/** Runs: list them, prepare one for a pay date, read one, review and approve it. */
function runsApi(app: FastifyInstance, deps: RouteDeps) {
  const ctx = serviceContextFor(deps);
  apiRoute(
    app,
    deps.api,
    {
      method: "GET",
      path: "/payments/runs",
      operationId: "listPaymentRuns",
      summary: "Payment runs, latest pay date first, with their totals and status",
      tag,
      auth: "staff",
      permission: "payments:run",
      response: z.object({ runs: z.array(runResponse) }),
    },
    async ({ request }) => ({ runs: (await listRuns(ctx(request))).map(runJson) }),
  );

  apiRoute(
    app,
    deps.api,
    {
      method: "POST",
      path: "/payments/runs",
      operationId: "preparePaymentRun",
      summary:
        "Prepare the payment run for a pay date (a banking day): each due payment is made exactly once, so sending this again (or at the same time) makes nothing twice",
      tag,
      auth: "staff",
      permission: "payments:run",
      body: paymentRunRequestSchema,
      response: runOutcomeResponse,
      successStatus: 201,
      problems: {
        400: "The pay date is not a banking day, or is too soon for Bacs (the error names the earliest pay date that works, YYYY-MM-DD)",
        409: "The run for that date has been reviewed or approved, so it is final",
      },
    },
    async ({ request, body }) => prepareRun(ctx(request), body),
  );

  apiRoute(
    app,
    deps.api,
    {
      method: "GET",
      path: "/payments/runs/:runId",
      operationId: "getPaymentRun",
      summary: "A payment run and its payments",
      tag,
      auth: "staff",
      permission: "payments:run",
      response: z.object({ run: runResponse, payments: z.array(paymentResponse) }),
    },
    async ({ request, params }) => {
      const { run, payments } = await getRun(ctx(request), uuidParam(params.runId, "runId"));
      return { run: runJson(run), payments: payments.map(paymentJson) };
    },
  );

  for (const action of ["review", "approve"] as const)
    apiRoute(
      app,
      deps.api,
      {
        method: "POST",
        path: `/payments/runs/:runId/${action}`,
        operationId: action === "review" ? "reviewPaymentRun" : "approvePaymentRun",
        summary:
          action === "review"
            ? "Mark a prepared run as reviewed (the first of two finance officers)"
            : "Approve a reviewed run (a different finance officer from the reviewer); releases its files",
        tag,
        auth: "staff",
        permission: "payments:approve",
        response: runResponse,
        problems: {
          403: "You reviewed this run: a different finance officer must approve it",
          409: "The run is not in the right state",
        },
      },
      async ({ request, params }) => {
        const id = uuidParam(params.runId, "runId");
        return runJson(
          action === "review" ? await reviewRun(ctx(request), id) : await approveRun(ctx(request), id),
        );
      },
    );
}

/** An approved run's later pay date, and the files an approved run releases. */
function runDatesAndFilesApi(app: FastifyInstance, deps: RouteDeps) {
  const ctx = serviceContextFor(deps);
  // An approved run whose Bacs file was not sent in time: a later pay date, asked for by one finance officer and
  // approved by a different one (redate.ts); no payment is made again.
  apiRoute(
    app,
    deps.api,
    {
      method: "POST",
      path: "/payments/runs/:runId/redate",
      operationId: "proposePaymentRunRedate",
      summary:
        "Ask for an approved run's Bacs file to be made for a later pay date, once its file can no longer be made (date: a banking day, the earliest that works when left out)",
      tag,
      auth: "staff",
      permission: "payments:run",
      body: redateRequestSchema,
      response: redateResponse,
      successStatus: 201,
      problems: {
        400: "No reason, or the date is too soon or not a banking day (the error names the earliest date that works)",
        409: "The run is not approved, or its Bacs file can still be made",
      },
    },
    async ({ request, params, body }) =>
      redateJson(await proposeRedate(ctx(request), uuidParam(params.runId, "runId"), body)),
  );

  apiRoute(
    app,
    deps.api,
    {
      method: "POST",
      path: "/payments/runs/:runId/redate/:redateId/approve",
      operationId: "approvePaymentRunRedate",
      summary:
        "Approve a later pay date for a run's files (a different finance officer from the one who asked)",
      tag,
      auth: "staff",
      permission: "payments:approve",
      response: redateResponse,
      problems: {
        403: "You asked for this date: a different finance officer must approve it",
        409: "It was already decided, or its date is now too soon (ask again)",
      },
    },
    async ({ request, params }) =>
      redateJson(
        await approveRedate(
          ctx(request),
          uuidParam(params.runId, "runId"),
          uuidParam(params.redateId, "redateId"),
        ),
      ),
  );

  for (const file of ["bacs18", "finance_csv"] as const)
    apiRoute(
      app,
      deps.api,
      {
        method: "GET",
        path: `/payments/runs/:runId/files/${file === "bacs18" ? "bacs18" : "finance.csv"}`,
        operationId: file === "bacs18" ? "getPaymentRunBacsFile" : "getPaymentRunFinanceCsv",
        summary:
          file === "bacs18"
            ? "The Bacs Standard 18 direct-credit file of an approved run's direct payments (text/plain)"
            : "The finance system CSV of an approved run's payments, with GL codes and cost centres (text/csv)",
        tag,
        auth: "staff",
        permission: "payments:run",
        problems: { 409: "The run has not been approved by a second finance officer" },
      },
      async ({ request, reply, params }) => {
        const f = await runFile(ctx(request), uuidParam(params.runId, "runId"), file);
        return reply
          .header("content-type", f.contentType)
          .header("content-disposition", `attachment; filename="${f.filename}"`)
          .header("x-payment-count", String(f.count))
          .header("x-total-pence", String(f.totalPence))
          .send(f.body);
      },
    );
}

/** Payees and their bank details: a second person approves new details. */
function payeesApi(app: FastifyInstance, deps: RouteDeps) {
  const ctx = serviceContextFor(deps);
  apiRoute(
    app,
    deps.api,
    {
      method: "POST",
      path: "/payees",
      operationId: "createPayee",
      summary:
        "Add a payee (the person, a provider or a personal assistant); the person's or provider's own is returned if it exists",
      tag,
      auth: "staff",
      permission: "bank_details:manage",
      body: newPayeeSchema,
      response: z.object({ payeeId: z.uuid(), kind: z.string(), name: z.string() }).meta({ id: "Payee" }),
      successStatus: 201,
    },
    async ({ request, body }) => {
      const p = await createPayee(ctx(request), body);
      return { payeeId: p.payeeId, kind: p.kind, name: p.name };
    },
  );

  apiRoute(
    app,
    deps.api,
    {
      method: "POST",
      path: "/payees/:payeeId/bank-details",
      operationId: "proposePayeeBankDetails",
      summary:
        "Propose new bank details for a payee; they take effect only when a second person approves them",
      tag,
      auth: "staff",
      permission: "bank_details:manage",
      body: bankDetailsProposalSchema,
      response: bankDetailsResponse,
      successStatus: 201,
    },
    async ({ request, params, body }) =>
      detailsJson(await proposeBankDetails(ctx(request), uuidParam(params.payeeId, "payeeId"), body)),
  );

  apiRoute(
    app,
    deps.api,
    {
      method: "POST",
      path: "/payees/:payeeId/bank-details/:detailsId/approve",
      operationId: "approvePayeeBankDetails",
      summary: "Approve proposed bank details (never by the person who proposed them)",
      tag,
      auth: "staff",
      permission: "bank_details:manage",
      response: bankDetailsResponse,
      problems: { 403: "You proposed these details: someone else must approve them", 409: "Already decided" },
    },
    async ({ request, params }) => {
      uuidParam(params.payeeId, "payeeId");
      return detailsJson(await approveBankDetails(ctx(request), uuidParam(params.detailsId, "detailsId")));
    },
  );
}

/** Recording a payment the bank returned. */
function returnsApi(app: FastifyInstance, deps: RouteDeps) {
  const ctx = serviceContextFor(deps);
  apiRoute(
    app,
    deps.api,
    {
      method: "POST",
      path: "/payments/:paymentId/return",
      operationId: "recordReturnedPayment",
      summary:
        "Record a payment the bank returned: the money goes back to the budget, and the person and finance are told what to do",
      tag,
      auth: "staff",
      permission: "payments:run",
      body: returnSchema,
      response: paymentResponse,
      problems: { 409: "Already recorded as returned, or not a bank payment" },
    },
    async ({ request, params, body }) =>
      paymentJson(await recordReturn(ctx(request), uuidParam(params.paymentId, "paymentId"), body)),
  );
}
