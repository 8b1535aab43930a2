import type { UnfundedLine } from "#/features/funding/apportion.calc.ts";
import { type BudgetFit, formatBasisPoints, type PlanProblem } from "#/features/planning/plan.calc.ts";
import type {
  AllocationOverridePolicy,
  AllocationOverrideRequest,
  ApprovalThresholds,
  ApproverLevel,
  DelegatedAuthority,
} from "#/features/planning/schemas.ts";
import { formatPounds, type Pence, pence, roundedDivide } from "#/platform/money/pence.ts";

/**
 * Proportionate sign-off. Pure: the plan's facts, the council's scheme of delegated authority and the person
 * trying to approve in; who must approve, and whether this person may, with reasons, out.
 *
 * Who must approve (`requiredApprover`): the council lists approver levels from lowest to highest (e.g. social
 * worker → team manager → funding panel). The first level approves any plan no higher level is needed for. A
 * higher level is needed when any of its thresholds is passed — every threshold is strictly "more than":
 *   - the plan's weekly cost;
 *   - how far the weekly cost is over the indicative allocation, in pence;
 *   - how far over, as a percentage of the allocation (over a £0 allocation counts as over every percentage);
 *   - the plan's one-off costs in total.
 * The highest level whose threshold is passed is the one required. And whatever the thresholds say, a plan over
 * the indicative allocation needs at least the second level (Upfront issue 5: over the allocation "routes to a
 * higher approver"). Anyone at the required level or above may approve.
 *
 * Who may approve (`checkApproval`), every refusal collected, none short-circuited:
 *   - only the latest version: a version replaced by a later one is never approved (issue 5);
 *   - only a plan submitted for approval (a draft is not ready; an approved plan is never changed);
 *   - maker-checker: nobody approves a version they wrote or edited (issue 5);
 *   - the approver's roles reach the required level;
 *   - the plan is ready (readiness errors, e.g. no contingency, over the allocation without a reason);
 *   - no part of the plan is unfunded (issue 5: the plan says so before approval).
 *
 * Returning a plan (`checkReturn`): any approver may return the latest submitted version, with at least one reason.
 *
 * Allocation overrides (`decideAllocationOverride`): staff may change an indicative allocation with a reason; a
 * change (up or down) of more than the council's threshold, in pence or as a percentage of the allocation, needs
 * an approver, who is never the person who asked for it.
 */

export type RequiredApprover = {
  readonly levelIndex: number;
  readonly level: ApproverLevel;
  /** Staff with any of these roles may approve: the required level's roles and every higher level's. */
  readonly roles: readonly string[];
  /** Why this level, in plain English. */
  readonly reasons: readonly string[];
};

/** Which of a level's thresholds the plan passes, in plain English. */
function passedThresholds(fit: BudgetFit, t: ApprovalThresholds): string[] {
  const passed: string[] = [];
  if (t.weeklyPenceAbove !== undefined && fit.plannedWeeklyPence > t.weeklyPenceAbove) {
    passed.push(
      `it costs ${formatPounds(fit.plannedWeeklyPence)} a week, more than ${formatPounds(pence(t.weeklyPenceAbove))}`,
    );
  }
  if (t.overAllocationPenceAbove !== undefined && fit.overByWeeklyPence > t.overAllocationPenceAbove) {
    passed.push(
      `it is ${formatPounds(fit.overByWeeklyPence)} a week over the indicative budget, more than ${formatPounds(pence(t.overAllocationPenceAbove))}`,
    );
  }
  if (t.overAllocationPercentAbove !== undefined && fit.position === "over") {
    const limit = Math.round(t.overAllocationPercentAbove * 100);
    if (fit.overByBasisPoints === null || fit.overByBasisPoints > limit) {
      passed.push(
        fit.overByBasisPoints === null
          ? `it is over an indicative budget of £0.00, more than ${formatBasisPoints(limit)} over`
          : `it is ${formatBasisPoints(fit.overByBasisPoints)} over the indicative budget, more than ${formatBasisPoints(limit)}`,
      );
    }
  }
  if (t.oneOffPenceAbove !== undefined && fit.oneOffPence > t.oneOffPenceAbove) {
    passed.push(
      `its one-off costs are ${formatPounds(fit.oneOffPence)}, more than ${formatPounds(pence(t.oneOffPenceAbove))}`,
    );
  }
  return passed;
}

export function requiredApprover(fit: BudgetFit, authority: DelegatedAuthority): RequiredApprover {
  const levels = authority.levels;
  if (levels.length === 0) throw new RangeError("A scheme of delegated authority needs at least one level");
  let index = 0;
  const reasons: string[] = [];
  levels.forEach((level, i) => {
    if (i === 0 || level.requiredWhen === undefined) return;
    const passed = passedThresholds(fit, level.requiredWhen);
    if (passed.length > 0) {
      index = i;
      reasons.push(`${level.label} approval is needed: ${passed.join("; ")}.`);
    }
  });
  if (fit.position === "over") {
    if (levels.length > 1) {
      if (index < 1) index = 1;
      reasons.push(
        `The plan costs more than the indicative budget, so it needs a higher approver than ${levels[0]!.label}: at least ${levels[1]!.label}.`,
      );
    } else {
      reasons.push(
        "The plan costs more than the indicative budget; the council has only one approver level.",
      );
    }
  }
  if (reasons.length === 0) {
    reasons.push(
      `The plan is within the indicative budget and below every threshold, so ${levels[0]!.label} approval is enough.`,
    );
  }
  const level = levels[index]!;
  const roles = [...new Set(levels.slice(index).flatMap((l) => l.roles))];
  return { levelIndex: index, level, roles, reasons };
}

/** The highest level any of the person's roles acts at; null when none does. */
export function approverLevelOf(roles: readonly string[], authority: DelegatedAuthority): number | null {
  let found: number | null = null;
  authority.levels.forEach((level, i) => {
    if (level.roles.some((r) => roles.includes(r))) found = i;
  });
  return found;
}

export const PLAN_STATUSES = ["draft", "submitted", "approved", "returned", "superseded"] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export type PlanVersionState = {
  readonly version: number;
  /** The newest version of this plan that exists. */
  readonly latestVersion: number;
  readonly status: PlanStatus;
  /** Everyone who wrote or edited this version (the service includes whoever created it). */
  readonly editorIds: readonly string[];
};

export type ApprovalRefusalCode =
  | "superseded"
  | "not_submitted"
  | "already_approved"
  | "own_plan"
  | "not_authorised"
  | "not_ready"
  | "unfunded";

export type ApprovalRefusal = { readonly code: ApprovalRefusalCode; readonly message: string };

export type ApprovalRequest = {
  readonly plan: PlanVersionState;
  readonly fit: BudgetFit;
  /** From plan.calc.ts `readinessProblems`; errors stop approval, warnings do not. */
  readonly readiness: readonly PlanProblem[];
  /** From the apportionment: parts of the plan no funding stream pays for. */
  readonly unfunded: readonly UnfundedLine[];
  readonly approver: { readonly userId: string; readonly roles: readonly string[] };
  readonly authority: DelegatedAuthority;
};

export type ApprovalDecision = {
  readonly allowed: boolean;
  readonly required: RequiredApprover;
  readonly approverLevelIndex: number | null;
  readonly refusals: readonly ApprovalRefusal[];
};

export function checkApproval(request: ApprovalRequest): ApprovalDecision {
  const { plan, approver, authority } = request;
  const required = requiredApprover(request.fit, authority);
  const approverLevelIndex = approverLevelOf(approver.roles, authority);
  const refusals: ApprovalRefusal[] = [];

  if (plan.status === "superseded" || plan.version < plan.latestVersion) {
    refusals.push({
      code: "superseded",
      message: `Version ${plan.version} of this plan has been replaced by version ${Math.max(plan.latestVersion, plan.version + 1)}. Only the latest version can be approved.`,
    });
  } else if (plan.status === "approved") {
    refusals.push({
      code: "already_approved",
      message:
        "This version is already approved. An approved plan is never changed: a change makes a new version.",
    });
  } else if (plan.status !== "submitted") {
    refusals.push({
      code: "not_submitted",
      message:
        plan.status === "returned"
          ? "This version was returned with reasons. It needs changing and submitting again before it can be approved."
          : "This plan is still a draft. It must be submitted for approval first.",
    });
  }
  if (plan.editorIds.includes(approver.userId)) {
    refusals.push({
      code: "own_plan",
      message: "You wrote or edited this version of the plan, so someone else must approve it.",
    });
  }
  if (approverLevelIndex === null || approverLevelIndex < required.levelIndex) {
    refusals.push({
      code: "not_authorised",
      message: `This plan needs approval by ${required.level.label} or above. ${required.reasons.join(" ")}`,
    });
  }
  const errors = request.readiness.filter((p) => p.severity === "error");
  if (errors.length > 0) {
    refusals.push({
      code: "not_ready",
      message: `The plan is not ready to approve: ${errors.map((e) => e.message).join("; ")}.`,
    });
  }
  if (request.unfunded.length > 0) {
    refusals.push({
      code: "unfunded",
      message: `Part of the plan has no funding: ${request.unfunded.map((u) => u.message).join(" ")}`,
    });
  }
  return { allowed: refusals.length === 0, required, approverLevelIndex, refusals };
}

export type ReturnRefusal = {
  readonly code: "superseded" | "not_submitted" | "not_authorised" | "no_reasons";
  readonly message: string;
};

/**
 * Whether this person may return a submitted plan to the person, with reasons the person can read (issue 5).
 * Anyone at any approver level may return the latest submitted version; at least one reason is needed. Returning
 * is not approving, so maker-checker does not apply: the writer of a plan may take it back to change it.
 */
export function checkReturn(request: {
  readonly plan: PlanVersionState;
  readonly reasons: readonly string[];
  readonly returner: { readonly userId: string; readonly roles: readonly string[] };
  readonly authority: DelegatedAuthority;
}): { allowed: boolean; refusals: ReturnRefusal[] } {
  const { plan } = request;
  const refusals: ReturnRefusal[] = [];
  if (plan.status === "superseded" || plan.version < plan.latestVersion) {
    refusals.push({
      code: "superseded",
      message: `Version ${plan.version} of this plan has been replaced by a later version.`,
    });
  } else if (plan.status !== "submitted") {
    refusals.push({ code: "not_submitted", message: "Only a plan waiting for approval can be returned." });
  }
  if (approverLevelOf(request.returner.roles, request.authority) === null) {
    refusals.push({ code: "not_authorised", message: "Only an approver can return a plan." });
  }
  if (!request.reasons.some((r) => r.trim() !== "")) {
    refusals.push({
      code: "no_reasons",
      message: "Say why the plan is being returned, in words the person can read.",
    });
  }
  return { allowed: refusals.length === 0, refusals };
}

// ---------------------------------------------------------------------------------------------------------------
// Allocation overrides

export type OverrideDecision = {
  /** New − old: negative for a reduction. */
  readonly changeWeeklyPence: Pence;
  /** |change| in basis points of the old allocation, rounded half up; null when the old allocation is £0. */
  readonly changeBasisPoints: number | null;
  readonly needsApprover: boolean;
  /** Who may approve it, when it needs approving. */
  readonly approverRoles: readonly string[];
  readonly reasons: readonly string[];
  /** Why the override cannot be made at all (e.g. it changes nothing). */
  readonly problems: readonly string[];
};

export function decideAllocationOverride(
  request: AllocationOverrideRequest,
  policy: AllocationOverridePolicy,
): OverrideDecision {
  const from = pence(request.fromWeeklyPence);
  const to = pence(request.toWeeklyPence);
  const change = pence(to - from);
  const size = Math.abs(change);
  const changeBasisPoints = from === 0 ? (size === 0 ? 0 : null) : roundedDivide(size * 10_000, from);
  const problems: string[] = [];
  if (size === 0)
    problems.push("The new allocation is the same as the current one: there is nothing to change.");
  if (!request.reason.trim()) problems.push("Give the reason for changing the allocation.");

  const direction = change > 0 ? "an increase" : "a reduction";
  const reasons: string[] = [];
  if (
    policy.approvalNeededWhenChangeAbovePence !== undefined &&
    size > policy.approvalNeededWhenChangeAbovePence
  ) {
    reasons.push(
      `It is ${direction} of ${formatPounds(pence(size))} a week, more than the ${formatPounds(pence(policy.approvalNeededWhenChangeAbovePence))} a member of staff may change alone.`,
    );
  }
  if (policy.approvalNeededWhenChangeAbovePercent !== undefined && size > 0) {
    const limit = Math.round(policy.approvalNeededWhenChangeAbovePercent * 100);
    if (changeBasisPoints === null || changeBasisPoints > limit) {
      reasons.push(
        changeBasisPoints === null
          ? `It changes an allocation of £0.00, more than the ${formatBasisPoints(limit)} a member of staff may change alone.`
          : `It is ${direction} of ${formatBasisPoints(changeBasisPoints)}, more than the ${formatBasisPoints(limit)} a member of staff may change alone.`,
      );
    }
  }
  const needsApprover = reasons.length > 0;
  if (!needsApprover && size > 0)
    reasons.push("The change is within what a member of staff may make alone, with a reason.");
  return {
    changeWeeklyPence: change,
    changeBasisPoints,
    needsApprover,
    approverRoles: needsApprover ? [...policy.approverRoles] : [],
    reasons,
    problems,
  };
}

export type OverrideApprovalRefusal = {
  readonly code: "own_request" | "not_authorised";
  readonly message: string;
};

/** Whether this person may approve an override: not the one who asked for it, and with an approver role. */
export function checkOverrideApproval(input: {
  readonly decision: OverrideDecision;
  readonly requestedBy: string;
  readonly approver: { readonly userId: string; readonly roles: readonly string[] };
}): { allowed: boolean; refusals: OverrideApprovalRefusal[] } {
  const refusals: OverrideApprovalRefusal[] = [];
  if (input.approver.userId === input.requestedBy) {
    refusals.push({
      code: "own_request",
      message: "You asked for this change, so someone else must approve it.",
    });
  }
  if (!input.decision.approverRoles.some((r) => input.approver.roles.includes(r))) {
    refusals.push({
      code: "not_authorised",
      message: input.decision.needsApprover
        ? `Only these roles may approve this change: ${input.decision.approverRoles.join(", ")}.`
        : "This change does not need approving.",
    });
  }
  return { allowed: refusals.length === 0, refusals };
}
