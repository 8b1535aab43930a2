import { z } from "zod";
import { authoriseIn } from "#/features/accounts/service.ts";
import { budgetIn, type PersonalBudget } from "#/features/budgets/service.ts";
import {
  budgetFactsIn,
  budgetFactsOfAllIn,
  directPaymentBudgetsIn,
  isDirectPayment,
} from "#/features/dp-audits/facts.ts";
import {
  auditBudget,
  auditQueue,
  type BudgetAudit,
  type Finding,
  isFlagged,
} from "#/features/dp-audits/findings.calc.ts";
import { findingsOf, followUpIn, recoverIn } from "#/features/dp-audits/outcomes.ts";
import * as repo from "#/features/dp-audits/repository.ts";
import { type AuditDue, auditDue } from "#/features/dp-audits/schedule.calc.ts";
import {
  type AuditOutcome,
  decisionSchema,
  replySchema,
  unpaidRecoverySchema,
} from "#/features/dp-audits/schemas.ts";
import { auditSettingsIn } from "#/features/dp-audits/settings.ts";
import { type DeductionView, deductionIn } from "#/features/payments/deductions.ts";
import { findPersonRows } from "#/features/people/service.ts";
import { audit } from "#/platform/audit/audit.ts";
import { actorRef, inTenant, type ServiceContext, type TxContext } from "#/platform/context.ts";
import { dateInWords } from "#/platform/date-words.calc.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import { ConflictError, NotFoundError, ValidationError } from "#/platform/errors.ts";
import { formatPounds, pence } from "#/platform/money/pence.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";

/**
 * The direct-payment audit as use cases (issue 15). The queue is worked out, never stored: every live budget that
 * pays a direct payment, its facts read through the owners a page of budgets at a time (facts.ts), its findings
 * and risk from findings.calc.ts, and when its next audit is due from schedule.calc.ts. Opening an audit stores the
 * findings as they stood that day; deciding it records the outcome once, with what follows through the owning
 * features (outcomes.ts: a recovery from the surplus and future payments, a draft plan version moving the direct
 * payment to a managed account), in one transaction with its audit event. A repayment request not paid by its due
 * date is turned into a recovery the same way. The person then sees advice, a repayment request or a recovery at
 * /my, and may reply once to the first two.
 */

export type QueueEntry = BudgetAudit & {
  personName: string;
  reference: string;
  due: AuditDue | null;
  openAuditId: string | null;
};

export type AuditQueue = {
  /** Budgets with something flagged, highest risk first. */
  flagged: QueueEntry[];
  /** Budgets with nothing flagged whose first review or annual audit is due or overdue. */
  routineDue: QueueEntry[];
  /**
   * Repayment requests past their due date not yet followed up: St Helens reduces future payments then; here the
   * officer turns the request into a recovery (recoverUnpaidRepayment; REPORTING.md §3, §6.7).
   */
  repaymentsOverdue: AuditView[];
};

/** Each direct-payment budget's audit, its due date and any audit already open, on a date. */
async function budgetAuditsIn(t: TxContext, date: string, pageSize?: number) {
  const { settings, rules } = await auditSettingsIn(t, date);
  const budgets = await directPaymentBudgetsIn(t, date);
  const facts = await budgetFactsOfAllIn(t, budgets, pageSize);
  const byBudget = new Map<string, repo.AuditRow[]>();
  for (const a of await repo.audits(t.tx))
    byBudget.set(a.budget_id, [...(byBudget.get(a.budget_id) ?? []), a]);
  const people = await findPersonRows(
    t,
    budgets.map((b) => b.personId),
  );
  return budgets.map((budget, i): QueueEntry => {
    const result = auditBudget(facts[i]!, settings, rules.riskWeights, date);
    const mine = byBudget.get(budget.budgetId) ?? [];
    const lastClosed = mine.find((a) => a.status === "decided")?.decided_on ?? null;
    const person = people.get(budget.personId);
    return {
      ...result,
      personName: person ? `${person.given_name} ${person.family_name}` : "",
      reference: person?.reference ?? "",
      due: auditDue(
        { firstPaymentDate: budget.firstPaymentDate, lastAuditClosedOn: lastClosed },
        settings,
        date,
      ),
      openAuditId: mine.find((a) => a.status === "open")?.audit_id ?? null,
    };
  });
}

/** The finance officer's queue on a date; it names people, so it is audited as a view of whom it listed. */
export async function auditQueueOn(
  ctx: ServiceContext,
  date: string = ctx.today,
  options: { pageSize?: number } = {},
): Promise<AuditQueue> {
  return inTenant(ctx, async (t) => {
    const entries = await budgetAuditsIn(t, date, options.pageSize);
    const flagged = auditQueue(entries);
    const routineDue = entries
      .filter((e) => !isFlagged(e) && e.due !== null && e.due.status !== "not_yet")
      .sort((a, b) => (a.due!.by < b.due!.by ? -1 : a.due!.by > b.due!.by ? 1 : 0));
    const all = await repo.audits(t.tx);
    const followedUp = new Set(all.flatMap((a) => (a.follows_audit_id ? [a.follows_audit_id] : [])));
    const overdueRows = all.filter(
      (a) =>
        a.outcome === "repayment_request" &&
        a.repayment_due_on !== null &&
        a.repayment_due_on < date &&
        !followedUp.has(a.audit_id),
    );
    const people = await findPersonRows(
      t,
      overdueRows.map((r) => r.person_id),
    );
    const repaymentsOverdue = overdueRows.map((r) => toView(r, people.get(r.person_id)));
    await audit(t.tx, {
      action: "view",
      recordType: "dp_audit_queue",
      recordId: t.tx.scope.tenantId,
      changes: {
        date,
        budgetIds: [...flagged, ...routineDue].map((e) => e.budgetId),
        auditIds: repaymentsOverdue.map((a) => a.auditId),
      },
    });
    return { flagged, routineDue, repaymentsOverdue };
  });
}

// ---- one audit -------------------------------------------------------------------------------------------------

export type AuditView = {
  auditId: string;
  budgetId: string;
  personId: string;
  personName: string;
  reference: string;
  reason: repo.AuditRow["reason"];
  openedOn: string;
  findings: Finding[];
  riskScore: number;
  status: repo.AuditRow["status"];
  outcome: AuditOutcome | null;
  explanation: string | null;
  note: string | null;
  repaymentPence: number | null;
  repaymentDueOn: string | null;
  recoveryId: string | null;
  /** A recovery: the amount, what the surplus recovery covers, and the rest taken from future payments. */
  recovery: {
    amountPence: number;
    fromSurplusPence: number;
    fromPaymentsPence: number;
    deduction: DeductionView | null;
  } | null;
  followsAuditId: string | null;
  /** A repayment request turned into a recovery: the follow-up audit's id. */
  followedUpBy: string | null;
  /** A move to a managed account: the draft plan version it proposes. */
  proposedPlan: { planId: string; version: number } | null;
  taskId: string | null;
  decidedOn: string | null;
  reply: { text: string; byKind: string; byName: string; at: Date } | null;
};

function toView(
  row: repo.AuditRow,
  person?: { given_name: string; family_name: string; reference: string },
  deduction: DeductionView | null = null,
  followedUpBy: string | null = null,
) {
  const findings = findingsOf(row);
  return {
    auditId: row.audit_id,
    budgetId: row.budget_id,
    personId: row.person_id,
    personName: person ? `${person.given_name} ${person.family_name}` : "",
    reference: person?.reference ?? "",
    reason: row.reason,
    openedOn: row.opened_on,
    findings,
    riskScore: row.risk_score,
    status: row.status,
    outcome: row.outcome,
    explanation: row.explanation,
    note: row.note,
    repaymentPence: row.repayment_pence === null ? null : Number(row.repayment_pence),
    repaymentDueOn: row.repayment_due_on,
    recoveryId: row.recovery_id,
    recovery:
      row.recovery_pence === null
        ? null
        : {
            amountPence: row.recovery_pence,
            fromSurplusPence: row.recovery_surplus_pence ?? 0,
            fromPaymentsPence: row.recovery_pence - (row.recovery_surplus_pence ?? 0),
            deduction,
          },
    followsAuditId: row.follows_audit_id,
    followedUpBy,
    proposedPlan:
      row.proposed_plan_id !== null && row.proposed_plan_version !== null
        ? { planId: row.proposed_plan_id, version: row.proposed_plan_version }
        : null,
    taskId: row.task_id,
    decidedOn: row.decided_on,
    reply:
      row.person_reply !== null && row.replied_at !== null
        ? {
            text: row.person_reply,
            byKind: row.replied_by_kind ?? "person",
            byName: row.replied_by_name ?? "",
            at: row.replied_at,
          }
        : null,
  } satisfies AuditView;
}

const idSchema = z.uuid({ error: "Give the budget as its id" });

/**
 * Opens an audit of a live direct-payment budget with its findings as they stand today, or returns the one
 * already open. Audited.
 */
export async function openAudit(
  ctx: ServiceContext,
  input: { budgetId?: unknown },
): Promise<{ auditId: string }> {
  const budgetId = idSchema.safeParse(input.budgetId);
  if (!budgetId.success)
    throw new ValidationError([{ path: "budgetId", message: "Choose a budget to audit" }]);
  return inTenant(ctx, async (t) => {
    const budget: PersonalBudget = await budgetIn(t.tx, budgetId.data);
    if (budget.status !== "live" || !isDirectPayment(budget))
      throw new ConflictError("Only a live budget paid as a direct payment can be audited");
    const open = await repo.openAuditOf(t.tx, budget.budgetId);
    if (open) return { auditId: open.audit_id };
    const { settings, rules, version } = await auditSettingsIn(t, t.today);
    const result = auditBudget(await budgetFactsIn(t, budget), settings, rules.riskWeights, t.today);
    const previous = (await repo.audits(t.tx, { personId: budget.personId })).filter(
      (a) => a.budget_id === budget.budgetId && a.status === "decided",
    );
    const auditId = uuidv7();
    const reason = isFlagged(result) ? "risk" : previous.length === 0 ? "first_review" : "annual";
    await repo.insertAudit(t.tx, {
      audit_id: auditId,
      budget_id: budget.budgetId,
      person_id: budget.personId,
      reason,
      opened_on: t.today,
      opened_by: actorRef(t.tx.scope.actor),
      settings_version: version?.version ?? null,
      findings: result.findings,
      risk_score: result.riskScore,
      status: "open",
    });
    await audit(t.tx, {
      action: "dp_audit.open",
      recordType: "dp_audit",
      recordId: auditId,
      changes: {
        budgetId: budget.budgetId,
        reason,
        riskScore: result.riskScore,
        kinds: result.findings.map((f) => f.kind),
      },
    });
    return { auditId };
  });
}

async function viewIn(t: TxContext, row: repo.AuditRow): Promise<AuditView> {
  const people = await findPersonRows(t, [row.person_id]);
  const deduction = row.deduction_id ? ((await deductionIn(t, row.deduction_id)) ?? null) : null;
  const followUp =
    row.outcome === "repayment_request" ? await repo.followUpOf(t.tx, row.audit_id) : undefined;
  return toView(row, people.get(row.person_id), deduction, followUp?.audit_id ?? null);
}

/** One audit for staff; audited as a view. */
export async function getAudit(ctx: ServiceContext, auditId: string): Promise<AuditView> {
  if (!z.uuid().safeParse(auditId).success) throw new NotFoundError("The audit");
  return inTenant(ctx, async (t) => {
    const row = await repo.findAudit(t.tx, auditId);
    if (!row) throw new NotFoundError("The audit");
    await audit(t.tx, { action: "view", recordType: "dp_audit", recordId: auditId });
    return viewIn(t, row);
  });
}

/**
 * Records the outcome of an open audit, once: checked first, then written with what follows (a repayment due
 * date from the council's settings, a surplus recovery proposed through spending, a task for the planners) and
 * its audit event, in one transaction.
 */
export async function decideAudit(ctx: ServiceContext, auditId: string, input: unknown): Promise<AuditView> {
  const parsed = decisionSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(fieldErrorsFrom(parsed.error), "The audit was not decided");
  const d = parsed.data;
  if (!z.uuid().safeParse(auditId).success) throw new NotFoundError("The audit");
  return inTenant(ctx, async (t) => {
    const row = await repo.findAudit(t.tx, auditId, { forUpdate: true });
    if (!row) throw new NotFoundError("The audit");
    if (row.status !== "open")
      throw new ConflictError("This audit has already been decided, so nothing has changed");
    const { settings } = await auditSettingsIn(t, t.today);
    const extra = await followUpIn(t, row, d, settings.repaymentDays);
    const updated = await repo.updateAudit(t.tx, auditId, {
      status: "decided",
      outcome: d.outcome,
      explanation: d.explanation || null,
      note: d.note || null,
      repayment_pence: d.repaymentPence ?? null,
      decided_by: actorRef(t.tx.scope.actor),
      decided_on: t.today,
      decided_at: new Date(),
      ...extra,
    });
    await audit(t.tx, {
      action: "dp_audit.decide",
      recordType: "dp_audit",
      recordId: auditId,
      changes: {
        outcome: d.outcome,
        repaymentPence: d.repaymentPence ?? null,
        recoveryPence: d.recoveryPence ?? null,
        ...extra,
      },
    });
    return viewIn(t, updated);
  });
}

/**
 * A repayment request not paid by its due date, turned into a recovery (St Helens: "otherwise future payments are
 * reduced"): a follow-up audit of the budget, with the request's findings, decided at once as a recovery of the
 * request's amount (or less) through the same paths as any recovery. Once per request; refused before the due
 * date, or while another audit of the budget is open. Checked first, then written in one transaction.
 */
export async function recoverUnpaidRepayment(
  ctx: ServiceContext,
  auditId: string,
  input: unknown,
): Promise<AuditView> {
  const parsed = unpaidRecoverySchema.safeParse(input ?? {});
  if (!parsed.success)
    throw new ValidationError(fieldErrorsFrom(parsed.error), "The recovery was not recorded");
  if (!z.uuid().safeParse(auditId).success) throw new NotFoundError("The audit");
  return inTenant(ctx, async (t) => {
    const request = await repo.findAudit(t.tx, auditId, { forUpdate: true });
    if (!request) throw new NotFoundError("The audit");
    if (request.outcome !== "repayment_request" || request.repayment_pence === null)
      throw new ConflictError("Only a repayment request can be turned into a recovery");
    if (request.repayment_due_on === null || request.repayment_due_on >= t.today)
      throw new ConflictError(
        `The repayment is not overdue yet: it is due by ${dateInWords(request.repayment_due_on ?? t.today)}`,
      );
    if (
      (await repo.audits(t.tx, { personId: request.person_id })).some((a) => a.follows_audit_id === auditId)
    )
      throw new ConflictError("This repayment request has already been turned into a recovery");
    if (await repo.openAuditOf(t.tx, request.budget_id))
      throw new ConflictError("An audit of this budget is open: decide the recovery there");
    const amount = parsed.data.recoveryPence ?? Number(request.repayment_pence);
    const followUpId = uuidv7();
    await repo.insertAudit(t.tx, {
      audit_id: followUpId,
      budget_id: request.budget_id,
      person_id: request.person_id,
      reason: "unpaid_repayment",
      follows_audit_id: auditId,
      opened_on: t.today,
      opened_by: actorRef(t.tx.scope.actor),
      settings_version: request.settings_version,
      findings: findingsOf(request),
      risk_score: request.risk_score,
      status: "open",
    });
    const extra = await recoverIn(
      t,
      { audit_id: followUpId, budget_id: request.budget_id },
      amount,
      Number(request.repayment_pence),
    );
    const updated = await repo.updateAudit(t.tx, followUpId, {
      status: "decided",
      outcome: "recovery",
      note:
        parsed.data.note ||
        `The repayment of ${formatPounds(pence(Number(request.repayment_pence)))} asked for on ${dateInWords(request.decided_on ?? request.opened_on)} was not paid by ${dateInWords(request.repayment_due_on)}.`,
      decided_by: actorRef(t.tx.scope.actor),
      decided_on: t.today,
      decided_at: new Date(),
      ...extra,
    });
    await audit(t.tx, {
      action: "dp_audit.recover_unpaid",
      recordType: "dp_audit",
      recordId: followUpId,
      changes: { followsAuditId: auditId, recoveryPence: amount, ...extra },
    });
    return viewIn(t, updated);
  });
}

// ---- the person's side (/my) -----------------------------------------------------------------------------------

/**
 * What the person is told: audits decided with advice, a repayment request, or a recovery with its amount and how
 * it is taken (the caller checks who may see).
 */
export async function auditRequestsForPersonIn(t: TxContext, personId: string): Promise<AuditView[]> {
  const rows = (await repo.audits(t.tx, { personId })).filter(
    (r) =>
      r.outcome === "advice" ||
      r.outcome === "repayment_request" ||
      (r.outcome === "recovery" && r.recovery_pence !== null),
  );
  return Promise.all(rows.map((r) => viewIn(t, r)));
}

/** The person's (or representative's) one reply to advice or a repayment request; audited. */
export async function replyToAuditIn(
  t: TxContext,
  personId: string,
  auditId: string,
  input: unknown,
  by: { kind: "person" | "representative"; name: string },
): Promise<AuditView> {
  const parsed = replySchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(fieldErrorsFrom(parsed.error), "Your reply was not sent");
  if (!z.uuid().safeParse(auditId).success) throw new NotFoundError("The request");
  const row = await repo.findAudit(t.tx, auditId, { forUpdate: true });
  if (!row || row.person_id !== personId || (row.outcome !== "advice" && row.outcome !== "repayment_request"))
    throw new NotFoundError("The request");
  if (row.person_reply !== null) throw new ConflictError("You have already replied to this");
  const updated = await repo.updateAudit(t.tx, auditId, {
    person_reply: parsed.data.reply,
    replied_by_kind: by.kind,
    replied_by_name: by.name,
    replied_at: new Date(),
  });
  await audit(t.tx, {
    action: "dp_audit.reply",
    recordType: "dp_audit",
    recordId: auditId,
    changes: { by: by.kind },
  });
  return viewIn(t, updated);
}

/** The person's (or a representative's) view of their audit requests at /my: checked by accounts, audited. */
export async function auditRequestsForPortal(ctx: ServiceContext, personId: string): Promise<AuditView[]> {
  return inTenant(ctx, async (t) => {
    await authoriseIn(t, personId, "view");
    const found = await auditRequestsForPersonIn(t, personId);
    await audit(t.tx, { action: "view", recordType: "dp_audit_requests", recordId: personId });
    return found;
  });
}

/**
 * The reply from /my: the person, or a representative who may manage their money (a repayment is about money).
 * Checked by accounts first; anyone else gets "not found".
 */
export async function replyToAuditForPortal(
  ctx: ServiceContext,
  personId: string,
  auditId: string,
  input: unknown,
): Promise<AuditView> {
  return inTenant(ctx, async (t) => {
    const access = await authoriseIn(t, personId, "manage_money");
    const actor = t.tx.scope.actor;
    return replyToAuditIn(t, personId, auditId, input, {
      kind: access.as === "self" ? "person" : "representative",
      name: actor.name ?? actorRef(actor),
    });
  });
}
