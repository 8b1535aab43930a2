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
import * as repo from "#/features/dp-audits/repository.ts";
import { type AuditDue, auditDue } from "#/features/dp-audits/schedule.calc.ts";
import { type AuditOutcome, decisionSchema, replySchema } from "#/features/dp-audits/schemas.ts";
import { auditSettingsIn } from "#/features/dp-audits/settings.ts";
import { findPersonRows } from "#/features/people/service.ts";
import { proposeSurplusIn } from "#/features/spending/surplus.ts";
import { raiseTaskIn } from "#/features/tasks/service.ts";
import { audit } from "#/platform/audit/audit.ts";
import { actorRef, inTenant, type ServiceContext, type TxContext } from "#/platform/context.ts";
import { addDays } from "#/platform/dates/calendar.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import { ConflictError, NotFoundError, ValidationError } from "#/platform/errors.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";

/**
 * The direct-payment audit as use cases (issue 15). The queue is worked out, never stored: every live budget that
 * pays a direct payment, its facts read through the owners, its findings and risk from findings.calc.ts, and
 * when its next audit is due from schedule.calc.ts. Opening an audit stores the findings as they stood that day;
 * deciding it records the outcome once, with what follows through the owning features (a surplus recovery
 * proposed by spending, a task for the planner), in one transaction with its audit event. The person then sees
 * advice or a repayment request at /my and may reply once.
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
   * Repayment requests past their due date with no reply saying it was paid: St Helens reduces future payments
   * then; here the officer opens a new audit of the budget and decides a recovery (REPORTING.md §3, §6.7).
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
    const overdueRows = (await repo.audits(t.tx)).filter(
      (a) => a.outcome === "repayment_request" && a.repayment_due_on !== null && a.repayment_due_on < date,
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
  taskId: string | null;
  decidedOn: string | null;
  reply: { text: string; byKind: string; byName: string; at: Date } | null;
};

function toView(row: repo.AuditRow, person?: { given_name: string; family_name: string; reference: string }) {
  const findings = (typeof row.findings === "string" ? JSON.parse(row.findings) : row.findings) as Finding[];
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
  return toView(row, people.get(row.person_id));
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

/** What each outcome sets in motion through its owning feature, inside the decision's transaction. */
async function followUp(t: TxContext, row: repo.AuditRow, outcome: AuditOutcome, repaymentDays: number) {
  if (outcome === "repayment_request") return { repayment_due_on: addDays(t.today, repaymentDays) };
  if (outcome === "recovery") {
    const { proposal, recovery } = await proposeSurplusIn(t, row.budget_id);
    if (!recovery) {
      const message = `The budget holds no surplus above the council's limit to recover (${proposal.explanation.at(-1) ?? ""}): ask the person to repay instead`;
      throw new ValidationError([{ path: "outcome", message }], message);
    }
    return { recovery_id: recovery.recoveryId };
  }
  if (outcome === "managed_account") {
    // Upfront has no path that changes a budget's deployment outside a new plan version, so the decision goes to
    // the person's planners as a task: they change the plan, which the council approves as usual.
    const taskId = await raiseTaskIn(t, {
      kind: "audit_finding",
      title: "Direct-payment audit: move the direct payment to a managed account (change the plan)",
      personId: row.person_id,
      forRoles: ["social_worker", "support_planner", "team_manager"],
      dueOn: t.today,
      link: `/dp-audits/${row.audit_id}`,
      source: { type: "dp_audit", id: row.audit_id },
    });
    return { task_id: taskId };
  }
  return {};
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
    const extra = await followUp(t, row, d.outcome, settings.repaymentDays);
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
      changes: { outcome: d.outcome, repaymentPence: d.repaymentPence ?? null, ...extra },
    });
    return viewIn(t, updated);
  });
}

// ---- the person's side (/my) -----------------------------------------------------------------------------------

/** What the person is told: audits decided with advice or a repayment request (the caller checks who may see). */
export async function auditRequestsForPersonIn(t: TxContext, personId: string): Promise<AuditView[]> {
  const rows = (await repo.audits(t.tx, { personId })).filter(
    (r) => r.outcome === "advice" || r.outcome === "repayment_request",
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
