import { pence } from "#/platform/money/pence.ts";
import type { FieldError } from "#/vocabulary/field-error.ts";
import {
  ASSESSOR,
  type CapitalLine,
  type ChargingPeriodResult,
  cite,
  money,
  type Period,
  policyCitation,
  type RuleCitation,
} from "./charging-working.calc.ts";

/**
 * Capital: what is counted and what is disregarded (the main home outside a care home; anything the assessment
 * disregards for a stated reason), the capital limits (the council may raise them, never lower them), and the
 * tariff income from capital between the limits. Pure.
 */

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

export type CapitalOutcome =
  | {
      ok: true;
      /** Capital over the upper limit: the person pays the full chargeable cost (light touch). */
      overUpperLimit: boolean;
      capital: ChargingPeriodResult["capital"];
      tariff: number;
    }
  | { ok: false; errors: FieldError[] };

/** Every capital item's line, and the total counted (the main home and disregarded items are not). */
function countCapital(p: Period): { lines: CapitalLine[]; counted: number } {
  const { input, segment, w } = p;
  const { pack } = segment;
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
  return { lines, counted };
}

/** The period's capital limits, with the rule behind each, as the council's policy may have raised them. */
type CapitalLimits = {
  upper: number;
  upperRule: RuleCitation;
  lower: number | null;
  lowerFigure: { pence: number; rule: RuleCitation } | null;
};

const policyRefusal = (p: Period, field: string, message: string): { ok: false; errors: FieldError[] } => ({
  ok: false,
  errors: [{ path: `councilPolicy.versions[${p.segment.policy?.index ?? 0}].${field}`, message }],
});

/**
 * The capital limits: the pack's figures (or the council's supplied ones), raised by the council's policy where
 * it says so. `limits` is null when a figure is refused (the working holds why); a policy that would lower a
 * limit, or set a lower limit where the rules have one limit only, is an error.
 */
function capitalLimits(
  p: Period,
): { ok: true; limits: CapitalLimits | null } | { ok: false; errors: FieldError[] } {
  const { input, segment, policy, w } = p;
  const { pack } = segment;
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
  if (!limitsKnown) return { ok: true, limits: null };
  let upper = upperFigure.pence;
  let upperRule = upperFigure.rule;
  if (policy?.upperCapitalLimitPence !== undefined) {
    if (policy.upperCapitalLimitPence < upper) {
      return policyRefusal(
        p,
        "upperCapitalLimitPence",
        `A council may set a higher upper capital limit, not a lower one: it must be at least ${money(upper)}`,
      );
    }
    upper = policy.upperCapitalLimitPence;
    upperRule = policyCitation(input, segment, "upperCapitalLimitPence");
  }
  let lower: number | null = null;
  if (statutoryLower !== null) {
    lower = statutoryLower;
    if (policy?.lowerCapitalLimitPence !== undefined) {
      if (policy.lowerCapitalLimitPence < lower) {
        return policyRefusal(
          p,
          "lowerCapitalLimitPence",
          `A council may set a higher lower capital limit, not a lower one: it must be at least ${money(lower)}`,
        );
      }
      lower = Math.min(policy.lowerCapitalLimitPence, upper);
    }
  } else if (policy?.lowerCapitalLimitPence !== undefined) {
    return policyRefusal(
      p,
      "lowerCapitalLimitPence",
      `${pack.title} has a single capital limit and no tariff income: leave the lower limit out`,
    );
  }
  return { ok: true, limits: { upper, upperRule, lower, lowerFigure } };
}

/** The weekly tariff income from capital not over the upper limit, with its step (none under a single limit). */
function tariffIncomeOf(p: Period, counted: number, limits: CapitalLimits): number {
  const { input, segment, policy, w } = p;
  const { pack } = segment;
  const { upper, upperRule, lower, lowerFigure } = limits;
  if (lower === null || !pack.capital.tariff) {
    w.step(
      "tariff_income",
      `Capital of ${money(counted)} is not over the limit of ${money(upper)}; these rules have a single limit and no tariff income, so it is ignored`,
      0,
      upperRule,
    );
    return 0;
  }
  const tariff = tariffIncomeWeekly(counted, lower, pack.capital.tariff);
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
  return tariff;
}

/** Works out the period's capital and tariff income; `chargeable` is the weekly cost a person over the limit pays. */
export function assessCapital(p: Period, chargeable: number): CapitalOutcome {
  const { segment, w } = p;
  const { pack } = segment;
  const { lines, counted } = countCapital(p);
  const capital = (lower: number | null, upper: number | null, tariff: number | null) => ({
    lines,
    countedPence: pence(counted),
    lowerLimitPence: lower === null ? null : pence(lower),
    upperLimitPence: upper === null ? null : pence(upper),
    tariffIncomeWeeklyPence: tariff === null ? null : pence(tariff),
  });
  const nothingOver = {
    ok: true as const,
    overUpperLimit: false,
    tariff: 0,
    capital: capital(null, null, 0),
  };
  if (counted <= 0) return nothingOver;
  const found = capitalLimits(p);
  if (!found.ok) return found;
  if (!found.limits) return nothingOver;
  const { upper, upperRule, lower } = found.limits;
  w.step("capital", `Capital counted: ${money(counted)}`, null, cite(pack.capital.overUpperLimit));
  if (counted > upper) {
    w.step(
      "light_touch",
      `Capital of ${money(counted)} is over the upper limit of ${money(upper)}, so the person pays the full cost: ${money(chargeable)} a week`,
      chargeable,
      upperRule,
    );
    return { ok: true, overUpperLimit: true, tariff: 0, capital: capital(lower, upper, null) };
  }
  const tariff = tariffIncomeOf(p, counted, found.limits);
  return { ok: true, overUpperLimit: false, tariff, capital: capital(lower, upper, tariff) };
}
