import { budgetIn } from "#/features/budgets/service.ts";
import type { Finding } from "#/features/dp-audits/findings.calc.ts";
import type * as repo from "#/features/dp-audits/repository.ts";
import type { AuditOutcome } from "#/features/dp-audits/schemas.ts";
import { raiseDeductionIn } from "#/features/payments/deductions.ts";
import { proposeDeploymentChangeIn } from "#/features/planning/service.ts";
import { proposeSurplusIn } from "#/features/spending/surplus.ts";
import { raiseTaskIn } from "#/features/tasks/service.ts";
import type { TxContext } from "#/platform/context.ts";
import { addDays } from "#/platform/dates/calendar.ts";
import { ConflictError, ValidationError } from "#/platform/errors.ts";
import { formatPounds, pence } from "#/platform/money/pence.ts";

/**
 * What each outcome of a direct-payment audit sets in motion, through the owning features, inside the decision's
 * transaction (REPORTING.md §3, §6.7: "repayment request due in 14 days, else deduct from future payments"):
 *  - a repayment request: its due date, from the council's settings;
 *  - a recovery of an amount the officer sets (at most what the findings evidence): spending proposes a surplus
 *    recovery for what the budget holds above the council's limit (two finance officers approve it before money
 *    moves), and payments takes the rest from the person's future direct payments (payments/deductions.ts);
 *  - a move to a managed account: planning starts a new draft version of the agreed plan with the direct-payment
 *    supports moved to a council-managed account, which goes through the council's usual approval, and the
 *    person's planners get a task linking to it.
 */

/** The money the flagged findings are about: the most a recovery may ask for. */
export const evidencedPence = (findings: readonly Finding[]) =>
  findings.filter((f) => f.severity === "flag").reduce((s, f) => s + f.atStakePence, 0);

const pounds = (p: number) => formatPounds(pence(p));

export type FollowUp = Partial<
  Pick<
    repo.AuditRow,
    | "repayment_due_on"
    | "recovery_id"
    | "recovery_pence"
    | "recovery_surplus_pence"
    | "deduction_id"
    | "task_id"
    | "proposed_plan_id"
    | "proposed_plan_version"
  >
>;

/** A recovery of `amountPence`: from the surplus where the budget holds it, the rest from future payments. */
export async function recoverIn(
  t: TxContext,
  row: Pick<repo.AuditRow, "audit_id" | "budget_id">,
  amountPence: number,
  atMostPence: number,
): Promise<FollowUp> {
  if (atMostPence <= 0) {
    const message = "The findings show no money to recover: choose another outcome";
    throw new ValidationError([{ path: "recoveryPence", message }], message);
  }
  if (amountPence > atMostPence) {
    const message = `Give an amount to recover of no more than ${pounds(atMostPence)}, the money the findings show`;
    throw new ValidationError([{ path: "recoveryPence", message }], message);
  }
  const budget = await budgetIn(t.tx, row.budget_id);
  if (budget.status !== "live")
    throw new ConflictError(
      "The budget has ended: recover the money through its end-of-budget debts instead",
    );
  const { recovery, alreadyOpen } = await proposeSurplusIn(t, row.budget_id, { atMostPence: amountPence });
  if (alreadyOpen)
    throw new ConflictError(
      `A surplus recovery of ${pounds(recovery!.amountPence)} from this budget is already waiting for approval: approve or reject it first, then decide this audit`,
    );
  const fromSurplus = recovery?.amountPence ?? 0;
  const rest = amountPence - fromSurplus;
  const deduction =
    rest > 0
      ? await raiseDeductionIn(t, {
          budget,
          amountPence: rest,
          source: { kind: "dp_audit", id: row.audit_id },
          reason: "Direct-payment audit: money to recover, taken from future direct payments",
        })
      : null;
  return {
    recovery_id: recovery?.recoveryId ?? null,
    recovery_pence: amountPence,
    recovery_surplus_pence: fromSurplus,
    deduction_id: deduction?.deductionId ?? null,
  };
}

async function moveToManagedAccountIn(t: TxContext, row: repo.AuditRow): Promise<FollowUp> {
  const budget = await budgetIn(t.tx, row.budget_id);
  const proposed = await proposeDeploymentChangeIn(t, {
    planId: budget.planId,
    from: "direct_payment",
    to: "council_managed",
    proposedBy: `a direct-payment audit (/dp-audits/${row.audit_id})`,
  });
  const link = `/plans/${proposed.planId}/versions/${proposed.version}`;
  const taskId = await raiseTaskIn(t, {
    kind: "audit_finding",
    title: `Direct-payment audit: check plan version ${proposed.version} (the direct payment moved to a managed account) and submit it for approval`,
    personId: row.person_id,
    forRoles: ["social_worker", "support_planner", "team_manager"],
    dueOn: t.today,
    link,
    source: { type: "dp_audit", id: row.audit_id },
  });
  return { task_id: taskId, proposed_plan_id: proposed.planId, proposed_plan_version: proposed.version };
}

export async function followUpIn(
  t: TxContext,
  row: repo.AuditRow,
  decision: { outcome: AuditOutcome; recoveryPence?: number | undefined },
  repaymentDays: number,
): Promise<FollowUp> {
  if (decision.outcome === "repayment_request") return { repayment_due_on: addDays(t.today, repaymentDays) };
  if (decision.outcome === "recovery")
    return recoverIn(t, row, decision.recoveryPence!, evidencedPence(findingsOf(row)));
  if (decision.outcome === "managed_account") return moveToManagedAccountIn(t, row);
  return {};
}

export const findingsOf = (row: Pick<repo.AuditRow, "findings">): Finding[] =>
  (typeof row.findings === "string" ? JSON.parse(row.findings) : row.findings) as Finding[];
