import { z } from "zod";
import { formatPounds, type Pence } from "#/platform/money/pence.ts";
import { CHARGING_JURISDICTIONS, INCOME_TYPES, type IncomeType } from "#/rules/charging-types.ts";
import { isCalendarDate } from "#/rules/index.ts";

/**
 * The input to a financial assessment for care outside a care home (the charging calculator), shared by the
 * CLI, the API and (later) the pages. All money is whole pence a week, except capital, which is whole pence.
 *
 * The schema checks shape and sense (no negative or absurd amounts, no unknown kinds of income, dates that
 * are real and in order); the calculator then checks the dates against the rule packs and refuses, saying why,
 * any case that needs a figure or rule the packs do not support.
 *
 * A `.calc.ts` (and not schemas.ts) because the calculations take its types: it is pure (zod, money, rules).
 */

// Only the "missing or wrong type" message is replaced; any other issue keeps its own message.
const whenMissing = (message: string) => ({
  error: (issue: { code?: string }) => (issue.code === "invalid_type" ? message : undefined),
});

/** The most a weekly income, cost or allowance may be: larger is almost certainly a slip (annual, or pounds). */
export const MAX_WEEKLY_PENCE = 2_500_000; // £25,000 a week
/** The most capital one item may be. */
export const MAX_CAPITAL_PENCE = 10_000_000_000; // £100 million

const pounds = (p: number) => formatPounds(p as Pence);

const weeklyPence = (what: string) =>
  z
    .int(whenMissing(`Give ${what} as a whole number of pence a week (for example 12550 for £125.50)`))
    .min(0, { error: `${capitalise(what)} cannot be negative` })
    .max(MAX_WEEKLY_PENCE, {
      error: `${capitalise(what)} is more than ${pounds(MAX_WEEKLY_PENCE)} a week: check it is a weekly amount, in pence`,
    })
    .describe(`${capitalise(what)}, in whole pence a week`);

const capitalPence = (what: string) =>
  z
    .int(whenMissing(`Give ${what} as a whole number of pence (for example 1425000 for £14,250)`))
    .min(0, { error: `${capitalise(what)} cannot be negative` })
    .max(MAX_CAPITAL_PENCE, {
      error: `${capitalise(what)} is more than ${pounds(MAX_CAPITAL_PENCE)}: check the amount is in pence`,
    })
    .describe(`${capitalise(what)}, in whole pence`);

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const calendarDate = (what: string) =>
  z
    .string(whenMissing(`Give ${what} as a date written YYYY-MM-DD`))
    .refine(isCalendarDate, { error: `${capitalise(what)} must be a real date written as YYYY-MM-DD` })
    .meta({ format: "date", description: `${capitalise(what)} (YYYY-MM-DD)` });

/** A percentage from 0 to 100 with at most two decimal places (so it is a whole number of basis points). */
const percent = (what: string) =>
  z
    .number(whenMissing(`Give ${what} as a number from 0 to 100`))
    .min(0, { error: `${capitalise(what)} cannot be below 0%` })
    .max(100, { error: `${capitalise(what)} cannot be above 100%` })
    .refine((n) => Math.abs(n * 100 - Math.round(n * 100)) < 1e-9, {
      error: `${capitalise(what)} may have at most two decimal places`,
    });

const optionalText = z
  .string(whenMissing("This must be text"))
  .trim()
  .max(500, { error: "Keep this to 500 characters" })
  .transform((s) => (s === "" ? undefined : s))
  .optional();

const incomeTypeList = INCOME_TYPES.join(", ");
const NAMED_INCOME_TYPES = INCOME_TYPES.filter((t) => t !== "other") as [
  Exclude<IncomeType, "other">,
  ...Exclude<IncomeType, "other">[],
];

export const chargingIncomeSchema = z
  .strictObject({
    type: z.enum(INCOME_TYPES, {
      error: (issue) =>
        issue.code === "invalid_value"
          ? `Unknown kind of income ${JSON.stringify(issue.input)}. Use one of: ${incomeTypeList}`
          : "Say what kind of income this is",
    }),
    weeklyPence: weeklyPence("the weekly amount"),
    description: optionalText,
    /** Only for `other`: whether it is counted or disregarded, and on what basis (a regulation, the council's policy). */
    treatment: z.enum(["counted", "disregarded"], { error: 'Say "counted" or "disregarded"' }).optional(),
    basis: optionalText,
  })
  .superRefine((income, ctx) => {
    if (income.type === "other") {
      if (!income.description)
        ctx.addIssue({ code: "custom", path: ["description"], message: "Say what this other income is" });
      if (!income.treatment)
        ctx.addIssue({
          code: "custom",
          path: ["treatment"],
          message: 'For other income, say whether it is "counted" or "disregarded"',
        });
      if (!income.basis)
        ctx.addIssue({
          code: "custom",
          path: ["basis"],
          message:
            "For other income, give the basis for counting or disregarding it (a regulation, or the council's policy)",
        });
    } else if (income.treatment !== undefined || income.basis !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: [income.treatment !== undefined ? "treatment" : "basis"],
        message: `Leave this out: how ${income.type} is treated comes from the rules for the date`,
      });
    }
  });

export const CAPITAL_KINDS = ["savings", "investments", "main_home", "other_property", "other"] as const;

export const chargingCapitalSchema = z.strictObject({
  kind: z.enum(CAPITAL_KINDS, { error: `Say what kind of capital this is: ${CAPITAL_KINDS.join(", ")}` }),
  /** The person's own share: jointly held capital is held in equal shares unless shown otherwise. */
  valuePence: capitalPence("the value"),
  description: optionalText,
  /** Why this item is disregarded, where a regulation or the council's policy disregards it. */
  disregardReason: optionalText,
});

export const HOUSING_COST_KINDS = [
  "rent",
  "mortgage",
  "council_tax",
  "ground_rent",
  "service_charges",
] as const;

export const chargingHousingCostSchema = z.strictObject({
  kind: z.enum(HOUSING_COST_KINDS, {
    error: `Say what kind of housing cost this is: ${HOUSING_COST_KINDS.join(", ")}`,
  }),
  /** What the person pays after any housing benefit or council tax reduction. */
  weeklyPence: weeklyPence("the weekly housing cost"),
});

export const chargingDreSchema = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({ kind: z.literal("none") }),
    z.strictObject({
      kind: z.literal("itemised"),
      items: z
        .array(
          z.strictObject({
            description: z
              .string(whenMissing("Say what the expense is"))
              .trim()
              .min(1, { error: "Say what the expense is" })
              .max(200, { error: "Keep this to 200 characters" }),
            weeklyPence: weeklyPence("the weekly cost"),
          }),
        )
        .min(1, { error: "List at least one expense, or choose none" })
        .max(50, { error: "List at most 50 expenses" }),
    }),
    z.strictObject({ kind: z.literal("standard") }),
  ],
  { error: 'Say how disability-related expenditure is assessed: "none", "itemised" or "standard"' },
);

/** One dated version of a council's charging policy: what it does more generously than the national rules. */
export const councilPolicyVersionSchema = z
  .strictObject({
    validFrom: calendarDate("the date this policy version starts"),
    validTo: calendarDate("the date this policy version ends").optional(),
    /** Adds this percentage to the statutory Minimum Income Guarantee. */
    migUpliftPercent: percent("the MIG uplift").optional(),
    /** Higher capital limits for care outside a care home (never lower than the statutory ones). */
    lowerCapitalLimitPence: capitalPence("the council's lower capital limit").optional(),
    upperCapitalLimitPence: capitalPence("the council's upper capital limit").optional(),
    /** The share of disposable income charged (absent: 100%). */
    chargePercent: percent("the share of disposable income charged").optional(),
    /** A weekly charge below this is not collected. */
    minimumChargeWeeklyPence: weeklyPence("the minimum charge").optional(),
    /** The most anyone is charged a week. */
    weeklyMaximumChargePence: weeklyPence("the weekly maximum charge").optional(),
    /** The standard disability-related expenditure allowance, where the council uses one. */
    standardDreAllowanceWeeklyPence: weeklyPence("the standard DRE allowance").optional(),
    /** Income the council disregards beyond the regulations: in full, or up to a weekly amount. */
    incomeDisregards: z
      .array(
        z.strictObject({
          type: z.enum(NAMED_INCOME_TYPES, {
            error: (issue) =>
              issue.code === "invalid_value"
                ? `Unknown kind of income ${JSON.stringify(issue.input)}. Use one of: ${NAMED_INCOME_TYPES.join(", ")}`
                : "Say what kind of income this is",
          }),
          /** Absent: disregarded in full. */
          weeklyPence: weeklyPence("the weekly amount disregarded").optional(),
        }),
      )
      .max(30)
      .default([]),
  })
  .superRefine((version, ctx) => {
    if (version.validTo !== undefined && version.validTo < version.validFrom) {
      ctx.addIssue({
        code: "custom",
        path: ["validTo"],
        message: "The end date must not be before the start date",
      });
    }
    if (
      version.lowerCapitalLimitPence !== undefined &&
      version.upperCapitalLimitPence !== undefined &&
      version.lowerCapitalLimitPence > version.upperCapitalLimitPence
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["lowerCapitalLimitPence"],
        message: "The lower capital limit must not be above the upper capital limit",
      });
    }
    const seen = new Set<string>();
    version.incomeDisregards.forEach((d, i) => {
      if (seen.has(d.type))
        ctx.addIssue({
          code: "custom",
          path: ["incomeDisregards", i, "type"],
          message: "Give each kind only once",
        });
      seen.add(d.type);
    });
  });

export const councilPolicySchema = z
  .strictObject({
    name: optionalText,
    versions: z
      .array(councilPolicyVersionSchema)
      .min(1, { error: "Give at least one version of the policy" })
      .max(50, { error: "Give at most 50 versions" }),
  })
  .superRefine((policy, ctx) => {
    const sorted = policy.versions
      .map((v, index) => ({ v, index }))
      .sort((a, b) => a.v.validFrom.localeCompare(b.v.validFrom));
    for (let i = 1; i < sorted.length; i++) {
      const before = sorted[i - 1]!;
      const after = sorted[i]!;
      if (before.v.validTo === undefined || before.v.validTo >= after.v.validFrom) {
        ctx.addIssue({
          code: "custom",
          path: ["versions", after.index, "validFrom"],
          message: `This version overlaps the one starting ${before.v.validFrom}: end that one first (validTo)`,
        });
      }
    }
  });

export const COST_OF_CARE_BASES = ["agreed_plan", "indicative_budget", "estimate"] as const;

export const chargingInputSchema = z
  .strictObject(
    {
      description: optionalText,
      jurisdiction: z.enum(CHARGING_JURISDICTIONS, {
        error: `Say which rules apply: ${CHARGING_JURISDICTIONS.join(", ")}`,
      }),
      /** The dates the assessment applies to. Without `to`, it runs until the rules next change. */
      period: z
        .strictObject(
          {
            from: calendarDate("the first day the assessment applies to"),
            to: calendarDate("the last day the assessment applies to").optional(),
          },
          whenMissing("Give the period the assessment applies to: { from, to }"),
        )
        .refine((p) => p.to === undefined || p.to >= p.from, {
          error: "The last day must not be before the first day",
          path: ["to"],
        }),
      person: z.strictObject(
        {
          /** Age in whole years on the first day of the period. */
          age: z
            .int(whenMissing("Give the person's age in whole years"))
            .min(18, { error: "These rules are for adults: the age must be 18 or over" })
            .max(125, { error: "Check the age: it is over 125" }),
          reachedPensionCreditAge: z.boolean(
            whenMissing("Say whether the person has reached pension credit age (true or false)"),
          ),
          couple: z
            .boolean(whenMissing("Say whether the person is a member of a couple (true or false)"))
            .default(false),
          partnerReachedPensionCreditAge: z
            .boolean(whenMissing("Say whether the partner has reached pension credit age (true or false)"))
            .optional(),
          /** Children the person is responsible for and lives with. */
          children: z
            .int(whenMissing("Give the number of children as a whole number"))
            .min(0, { error: "The number of children cannot be negative" })
            .max(20, { error: "Check the number of children: it is over 20" })
            .default(0),
          /** Receives, or would on Income Support receive, the disability premium. */
          disabilityPremium: z.boolean(whenMissing("Say true or false")).default(false),
          enhancedDisabilityPremium: z.boolean(whenMissing("Say true or false")).default(false),
          carerPremium: z.boolean(whenMissing("Say true or false")).default(false),
        },
        whenMissing("Describe the person: { age, reachedPensionCreditAge, couple, … }"),
      ),
      incomes: z
        .array(chargingIncomeSchema, whenMissing("List the incomes as an array"))
        .max(100, { error: "List at most 100 incomes" })
        .default([]),
      capital: z
        .array(chargingCapitalSchema, whenMissing("List the capital as an array"))
        .max(100, { error: "List at most 100 items of capital" })
        .default([]),
      housingCosts: z
        .array(chargingHousingCostSchema, whenMissing("List the housing costs as an array"))
        .max(20, { error: "List at most 20 housing costs" })
        .default([]),
      disabilityRelatedExpenditure: chargingDreSchema.default({ kind: "none" }),
      costOfCare: z.strictObject(
        {
          /** The weekly cost of the care and support the charge is for. */
          weeklyPence: weeklyPence("the weekly cost of care"),
          /** Scotland only: the part of the weekly cost that is personal care (free). */
          personalCareWeeklyPence: weeklyPence("the weekly cost of personal care").optional(),
          /** Where the cost comes from: the agreed plan, else the indicative budget, else an estimate. */
          basis: z
            .enum(COST_OF_CARE_BASES, {
              error: `Say where the cost comes from: ${COST_OF_CARE_BASES.join(", ")}`,
            })
            .default("estimate"),
        },
        whenMissing("Give the weekly cost of care: { weeklyPence }"),
      ),
      /** Light-touch assessment: the person chooses to pay the full cost. */
      choosesToPayFullCost: z.boolean(whenMissing("Say true or false")).default(false),
      /** Wales only: the minimum income amount the council worked out (basic entitlement plus buffer). */
      minimumIncomeAmountWeeklyPence: weeklyPence("the minimum income amount").optional(),
      councilPolicy: councilPolicySchema.optional(),
    },
    whenMissing("The case must be a JSON object"),
  )
  .superRefine((input, ctx) => {
    const { person, costOfCare, jurisdiction } = input;
    if (!person.couple && person.partnerReachedPensionCreditAge !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["person", "partnerReachedPensionCreditAge"],
        message: "Leave this out when the person is not a member of a couple",
      });
    }
    if (person.couple && person.partnerReachedPensionCreditAge === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["person", "partnerReachedPensionCreditAge"],
        message: "Say whether the partner has reached pension credit age (true or false)",
      });
    }
    if (jurisdiction === "scotland" && costOfCare.personalCareWeeklyPence === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["costOfCare", "personalCareWeeklyPence"],
        message: "In Scotland personal care is free: say how much of the weekly cost is personal care",
      });
    }
    if (jurisdiction !== "scotland" && costOfCare.personalCareWeeklyPence !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["costOfCare", "personalCareWeeklyPence"],
        message: "Leave this out: only Scotland's rules treat personal care differently",
      });
    }
    if (
      costOfCare.personalCareWeeklyPence !== undefined &&
      costOfCare.personalCareWeeklyPence > costOfCare.weeklyPence
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["costOfCare", "personalCareWeeklyPence"],
        message: "The personal care cannot cost more than the whole weekly cost of care",
      });
    }
    if (jurisdiction !== "wales" && input.minimumIncomeAmountWeeklyPence !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["minimumIncomeAmountWeeklyPence"],
        message: "Leave this out: only Wales's rules take the minimum income amount from the council",
      });
    }
  });

export type ChargingInput = z.output<typeof chargingInputSchema>;
export type ChargingInputJson = z.input<typeof chargingInputSchema>;
export type CouncilPolicy = z.output<typeof councilPolicySchema>;
export type CouncilPolicyVersion = z.output<typeof councilPolicyVersionSchema>;
export type ChargingIncome = z.output<typeof chargingIncomeSchema>;
