import type { SupportPlan } from "#/features/planning/schemas.ts";
import {
  addPence,
  formatPounds,
  type Pence,
  pence,
  roundedDivide,
  scalePence,
} from "#/platform/money/pence.ts";
import { weeklyToAnnual, weeklyToFourWeekly } from "#/platform/money/periods.ts";
import { DEPLOYMENTS, SCOTTISH_SDS_OPTION } from "#/vocabulary/deployments.ts";
import type { PlanCosting, PlanCostLine } from "#/vocabulary/plan-costing.ts";
import { UNITS_SCALE, type Unit } from "#/vocabulary/units.ts";

/**
 * The support plan's money, worked out: the cost of each line, the plan's weekly cost (with one-off costs apart),
 * and how the plan fits the indicative allocation, in plain English. Pure: no clock, no I/O.
 *
 * Costing: a weekly line costs unit cost × units a week, rounded once to the nearest penny, halves up
 * (platform/money: `scalePence`); units are hundredths at most, so 10.25 hours at £18.50 is 1850 × 1025 / 100 =
 * 18962.5 → £189.63. The plan's weekly cost is the sum of its weekly lines; 4-weekly and annual figures are
 * derived from it (× 4, × 52; platform/money/periods.ts). One-off costs are summed apart and never turned into a
 * weekly figure: they are shown beside the weekly cost, not inside it.
 *
 * Budget fit: the weekly cost against the indicative weekly allocation. The allocation is indicative only (Care
 * and Support Statutory Guidance 11.24: transparent, timely and sufficient; the amount can go up or down), so a
 * plan may cost more than it: that is allowed when a reason is given, and then a higher approver must agree it
 * (see approval.calc.ts). Sufficiency comes first: the calc never trims a plan to fit.
 */

// ---------------------------------------------------------------------------------------------------------------
// Costing

export type { PlanCosting, PlanCostLine } from "#/vocabulary/plan-costing.ts";

const UNIT_WORDS: Record<Unit, [singular: string, plural: string, perOne: string]> = {
  hour: ["hour", "hours", "an hour"],
  session: ["session", "sessions", "a session"],
  visit: ["visit", "visits", "a visit"],
  day: ["day", "days", "a day"],
  night: ["night", "nights", "a night"],
  week: ["week", "weeks", "a week"],
  item: ["item", "items", "an item"],
};

/** Hundredths as a person writes them: 1050 → "10.5", 25 → "0.25", 700 → "7". */
export function formatHundredths(hundredths: number): string {
  const whole = Math.trunc(hundredths / 100);
  const frac = Math.abs(hundredths % 100);
  if (frac === 0) return String(whole);
  const digits = String(frac).padStart(2, "0").replace(/0$/, "");
  return `${hundredths < 0 && whole === 0 ? "-" : ""}${whole}.${digits}`;
}

/** Basis points as a percentage: 1000 → "10%", 313 → "3.13%", 5 → "0.05%". */
export function formatBasisPoints(basisPoints: number): string {
  return `${formatHundredths(basisPoints)}%`;
}

/** Units a week as exact hundredths (the schema allows at most two decimal places). */
export function unitsToHundredths(units: number): number {
  return Math.round(units * UNITS_SCALE);
}

function costLine(support: SupportPlan["supports"][number]): PlanCostLine {
  const base = {
    supportId: support.id,
    what: support.what,
    category: support.category,
    sourceKind: support.from.kind,
    deployment: support.deployment ?? null,
  };
  const cost = support.cost;
  if (cost.basis === "weekly") {
    const hundredths = unitsToHundredths(cost.unitsPerWeek);
    const unitCost = pence(cost.unitCostPence);
    const weekly = scalePence(unitCost, hundredths, UNITS_SCALE);
    const [one, many, perOne] = UNIT_WORDS[cost.unit];
    return {
      ...base,
      basis: "weekly",
      weeklyPence: weekly,
      oneOffPence: pence(0),
      working: `${formatHundredths(hundredths)} ${hundredths === 100 ? one : many} a week × ${formatPounds(unitCost)} ${perOne} = ${formatPounds(weekly)} a week`,
    };
  }
  if (cost.basis === "one_off") {
    const amount = pence(cost.amountPence);
    return {
      ...base,
      basis: "one_off",
      weeklyPence: pence(0),
      oneOffPence: amount,
      working: `A one-off cost of ${formatPounds(amount)}`,
    };
  }
  return {
    ...base,
    basis: "none",
    weeklyPence: pence(0),
    oneOffPence: pence(0),
    working:
      support.from.kind === "universal"
        ? "Free: universal or community support, at no cost to the budget"
        : "No cost to the budget",
  };
}

/** The cost of every line, and of the plan. */
export function costPlan(plan: SupportPlan): PlanCosting {
  const lines = plan.supports.map(costLine);
  const weekly = addPence(...lines.map((l) => l.weeklyPence));
  return {
    lines,
    weeklyPence: weekly,
    fourWeeklyPence: weeklyToFourWeekly(weekly),
    annualPence: weeklyToAnnual(weekly),
    oneOffPence: addPence(...lines.map((l) => l.oneOffPence)),
    weeklyByDeployment: DEPLOYMENTS.map((deployment) => {
      const mine = lines.filter((l) => l.deployment === deployment);
      return {
        deployment,
        weeklyPence: addPence(...mine.map((l) => l.weeklyPence)),
        oneOffPence: addPence(...mine.map((l) => l.oneOffPence)),
      };
    }),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Budget fit

export type PlanProblem = {
  /** Where in the plan, as a field path ("overAllocationReason", "supports[2].from.providerId"). */
  readonly path: string;
  readonly message: string;
  /** An error stops the plan going for approval; a warning is shown but does not. */
  readonly severity: "error" | "warning";
};

export type BudgetFit = {
  readonly plannedWeeklyPence: Pence;
  readonly allocationWeeklyPence: Pence;
  /** Planned − allocation: negative when the plan costs less. */
  readonly differenceWeeklyPence: Pence;
  readonly position: "under" | "exact" | "over";
  /** How far over the allocation (0 when not over). */
  readonly overByWeeklyPence: Pence;
  /**
   * How far over, in basis points of the allocation (1% = 100), rounded to the nearest basis point, halves up;
   * 0 when not over; null when the allocation is £0 and the plan costs more (no percentage of nothing).
   */
  readonly overByBasisPoints: number | null;
  /** True when over the allocation: a higher approver than the first level must agree it. */
  readonly needsHigherApprover: boolean;
  readonly overAllocationReason: string | null;
  /** One-off costs, shown apart: they are not part of the weekly comparison. */
  readonly oneOffPence: Pence;
  readonly problems: readonly PlanProblem[];
  /** The fit in plain English, one sentence a line, written to the person. */
  readonly explanation: readonly string[];
};

/**
 * How the plan's weekly cost fits the indicative weekly allocation, explained. Over the allocation is allowed
 * only with a reason (an error problem otherwise), and always flags that a higher approver is needed.
 */
export function budgetFit(
  costing: PlanCosting,
  allocationWeeklyPence: Pence,
  overAllocationReason?: string | null,
): BudgetFit {
  const planned = costing.weeklyPence;
  const allocation = pence(allocationWeeklyPence);
  const difference = pence(planned - allocation);
  const position = difference > 0 ? "over" : difference < 0 ? "under" : "exact";
  const overBy = pence(Math.max(0, difference));
  const overByBasisPoints =
    position !== "over" ? 0 : allocation === 0 ? null : roundedDivide(overBy * 10_000, allocation);
  const reason = overAllocationReason?.trim() ? overAllocationReason.trim() : null;

  const explanation = [
    `The plan costs ${formatPounds(planned)} a week (${formatPounds(costing.annualPence)} a year). The indicative budget is ${formatPounds(allocation)} a week.`,
  ];
  const problems: PlanProblem[] = [];
  if (position === "exact") {
    explanation.push("The plan costs exactly the indicative budget.");
  } else if (position === "under") {
    explanation.push(
      `The plan costs ${formatPounds(pence(-difference))} a week less than the indicative budget. Your personal budget is the cost of the plan you agree, so it would be ${formatPounds(planned)} a week.`,
    );
  } else {
    const percent = overByBasisPoints === null ? "" : ` (${formatBasisPoints(overByBasisPoints)})`;
    explanation.push(
      `The plan costs ${formatPounds(overBy)} a week${percent} more than the indicative budget. That is allowed when it is what you need: the indicative budget is a starting point, and your budget must be enough to meet your needs.`,
    );
    if (reason) {
      explanation.push(`The reason given for the extra cost: ${reason}`);
    } else {
      problems.push({
        path: "overAllocationReason",
        message: "Say why the plan needs more than the indicative budget",
        severity: "error",
      });
      explanation.push("No reason has been given yet for the extra cost: one is needed before approval.");
    }
    explanation.push(
      "Because the plan costs more than the indicative budget, a more senior person must agree it.",
    );
  }
  if (costing.oneOffPence > 0) {
    explanation.push(
      `There are also one-off costs of ${formatPounds(costing.oneOffPence)} in total. They are shown on their own and are not part of the weekly amount.`,
    );
  }
  return {
    plannedWeeklyPence: planned,
    allocationWeeklyPence: allocation,
    differenceWeeklyPence: difference,
    position,
    overByWeeklyPence: overBy,
    overByBasisPoints,
    needsHigherApprover: position === "over",
    overAllocationReason: reason,
    oneOffPence: costing.oneOffPence,
    problems,
    explanation,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Ready for approval?

/** What the directory says about a provider named in the plan; undefined when it is not in the directory. */
export type ProviderLookup = (providerId: string) => { readonly approvedList: boolean } | undefined;

export type ReadinessContext = {
  /** The council's support categories; when given, a plan may use only these. */
  readonly supportCategories?: readonly string[];
  /** Looks providers up in the council's directory; when given, every directory provider must exist. */
  readonly providers?: ProviderLookup;
  /** Whether a plan may use providers that are not on the council's approved list. */
  readonly allowProvidersOffApprovedList: boolean;
};

/**
 * What stops a plan going for approval (errors) or should be looked at (warnings), beyond what the schema
 * already refuses: a contingency plan; a reason when over the allocation (from the fit); categories the
 * council uses; providers that exist, and are on the approved list unless the council allows otherwise
 * (Upfront issue 5); at least one support; and (warning) outcomes no support serves.
 */
export function readinessProblems(
  plan: SupportPlan,
  fit: BudgetFit,
  context: ReadinessContext,
): PlanProblem[] {
  const problems: PlanProblem[] = [...fit.problems];
  if (!plan.contingency) {
    problems.push({
      path: "contingency",
      message: "Say what will happen if the support breaks down (the contingency plan)",
      severity: "error",
    });
  }
  if (plan.supports.length === 0) {
    problems.push({
      path: "supports",
      message: "Add at least one support that helps to meet the outcomes",
      severity: "error",
    });
  }
  const categories = context.supportCategories ? new Set(context.supportCategories) : undefined;
  plan.supports.forEach((support, i) => {
    if (categories && !categories.has(support.category)) {
      problems.push({
        path: `supports[${i}].category`,
        message: `"${support.category}" is not one of the council's support categories`,
        severity: "error",
      });
    }
    const providerId =
      support.from.kind === "provider" || support.from.kind === "personal_assistant"
        ? support.from.providerId
        : undefined;
    if (providerId !== undefined && context.providers) {
      const found = context.providers(providerId);
      if (!found) {
        problems.push({
          path: `supports[${i}].from.providerId`,
          message: `There is no provider "${providerId}" in the council's directory`,
          severity: "error",
        });
      } else if (!found.approvedList && !context.allowProvidersOffApprovedList) {
        problems.push({
          path: `supports[${i}].from.providerId`,
          message:
            "This provider is not on the council's approved list, and the council does not allow providers off the list: choose another provider",
          severity: "error",
        });
      } else if (!found.approvedList) {
        problems.push({
          path: `supports[${i}].from.providerId`,
          message: "This provider is not on the council's approved list (the council allows this)",
          severity: "warning",
        });
      }
    }
  });
  const served = new Set(plan.supports.flatMap((s) => s.outcomeIds));
  plan.outcomes.forEach((outcome, i) => {
    if (!served.has(outcome.id)) {
      problems.push({
        path: `outcomes[${i}]`,
        message: "No support in the plan helps to meet this outcome yet",
        severity: "warning",
      });
    }
  });
  return problems;
}

/**
 * The plan's Scottish self-directed support option (Social Care (Self-directed Support) (Scotland) Act 2013):
 * 1, 2 or 3 when every costed line maps to that option, 4 when they mix, null when nothing is costed.
 */
export function scottishSdsOption(plan: SupportPlan): 1 | 2 | 3 | 4 | null {
  const options = new Set(
    plan.supports.flatMap((s) => (s.deployment === undefined ? [] : [SCOTTISH_SDS_OPTION[s.deployment]])),
  );
  if (options.size === 0) return null;
  if (options.size > 1) return 4;
  return [...options][0]!;
}
