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

/** Works out the period's capital and tariff income; `chargeable` is the weekly cost a person over the limit pays. */
export function assessCapital(p: Period, chargeable: number): CapitalOutcome {
  const { input, segment, policy, w } = p;
  const { pack } = segment;
  const policyPath = (field: string) => `councilPolicy.versions[${segment.policy?.index ?? 0}].${field}`;
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
        return {
          ok: true,
          overUpperLimit: true,
          tariff: 0,
          capital: {
            lines,
            countedPence: pence(counted),
            lowerLimitPence: lower === null ? null : pence(lower),
            upperLimitPence: pence(upper),
            tariffIncomeWeeklyPence: null,
          },
        };
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
  return {
    ok: true,
    overUpperLimit: false,
    tariff,
    capital: {
      lines,
      countedPence: pence(counted),
      lowerLimitPence: lower === null ? null : pence(lower),
      upperLimitPence: upper === null ? null : pence(upper),
      tariffIncomeWeeklyPence: counted > 0 ? pence(tariff) : pence(0),
    },
  };
}
