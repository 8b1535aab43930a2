import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { formDate, withDateProblems } from "#/features/payments/date-fields.ts";
import { type Body, type ContextOf, errorView, one, render, staffCan } from "#/features/payments/page-kit.ts";
import { approveRedate, proposeRedate, runRedating } from "#/features/payments/redate.ts";
import { earliestPayDateFor, PayDateTooEarlyError, prepareRun } from "#/features/payments/run.ts";
import {
  approveRun,
  financeWork,
  getRun,
  listRuns,
  reviewRun,
  runFile,
} from "#/features/payments/service.ts";
import { dateFieldValues } from "#/platform/date-input.ts";
import { dateInWords } from "#/platform/date-words.calc.ts";
import { type FieldError, ValidationError } from "#/platform/errors.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";
import { requireStaff, scopeOf } from "#/platform/web/security.ts";

/**
 * Payment runs for finance: /payments (the runs, preparing one for a pay date, returned payments to act on,
 * money owed back, bank details waiting for a second person), a run's page (its payments and held payments;
 * review; approve; a later pay date for its Bacs file; the Bacs and finance files once approved).
 */

type RunsForm = { values: Record<string, string>; errors?: Record<string, string>; errorList?: unknown[] };

async function runsPage(
  ctx: ContextOf,
  request: FastifyRequest,
  reply: FastifyReply,
  form: RunsForm = { values: {} },
) {
  const c = ctx(request);
  const [runs, work, earliest] = await Promise.all([
    listRuns(c),
    financeWork(c),
    earliestPayDateFor(c).catch((error: unknown) => {
      if (error instanceof ValidationError) return undefined; // no payment settings yet: the form says so
      throw error;
    }),
  ]);
  return render(reply, "runs.njk", {
    title: "Payments",
    runs,
    work,
    earliest,
    values: form.values,
    errors: form.errors ?? {},
    errorList: form.errorList ?? [],
    canApproveDetails: staffCan(request, "bank_details:manage"),
  });
}

async function prepareRunFromForm(ctx: ContextOf, request: FastifyRequest, reply: FastifyReply) {
  const body = (request.body ?? {}) as Body;
  const date = formDate(body, "date", "the pay date", { required: true });
  try {
    const outcome = await prepareRun(ctx(request), { date: date.iso });
    return reply.redirect(`/payments/runs/${outcome.runId}?prepared=${outcome.made}`, 303);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    reply.code(400);
    // Too soon for Bacs: the earliest date that works, in words (the API and the command give it as YYYY-MM-DD).
    const fieldErrors =
      error instanceof PayDateTooEarlyError
        ? [
            {
              path: "date",
              message: `The pay date is too soon for a Bacs payment made today: choose ${dateInWords(error.earliest)} or later`,
            },
          ]
        : error.fieldErrors;
    return runsPage(ctx, request, reply, {
      values: dateFieldValues(body, "date"),
      ...errorView(withDateProblems(fieldErrors, { date }), () => "date", ["date"]),
    });
  }
}

type RunHold = Awaited<ReturnType<typeof getRun>>["held"][number];

/** A held payment, with who it is for and the page that fixes it. */
const heldView = (h: RunHold) => ({
  ...h,
  who: h.personName ?? h.payeeName ?? "A person whose record cannot be found",
  // The page that fixes the hold: add the person as a payee, or their bank details (a second person approves).
  fixHref:
    h.fix === "add_person_payee" && h.personId
      ? `/payees/new?personId=${h.personId}`
      : h.fix === "bank_details" && h.payeeId
        ? `/payees#payee-${h.payeeId}`
        : "/payees/new",
  fixText:
    h.fix === "bank_details" ? "Add or approve their bank details" : "Add them as a payee with bank details",
});

async function runPage(
  ctx: ContextOf,
  request: FastifyRequest,
  reply: FastifyReply,
  runId: string,
  redateForm: { reason: string; fieldErrors: FieldError[] } = { reason: "", fieldErrors: [] },
) {
  const c = ctx(request);
  const { run, payments, held } = await getRun(c, runId);
  const redating = await runRedating(c, runId);
  const q = request.query as Record<string, string | undefined>;
  return render(reply, "run.njk", {
    title: `Payment run ${run.runNo} for ${dateInWords(run.payDate)}`,
    run,
    redating,
    redateValues: { reason: redateForm.reason },
    ...errorView(redateForm.fieldErrors, (p) => (p === "reason" ? "reason" : "redate")),
    payments,
    held: held.map(heldView),
    prepared: q.prepared,
    done: q.done,
    me: scopeOf(request).actor.id,
    canApprove: staffCan(request, "payments:approve"),
  });
}

/** An approved run whose Bacs file was not sent in time: ask for it for a later pay date (redate.ts). */
async function proposeRedateFromForm(ctx: ContextOf, request: FastifyRequest, reply: FastifyReply) {
  const { runId } = request.params as { runId: string };
  const body = (request.body ?? {}) as Body;
  const reason = one(body, "reason");
  try {
    await proposeRedate(ctx(request), runId, { date: one(body, "date"), reason });
    return reply.redirect(`/payments/runs/${runId}?done=redate#redate`, 303);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    reply.code(400);
    return runPage(ctx, request, reply, runId, { reason, fieldErrors: error.fieldErrors });
  }
}

/** A different finance officer approves the later pay date. */
async function approveRedateFromForm(ctx: ContextOf, request: FastifyRequest, reply: FastifyReply) {
  const { runId, redateId } = request.params as { runId: string; redateId: string };
  await approveRedate(ctx(request), runId, redateId);
  return reply.redirect(`/payments/runs/${runId}?done=redate_approve`, 303);
}

async function decideRun(
  ctx: ContextOf,
  action: "review" | "approve",
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const { runId } = request.params as { runId: string };
  if (action === "review") await reviewRun(ctx(request), runId);
  else await approveRun(ctx(request), runId);
  return reply.redirect(`/payments/runs/${runId}?done=${action}`, 303);
}

async function downloadRunFile(
  ctx: ContextOf,
  file: "bacs18" | "finance.csv",
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const { runId } = request.params as { runId: string };
  const f = await runFile(ctx(request), runId, file === "bacs18" ? "bacs18" : "finance_csv");
  return reply
    .header("content-type", f.contentType)
    .header("content-disposition", `attachment; filename="${f.filename}"`)
    .send(f.body);
}

export async function runRoutes(app: FastifyInstance, deps: RouteDeps) {
  const ctx = serviceContextFor(deps);
  const run = { preHandler: requireStaff("payments:run") };
  const approve = { preHandler: requireStaff("payments:approve") };
  app.get("/payments", run, (request, reply) => runsPage(ctx, request, reply));
  app.post("/payments/runs", run, (request, reply) => prepareRunFromForm(ctx, request, reply));
  app.get("/payments/runs/:runId", run, (request, reply) =>
    runPage(ctx, request, reply, (request.params as { runId: string }).runId),
  );
  app.post("/payments/runs/:runId/redate", run, (request, reply) =>
    proposeRedateFromForm(ctx, request, reply),
  );
  app.post("/payments/runs/:runId/redate/:redateId/approve", approve, (request, reply) =>
    approveRedateFromForm(ctx, request, reply),
  );
  for (const action of ["review", "approve"] as const)
    app.post(`/payments/runs/:runId/${action}`, approve, (request, reply) =>
      decideRun(ctx, action, request, reply),
    );
  for (const file of ["bacs18", "finance.csv"] as const)
    app.get(`/payments/runs/:runId/files/${file}`, run, (request, reply) =>
      downloadRunFile(ctx, file, request, reply),
    );
}
