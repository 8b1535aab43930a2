import type { ChargingInput, CouncilPolicyVersion } from "#/features/charging/schemas.ts";
import {
  type SuppliedFigure,
  type SuppliedFigureKey,
  suppliedFigureCuts,
  suppliedFigureLabel,
  suppliedFigureOn,
} from "#/features/charging/supplied-figures.ts";
import { formatPounds, type Pence, pence } from "#/platform/money/pence.ts";
import { weeklyToFourWeekly } from "#/platform/money/periods.ts";
import type { FieldError } from "#/platform/validation.ts";
import {
  addDays,
  allChargingRules,
  type ChargingFigure,
  type ChargingJurisdiction,
  type ChargingRules,
  ChargingRulesNotFoundError,
  type ChargingSource,
  chargingRulesFor,
  DISABILITY_BENEFITS,
  INCOME_TYPE_LABELS,
  type IncomeType,
  MIG_COMPONENT_LABELS,
  MIG_COMPONENT_PROVISIONS,
  type MigComponent,
} from "#/rules/charging.ts";

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

export type RuleCitation = {
  readonly title: string;
  readonly provision?: string;
  readonly url?: string;
  /**
   * official/secondary: a published source. council_policy: the council's own policy. council_supplied: a figure
   * the rule pack could not confirm, supplied by the council (`provision` is the source it cites). assessor:
   * stated in the case.
   */
  readonly basis: "official" | "secondary" | "council_policy" | "council_supplied" | "assessor";
  readonly note?: string;
};

export type ChargingStep = {
  /** Stable id, e.g. "income[2]", "tariff_income", "mig.disability_premium_single", "limit.cost_of_care". */
  readonly id: string;
  /** The step in plain English. */
  readonly text: string;
  /** The weekly amount this step produced, where it produced one. */
  readonly weeklyPence: Pence | null;
  readonly rule: RuleCitation;
};

export type IncomeLine = {
  readonly index: number;
  readonly type: IncomeType;
  readonly label: string;
  readonly weeklyPence: Pence;
  readonly countedWeeklyPence: Pence;
  readonly disregardedWeeklyPence: Pence;
  readonly rule: RuleCitation;
};

export type CapitalLine = {
  readonly index: number;
  readonly kind: ChargingInput["capital"][number]["kind"];
  readonly valuePence: Pence;
  readonly counted: boolean;
  readonly rule: RuleCitation | null;
};

export type MigLine = {
  readonly component: MigComponent;
  readonly label: string;
  readonly count: number;
  readonly weeklyPence: Pence;
  readonly rule: RuleCitation;
};

export type ChargingLimit = {
  readonly id:
    | "cost_of_care"
    | "statutory_weekly_maximum"
    | "council_weekly_maximum"
    | "council_minimum_charge";
  readonly weeklyPence: Pence;
  /** Whether this limit changed the charge. */
  readonly applied: boolean;
  readonly rule: RuleCitation;
};

export type ChargingPeriodResult = {
  readonly from: string;
  /** Null: the assessment runs on with no known end to these rules. */
  readonly to: string | null;
  readonly rulePackId: string;
  readonly rulePackTitle: string;
  readonly councilPolicy: { readonly name: string | null; readonly validFrom: string } | null;
  readonly assessment: "full" | "light_touch" | "nothing_to_charge";
  readonly lightTouchReason: "chooses_to_pay_full_cost" | "capital_over_upper_limit" | null;
  readonly costOfCareWeeklyPence: Pence;
  readonly costOfCareBasis: ChargingInput["costOfCare"]["basis"];
  /** Scotland: the personal care in the cost, which is free. */
  readonly freePersonalCareWeeklyPence: Pence;
  /** The cost that can be charged for (the cost of care less any free personal care). */
  readonly chargeableCostWeeklyPence: Pence;
  readonly incomes: readonly IncomeLine[];
  readonly assessableIncomeWeeklyPence: Pence | null;
  readonly capital: {
    readonly lines: readonly CapitalLine[];
    readonly countedPence: Pence;
    readonly lowerLimitPence: Pence | null;
    readonly upperLimitPence: Pence | null;
    readonly tariffIncomeWeeklyPence: Pence | null;
  };
  readonly minimumIncome: {
    readonly kind: "mig" | "supplied_by_council";
    readonly components: readonly MigLine[];
    readonly statutoryWeeklyPence: Pence;
    readonly councilUpliftWeeklyPence: Pence;
    readonly appliedWeeklyPence: Pence;
  } | null;
  readonly housingCostsWeeklyPence: Pence | null;
  readonly disabilityRelatedExpenditure: {
    readonly kind: "none" | "itemised" | "standard";
    readonly claimedWeeklyPence: Pence;
    readonly allowedWeeklyPence: Pence;
  } | null;
  readonly disposableIncomeWeeklyPence: Pence | null;
  /** The share of disposable income charged, as a percentage (two decimal places at most). */
  readonly chargePercent: number | null;
  readonly chargeBeforeLimitsWeeklyPence: Pence;
  readonly limits: readonly ChargingLimit[];
  readonly contributionWeeklyPence: Pence;
  readonly contributionFourWeeklyPence: Pence;
  /** What the council (and any other funders) pay: the cost of care less the contribution. */
  readonly councilPaysWeeklyPence: Pence;
  readonly steps: readonly ChargingStep[];
  readonly rounding: string;
};

export type ChargingResult = {
  readonly jurisdiction: ChargingJurisdiction;
  readonly from: string;
  readonly to: string | null;
  /** One result per period; a new period starts whenever the rules or the council's policy change. */
  readonly periods: readonly ChargingPeriodResult[];
  /** Always shown with the result. */
  readonly statement: string;
};

export type ChargingOutcome = { ok: true; result: ChargingResult } | { ok: false; errors: FieldError[] };

export type ChargingOptions = {
  /** The rule packs to choose from (default: every registered pack). Tests pass fixtures. */
  readonly packs?: readonly ChargingRules[];
  /**
   * Dated figures the council supplies for figures a pack marks unsupported (supplied-figures.ts). Used only
   * where the pack has no confirmed figure; a new period starts where one the pack needs starts or stops.
   */
  readonly suppliedFigures?: readonly SuppliedFigure[];
};

export const CHARGING_STATEMENT =
  "This works out the most the person can be asked to pay each week towards their care and support, by the rules " +
  "for the dates shown. Each step names the rule it follows. If anything in it is wrong or has changed, ask for the " +
  "financial assessment to be looked at again.";

// ---- pure helpers, exported for tests ------------------------------------------------------------------------

/**
 * Tariff income: £1 a week for every £250, or part of £250, of capital above the lower limit (England reg 25).
 * `capitalPence` at or below the lower limit gives nothing; the caller deals with capital over the upper limit.
 */
export function tariffIncomeWeekly(
  capitalPence: number,
  lowerLimitPence: number,
  tariff: { readonly weeklyPencePerBand: number; readonly bandPence: number },
): number {
  const excess = capitalPence - lowerLimitPence;
  if (excess <= 0) return 0;
  const bands = Math.floor((excess + tariff.bandPence - 1) / tariff.bandPence); // a part band counts as a band
  return bands * tariff.weeklyPencePerBand;
}

/** A percentage (≤ 2 decimal places) as whole basis points. */
const basisPoints = (percent: number) => Math.round(percent * 100);
/** amount × percent, rounded down to the penny. */
const percentDown = (amount: number, percent: number) => Math.floor((amount * basisPoints(percent)) / 10_000);
/** amount × percent, rounded up to the penny. */
const percentUp = (amount: number, percent: number) => Math.ceil((amount * basisPoints(percent)) / 10_000);

const money = (p: number) => formatPounds(pence(p));

function cite(source: ChargingSource): RuleCitation {
  return {
    title: source.title,
    ...(source.provision ? { provision: source.provision } : {}),
    url: source.url,
    basis: source.basis,
    ...(source.note ? { note: source.note } : {}),
  };
}

function unsupportedMessage(figure: Extract<ChargingFigure, { status: "unsupported" }>): string {
  const unconfirmed = figure.unconfirmed
    ? ` A secondary copy gives ${money(figure.unconfirmed.pence)} (${figure.unconfirmed.source.title}); it is not used until confirmed against the official text.`
    : "";
  return `${figure.reason}${unconfirmed}`;
}

// ---- periods -------------------------------------------------------------------------------------------------

type Segment = {
  from: string;
  to: string | null;
  pack: ChargingRules;
  policy: { version: CouncilPolicyVersion; index: number } | null;
};

function policyVersionOn(
  input: ChargingInput,
  date: string,
): { version: CouncilPolicyVersion; index: number } | null {
  const versions = input.councilPolicy?.versions ?? [];
  const index = versions.findIndex(
    (v) => v.validFrom <= date && (v.validTo === undefined || date <= v.validTo),
  );
  return index === -1 ? null : { version: versions[index]!, index };
}

function findPack(
  jurisdiction: ChargingJurisdiction,
  date: string,
  packs: readonly ChargingRules[],
  path: string,
): { ok: true; pack: ChargingRules } | { ok: false; error: FieldError } {
  try {
    return { ok: true, pack: chargingRulesFor(jurisdiction, date, packs) };
  } catch (error) {
    if (error instanceof ChargingRulesNotFoundError)
      return { ok: false, error: { path, message: error.message } };
    throw error;
  }
}

/** Splits the assessment's dates wherever the rule pack or the council's policy version changes. */
function segmentsOf(
  input: ChargingInput,
  packs: readonly ChargingRules[],
  supplied: readonly SuppliedFigure[],
): { ok: true; segments: Segment[] } | { ok: false; errors: FieldError[] } {
  const { from, to } = input.period;
  const byPack: { from: string; to: string | null; pack: ChargingRules }[] = [];
  let cursor = from;
  for (;;) {
    const found = findPack(input.jurisdiction, cursor, packs, cursor === from ? "period.from" : "period.to");
    if (!found.ok) return { ok: false, errors: [found.error] };
    const packEnd = found.pack.validTo ?? null;
    if (to === undefined) {
      byPack.push({ from: cursor, to: packEnd, pack: found.pack });
      break;
    }
    const end = packEnd !== null && packEnd < to ? packEnd : to;
    byPack.push({ from: cursor, to: end, pack: found.pack });
    if (end === to) break;
    cursor = addDays(end, 1);
  }

  const versions = input.councilPolicy?.versions ?? [];
  const segments: Segment[] = [];
  for (const part of byPack) {
    const cuts = new Set<string>();
    for (const v of versions) {
      for (const cut of [v.validFrom, v.validTo === undefined ? undefined : addDays(v.validTo, 1)]) {
        if (cut !== undefined && cut > part.from && (part.to === null || cut <= part.to)) cuts.add(cut);
      }
    }
    for (const cut of suppliedFigureCuts(supplied, part.pack, part.from, part.to)) cuts.add(cut);
    const starts = [part.from, ...[...cuts].sort()];
    starts.forEach((start, i) => {
      const next = starts[i + 1];
      segments.push({
        from: start,
        to: next === undefined ? part.to : addDays(next, -1),
        pack: part.pack,
        policy: policyVersionOn(input, start),
      });
    });
  }
  // Without an end date the assessment runs until the rules next change: the first period only.
  return { ok: true, segments: to === undefined ? segments.slice(0, 1) : segments };
}

// ---- one period ----------------------------------------------------------------------------------------------

class Working {
  readonly steps: ChargingStep[] = [];
  readonly errors: FieldError[] = [];
  readonly pack: ChargingRules;
  readonly from: string;
  readonly supplied: readonly SuppliedFigure[];
  constructor(pack: ChargingRules, from: string, supplied: readonly SuppliedFigure[]) {
    this.pack = pack;
    this.from = from;
    this.supplied = supplied;
  }

  step(id: string, text: string, weeklyPence: number | null, rule: RuleCitation) {
    this.steps.push({ id, text, weeklyPence: weeklyPence === null ? null : pence(weeklyPence), rule });
  }

  refuse(path: string, reason: string) {
    this.errors.push({ path, message: `Not supported by the rules for ${this.pack.title}: ${reason}` });
  }

  /**
   * The figure's pence and the rule to cite: the pack's confirmed figure; else the figure the council supplied
   * for this period; else null, after refusing with what it is, why it cannot be used and what a council can do.
   */
  figure(
    figure: ChargingFigure,
    key: SuppliedFigureKey,
    path: string,
    what: string,
  ): { pence: number; rule: RuleCitation } | null {
    if (figure.status === "confirmed") return { pence: figure.pence, rule: cite(figure.source) };
    const supplied = suppliedFigureOn(this.supplied, key, this.from);
    if (supplied) return { pence: supplied.pence, rule: suppliedCitation(supplied, figure) };
    this.refuse(
      path,
      `${what}: ${unsupportedMessage(figure)} The council can supply the figure it uses (“${suppliedFigureLabel(key)}”), citing its source.`,
    );
    return null;
  }
}

/** How a step that uses a council-supplied figure names it: "supplied by the council, source: …". */
function suppliedCitation(
  supplied: SuppliedFigure,
  figure: Extract<ChargingFigure, { status: "unsupported" }>,
): RuleCitation {
  return {
    title: `${suppliedFigureLabel(supplied.figure)}: ${money(supplied.pence)}, supplied by the council`,
    provision: supplied.source,
    basis: "council_supplied",
    note: `Supplied by the council, source: ${supplied.source}. In force from ${supplied.validFrom}${supplied.validTo ? ` to ${supplied.validTo}` : ""}. The rule pack has no confirmed figure: ${figure.reason}`,
  };
}

function policyCitation(input: ChargingInput, segment: Segment, field: string): RuleCitation {
  const name = input.councilPolicy?.name;
  return {
    title: `The council's charging policy${name ? ` (${name})` : ""}, version from ${segment.policy!.version.validFrom}`,
    provision: field,
    basis: "council_policy",
  };
}

const ASSESSOR = (basis: string): RuleCitation => ({
  title: "As stated in the assessment",
  provision: basis,
  basis: "assessor",
});

function assessPeriod(
  input: ChargingInput,
  segment: Segment,
  supplied: readonly SuppliedFigure[],
): { ok: true; period: ChargingPeriodResult } | { ok: false; errors: FieldError[] } {
  const { pack } = segment;
  const policy = segment.policy?.version ?? null;
  const policyPath = (field: string) => `councilPolicy.versions[${segment.policy?.index ?? 0}].${field}`;
  const w = new Working(pack, segment.from, supplied);
  const cost = input.costOfCare.weeklyPence;

  // 1. Free personal care (Scotland).
  let free = 0;
  if (pack.freePersonalCare) {
    free = Math.min(input.costOfCare.personalCareWeeklyPence ?? 0, cost);
    w.step(
      "free_personal_care",
      `Personal care is free: ${money(free)} of the ${money(cost)} weekly cost is not charged for`,
      free,
      cite(pack.freePersonalCare),
    );
  }
  const chargeable = cost - free;

  const base = {
    from: segment.from,
    to: segment.to,
    rulePackId: pack.id,
    rulePackTitle: pack.title,
    councilPolicy: policy ? { name: input.councilPolicy?.name ?? null, validFrom: policy.validFrom } : null,
    costOfCareWeeklyPence: pence(cost),
    costOfCareBasis: input.costOfCare.basis,
    freePersonalCareWeeklyPence: pence(free),
    chargeableCostWeeklyPence: pence(chargeable),
    rounding: pack.rounding.text,
  };
  const noCapital = {
    lines: [],
    countedPence: pence(0),
    lowerLimitPence: null,
    upperLimitPence: null,
    tariffIncomeWeeklyPence: null,
  };
  const notAssessed = {
    incomes: [],
    assessableIncomeWeeklyPence: null,
    minimumIncome: null,
    housingCostsWeeklyPence: null,
    disabilityRelatedExpenditure: null,
    disposableIncomeWeeklyPence: null,
    chargePercent: null,
  };

  if (chargeable === 0) {
    w.step(
      "nothing_to_charge",
      "There is no chargeable care, so there is nothing to pay",
      0,
      cite(pack.freePersonalCare ?? pack.lightTouch),
    );
    return {
      ok: true,
      period: {
        ...base,
        ...notAssessed,
        assessment: "nothing_to_charge",
        lightTouchReason: null,
        capital: noCapital,
        chargeBeforeLimitsWeeklyPence: pence(0),
        limits: [],
        contributionWeeklyPence: pence(0),
        contributionFourWeeklyPence: pence(0),
        councilPaysWeeklyPence: pence(cost),
        steps: w.steps,
      },
    };
  }
  if (pack.otherCareCharging.status === "unsupported") {
    w.refuse("costOfCare.weeklyPence", pack.otherCareCharging.reason);
    return { ok: false, errors: w.errors };
  }

  // Limits applied to every charge, light touch or full: the chargeable cost, any statutory weekly maximum,
  // the council's weekly maximum, and (full assessments only) the council's minimum charge.
  const applyLimits = (charge: number, withMinimum: boolean) => {
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
  };

  const finish = (
    fields: Pick<ChargingPeriodResult, "assessment" | "lightTouchReason" | "capital"> &
      Partial<ChargingPeriodResult>,
    charge: number,
    withMinimum: boolean,
  ): { ok: true; period: ChargingPeriodResult } | { ok: false; errors: FieldError[] } => {
    const { limits, contribution } = applyLimits(charge, withMinimum);
    if (w.errors.length > 0) return { ok: false, errors: w.errors };
    w.step(
      "contribution",
      `The weekly contribution is ${money(contribution)}; the council pays ${money(cost - contribution)} of the ${money(cost)} weekly cost`,
      contribution,
      cite(pack.charging),
    );
    return {
      ok: true,
      period: {
        ...base,
        ...notAssessed,
        ...fields,
        chargeBeforeLimitsWeeklyPence: pence(charge),
        limits,
        contributionWeeklyPence: pence(contribution),
        contributionFourWeeklyPence: weeklyToFourWeekly(pence(contribution)),
        councilPaysWeeklyPence: pence(cost - contribution),
        steps: w.steps,
      },
    };
  };

  // 2a. Light touch: the person chooses to pay the full cost.
  if (input.choosesToPayFullCost) {
    w.step(
      "light_touch",
      `The person chooses to pay the full cost, so no full financial assessment is needed: ${money(chargeable)} a week`,
      chargeable,
      cite(pack.lightTouch),
    );
    return finish(
      { assessment: "light_touch", lightTouchReason: "chooses_to_pay_full_cost", capital: noCapital },
      chargeable,
      false,
    );
  }

  // 2b. Capital.
  const lines: CapitalLine[] = [];
  let counted = 0;
  input.capital.forEach((item, index) => {
    if (item.kind === "main_home") {
      const rule = pack.capital.mainHomeDisregard;
      if (rule.status === "unsupported") {
        w.refuse(`capital[${index}].kind`, rule.reason);
        return;
      }
      lines.push({
        index,
        kind: item.kind,
        valuePence: pence(item.valuePence),
        counted: false,
        rule: cite(rule.source),
      });
      w.step(
        `capital[${index}]`,
        `The main home (${money(item.valuePence)}) is disregarded for care outside a care home`,
        null,
        cite(rule.source),
      );
      return;
    }
    if (item.disregardReason) {
      lines.push({
        index,
        kind: item.kind,
        valuePence: pence(item.valuePence),
        counted: false,
        rule: ASSESSOR(item.disregardReason),
      });
      w.step(
        `capital[${index}]`,
        `${item.description ?? item.kind} (${money(item.valuePence)}) is disregarded: ${item.disregardReason}`,
        null,
        ASSESSOR(item.disregardReason),
      );
      return;
    }
    counted += item.valuePence;
    lines.push({ index, kind: item.kind, valuePence: pence(item.valuePence), counted: true, rule: null });
  });

  let lower: number | null = null;
  let upper: number | null = null;
  let tariff = 0;
  if (counted > 0) {
    const upperFigure = w.figure(
      pack.capital.upperLimit,
      "capital.upper_limit",
      "capital",
      "the upper capital limit",
    );
    const lowerFigure = pack.capital.lowerLimit
      ? w.figure(pack.capital.lowerLimit, "capital.lower_limit", "capital", "the lower capital limit")
      : null;
    const statutoryLower = lowerFigure?.pence ?? null;
    const limitsKnown = upperFigure !== null && (pack.capital.lowerLimit === null || lowerFigure !== null);
    if (limitsKnown) {
      upper = upperFigure.pence;
      let upperRule = upperFigure.rule;
      if (policy?.upperCapitalLimitPence !== undefined) {
        if (policy.upperCapitalLimitPence < upper) {
          return {
            ok: false,
            errors: [
              {
                path: policyPath("upperCapitalLimitPence"),
                message: `A council may set a higher upper capital limit, not a lower one: it must be at least ${money(upper)}`,
              },
            ],
          };
        }
        upper = policy.upperCapitalLimitPence;
        upperRule = policyCitation(input, segment, "upperCapitalLimitPence");
      }
      if (statutoryLower !== null) {
        lower = statutoryLower;
        if (policy?.lowerCapitalLimitPence !== undefined) {
          if (policy.lowerCapitalLimitPence < lower) {
            return {
              ok: false,
              errors: [
                {
                  path: policyPath("lowerCapitalLimitPence"),
                  message: `A council may set a higher lower capital limit, not a lower one: it must be at least ${money(lower)}`,
                },
              ],
            };
          }
          lower = Math.min(policy.lowerCapitalLimitPence, upper);
        }
      } else if (policy?.lowerCapitalLimitPence !== undefined) {
        return {
          ok: false,
          errors: [
            {
              path: policyPath("lowerCapitalLimitPence"),
              message: `${pack.title} has a single capital limit and no tariff income: leave the lower limit out`,
            },
          ],
        };
      }
      w.step("capital", `Capital counted: ${money(counted)}`, null, cite(pack.capital.overUpperLimit));
      if (counted > upper) {
        w.step(
          "light_touch",
          `Capital of ${money(counted)} is over the upper limit of ${money(upper)}, so the person pays the full cost: ${money(chargeable)} a week`,
          chargeable,
          upperRule,
        );
        return finish(
          {
            assessment: "light_touch",
            lightTouchReason: "capital_over_upper_limit",
            capital: {
              lines,
              countedPence: pence(counted),
              lowerLimitPence: lower === null ? null : pence(lower),
              upperLimitPence: pence(upper),
              tariffIncomeWeeklyPence: null,
            },
          },
          chargeable,
          false,
        );
      }
      if (lower === null || !pack.capital.tariff) {
        w.step(
          "tariff_income",
          `Capital of ${money(counted)} is not over the limit of ${money(upper)}; these rules have a single limit and no tariff income, so it is ignored`,
          0,
          upperRule,
        );
      } else {
        tariff = tariffIncomeWeekly(counted, lower, pack.capital.tariff);
        const tariffRule = cite(pack.capital.tariff.source);
        const lowerRule: RuleCitation =
          policy?.lowerCapitalLimitPence !== undefined
            ? policyCitation(input, segment, "lowerCapitalLimitPence")
            : lowerFigure?.rule.basis === "council_supplied"
              ? {
                  ...lowerFigure.rule,
                  note: `${lowerFigure.rule.note} The tariff rule: ${tariffRule.title}, ${tariffRule.provision ?? ""}.`,
                }
              : tariffRule;
        w.step(
          "tariff_income",
          tariff === 0
            ? `Capital of ${money(counted)} is not over the lower limit of ${money(lower)}, so there is no tariff income`
            : `Tariff income: ${money(counted)} is ${money(counted - lower)} over the lower limit of ${money(lower)}; £1 a week for every £250 or part of £250 is ${money(tariff)} a week`,
          tariff,
          lowerRule,
        );
      }
    }
  }

  // 3. Income.
  const incomes: IncomeLine[] = [];
  let hasDisabilityBenefit = false;
  input.incomes.forEach((income, index) => {
    const path = `incomes[${index}]`;
    const label =
      income.type === "other" ? (income.description ?? "Other income") : INCOME_TYPE_LABELS[income.type];
    const amount = income.weeklyPence;
    const add = (countedPence: number, rule: RuleCitation, text: string) => {
      incomes.push({
        index,
        type: income.type,
        label,
        weeklyPence: pence(amount),
        countedWeeklyPence: pence(countedPence),
        disregardedWeeklyPence: pence(amount - countedPence),
        rule,
      });
      w.step(path, text, countedPence, rule);
      if (countedPence > 0 && DISABILITY_BENEFITS.includes(income.type)) hasDisabilityBenefit = true;
    };
    if (income.type === "other") {
      const countedPence = income.treatment === "counted" ? amount : 0;
      add(countedPence, ASSESSOR(income.basis!), `${label}: ${money(amount)} a week, ${income.treatment}`);
      return;
    }
    const councilDisregard = policy?.incomeDisregards.find((d) => d.type === income.type);
    if (councilDisregard && councilDisregard.weeklyPence === undefined) {
      add(
        0,
        policyCitation(input, segment, `incomeDisregards: ${income.type}`),
        `${label}: ${money(amount)} a week, disregarded in full by the council's policy`,
      );
      return;
    }
    const treatment = pack.incomes[income.type];
    if (treatment.treatment === "unsupported") {
      w.refuse(`${path}.type`, treatment.reason);
      return;
    }
    if (treatment.treatment === "disregarded") {
      add(0, cite(treatment.source), `${label}: ${money(amount)} a week, disregarded`);
      return;
    }
    let countedPence = amount;
    let text = `${label}: ${money(amount)} a week, counted`;
    let rule = cite(treatment.source);
    if (treatment.treatment === "savings_credit") {
      const figure = input.person.couple
        ? pack.savingsCreditDisregard.couple
        : pack.savingsCreditDisregard.single;
      const disregard = w.figure(
        figure,
        input.person.couple ? "savings_credit_disregard.couple" : "savings_credit_disregard.single",
        `${path}.type`,
        "the savings credit disregard",
      );
      if (disregard === null) return;
      countedPence = amount - Math.min(amount, disregard.pence);
      text = `${label}: ${money(amount)} a week, less the savings credit disregard of up to ${money(disregard.pence)}: ${money(countedPence)} counted`;
      rule = disregard.rule;
    }
    if (councilDisregard?.weeklyPence !== undefined) {
      const disregarded = Math.min(countedPence, councilDisregard.weeklyPence);
      countedPence -= disregarded;
      text += `; the council's policy disregards ${money(disregarded)}, leaving ${money(countedPence)}`;
      rule = {
        ...rule,
        note: `${rule.note ? `${rule.note} ` : ""}Partial disregard: the council's charging policy.`,
      };
    }
    add(countedPence, rule, text);
  });
  const assessable = incomes.reduce((sum, line) => sum + line.countedWeeklyPence, 0);

  // 4. Minimum income.
  let minimumIncome: ChargingPeriodResult["minimumIncome"] = null;
  const mi = pack.minimumIncome;
  if (mi.kind === "unsupported") {
    w.refuse("jurisdiction", mi.reason);
  } else if (mi.kind === "supplied_by_council") {
    if (input.minimumIncomeAmountWeeklyPence === undefined) {
      w.errors.push({
        path: "minimumIncomeAmountWeeklyPence",
        message: `Give the minimum income amount the council worked out for this person. ${mi.explanation}`,
      });
    } else {
      const statutory = input.minimumIncomeAmountWeeklyPence;
      const uplift =
        policy?.migUpliftPercent !== undefined ? percentUp(statutory, policy.migUpliftPercent) : 0;
      w.step(
        "minimum_income",
        `Minimum income amount, as the council worked it out: ${money(statutory)} a week`,
        statutory,
        { ...cite(mi.source), note: `${mi.source.note ?? ""} The amount was supplied in the case.`.trim() },
      );
      if (uplift > 0) {
        w.step(
          "minimum_income.council_uplift",
          `The council adds ${policy!.migUpliftPercent}%: ${money(uplift)}`,
          uplift,
          policyCitation(input, segment, "migUpliftPercent"),
        );
      }
      minimumIncome = {
        kind: "supplied_by_council",
        components: [],
        statutoryWeeklyPence: pence(statutory),
        councilUpliftWeeklyPence: pence(uplift),
        appliedWeeklyPence: pence(statutory + uplift),
      };
    }
  } else {
    const components = migComponents(input, mi, w);
    if (components !== null) {
      const migLines: MigLine[] = [];
      for (const { component, count } of components) {
        const found = w.figure(
          mi.amounts[component],
          `mig.${component}`,
          componentPath(component),
          `the MIG amount "${MIG_COMPONENT_LABELS[component]}"`,
        );
        if (found === null) continue;
        const each = found.pence;
        // A confirmed figure cites its regulation's paragraph; a supplied one keeps the source the council cites.
        const rule: RuleCitation =
          found.rule.basis === "council_supplied"
            ? found.rule
            : { ...found.rule, provision: MIG_COMPONENT_PROVISIONS[component] };
        migLines.push({
          component,
          label: MIG_COMPONENT_LABELS[component],
          count,
          weeklyPence: pence(each * count),
          rule,
        });
        w.step(
          `mig.${component}`,
          count === 1
            ? `${MIG_COMPONENT_LABELS[component]}: ${money(each)}`
            : `${MIG_COMPONENT_LABELS[component]}: ${count} × ${money(each)} = ${money(each * count)}`,
          each * count,
          rule,
        );
      }
      if (w.errors.length === 0) {
        const statutory = migLines.reduce((sum, line) => sum + line.weeklyPence, 0);
        const uplift =
          policy?.migUpliftPercent !== undefined ? percentUp(statutory, policy.migUpliftPercent) : 0;
        w.step("mig", `Minimum Income Guarantee: ${money(statutory)} a week`, statutory, cite(mi.source));
        if (uplift > 0) {
          w.step(
            "mig.council_uplift",
            `The council adds ${policy!.migUpliftPercent}% to the MIG: ${money(uplift)} (rounded up), making ${money(statutory + uplift)}`,
            uplift,
            policyCitation(input, segment, "migUpliftPercent"),
          );
        }
        minimumIncome = {
          kind: "mig",
          components: migLines,
          statutoryWeeklyPence: pence(statutory),
          councilUpliftWeeklyPence: pence(uplift),
          appliedWeeklyPence: pence(statutory + uplift),
        };
      }
    }
  }

  // 5. Housing costs.
  let housing = 0;
  if (input.housingCosts.length > 0) {
    if (pack.housingCosts.status === "unsupported") {
      w.refuse("housingCosts", pack.housingCosts.reason);
    } else {
      housing = input.housingCosts.reduce((sum, cost) => sum + cost.weeklyPence, 0);
      w.step(
        "housing_costs",
        `Housing costs (${input.housingCosts.map((c) => c.kind.replace("_", " ")).join(", ")}), after any housing benefit or council tax reduction: ${money(housing)} a week`,
        housing,
        cite(pack.housingCosts.source),
      );
    }
  }

  // 6. Disability-related expenditure.
  const dreInput = input.disabilityRelatedExpenditure;
  let claimed = 0;
  let allowed = 0;
  if (dreInput.kind !== "none") {
    const rule = pack.disabilityRelatedExpenditure;
    if (rule.status === "unsupported") {
      w.refuse("disabilityRelatedExpenditure", rule.reason);
    } else if (dreInput.kind === "standard" && policy?.standardDreAllowanceWeeklyPence === undefined) {
      w.errors.push({
        path: "disabilityRelatedExpenditure.kind",
        message: `The council's policy for ${segment.from} sets no standard disability-related expenditure allowance: itemise the expenses instead. ${pack.standardDreAllowance.note}`,
      });
    } else {
      claimed =
        dreInput.kind === "itemised"
          ? dreInput.items.reduce((sum, item) => sum + item.weeklyPence, 0)
          : policy!.standardDreAllowanceWeeklyPence!;
      allowed = hasDisabilityBenefit ? claimed : 0;
      const dreRule =
        dreInput.kind === "standard"
          ? policyCitation(input, segment, "standardDreAllowanceWeeklyPence")
          : cite(rule.source);
      w.step(
        "disability_related_expenditure",
        hasDisabilityBenefit
          ? dreInput.kind === "itemised"
            ? `Disability-related expenditure: ${dreInput.items.map((i) => `${i.description} ${money(i.weeklyPence)}`).join(", ")}: ${money(allowed)} a week`
            : `Disability-related expenditure: the council's standard allowance of ${money(allowed)} a week`
          : `Disability-related expenditure of ${money(claimed)} is not allowed: it is allowed only where a disability benefit (Attendance Allowance, DLA care, PIP daily living) is counted as income`,
        allowed,
        hasDisabilityBenefit ? dreRule : cite(rule.source),
      );
    }
  }

  if (w.errors.length > 0) return { ok: false, errors: w.errors };

  // 7. Disposable income and the charge.
  const migApplied = minimumIncome!.appliedWeeklyPence;
  const disposable = Math.max(0, assessable + tariff - migApplied - housing - allowed);
  w.step(
    "disposable_income",
    `Disposable income: ${money(assessable)} income + ${money(tariff)} tariff income − ${money(migApplied)} minimum income − ${money(housing)} housing costs − ${money(allowed)} disability-related expenditure = ${money(disposable)} a week (never below £0.00)`,
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
    {
      assessment: "full",
      lightTouchReason: null,
      capital: {
        lines,
        countedPence: pence(counted),
        lowerLimitPence: lower === null ? null : pence(lower),
        upperLimitPence: upper === null ? null : pence(upper),
        tariffIncomeWeeklyPence: counted > 0 ? pence(tariff) : pence(0),
      },
      incomes,
      assessableIncomeWeeklyPence: pence(assessable),
      minimumIncome,
      housingCostsWeeklyPence: pence(housing),
      disabilityRelatedExpenditure: {
        kind: dreInput.kind,
        claimedWeeklyPence: pence(claimed),
        allowedWeeklyPence: pence(allowed),
      },
      disposableIncomeWeeklyPence: pence(disposable),
      chargePercent,
    },
    charge,
    true,
  );
}

/** The input field that leads to each MIG component, for refusals. */
function componentPath(component: MigComponent): string {
  if (component === "per_child") return "person.children";
  if (component.startsWith("disability_premium")) return "person.disabilityPremium";
  if (component.startsWith("enhanced_disability_premium")) return "person.enhancedDisabilityPremium";
  if (component === "carer_premium") return "person.carerPremium";
  if (component.startsWith("couple")) return "person.couple";
  if (component === "single_pension_credit_age") return "person.reachedPensionCreditAge";
  if (component === "lone_parent") return "person.children";
  return "person.age";
}

/** Which parts of the England MIG apply to this person (reg 7), or null after refusing. */
function migComponents(
  input: ChargingInput,
  mig: Extract<ChargingRules["minimumIncome"], { kind: "mig" }>,
  w: Working,
): { component: MigComponent; count: number }[] | null {
  const { person } = input;
  const parts: { component: MigComponent; count: number }[] = [];
  const loneParent = !person.couple && person.children > 0;
  const errorsBefore = w.errors.length;

  if (person.couple) {
    const pensionAge = person.reachedPensionCreditAge || person.partnerReachedPensionCreditAge === true;
    parts.push({ component: pensionAge ? "couple_pension_credit_age_each" : "couple_each", count: 1 });
  } else if (loneParent) {
    if (person.reachedPensionCreditAge) {
      const rule = mig.loneParentPensionCreditAge;
      if (rule.status === "unsupported") w.refuse("person.reachedPensionCreditAge", rule.reason);
      else parts.push({ component: rule.component, count: 1 });
    } else {
      parts.push({ component: "lone_parent", count: 1 });
    }
  } else if (person.reachedPensionCreditAge) {
    parts.push({ component: "single_pension_credit_age", count: 1 });
  } else {
    parts.push({
      component: person.age < 25 ? "single_18_to_24" : "single_25_to_pension_credit_age",
      count: 1,
    });
  }
  if (person.children > 0) parts.push({ component: "per_child", count: person.children });

  const premium = (single: MigComponent, couple: MigComponent, path: string) => {
    if (person.couple) {
      parts.push({ component: couple, count: 1 });
    } else if (loneParent && mig.loneParentPremiums.status === "unsupported") {
      w.refuse(path, mig.loneParentPremiums.reason);
    } else {
      parts.push({ component: single, count: 1 });
    }
  };
  if (person.disabilityPremium)
    premium("disability_premium_single", "disability_premium_couple_each", "person.disabilityPremium");
  if (person.enhancedDisabilityPremium)
    premium(
      "enhanced_disability_premium_single",
      "enhanced_disability_premium_couple_each",
      "person.enhancedDisabilityPremium",
    );
  if (person.carerPremium) parts.push({ component: "carer_premium", count: 1 });
  return w.errors.length > errorsBefore ? null : parts;
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
