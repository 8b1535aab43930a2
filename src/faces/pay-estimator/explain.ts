import {
  BENEFIT_LABELS,
  enteredAmount,
  HOUSING_LABELS,
  PAGE_TITLES,
  type PageContext,
  type PageSlug,
  type PageValue,
  PENSION_LABELS,
  PREMIUM_BENEFIT_LABELS,
} from "#/faces/pay-estimator/forms.ts";
import { HOW_OFTEN_WORDS } from "#/faces/pay-estimator/how-often.calc.ts";
import {
  BENEFIT_TYPES,
  EXTRA_COST_ITEMS,
  EXTRA_COST_LABELS,
  HOUSING_KINDS,
  MAIN_HOME_DESCRIPTION,
  type PayAnswers,
  PENSION_TYPES,
  premiumsFrom,
} from "#/faces/pay-estimator/pay-estimator.calc.ts";
import type {
  ChargingPeriodResult,
  ChargingResult,
  ChargingStep,
} from "#/features/charging/charging.calc.ts";
import type { ChargingInputJson } from "#/features/charging/charging-input.calc.ts";
import { formatPounds, type Pence } from "#/platform/money/pence.ts";
import type { FieldError } from "#/platform/validation.ts";
import type { FormValues } from "#/platform/web/forms.ts";

/**
 * The pay estimator's words: the answers as "Check your answers" rows, the calculator's result as the
 * estimate page shows it, and the calculator's refusals in plain English with what the person can do.
 */

const money = (p: number) => formatPounds(p as Pence);
const weekly = (p: number) => `${money(p)} a week`;
const yesNo = (b: boolean) => (b ? "Yes" : "No");

// ---- check your answers -----------------------------------------------------------------------------------

export type Row = { key: string; value: string };

/**
 * A weekly amount as the person entered it: "£520.00 a month (£120.00 a week)", or "£120.00 a week" if they
 * entered it weekly (or their entry cannot be read, when only the weekly amount is known).
 */
export function asEntered(weeklyPence: number, values: FormValues | undefined, field: string): string {
  const entered = enteredAmount(values, field);
  if (!entered || entered.often === "week") return weekly(weeklyPence);
  return `${money(entered.pence)} ${HOW_OFTEN_WORDS[entered.often]} (${weekly(weeklyPence)})`;
}

function amountRows<K extends string>(
  amounts: Partial<Record<K, number>>,
  order: readonly K[],
  labels: Record<K, string>,
  values: FormValues | undefined,
): Row[] {
  return order.flatMap((k) => {
    const v = amounts[k];
    return v !== undefined && v > 0 ? [{ key: labels[k], value: asEntered(v, values, k) }] : [];
  });
}

/** One page's answers as summary rows; `values`, the page's fields as typed, say how often each amount was. */
export function rowsFor<S extends PageSlug>(
  slug: S,
  value: PageValue[S],
  ctx: PageContext & { councilName: string },
  values?: FormValues,
): Row[] {
  const v = value as PageValue[PageSlug];
  switch (slug) {
    case "about-you": {
      const a = v as PageValue["about-you"];
      return [
        { key: "Age", value: String(a.age) },
        { key: "Reached State Pension age", value: yesNo(a.pensionAge) },
        { key: "Partner who lives with you", value: yesNo(a.partner) },
        ...(a.partner
          ? [{ key: "Partner has reached State Pension age", value: yesNo(a.partnerPensionAge!) }]
          : []),
        { key: "Children who live with you", value: String(a.children) },
        ...(a.premiumBenefits
          ? [
              {
                key: "Benefits you get",
                value:
                  a.premiumBenefits.length === 0
                    ? "None of these"
                    : a.premiumBenefits.map((b) => PREMIUM_BENEFIT_LABELS[b]).join("; "),
              },
            ]
          : []),
      ];
    }
    case "savings": {
      const s = v as PageValue["savings"];
      return [
        { key: "Savings and investments", value: money(s.savingsPence) },
        {
          key: "Other property or land",
          value: s.otherPropertyPence > 0 ? money(s.otherPropertyPence) : "None",
        },
        { key: "Own or part-own the home you live in", value: yesNo(s.ownsHome) },
      ];
    }
    case "benefits": {
      const rows = amountRows(v as PageValue["benefits"], BENEFIT_TYPES, BENEFIT_LABELS, values);
      return rows.length > 0 ? rows : [{ key: "Benefits", value: "None entered" }];
    }
    case "other-income": {
      const o = v as PageValue["other-income"];
      const rows = amountRows(o.amounts, PENSION_TYPES, PENSION_LABELS, values);
      if (o.other)
        rows.push({
          key: `Other: ${o.other.description}`,
          value: asEntered(o.other.weeklyPence, values, "otherIncome"),
        });
      return rows.length > 0 ? rows : [{ key: "Pensions, earnings and other income", value: "None entered" }];
    }
    case "housing": {
      const rows = amountRows(v as PageValue["housing"], HOUSING_KINDS, HOUSING_LABELS, values);
      return rows.length > 0 ? rows : [{ key: "Housing costs", value: "None entered" }];
    }
    case "extra-costs": {
      const e = v as PageValue["extra-costs"];
      if (e.kind !== "itemised") {
        const value = e.kind === "none" ? "None" : `Use ${ctx.councilName}'s standard weekly amount`;
        return [{ key: "Extra costs", value }];
      }
      const rows = amountRows(e.items, EXTRA_COST_ITEMS, EXTRA_COST_LABELS, values);
      if (e.other)
        rows.push({
          key: `Other: ${e.other.description}`,
          value: asEntered(e.other.weeklyPence, values, "otherCost"),
        });
      return rows;
    }
    case "care-cost": {
      const c = v as PageValue["care-cost"];
      return [
        {
          key: "Cost of your care",
          value: c.useBudget
            ? `${weekly(c.weeklyPence)} (your estimated budget)`
            : asEntered(c.weeklyPence, values, "weeklyCost"),
        },
        ...(c.personalCareWeeklyPence !== undefined
          ? [
              {
                key: "Of which personal care",
                value: asEntered(c.personalCareWeeklyPence, values, "personalCare"),
              },
            ]
          : []),
      ];
    }
  }
  return [];
}

// ---- the estimate ------------------------------------------------------------------------------------------

export type Citation = { text: string; url?: string; note?: string; own: boolean };

/** The council's policy settings (charging/charging-input.calc.ts councilPolicyVersionSchema), as a person would name them. */
const POLICY_SETTINGS: Record<string, string> = {
  migUpliftPercent: "what it adds to the minimum income",
  lowerCapitalLimitPence: "its lower capital limit",
  upperCapitalLimitPence: "its upper capital limit",
  chargePercent: "the share of disposable income it charges",
  minimumChargeWeeklyPence: "its minimum charge",
  weeklyMaximumChargePence: "its weekly maximum charge",
  standardDreAllowanceWeeklyPence: "its standard allowance for extra costs",
};

/** A rule as the page cites it: a published source (linked), the council's policy, or this estimate's own reading. */
export function citation(rule: ChargingStep["rule"]): Citation {
  if (rule.basis === "assessor") return { text: `This estimate: ${rule.provision ?? ""}`.trim(), own: true };
  const provision =
    rule.basis === "council_policy" && rule.provision !== undefined
      ? (POLICY_SETTINGS[rule.provision] ??
        (rule.provision.startsWith("incomeDisregards") ? "income it disregards" : rule.provision))
      : rule.provision;
  const text = [rule.title, provision].filter(Boolean).join(", ");
  return {
    text: rule.basis === "secondary" ? `${text} (read only in a secondary copy)` : text,
    ...(rule.url ? { url: rule.url } : {}),
    ...(rule.note ? { note: rule.note } : {}),
    own: false,
  };
}

export type Step = { text: string; cite: Citation };

/** The calculator's steps as the page lists them; the home is described as the person knows it. */
export function stepsOf(period: ChargingPeriodResult, chargingCase: ChargingInputJson): Step[] {
  return period.steps.map((step) => {
    const index = /^capital\[(\d+)\]$/.exec(step.id)?.[1];
    const item = index === undefined ? undefined : chargingCase.capital?.[Number(index)];
    const text =
      item?.kind === "main_home" && item.description === MAIN_HOME_DESCRIPTION
        ? "The home you live in is not counted, because your care is at home"
        : step.text;
    return { text, cite: citation(step.rule) };
  });
}

export type EstimateView = {
  period: ChargingPeriodResult;
  steps: Step[];
  premiums: { label: string; included: boolean; because: string; cite: Citation }[];
  otherIncomeCounted: boolean;
  usedBudget: boolean;
};

export function estimateView(
  result: ChargingResult,
  chargingCase: ChargingInputJson,
  answers: PayAnswers,
): EstimateView {
  const period = result.periods[0]!;
  const mig = period.minimumIncome?.kind === "mig";
  return {
    period,
    steps: stepsOf(period, chargingCase),
    premiums: mig
      ? premiumsFrom(answers.aboutYou).readings.map((r) => ({
          label: r.label,
          included: r.included,
          because: r.because,
          cite: citation(r.rule),
        }))
      : [],
    otherIncomeCounted: period.incomes.some((i) => i.type === "other"),
    usedBudget: answers.careCost.useBudget,
  };
}

// ---- when there is no estimate ------------------------------------------------------------------------------

export type Refusal = {
  /** In plain words. */
  text: string;
  /** The calculator's own words for each refusal this stands for, with its reason and sources. */
  details: string[];
  /** The page whose answers led here, if one did. */
  slug?: PageSlug;
  pageTitle?: string;
  /** Whether changing an answer can help (not only asking the council). */
  canChange: boolean;
};

/** The page whose answer a calculator error points to (`incomes[2].type` → the page that asked that income). */
export function pageOfPath(path: string, chargingCase: ChargingInputJson): PageSlug | undefined {
  if (path.startsWith("person.")) return "about-you";
  if (path.startsWith("capital")) return "savings";
  if (path.startsWith("housingCosts")) return "housing";
  if (path.startsWith("disabilityRelatedExpenditure")) return "extra-costs";
  if (path.startsWith("costOfCare")) return "care-cost";
  const income = /^incomes\[(\d+)\]/.exec(path)?.[1];
  if (income !== undefined) {
    const type = chargingCase.incomes?.[Number(income)]?.type;
    return type !== undefined && (BENEFIT_TYPES as readonly string[]).includes(type)
      ? "benefits"
      : "other-income";
  }
  return undefined;
}

const NOT_SUPPORTED = /^(?:For [^:]+: )?Not supported by the rules for [^:]+: /;

/** The calculator's refusals in plain words: one line for each thing to say, with every reason behind it. */
export function refusalsOf(
  errors: readonly FieldError[],
  chargingCase: ChargingInputJson | null,
  councilName: string,
): Refusal[] {
  const byText = new Map<string, Refusal>();
  for (const error of errors) {
    const slug = chargingCase ? pageOfPath(error.path, chargingCase) : undefined;
    let text: string;
    let canChange = false;
    if (error.path === "period.from" || error.path === "period.to") {
      text = "The charging rules for today's date have not been added to this service yet.";
    } else if (error.path === "jurisdiction" && !NOT_SUPPORTED.test(error.message)) {
      text = `There are no charging rules in this service for ${councilName}'s area yet.`;
    } else if (error.path === "minimumIncomeAmountWeeklyPence") {
      text =
        "The least income you must be left with each week is worked out by the council from the benefits you get " +
        "or could get. This online estimate cannot work that out for you.";
    } else if (error.path === "disabilityRelatedExpenditure.kind") {
      text = `${councilName} has not set a standard weekly amount for extra costs. You can change your answer to list your extra costs instead.`;
      canChange = true;
    } else if (NOT_SUPPORTED.test(error.message)) {
      text = slug
        ? `Your answers about "${PAGE_TITLES[slug].toLowerCase()}" need a rule or figure that has not yet been checked against the official rules, and ${councilName} has not supplied it.`
        : `The rules for today need figures that have not yet been checked against the official rules, and ${councilName} has not supplied them.`;
    } else {
      text = error.message;
    }
    const refusal = byText.get(text);
    if (refusal) {
      if (!refusal.details.includes(error.message)) refusal.details.push(error.message);
      continue;
    }
    byText.set(text, {
      text,
      details: [error.message],
      ...(slug ? { slug, pageTitle: PAGE_TITLES[slug] } : {}),
      canChange,
    });
  }
  return [...byText.values()];
}
