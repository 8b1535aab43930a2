import {
  disabilityRelatedExpenditureOf,
  housingCostsOf,
  minimumIncomeOf,
} from "#/features/charging/charging-allowances.calc.ts";
import { assessCapital, type CapitalOutcome } from "#/features/charging/charging-capital.calc.ts";
import { assessIncomes } from "#/features/charging/charging-income.calc.ts";
import type { ChargingInput } from "#/features/charging/charging-input.calc.ts";
import { segmentsOf } from "#/features/charging/charging-periods.calc.ts";
import {
  type ChargingLimit,
  type ChargingOptions,
  type ChargingOutcome,
  type ChargingPeriodResult,
  cite,
  money,
  type Period,
  percentDown,
  policyCitation,
  type RuleCitation,
  type Segment,
  Working,
} from "#/features/charging/charging-working.calc.ts";
import type { SuppliedFigure } from "#/features/charging/supplied-figures.calc.ts";
import { pence } from "#/platform/money/pence.ts";
import { weeklyToFourWeekly } from "#/platform/money/periods.ts";
import { allChargingRules } from "#/rules/charging.ts";
import type { FieldError } from "#/vocabulary/field-error.ts";

/**
 * The charging calculator: a financial assessment for care outside a care home, worked out by the rules of
 * the dates it applies to. Pure: the input and the rule packs in, the weekly contribution and every step of
 * its working out. No clock, no I/O.
 *
 * For each period (a new one starts whenever the rule pack or the council's policy version changes):
 *   1. Scotland: personal care is free; only the rest of the cost can be charged for.
 *   2. Light touch: a person who chooses to pay in full, or whose capital is over the upper limit, pays the
 *      full (chargeable) cost, subject to any weekly maximum.
 *   3. Otherwise: assessable income (after disregards) + tariff income from capital − the minimum income
 *      (England's MIG, plus any council uplift; Wales's minimum income amount) − housing costs − disability-
 *      related expenditure = disposable income (never below zero).
 *   4. The charge is the council's share of it (100% unless its policy says less), then capped at the cost of
 *      care, at any statutory weekly maximum (Wales) and at the council's weekly maximum; below the council's
 *      minimum charge nothing is charged.
 * Any step that needs a figure or rule the pack marks unsupported is refused, naming the input that led there
 * and why; nothing is guessed.
 */

export { tariffIncomeWeekly } from "#/features/charging/charging-capital.calc.ts";
// The steps live beside this file, one job each: charging-periods (the dates), charging-capital, charging-income,
// charging-allowances (minimum income, housing costs, DRE) and charging-working (the result's types, the working
// and its citations). This file puts one period's weekly result together; every export stays importable here.
export type {
  CapitalLine,
  ChargingLimit,
  ChargingOptions,
  ChargingOutcome,
  ChargingPeriodResult,
  ChargingResult,
  ChargingStep,
  IncomeLine,
  MigLine,
  RuleCitation,
} from "#/features/charging/charging-working.calc.ts";

export const CHARGING_STATEMENT =
  "This works out the most the person can be asked to pay each week towards their care and support, by the rules " +
  "for the dates shown. Each step names the rule it follows. If anything in it is wrong or has changed, ask for the " +
  "financial assessment to be looked at again.";

type PeriodOutcome = { ok: true; period: ChargingPeriodResult } | { ok: false; errors: FieldError[] };

/** A period being worked out: its rules and working, the weekly cost, and what of it can be charged for. */
type Charge = { p: Period; cost: number; chargeable: number; base: ReturnType<typeof periodBase> };

/** 1. Free personal care (Scotland): how much of the weekly cost is not charged for (0 elsewhere). */
function freePersonalCareOf({ input, segment, w }: Period): number {
  const { pack } = segment;
  if (!pack.freePersonalCare) return 0;
  const cost = input.costOfCare.weeklyPence;
  const free = Math.min(input.costOfCare.personalCareWeeklyPence ?? 0, cost);
  w.step(
    "free_personal_care",
    `Personal care is free: ${money(free)} of the ${money(cost)} weekly cost is not charged for`,
    free,
    cite(pack.freePersonalCare),
  );
  return free;
}

/** What every period's result says, however it was worked out. */
function periodBase({ input, segment, policy }: Period, free: number) {
  const { pack } = segment;
  const cost = input.costOfCare.weeklyPence;
  return {
    from: segment.from,
    to: segment.to,
    rulePackId: pack.id,
    rulePackTitle: pack.title,
    councilPolicy: policy ? { name: input.councilPolicy?.name ?? null, validFrom: policy.validFrom } : null,
    costOfCareWeeklyPence: pence(cost),
    costOfCareBasis: input.costOfCare.basis,
    freePersonalCareWeeklyPence: pence(free),
    chargeableCostWeeklyPence: pence(cost - free),
    rounding: pack.rounding.text,
  };
}

const noCapital = () => ({
  lines: [],
  countedPence: pence(0),
  lowerLimitPence: null,
  upperLimitPence: null,
  tariffIncomeWeeklyPence: null,
});

/** The fields only a full assessment fills in. */
const notAssessed = () => ({
  incomes: [],
  assessableIncomeWeeklyPence: null,
  minimumIncome: null,
  housingCostsWeeklyPence: null,
  disabilityRelatedExpenditure: null,
  disposableIncomeWeeklyPence: null,
  chargePercent: null,
});

/** Nothing chargeable (all of it free personal care): nothing to pay, and nothing to assess. */
function nothingToCharge({ p, cost, base }: Charge): PeriodOutcome {
  const { pack } = p.segment;
  p.w.step(
    "nothing_to_charge",
    "There is no chargeable care, so there is nothing to pay",
    0,
    cite(pack.freePersonalCare ?? pack.lightTouch),
  );
  return {
    ok: true,
    period: {
      ...base,
      ...notAssessed(),
      assessment: "nothing_to_charge",
      lightTouchReason: null,
      capital: noCapital(),
      chargeBeforeLimitsWeeklyPence: pence(0),
      limits: [],
      contributionWeeklyPence: pence(0),
      contributionFourWeeklyPence: pence(0),
      councilPaysWeeklyPence: pence(cost),
      steps: p.w.steps,
    },
  };
}

/**
 * The limits on every charge, light touch or full: the chargeable cost, any statutory weekly maximum, the
 * council's weekly maximum, and (full assessments only) the council's minimum charge.
 */
function applyLimits({ p, chargeable }: Charge, charge: number, withMinimum: boolean) {
  const { input, segment, policy, w } = p;
  const { pack } = segment;
  const limits: ChargingLimit[] = [];
  let result = charge;
  const cap = (id: ChargingLimit["id"], limit: number, rule: RuleCitation, text: string) => {
    const applied = result > limit;
    if (applied) {
      result = limit;
      w.step(`limit.${id}`, text, result, rule);
    }
    limits.push({ id, weeklyPence: pence(limit), applied, rule });
  };
  cap(
    "cost_of_care",
    chargeable,
    cite(pack.charging),
    `The charge cannot be more than the cost of the care: capped at ${money(chargeable)}`,
  );
  if (pack.weeklyMaximumCharge) {
    const maximum = w.figure(
      pack.weeklyMaximumCharge,
      "weekly_maximum_charge",
      "costOfCare.weeklyPence",
      "the maximum weekly charge",
    );
    if (maximum !== null) {
      cap(
        "statutory_weekly_maximum",
        maximum.pence,
        maximum.rule,
        `The law caps the weekly charge at ${money(maximum.pence)}`,
      );
    }
  }
  if (policy?.weeklyMaximumChargePence !== undefined) {
    cap(
      "council_weekly_maximum",
      policy.weeklyMaximumChargePence,
      policyCitation(input, segment, "weeklyMaximumChargePence"),
      `The council caps the weekly charge at ${money(policy.weeklyMaximumChargePence)}`,
    );
  }
  if (withMinimum && policy?.minimumChargeWeeklyPence !== undefined) {
    const minimum = policy.minimumChargeWeeklyPence;
    const applied = result > 0 && result < minimum;
    if (applied) {
      w.step(
        "limit.council_minimum_charge",
        `A charge of ${money(result)} is below the council's minimum charge of ${money(minimum)}, so nothing is charged`,
        0,
        policyCitation(input, segment, "minimumChargeWeeklyPence"),
      );
      result = 0;
    }
    limits.push({
      id: "council_minimum_charge",
      weeklyPence: pence(minimum),
      applied,
      rule: policyCitation(input, segment, "minimumChargeWeeklyPence"),
    });
  }
  return { limits, contribution: result };
}

/** The charge after its limits, the contribution step, and the period's result. */
function finish(
  c: Charge,
  fields: Pick<ChargingPeriodResult, "assessment" | "lightTouchReason" | "capital"> &
    Partial<ChargingPeriodResult>,
  charge: number,
  withMinimum: boolean,
): PeriodOutcome {
  const { p, cost, base } = c;
  const { w } = p;
  const { limits, contribution } = applyLimits(c, charge, withMinimum);
  if (w.errors.length > 0) return { ok: false, errors: w.errors };
  w.step(
    "contribution",
    `The weekly contribution is ${money(contribution)}; the council pays ${money(cost - contribution)} of the ${money(cost)} weekly cost`,
    contribution,
    cite(p.segment.pack.charging),
  );
  return {
    ok: true,
    period: {
      ...base,
      ...notAssessed(),
      ...fields,
      chargeBeforeLimitsWeeklyPence: pence(charge),
      limits,
      contributionWeeklyPence: pence(contribution),
      contributionFourWeeklyPence: weeklyToFourWeekly(pence(contribution)),
      councilPaysWeeklyPence: pence(cost - contribution),
      steps: w.steps,
    },
  };
}

/** 3-7. The full assessment: income, minimum income, housing costs and DRE give disposable income and the charge. */
function fullAssessment(c: Charge, capital: Extract<CapitalOutcome, { ok: true }>): PeriodOutcome {
  const { input, segment, policy, w } = c.p;
  const { pack } = segment;
  // 3. Income (charging-income.calc.ts).
  const { incomes, assessable, hasDisabilityBenefit } = assessIncomes(c.p);

  // 4-6. Minimum income, housing costs, disability-related expenditure (charging-allowances.calc.ts).
  const minimumIncome = minimumIncomeOf(c.p);
  const housing = housingCostsOf(c.p);
  const dre = disabilityRelatedExpenditureOf(c.p, hasDisabilityBenefit);

  if (w.errors.length > 0) return { ok: false, errors: w.errors };

  // 7. Disposable income and the charge.
  const migApplied = minimumIncome!.appliedWeeklyPence;
  const disposable = Math.max(0, assessable + capital.tariff - migApplied - housing - dre.allowed);
  w.step(
    "disposable_income",
    `Disposable income: ${money(assessable)} income + ${money(capital.tariff)} tariff income − ${money(migApplied)} minimum income − ${money(housing)} housing costs − ${money(dre.allowed)} disability-related expenditure = ${money(disposable)} a week (never below £0.00)`,
    disposable,
    cite(pack.minimumIncome.kind === "unsupported" ? pack.lightTouch : pack.minimumIncome.source),
  );
  const chargePercent = policy?.chargePercent ?? 100;
  const charge = percentDown(disposable, chargePercent);
  w.step(
    "charge",
    chargePercent === 100
      ? `The council charges 100% of disposable income: ${money(charge)}`
      : `The council charges ${chargePercent}% of disposable income: ${money(charge)} (rounded down)`,
    charge,
    policy?.chargePercent !== undefined
      ? policyCitation(input, segment, "chargePercent")
      : cite(pack.charging),
  );

  return finish(
    c,
    {
      assessment: "full",
      lightTouchReason: null,
      capital: capital.capital,
      incomes,
      assessableIncomeWeeklyPence: pence(assessable),
      minimumIncome,
      housingCostsWeeklyPence: pence(housing),
      disabilityRelatedExpenditure: {
        kind: dre.kind,
        claimedWeeklyPence: pence(dre.claimed),
        allowedWeeklyPence: pence(dre.allowed),
      },
      disposableIncomeWeeklyPence: pence(disposable),
      chargePercent,
    },
    charge,
    true,
  );
}

/** One period: free personal care, light touch, or the full assessment; then the limits on the charge. */
function assessPeriod(
  input: ChargingInput,
  segment: Segment,
  supplied: readonly SuppliedFigure[],
): PeriodOutcome {
  const { pack } = segment;
  const policy = segment.policy?.version ?? null;
  const w = new Working(pack, segment.from, supplied);
  const p: Period = { input, segment, policy, w };
  const cost = input.costOfCare.weeklyPence;
  const free = freePersonalCareOf(p);
  const c: Charge = { p, cost, chargeable: cost - free, base: periodBase(p, free) };

  if (c.chargeable === 0) return nothingToCharge(c);
  if (pack.otherCareCharging.status === "unsupported") {
    w.refuse("costOfCare.weeklyPence", pack.otherCareCharging.reason);
    return { ok: false, errors: w.errors };
  }

  // 2a. Light touch: the person chooses to pay the full cost.
  if (input.choosesToPayFullCost) {
    w.step(
      "light_touch",
      `The person chooses to pay the full cost, so no full financial assessment is needed: ${money(c.chargeable)} a week`,
      c.chargeable,
      cite(pack.lightTouch),
    );
    return finish(
      c,
      { assessment: "light_touch", lightTouchReason: "chooses_to_pay_full_cost", capital: noCapital() },
      c.chargeable,
      false,
    );
  }

  // 2b. Capital (charging-capital.calc.ts).
  const capital = assessCapital(p, c.chargeable);
  if (!capital.ok) return capital;
  if (capital.overUpperLimit) {
    return finish(
      c,
      { assessment: "light_touch", lightTouchReason: "capital_over_upper_limit", capital: capital.capital },
      c.chargeable,
      false,
    );
  }
  return fullAssessment(c, capital);
}

// ---- the whole assessment ------------------------------------------------------------------------------------

/** Works out the weekly contribution for each period of the assessment, or says why it cannot. */
export function calculateCharging(input: ChargingInput, options: ChargingOptions = {}): ChargingOutcome {
  const packs = options.packs ?? allChargingRules();
  const supplied = options.suppliedFigures ?? [];
  const split = segmentsOf(input, packs, supplied);
  if (!split.ok) return split;
  const periods: ChargingPeriodResult[] = [];
  // The same refusal in several periods is reported once, naming every period it applies to.
  const refusals = new Map<string, { path: string; message: string; periods: string[] }>();
  for (const segment of split.segments) {
    const outcome = assessPeriod(input, segment, supplied);
    if (outcome.ok) {
      periods.push(outcome.period);
      continue;
    }
    for (const error of outcome.errors) {
      const key = `${error.path}\u0000${error.message}`;
      const refusal = refusals.get(key) ?? { ...error, periods: [] };
      refusal.periods.push(`${segment.from} to ${segment.to ?? "(no end date)"}`);
      refusals.set(key, refusal);
    }
  }
  const errors: FieldError[] = [...refusals.values()].map((r) => ({
    path: r.path,
    message: split.segments.length > 1 ? `For ${r.periods.join(" and ")}: ${r.message}` : r.message,
  }));
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    result: {
      jurisdiction: input.jurisdiction,
      from: input.period.from,
      to: periods.at(-1)?.to ?? null,
      periods,
      statement: CHARGING_STATEMENT,
    },
  };
}
