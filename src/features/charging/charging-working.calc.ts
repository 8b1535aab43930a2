import type { ChargingInput, CouncilPolicyVersion } from "#/features/charging/charging-input.calc.ts";
import {
  type SuppliedFigure,
  type SuppliedFigureKey,
  suppliedFigureLabel,
  suppliedFigureOn,
} from "#/features/charging/supplied-figures.calc.ts";
import { dateInWords } from "#/platform/date-words.calc.ts";
import { formatPounds, type Pence, pence } from "#/platform/money/pence.ts";
import type {
  ChargingFigure,
  ChargingJurisdiction,
  ChargingRules,
  ChargingSource,
  IncomeType,
  MigComponent,
} from "#/rules/charging.ts";
import type { FieldError } from "#/vocabulary/field-error.ts";

/**
 * What every step of the charging calculator shares: the result's types, the working (steps and refusals) of
 * one period, how a step cites its rule, and the percentage and money helpers. Pure.
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
   * Dated figures the council supplies for figures a pack marks unsupported (supplied-figures.calc.ts). Used only
   * where the pack has no confirmed figure; a new period starts where one the pack needs starts or stops.
   */
  readonly suppliedFigures?: readonly SuppliedFigure[];
};

/** A percentage (≤ 2 decimal places) as whole basis points. */
const basisPoints = (percent: number) => Math.round(percent * 100);
/** amount × percent, rounded down to the penny. */
export const percentDown = (amount: number, percent: number) =>
  Math.floor((amount * basisPoints(percent)) / 10_000);
/** amount × percent, rounded up to the penny. */
export const percentUp = (amount: number, percent: number) =>
  Math.ceil((amount * basisPoints(percent)) / 10_000);

export const money = (p: number) => formatPounds(pence(p));

export function cite(source: ChargingSource): RuleCitation {
  return {
    title: source.title,
    ...(source.provision ? { provision: source.provision } : {}),
    ...(source.url ? { url: source.url } : {}),
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

/** One stretch of dates under one rule pack and one council policy version (charging-periods.calc.ts). */
export type Segment = {
  from: string;
  to: string | null;
  pack: ChargingRules;
  policy: { version: CouncilPolicyVersion; index: number } | null;
};

/** The working out of one period: its steps in order, and what was refused. */
export class Working {
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
   * for this period (the council's own reading of the circular comes before secondary sources); else the pack's
   * figure agreed by secondary sources; else null, after refusing with what it is, why it cannot be used and
   * what a council can do.
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
    if (figure.status === "secondary") return { pence: figure.pence, rule: secondaryCitation(key, figure) };
    this.refuse(
      path,
      `${what}: ${unsupportedMessage(figure)} The council can supply the figure it uses (“${suppliedFigureLabel(key)}”), citing its source.`,
    );
    return null;
  }
}

/** How a step that uses a figure agreed by secondary sources names them, in one line. */
function secondaryCitation(
  key: SuppliedFigureKey,
  figure: Extract<ChargingFigure, { status: "secondary" }>,
): RuleCitation {
  const first = figure.sources[0]!;
  return {
    title: `${suppliedFigureLabel(key)}: ${money(figure.pence)}`,
    ...(first.provision ? { provision: first.provision } : {}),
    ...(first.url ? { url: first.url } : {}),
    basis: "secondary",
    note: `The official circular could not be read; ${figure.sources.length} published sources agree on this figure: ${figure.sources.map((s) => s.title).join("; ")}.`,
  };
}

/** How a step that uses a council-supplied figure names it: "supplied by the council, source: …". */
function suppliedCitation(supplied: SuppliedFigure, figure: ChargingFigure): RuleCitation {
  const why =
    figure.status === "unsupported"
      ? `The rule pack has no confirmed figure: ${figure.reason}`
      : `The council's figure is used in place of the one published secondary sources give (${money(figure.pence)}).`;
  return {
    title: `${suppliedFigureLabel(supplied.figure)}: ${money(supplied.pence)}, supplied by the council`,
    provision: supplied.source,
    basis: "council_supplied",
    note: `Supplied by the council, source: ${supplied.source}. In force from ${dateInWords(supplied.validFrom)}${supplied.validTo ? ` to ${dateInWords(supplied.validTo)}` : ""}. ${why}`,
  };
}

export function policyCitation(input: ChargingInput, segment: Segment, field: string): RuleCitation {
  const name = input.councilPolicy?.name;
  return {
    title: `The council's charging policy${name ? ` (${name})` : ""}, version from ${dateInWords(segment.policy!.version.validFrom)}`,
    provision: field,
    basis: "council_policy",
  };
}

export const ASSESSOR = (basis: string): RuleCitation => ({
  title: "As stated in the assessment",
  provision: basis,
  basis: "assessor",
});

/** One period being worked out: the case, its dates' rules and policy version, and the working so far. */
export type Period = {
  readonly input: ChargingInput;
  readonly segment: Segment;
  readonly policy: CouncilPolicyVersion | null;
  readonly w: Working;
};
