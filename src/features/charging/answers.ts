import { z } from "zod";
import {
  CAPITAL_KINDS,
  type ChargingInputJson,
  type CouncilPolicy,
  chargingCapitalSchema,
  chargingHousingCostSchema,
  chargingIncomeSchema,
  HOUSING_COST_KINDS,
  MAX_CAPITAL_PENCE,
  MAX_WEEKLY_PENCE,
} from "#/features/charging/charging-input.calc.ts";
import { FREQUENCIES, type Frequency, weeklyFrom } from "#/platform/money/periods.ts";
import type { ChargingJurisdiction } from "#/rules/charging.ts";
import { isCalendarDate } from "#/rules/index.ts";

/**
 * The answers to a financial assessment, as the pages (and the API) record them: what the person told us, in
 * the amounts and frequencies they gave, section by section. `chargingInputFrom` turns complete answers plus
 * what the app knows (the person's date of birth, the council's rules and settings, the cost of care) into the
 * charging calculator's input. Shared by the pages, the API and the demo seed.
 */

const whenMissing = (message: string) => ({
  error: (issue: { code?: string }) => (issue.code === "invalid_type" ? message : undefined),
});
const yesNo = (message: string) => z.boolean(whenMissing(message));
const date = (what: string) =>
  z
    .string(whenMissing(`Give ${what} as a date written YYYY-MM-DD`))
    .refine(isCalendarDate, { error: `Give ${what} as a real date` });

// ---- how often an amount is paid ----------------------------------------------------------------------------

export { FREQUENCIES, type Frequency } from "#/platform/money/periods.ts";

export const FREQUENCY_LABELS: Record<Frequency, string> = {
  week: "Every week",
  two_weeks: "Every 2 weeks",
  four_weeks: "Every 4 weeks",
  month: "Every calendar month",
  year: "Every year",
};

export const WEEKLY_ROUNDING =
  "Amounts paid less often than weekly are turned into weekly amounts: every 2 weeks ÷ 2, every 4 weeks ÷ 4, " +
  "monthly × 12 ÷ 52, yearly ÷ 52, to the nearest penny (half a penny rounds up).";

/** An amount paid at a frequency, as whole pence a week (nearest penny, halves up). */
export function toWeeklyPence(amountPence: number, frequency: Frequency): number {
  return weeklyFrom(amountPence, frequency, "nearest");
}

/** The weekly amount, or null where the amount or frequency is not valid (their own checks report that). */
function checkedWeekly(amountPence: unknown, frequency: unknown): number | null {
  if (typeof amountPence !== "number" || !Number.isSafeInteger(amountPence) || amountPence < 0) return null;
  if (!(FREQUENCIES as readonly unknown[]).includes(frequency)) return null;
  return toWeeklyPence(amountPence, frequency as Frequency);
}

const amountPence = (what: string, max: number) =>
  z
    .int(whenMissing(`Give ${what} in whole pence`))
    .min(0, { error: `${what.charAt(0).toUpperCase()}${what.slice(1)} cannot be negative` })
    .max(max, { error: `Check ${what}: it is more than anyone could have` });

/** An amount as the person gave it, and how often. */
const paidAmount = {
  amountPence: amountPence("the amount", MAX_WEEKLY_PENCE * 52),
  frequency: z.enum(FREQUENCIES, { error: "Say how often it is paid" }),
};

// ---- sections -------------------------------------------------------------------------------------------------

export const ROUTES = ["full", "chooses_to_pay_full_cost", "capital_over_upper_limit"] as const;
export type Route = (typeof ROUTES)[number];

export const aboutSchema = z
  .strictObject({
    appliesFrom: date("the date the assessment applies from"),
    appliesTo: date("the last day the assessment applies to").optional(),
    route: z.enum(ROUTES, { error: "Choose how the assessment is done" }),
    reachedPensionCreditAge: yesNo("Say whether the person has reached pension credit age"),
    /** Light touch, capital over the upper limit: the person's capital, as they told us. */
    lightTouchCapitalPence: amountPence("the capital", MAX_CAPITAL_PENCE).optional(),
  })
  .superRefine((about, ctx) => {
    if (about.appliesTo !== undefined && about.appliesTo < about.appliesFrom) {
      ctx.addIssue({
        code: "custom",
        path: ["appliesTo"],
        message: "The last day must be the same as or after the first day",
      });
    }
    if (about.route === "capital_over_upper_limit" && about.lightTouchCapitalPence === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["lightTouchCapitalPence"],
        message: "Give the person's capital, so it can be checked against the upper limit",
      });
    }
  });

export const circumstancesSchema = z
  .strictObject({
    couple: yesNo("Say whether the person is a member of a couple"),
    partnerReachedPensionCreditAge: yesNo(
      "Say whether the partner has reached pension credit age",
    ).optional(),
    children: z
      .int(whenMissing("Give the number of children as a whole number"))
      .min(0, { error: "The number of children cannot be negative" })
      .max(20, { error: "Check the number of children: it is over 20" }),
    disabilityPremium: yesNo("Say whether the disability premium applies"),
    enhancedDisabilityPremium: yesNo("Say whether the enhanced disability premium applies"),
    carerPremium: yesNo("Say whether the carer premium applies"),
    /** Wales only: the minimum income amount the council worked out for this person. */
    minimumIncomeAmountWeeklyPence: amountPence("the minimum income amount", MAX_WEEKLY_PENCE).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.couple && c.partnerReachedPensionCreditAge === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["partnerReachedPensionCreditAge"],
        message: "Say whether the partner has reached pension credit age",
      });
    }
  });

const { weeklyPence: _incomeWeekly, ...incomeShape } = chargingIncomeSchema.shape;
export const incomeEntrySchema = z
  .strictObject({ ...incomeShape, ...paidAmount })
  .superRefine((income, ctx) => {
    // A wrong amount or frequency is already reported by its own check.
    const weekly = checkedWeekly(income.amountPence, income.frequency) ?? 0;
    const checked = chargingIncomeSchema.safeParse({
      type: income.type,
      weeklyPence: weekly,
      ...(income.description ? { description: income.description } : {}),
      ...(income.treatment ? { treatment: income.treatment } : {}),
      ...(income.basis ? { basis: income.basis } : {}),
    });
    if (!checked.success) {
      for (const issue of checked.error.issues) {
        const field = issue.path[0] === "weeklyPence" ? "amountPence" : issue.path[0];
        ctx.addIssue({ code: "custom", path: [field ?? "type"], message: issue.message });
      }
    }
  });
export type IncomeEntry = z.output<typeof incomeEntrySchema>;

export const capitalEntrySchema = chargingCapitalSchema;
export type CapitalEntry = z.output<typeof capitalEntrySchema>;

export const housingEntrySchema = z
  .strictObject({
    kind: chargingHousingCostSchema.shape.kind,
    ...paidAmount,
  })
  .superRefine((h, ctx) => {
    if ((checkedWeekly(h.amountPence, h.frequency) ?? 0) > MAX_WEEKLY_PENCE) {
      ctx.addIssue({
        code: "custom",
        path: ["amountPence"],
        message: "Check the amount: it is more than £25,000 a week",
      });
    }
  });
export type HousingEntry = z.output<typeof housingEntrySchema>;

export const dreItemSchema = z
  .strictObject({
    description: z
      .string(whenMissing("Say what the expense is"))
      .trim()
      .min(1, { error: "Say what the expense is" })
      .max(200, { error: "Keep this to 200 characters" }),
    ...paidAmount,
  })
  .superRefine((item, ctx) => {
    if ((checkedWeekly(item.amountPence, item.frequency) ?? 0) > MAX_WEEKLY_PENCE) {
      ctx.addIssue({
        code: "custom",
        path: ["amountPence"],
        message: "Check the amount: it is more than £25,000 a week",
      });
    }
  });
export type DreItem = z.output<typeof dreItemSchema>;

export const dreSchema = z.strictObject({
  kind: z.enum(["none", "standard", "itemised"], {
    error: "Say how disability-related expenditure is assessed",
  }),
  items: z.array(dreItemSchema).max(50, { error: "List at most 50 expenses" }).default([]),
});

export const costOfCareAnswerSchema = z.strictObject({
  /** Only where there is neither an agreed plan nor an indicative budget: the finance officer's estimate. */
  estimateWeeklyPence: amountPence("the weekly cost of care", MAX_WEEKLY_PENCE).optional(),
  /** Scotland only: the part of the weekly cost that is personal care (free). */
  personalCareWeeklyPence: amountPence("the weekly cost of personal care", MAX_WEEKLY_PENCE).optional(),
});

/** Every section; a draft holds some of them, a complete set passes `completeAnswersSchema`. */
export const financialAnswersSchema = z
  .strictObject({
    about: aboutSchema,
    circumstances: circumstancesSchema,
    incomes: z.array(incomeEntrySchema).max(100, { error: "List at most 100 incomes" }),
    capital: z.array(capitalEntrySchema).max(100, { error: "List at most 100 items of capital" }),
    housingCosts: z.array(housingEntrySchema).max(20, { error: "List at most 20 housing costs" }),
    dre: dreSchema,
    costOfCare: costOfCareAnswerSchema,
  })
  .partial()
  .meta({
    id: "FinancialAssessmentAnswers",
    description:
      "What the person told us, section by section. Amounts are whole pence at the frequency given (converted to " +
      "weekly amounts by the rule stated with the result). A light-touch assessment needs only `about` (and " +
      "`costOfCare` where there is no plan or indicative budget).",
  });
export type FinancialAnswers = z.output<typeof financialAnswersSchema>;
export type FinancialAnswersJson = z.input<typeof financialAnswersSchema>;
export type SectionName = keyof FinancialAnswers;

export const SECTION_NAMES: readonly SectionName[] = [
  "about",
  "circumstances",
  "incomes",
  "capital",
  "housingCosts",
  "dre",
  "costOfCare",
];

/** The sections a route needs before it can be completed. */
export function sectionsNeeded(route: Route | undefined): SectionName[] {
  if (route === undefined || route === "full")
    return ["about", "circumstances", "incomes", "capital", "housingCosts", "dre", "costOfCare"];
  return ["about", "costOfCare"];
}

// ---- to the calculator's input --------------------------------------------------------------------------------

export type CostOfCareKnown = {
  weeklyPence: number;
  basis: "agreed_plan" | "indicative_budget";
};

export type InputContext = {
  jurisdiction: ChargingJurisdiction;
  dateOfBirth: string;
  /** The agreed plan's cost or the indicative budget; null where there is neither (an estimate is asked for). */
  costOfCare: CostOfCareKnown | null;
  councilPolicy?: CouncilPolicy;
};

/** Whole years from a date of birth to a date (a birthday on 29 February counts from 1 March in other years). */
export function ageOn(dateOfBirth: string, date: string): number {
  const [by, bm, bd] = dateOfBirth.split("-").map(Number) as [number, number, number];
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

export type MissingSection = { section: SectionName; message: string };

/**
 * The calculator's input, or the sections still to answer. Does not check the input: the calculator's schema
 * does that next, and the callers map its errors back to the pages (`sectionForPath`).
 */
export function chargingInputFrom(
  answers: FinancialAnswers,
  context: InputContext,
): { ok: true; input: ChargingInputJson } | { ok: false; missing: MissingSection[] } {
  const about = answers.about;
  const missing: MissingSection[] = [];
  for (const section of sectionsNeeded(about?.route)) {
    if (answers[section] === undefined)
      missing.push({ section, message: `${SECTION_TITLES[section]}: not answered yet` });
  }
  if (context.costOfCare === null && answers.costOfCare?.estimateWeeklyPence === undefined) {
    if (!missing.some((m) => m.section === "costOfCare"))
      missing.push({ section: "costOfCare", message: "Cost of care: give an estimate of the weekly cost" });
  }
  if (context.jurisdiction === "scotland" && answers.costOfCare?.personalCareWeeklyPence === undefined) {
    if (!missing.some((m) => m.section === "costOfCare"))
      missing.push({ section: "costOfCare", message: "Cost of care: say how much of it is personal care" });
  }
  if (context.jurisdiction === "wales" && about?.route === "full") {
    if (answers.circumstances && answers.circumstances.minimumIncomeAmountWeeklyPence === undefined)
      missing.push({
        section: "circumstances",
        message: "Circumstances: give the minimum income amount the council worked out",
      });
  }
  if (missing.length > 0 || !about) return { ok: false, missing };

  const costOfCare: ChargingInputJson["costOfCare"] = {
    weeklyPence: context.costOfCare?.weeklyPence ?? answers.costOfCare!.estimateWeeklyPence!,
    basis: context.costOfCare?.basis ?? "estimate",
    ...(context.jurisdiction === "scotland"
      ? { personalCareWeeklyPence: answers.costOfCare!.personalCareWeeklyPence! }
      : {}),
  };
  const age = ageOn(context.dateOfBirth, about.appliesFrom);
  const period = { from: about.appliesFrom, ...(about.appliesTo ? { to: about.appliesTo } : {}) };
  const base = {
    jurisdiction: context.jurisdiction,
    period,
    costOfCare,
    ...(context.councilPolicy ? { councilPolicy: context.councilPolicy } : {}),
  };

  if (about.route !== "full") {
    return {
      ok: true,
      input: {
        ...base,
        person: { age, reachedPensionCreditAge: about.reachedPensionCreditAge, couple: false },
        choosesToPayFullCost: about.route === "chooses_to_pay_full_cost",
        capital:
          about.route === "capital_over_upper_limit"
            ? [
                {
                  kind: "savings",
                  valuePence: about.lightTouchCapitalPence!,
                  description: "Capital the person told us of (light-touch assessment)",
                },
              ]
            : [],
      },
    };
  }

  const c = answers.circumstances!;
  const dre = answers.dre!;
  return {
    ok: true,
    input: {
      ...base,
      person: {
        age,
        reachedPensionCreditAge: about.reachedPensionCreditAge,
        couple: c.couple,
        ...(c.couple ? { partnerReachedPensionCreditAge: c.partnerReachedPensionCreditAge ?? false } : {}),
        children: c.children,
        disabilityPremium: c.disabilityPremium,
        enhancedDisabilityPremium: c.enhancedDisabilityPremium,
        carerPremium: c.carerPremium,
      },
      incomes: answers.incomes!.map((i) => ({
        type: i.type,
        weeklyPence: toWeeklyPence(i.amountPence, i.frequency),
        ...(i.description ? { description: i.description } : {}),
        ...(i.treatment ? { treatment: i.treatment } : {}),
        ...(i.basis ? { basis: i.basis } : {}),
      })),
      capital: answers.capital!.map((item) => ({ ...item })),
      housingCosts: answers.housingCosts!.map((h) => ({
        kind: h.kind,
        weeklyPence: toWeeklyPence(h.amountPence, h.frequency),
      })),
      disabilityRelatedExpenditure:
        dre.kind === "itemised"
          ? {
              kind: "itemised",
              items: dre.items.map((item) => ({
                description: item.description,
                weeklyPence: toWeeklyPence(item.amountPence, item.frequency),
              })),
            }
          : { kind: dre.kind },
      ...(context.jurisdiction === "wales" && c.minimumIncomeAmountWeeklyPence !== undefined
        ? { minimumIncomeAmountWeeklyPence: c.minimumIncomeAmountWeeklyPence }
        : {}),
    },
  };
}

export const SECTION_TITLES: Record<SectionName, string> = {
  about: "About this financial assessment",
  circumstances: "Circumstances",
  incomes: "Income",
  capital: "Savings, investments and property",
  housingCosts: "Housing costs",
  dre: "Disability-related expenditure",
  costOfCare: "Cost of care",
};

/** Which section an error at a calculator input path belongs to (null: the council's settings, or general). */
export function sectionForPath(path: string, route: Route | undefined): SectionName | null {
  if (
    path.startsWith("period") ||
    path === "person.reachedPensionCreditAge" ||
    path === "choosesToPayFullCost"
  )
    return "about";
  if (path.startsWith("person") || path.startsWith("minimumIncomeAmountWeeklyPence")) {
    return route === "full" ? "circumstances" : "about";
  }
  if (path.startsWith("incomes")) return "incomes";
  if (path.startsWith("capital")) return route === "full" ? "capital" : "about";
  if (path.startsWith("housingCosts")) return "housingCosts";
  if (path.startsWith("disabilityRelatedExpenditure")) return "dre";
  if (path.startsWith("costOfCare")) return "costOfCare";
  return null;
}

export { CAPITAL_KINDS, HOUSING_COST_KINDS };
