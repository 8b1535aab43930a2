import { formatPounds, type Pence, pence } from "#/platform/money/pence.ts";

/**
 * Monitoring alerts from planned against actual spending over a period (Upfront issue 6, "Monitoring": alerts for
 * underspend, overspend and spending outside the plan). Pure.
 *
 * Thresholds are the council's, in basis points of the planned amount (7500 = 75%), with the rule pack's council
 * policy defaults (spending-rules.ts, monitoring). Compared in whole numbers: actual × 10,000 against planned ×
 * threshold, so no percentage is ever rounded before the comparison. An alert is a prompt for a conversation,
 * never a decision: underspending often means support was hard to find, not that it is not needed. Under- and
 * overspending are not judged until the period has run long enough (the rule pack's judgeAfterDays): a budget's
 * first days say nothing about how it is being spent.
 */

export type PlannedActualLine = {
  readonly supportId: string;
  readonly what: string;
  readonly plannedPence: Pence;
  readonly actualPence: Pence;
};

export type AlertThresholds = {
  readonly underspendBelowBasisPoints: number;
  readonly overspendAboveBasisPoints: number;
  /** Under- and overspending are judged only once the period has run this many days (spending-rules.ts). */
  readonly judgeAfterDays: number;
};

export type SpendingAlert = {
  readonly kind: "underspend" | "overspend" | "outside_plan";
  /** The support line, or null for the budget as a whole. */
  readonly supportId: string | null;
  readonly message: string;
};

/** Whole per cent, rounded down, for messages only (the comparison is exact). */
const percent = (actual: number, planned: number) => Math.floor((actual * 100) / planned);

function lineAlerts(
  label: string,
  supportId: string | null,
  planned: number,
  actual: number,
  t: AlertThresholds,
  period: string,
): SpendingAlert[] {
  if (planned === 0) {
    return actual > 0
      ? [
          {
            kind: "overspend",
            supportId,
            message: `${label}: ${formatPounds(pence(actual))} spent ${period} where nothing was planned`,
          },
        ]
      : [];
  }
  const spent = `${formatPounds(pence(actual))} spent ${period}, ${percent(actual, planned)}% of the ${formatPounds(pence(planned))} planned`;
  if (actual * 10_000 > planned * t.overspendAboveBasisPoints) {
    return [{ kind: "overspend", supportId, message: `${label}: ${spent}` }];
  }
  if (actual * 10_000 < planned * t.underspendBelowBasisPoints) {
    return [{ kind: "underspend", supportId, message: `${label}: ${spent}` }];
  }
  return [];
}

export function spendingAlerts(input: {
  /** In words, for messages: "in the 4 weeks to 28 April 2025". */
  readonly period: string;
  /** How many days of the budget the period has run (today counted): fewer than judgeAfterDays is too soon. */
  readonly daysRun: number;
  readonly lines: readonly PlannedActualLine[];
  /** Spending in the period that matched no plan line (plan-match.calc.ts). */
  readonly outsidePlanPence: Pence;
  readonly thresholds: AlertThresholds;
}): SpendingAlert[] {
  const { period, thresholds: t } = input;
  // Too soon to judge spending against the plan: on a budget's first day nothing spent is "0%" of a day's plan.
  // Spending outside the plan is a fact, not a rate, so it is said from the first day.
  const judge = input.daysRun >= t.judgeAfterDays;
  const alerts = judge
    ? input.lines.flatMap((l) =>
        lineAlerts(`"${l.what}"`, l.supportId, l.plannedPence, l.actualPence, t, period),
      )
    : [];
  if (input.outsidePlanPence > 0) {
    alerts.push({
      kind: "outside_plan",
      supportId: null,
      message: `${formatPounds(input.outsidePlanPence)} spent ${period} on things the plan does not include: check what it was for`,
    });
  }
  const planned = input.lines.reduce((s, l) => s + l.plannedPence, 0);
  const actual = input.lines.reduce((s, l) => s + l.actualPence, 0) + input.outsidePlanPence;
  if (judge) alerts.push(...lineAlerts("The budget as a whole", null, planned, actual, t, period));
  return alerts;
}
