import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { AUDIT_OUTCOMES, decisionSchema, unpaidRecoverySchema } from "#/features/dp-audits/schemas.ts";
import {
  type AuditView,
  auditQueueOn,
  decideAudit,
  getAudit,
  openAudit,
  type QueueEntry,
  recoverUnpaidRepayment,
} from "#/features/dp-audits/service.ts";
import { ValidationError } from "#/platform/errors.ts";
import { apiRoute } from "#/platform/web/openapi.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";
import { DP_FINDING_KINDS } from "#/rules/dp-audit-types.ts";

/**
 * The direct-payment audit over `/api/v1` (issue 15): the finance officer's queue by risk, one audit with its
 * findings and evidence, opening an audit of a budget, recording its outcome, and turning an unpaid repayment
 * request into a recovery. Finance officers only
 * (dp_audits:manage, also a token scope). The same services as the pages and the CLI, so the same checks: a bad
 * decision is a 400 naming each field to fix, nothing written.
 */

const tag = "Direct-payment audits";

const evidence = z.object({
  kind: z.enum(["spend", "balance", "invoice", "last_evidence"]),
  id: z.string().nullable(),
  transferId: z.string().optional(),
  date: z.iso.date().nullable(),
  amountPence: z.number().int().nullable(),
  receiptIds: z.array(z.string()).optional(),
  text: z.string(),
});

const finding = z
  .object({
    kind: z.enum(DP_FINDING_KINDS),
    severity: z.enum(["flag", "warning"]),
    summary: z.string(),
    atStakePence: z.number().int().describe("The money the finding is about (0 where it is not about money)"),
    evidence: z.array(evidence),
  })
  .meta({ id: "DpAuditFinding" });

const due = z
  .object({
    kind: z.enum(["first_review", "annual"]),
    from: z.iso.date(),
    by: z.iso.date(),
    status: z.enum(["not_yet", "due", "overdue"]),
  })
  .nullable();

const queueEntry = z
  .object({
    budgetId: z.uuid(),
    personId: z.uuid(),
    personName: z.string(),
    reference: z.string(),
    riskScore: z.number().int(),
    atStakePence: z.number().int(),
    findings: z.array(finding),
    due,
    openAuditId: z.uuid().nullable(),
  })
  .meta({ id: "DpAuditQueueEntry" });

const auditResponse = z
  .object({
    auditId: z.uuid(),
    budgetId: z.uuid(),
    personId: z.uuid(),
    personName: z.string(),
    reference: z.string(),
    reason: z.enum(["risk", "first_review", "annual", "unpaid_repayment"]),
    openedOn: z.iso.date(),
    findings: z.array(finding),
    riskScore: z.number().int(),
    status: z.enum(["open", "decided"]),
    outcome: z.enum(AUDIT_OUTCOMES).nullable(),
    explanation: z.string().nullable(),
    note: z.string().nullable(),
    repaymentPence: z.number().int().nullable(),
    repaymentDueOn: z.iso.date().nullable(),
    recovery: z
      .object({
        amountPence: z.number().int(),
        fromSurplusPence: z
          .number()
          .int()
          .describe("Proposed as a surplus recovery, for two finance officers"),
        fromPaymentsPence: z.number().int().describe("Taken off the person's next direct payments"),
        takenPence: z.number().int().describe("Taken off payments so far"),
      })
      .nullable(),
    surplusRecoveryId: z.uuid().nullable(),
    followsAuditId: z.uuid().nullable(),
    proposedPlan: z
      .object({ planId: z.uuid(), version: z.number().int() })
      .nullable()
      .describe("A move to a managed account: the draft plan version it proposes, for the usual approval"),
    taskId: z.uuid().nullable(),
    decidedOn: z.iso.date().nullable(),
    reply: z.object({ text: z.string(), byKind: z.string(), at: z.iso.datetime() }).nullable(),
  })
  .meta({ id: "DpAudit" });

const entryJson = (e: QueueEntry) => ({
  budgetId: e.budgetId,
  personId: e.personId,
  personName: e.personName,
  reference: e.reference,
  riskScore: e.riskScore,
  atStakePence: e.atStakePence,
  findings: e.findings,
  due: e.due,
  openAuditId: e.openAuditId,
});

const auditJson = (a: AuditView) => ({
  auditId: a.auditId,
  budgetId: a.budgetId,
  personId: a.personId,
  personName: a.personName,
  reference: a.reference,
  reason: a.reason,
  openedOn: a.openedOn,
  findings: a.findings,
  riskScore: a.riskScore,
  status: a.status,
  outcome: a.outcome,
  explanation: a.explanation,
  note: a.note,
  repaymentPence: a.repaymentPence,
  repaymentDueOn: a.repaymentDueOn,
  recovery: a.recovery
    ? {
        amountPence: a.recovery.amountPence,
        fromSurplusPence: a.recovery.fromSurplusPence,
        fromPaymentsPence: a.recovery.fromPaymentsPence,
        takenPence: a.recovery.deduction?.takenPence ?? 0,
      }
    : null,
  surplusRecoveryId: a.recoveryId,
  followsAuditId: a.followsAuditId,
  proposedPlan: a.proposedPlan,
  taskId: a.taskId,
  decidedOn: a.decidedOn,
  reply: a.reply ? { text: a.reply.text, byKind: a.reply.byKind, at: a.reply.at.toISOString() } : null,
});

function auditIdParam(value: string | undefined): string {
  if (!value || !z.uuid().safeParse(value).success)
    throw new ValidationError(
      [{ path: "auditId", message: "The auditId must be a UUID" }],
      "The path is not valid",
    );
  return value;
}

export async function dpAuditsApi(app: FastifyInstance, deps: RouteDeps) {
  const ctx = serviceContextFor(deps);
  const common = { tag, auth: "staff", permission: "dp_audits:manage" } as const;

  apiRoute(
    app,
    deps.api,
    {
      ...common,
      method: "GET",
      path: "/dp-audits",
      operationId: "dpAuditQueue",
      summary:
        "The audit queue today: budgets with something flagged (highest risk first), budgets whose first review or annual audit is due, and repayment requests past their due date",
      response: z.object({
        flagged: z.array(queueEntry),
        routineDue: z.array(queueEntry),
        repaymentsOverdue: z.array(auditResponse),
      }),
    },
    async ({ request }) => {
      const queue = await auditQueueOn(ctx(request));
      return {
        flagged: queue.flagged.map(entryJson),
        routineDue: queue.routineDue.map(entryJson),
        repaymentsOverdue: queue.repaymentsOverdue.map(auditJson),
      };
    },
  );

  apiRoute(
    app,
    deps.api,
    {
      ...common,
      method: "POST",
      path: "/dp-audits",
      operationId: "openDpAudit",
      summary:
        "Open an audit of a live direct-payment budget with its findings as they stand today (the one already open is returned)",
      body: z.strictObject({ budgetId: z.uuid({ error: "Give the budget as its id" }) }),
      response: auditResponse,
      successStatus: 201,
      problems: { 409: "The budget is not a live direct payment" },
    },
    async ({ request, body }) => {
      const c = ctx(request);
      const { auditId } = await openAudit(c, body);
      return auditJson(await getAudit(c, auditId));
    },
  );

  apiRoute(
    app,
    deps.api,
    {
      ...common,
      method: "GET",
      path: "/dp-audits/:auditId",
      operationId: "getDpAudit",
      summary: "One audit: its findings with their evidence, and its outcome once decided",
      response: auditResponse,
    },
    async ({ request, params }) => auditJson(await getAudit(ctx(request), auditIdParam(params.auditId))),
  );

  apiRoute(
    app,
    deps.api,
    {
      ...common,
      method: "POST",
      path: "/dp-audits/:auditId/decision",
      operationId: "decideDpAudit",
      summary:
        "Record the outcome of an open audit, once: a repayment request (repaymentPence, due in the council's days), a recovery (recoveryPence, at most what the findings show: from the surplus, the rest off future payments), advice or a move to a managed account (with a note), or no action",
      body: decisionSchema,
      response: auditResponse,
      problems: {
        400: "A field to fix: the outcome, an amount missing or more than the findings show, a note missing",
        409: "The audit was already decided, or what follows cannot be done (a surplus recovery already waiting, a plan version already open)",
      },
    },
    async ({ request, params, body }) =>
      auditJson(await decideAudit(ctx(request), auditIdParam(params.auditId), body)),
  );

  apiRoute(
    app,
    deps.api,
    {
      ...common,
      method: "POST",
      path: "/dp-audits/:auditId/recover-unpaid",
      operationId: "recoverUnpaidDpRepayment",
      summary:
        "Turn a repayment request not paid by its due date into a recovery (once): a follow-up audit decided as a recovery of the request's amount, or recoveryPence if less — from the surplus, the rest off future payments",
      body: unpaidRecoverySchema,
      response: auditResponse,
      successStatus: 201,
      problems: {
        400: "recoveryPence is not whole pence above 0, or is more than was asked for",
        409: "Not a repayment request, not overdue yet, already recovered, or another audit of the budget is open",
      },
    },
    async ({ request, params, body }) =>
      auditJson(await recoverUnpaidRepayment(ctx(request), auditIdParam(params.auditId), body)),
  );
}
