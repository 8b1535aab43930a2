import type { ChargingPeriodResult, ChargingStep } from "#/features/charging/charging.calc.ts";

/** How a financial assessment's result reads on the page: each step's rule in plain words. */

/** The council policy's settings in plain words, where a step cites one. */
const POLICY_FIELD_NAMES: Record<string, string> = {
  migUpliftPercent: "its uplift to the Minimum Income Guarantee",
  lowerCapitalLimitPence: "its lower capital limit",
  upperCapitalLimitPence: "its upper capital limit",
  chargePercent: "the share of disposable income it charges",
  minimumChargeWeeklyPence: "its minimum charge",
  weeklyMaximumChargePence: "its weekly maximum charge",
  standardDreAllowanceWeeklyPence: "its standard disability-related expenditure allowance",
  incomeDisregards: "the income it disregards",
};

/** What a step's rule says, for the working table. */
export function ruleText(step: Pick<ChargingStep, "rule">): {
  title: string;
  provision?: string;
  url?: string;
  note?: string;
  supplied: boolean;
} {
  const r = step.rule;
  if (r.basis === "council_supplied") {
    return {
      title: `Supplied by the council, source: ${r.provision}`,
      supplied: true,
      ...(r.note ? { note: r.note } : {}),
    };
  }
  const provision =
    r.basis === "council_policy" && r.provision
      ? (POLICY_FIELD_NAMES[r.provision.split(":")[0]!] ?? r.provision)
      : r.provision;
  return {
    title: r.basis === "secondary" ? `${r.title} (read only in a secondary copy)` : r.title,
    ...(provision ? { provision } : {}),
    ...(r.url ? { url: r.url } : {}),
    ...(r.note ? { note: r.note } : {}),
    supplied: false,
  };
}

/** A period as the result pages show it. */
export function periodView(p: ChargingPeriodResult) {
  return {
    ...p,
    steps: p.steps.map((s) => ({ ...s, ruleView: ruleText(s) })),
    usesSuppliedFigures: p.steps.some((s) => s.rule.basis === "council_supplied"),
  };
}

export const COST_BASIS_TEXT: Record<string, string> = {
  agreed_plan: "the agreed support plan's cost",
  indicative_budget: "the indicative budget (there is no agreed support plan yet)",
  estimate: "an estimate (there is no agreed plan or indicative budget)",
};
