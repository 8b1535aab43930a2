import type { ChargingPeriodResult, ChargingResult } from "#/features/charging/charging.calc.ts";
import type { ChargingInput } from "#/features/charging/charging-input.calc.ts";
import type { BenefitsPromptOutcome } from "#/features/statement/benefits-prompt.calc.ts";
import { formatPounds, pence } from "#/platform/money/pence.ts";
import { INCOME_TYPE_LABELS, type IncomeType } from "#/rules/charging-types.ts";

/**
 * The money statement: one page, in plain English, of the money side of a person's support — their budget
 * (the agreed personal budget, or until there is one the indicative budget), what they contribute, who pays
 * the rest (the council, and each other funding stream once plans have several), the income and benefits they
 * told us of, and what that leaves them each week. Pure: the caller gathers the records; no clock (today is
 * given), no I/O.
 */

/** Who pays part of the budget. Until plans bring funding streams, the council pays all the person does not. */
export type FundingShare = { readonly funder: string; readonly weeklyPence: number; readonly note?: string };

export type StatementBudget = {
  readonly weeklyPence: number;
  readonly kind: "agreed" | "indicative" | "estimate";
  /** Where it comes from, for the page: "The indicative budget from assessment version 2". */
  readonly description: string;
};

export type StatementInput = {
  readonly councilName: string;
  /** The date the statement is for (the period of the financial assessment in force then is used). */
  readonly today: string;
  readonly budget: StatementBudget | null;
  readonly financial: {
    readonly version: number;
    readonly completedAt: Date | string;
    readonly input: ChargingInput;
    readonly result: ChargingResult;
    readonly route: "full" | "chooses_to_pay_full_cost" | "capital_over_upper_limit";
  } | null;
  /** From the funding streams, when the budget has several; null until then. */
  readonly fundingShares: readonly FundingShare[] | null;
  readonly benefits: BenefitsPromptOutcome;
};

export type IncomeLine = {
  readonly label: string;
  readonly weeklyPence: number;
  /** benefit, or other income (pensions, earnings); for_housing and for_care are listed but are not spending money. */
  readonly kind: "benefit" | "other" | "for_housing" | "for_care";
};

export type MoneyStatement = {
  readonly budget: StatementBudget | null;
  readonly contribution: {
    readonly weeklyPence: number;
    readonly fourWeeklyPence: number;
    readonly from: string;
    readonly to: string | null;
    readonly how: string;
    readonly financialAssessmentVersion: number;
  } | null;
  readonly funders: readonly FundingShare[];
  /** Plain-English notes: a budget that has changed since the contribution was worked out, and the like. */
  readonly notes: readonly string[];
  /** Null when the person was not asked about income (light touch) or has no financial assessment. */
  readonly incomes: readonly IncomeLine[] | null;
  readonly spendingIncomeWeeklyPence: number | null;
  readonly leftAfterContributionWeeklyPence: number | null;
  readonly housingCostsWeeklyPence: number | null;
  readonly leftAfterHousingWeeklyPence: number | null;
  readonly benefits: BenefitsPromptOutcome;
};

const BENEFITS: readonly IncomeType[] = [
  "pension_credit_guarantee",
  "pension_credit_savings",
  "universal_credit",
  "employment_and_support_allowance",
  "income_support",
  "jobseekers_allowance",
  "carers_allowance",
  "attendance_allowance",
  "dla_care",
  "pip_daily_living",
  "dla_mobility",
  "pip_mobility",
  "war_pension",
  "child_benefit",
  "child_tax_credit",
];
/** Paid towards rent and Council Tax, or for care: told us of, but not money to live on. */
const FOR_HOUSING: readonly IncomeType[] = ["housing_benefit", "council_tax_reduction"];
const FOR_CARE: readonly IncomeType[] = ["direct_payment"];

/** The period in force on `today`; else the next to start; else the last. */
export function periodOn(result: ChargingResult, today: string): ChargingPeriodResult {
  const periods = result.periods;
  return (
    periods.find((p) => p.from <= today && (p.to === null || today <= p.to)) ??
    periods.find((p) => p.from > today) ??
    periods.at(-1)!
  );
}

const money = (p: number) => formatPounds(pence(p));

export function moneyStatement(input: StatementInput): MoneyStatement {
  const notes: string[] = [];
  const fa = input.financial;
  const period = fa ? periodOn(fa.result, input.today) : null;

  // The budget: the agreed or indicative one; without either, the estimate the contribution was worked out on.
  const budget: StatementBudget | null =
    input.budget ??
    (fa && period
      ? {
          weeklyPence: period.costOfCareWeeklyPence,
          kind: "estimate",
          description: "The estimated weekly cost of your care used in your financial assessment",
        }
      : null);

  const contribution =
    fa && period
      ? {
          weeklyPence: period.contributionWeeklyPence,
          fourWeeklyPence: period.contributionFourWeeklyPence,
          from: period.from,
          to: period.to,
          how:
            period.assessment === "light_touch"
              ? period.lightTouchReason === "chooses_to_pay_full_cost"
                ? "You chose to pay the full cost of your care."
                : "Your savings and other capital are over the upper limit, so you pay the full cost of your care."
              : period.assessment === "nothing_to_charge"
                ? "There is nothing to charge for."
                : "Worked out from your income, savings and costs, leaving you at least the income the rules say you must keep.",
          financialAssessmentVersion: fa.version,
        }
      : null;

  if (period && budget && input.budget && period.costOfCareWeeklyPence !== budget.weeklyPence) {
    notes.push(
      `Your contribution was worked out on a weekly cost of ${money(period.costOfCareWeeklyPence)}. Your budget is now ` +
        `${money(budget.weeklyPence)}, so your contribution may need to be worked out again. Ask us to look at it.`,
    );
  }
  const contributionWeekly = contribution?.weeklyPence ?? 0;
  if (budget && contributionWeekly > budget.weeklyPence) {
    notes.push(
      "Your contribution is more than your budget now. You never pay more than the cost of your care: ask us to look at it again.",
    );
  }

  // Who pays the rest of the budget.
  let funders: FundingShare[] = [];
  if (budget) {
    const rest = Math.max(0, budget.weeklyPence - contributionWeekly);
    if (input.fundingShares && input.fundingShares.length > 0) {
      funders = [...input.fundingShares];
      const total = funders.reduce((sum, f) => sum + f.weeklyPence, 0);
      if (total !== rest) {
        notes.push(
          `The amounts shown for who pays add up to ${money(total)} a week, not the ${money(rest)} left after your contribution. Ask us to check it.`,
        );
      }
    } else {
      funders = [{ funder: input.councilName, weeklyPence: rest }];
    }
  }
  if (!fa)
    notes.push("Your contribution has not been worked out yet: we will do a financial assessment with you.");

  // Income, as told us, and what is left.
  let incomes: IncomeLine[] | null = null;
  let spending: number | null = null;
  let left: number | null = null;
  let housing: number | null = null;
  let leftAfterHousing: number | null = null;
  if (fa && fa.route === "full") {
    incomes = fa.input.incomes.map((i) => ({
      label: i.type === "other" ? (i.description ?? "Other income") : INCOME_TYPE_LABELS[i.type],
      weeklyPence: i.weeklyPence,
      kind: FOR_HOUSING.includes(i.type)
        ? "for_housing"
        : FOR_CARE.includes(i.type)
          ? "for_care"
          : BENEFITS.includes(i.type)
            ? "benefit"
            : "other",
    }));
    spending = incomes
      .filter((i) => i.kind === "benefit" || i.kind === "other")
      .reduce((sum, i) => sum + i.weeklyPence, 0);
    left = spending - contributionWeekly;
    housing = fa.input.housingCosts.reduce((sum, h) => sum + h.weeklyPence, 0);
    leftAfterHousing = left - housing;
  }

  return {
    budget,
    contribution,
    funders,
    notes,
    incomes,
    spendingIncomeWeeklyPence: spending,
    leftAfterContributionWeeklyPence: left,
    housingCostsWeeklyPence: housing,
    leftAfterHousingWeeklyPence: leftAfterHousing,
    benefits: input.benefits,
  };
}
