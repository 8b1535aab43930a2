import type { RuleCitation } from "#/features/charging/charging.calc.ts";
import type { ChargingInputJson, CouncilPolicy } from "#/features/charging/charging-input.calc.ts";
import type { ChargingJurisdiction, IncomeType } from "#/rules/charging.ts";

/**
 * The public "estimate what you might pay" page's rules: what a person's answers, in plain words, mean as a
 * charging case (src/features/charging/charging-input.calc.ts), so that the charging calculator itself works out the
 * estimate — the same calculator, rule packs and refusals as `POST /api/v1/calculate/charging`. Pure: no clock
 * (the date is an input), no I/O.
 *
 * Two things the case needs are not things a person knows by name, so the answers are read here, and the page
 * shows how:
 * - The premiums of the England Minimum Income Guarantee (reg 7(5)-(7)): a person is asked which of the
 *   benefits that bring them they get, in plain words ("PIP daily living at the enhanced rate").
 * - Income the estimate has no rule for ("other income"): counted in full, and the page says so.
 */

// ---- the answers, as the pages give them ----------------------------------------------------------------

/** Benefits whose receipt brings an Income Support premium, as the "About you" page asks about them. */
export const PREMIUM_BENEFITS = [
  "pip",
  "pip_daily_living_enhanced",
  "dla",
  "dla_care_highest",
  "sight_impaired",
  "carers_allowance",
] as const;
export type PremiumBenefit = (typeof PREMIUM_BENEFITS)[number];

export type AboutYou = {
  age: number;
  pensionAge: boolean;
  partner: boolean;
  /** Only when there is a partner. */
  partnerPensionAge?: boolean;
  children: number;
  /** Asked only where the minimum income has premiums (England's MIG); absent elsewhere. */
  premiumBenefits?: PremiumBenefit[];
};

export type Savings = { savingsPence: number; otherPropertyPence: number; ownsHome: boolean };

/** The benefits page's kinds of income, in the order the page asks them. */
export const BENEFIT_TYPES = [
  "universal_credit",
  "employment_and_support_allowance",
  "income_support",
  "jobseekers_allowance",
  "pension_credit_guarantee",
  "pension_credit_savings",
  "attendance_allowance",
  "pip_daily_living",
  "pip_mobility",
  "dla_care",
  "dla_mobility",
  "carers_allowance",
  "child_benefit",
] as const satisfies readonly IncomeType[];
export type BenefitType = (typeof BENEFIT_TYPES)[number];

/** Pensions and earnings, then "other" income with a description. */
export const PENSION_TYPES = [
  "state_pension",
  "occupational_pension",
  "private_pension",
  "earnings",
] as const satisfies readonly IncomeType[];
export type PensionType = (typeof PENSION_TYPES)[number];

export const HOUSING_KINDS = ["rent", "mortgage", "council_tax", "service_charges", "ground_rent"] as const;
export type HousingKind = (typeof HOUSING_KINDS)[number];

/** Common disability-related expenses (the kinds REFERENCE.md and councils' policies list), then "other". */
export const EXTRA_COST_ITEMS = [
  "community_alarm",
  "extra_heating",
  "extra_laundry",
  "special_diet",
  "equipment",
  "transport",
] as const;
export type ExtraCostItem = (typeof EXTRA_COST_ITEMS)[number];

export const EXTRA_COST_LABELS: Record<ExtraCostItem, string> = {
  community_alarm: "Community alarm",
  extra_heating: "Extra heating",
  extra_laundry: "Extra washing and laundry",
  special_diet: "A special diet",
  equipment: "Equipment, bedding or clothing because of your condition",
  transport: "Extra transport costs",
};

export type Described = { description: string; weeklyPence: number };

export type OtherIncome = { amounts: Partial<Record<PensionType, number>>; other?: Described };

export type ExtraCosts =
  | { kind: "none" | "standard" }
  | { kind: "itemised"; items: Partial<Record<ExtraCostItem, number>>; other?: Described };

export type CareCost = {
  /** The budget the person estimated with the budget estimator, rather than a cost they entered. */
  useBudget: boolean;
  weeklyPence: number;
  /** Scotland only: the part that is personal care (free). */
  personalCareWeeklyPence?: number;
};

/** Every page's answers. Pages a light-touch case skips (income, housing, extra costs) may be absent. */
export type PayAnswers = {
  aboutYou: AboutYou;
  savings: Savings;
  benefits?: Partial<Record<BenefitType, number>>;
  otherIncome?: OtherIncome;
  housing?: Partial<Record<HousingKind, number>>;
  extraCosts?: ExtraCosts;
  careCost: CareCost;
};

// ---- premiums ---------------------------------------------------------------------------------------------

export type PremiumReading = {
  readonly premium: "disability" | "enhanced_disability" | "carer";
  readonly label: string;
  readonly included: boolean;
  /** Why, in the person's own terms. */
  readonly because: string;
  readonly rule: RuleCitation;
};

const REG_7: RuleCitation = {
  title: "Care and Support (Charging and Assessment of Resources) Regulations 2014 (SI 2014/2672)",
  provision: "reg 7(5) to (7)",
  url: "https://www.legislation.gov.uk/uksi/2014/2672/regulation/7/made",
  basis: "official",
  note:
    "Read (as made): the premiums apply to an adult who is in receipt of them, 'or the local authority considers " +
    "would, if in receipt of income support, be in receipt of' them. So the council decides; this is the estimate's reading.",
};

const incomeSupport = (provision: string, note: string): RuleCitation => ({
  title: "Income Support (General) Regulations 1987 (SI 1987/1967), Schedule 2",
  provision,
  url: "https://www.legislation.gov.uk/uksi/1987/1967/schedule/2",
  basis: "secondary",
  note,
});

const DISABILITY_PREMIUM_RULE = incomeSupport(
  "paras 11 and 12",
  "The Income Support paragraphs were not read themselves. Read: the same conditions in other schemes' copies " +
    "(a person under pension age who gets Disability Living Allowance or Personal Independence Payment, or is " +
    "registered blind). Attendance Allowance is a pension-age benefit, so it never brings this premium.",
);
const ENHANCED_DISABILITY_PREMIUM_RULE = incomeSupport(
  "para 13A",
  "Read in the Jobseeker's Allowance Regulations 1996's identical condition (Sch 1 para 15A): a person under the " +
    "qualifying age for Pension Credit who gets the care component of DLA at the highest rate or the daily living " +
    "component of PIP at the enhanced rate. The Income Support paragraph itself was not read.",
);
const CARER_PREMIUM_RULE = incomeSupport(
  "para 14ZA",
  "Not read: the carer premium is taken to follow entitlement to Carer's Allowance, as its name in the benefit " +
    "rates tables says.",
);

/**
 * Which premiums the answers bring (England reg 7(5)-(7), by the Income Support rules). The disability and
 * enhanced disability premiums are for people under pension age; the carer premium for anyone entitled to
 * Carer's Allowance. Without the question (outside England) no premium is included.
 */
export function premiumsFrom(about: AboutYou): {
  disabilityPremium: boolean;
  enhancedDisabilityPremium: boolean;
  carerPremium: boolean;
  readings: PremiumReading[];
} {
  const has = (b: PremiumBenefit) => about.premiumBenefits?.includes(b) ?? false;
  const underPensionAge = !about.pensionAge;
  const disabilityBenefit = has("pip") || has("dla") || has("sight_impaired");
  const enhancedBenefit = has("pip_daily_living_enhanced") || has("dla_care_highest");
  const pensionAgeNote = "you have reached State Pension age, and this premium is only for people under it";

  const disability = underPensionAge && (disabilityBenefit || enhancedBenefit);
  const enhanced = underPensionAge && enhancedBenefit;
  const carer = has("carers_allowance");
  const readings: PremiumReading[] = [
    {
      premium: "disability",
      label: "Disability premium",
      included: disability,
      because: disability
        ? "you get PIP or DLA, or are registered blind or severely sight impaired, and are under State Pension age"
        : disabilityBenefit || enhancedBenefit
          ? pensionAgeNote
          : "you did not say you get PIP or DLA, or are registered blind or severely sight impaired",
      rule: DISABILITY_PREMIUM_RULE,
    },
    {
      premium: "enhanced_disability",
      label: "Enhanced disability premium",
      included: enhanced,
      because: enhanced
        ? "you get PIP daily living at the enhanced rate, or the care part of DLA at the highest rate, and are under State Pension age"
        : enhancedBenefit
          ? pensionAgeNote
          : "you did not say you get PIP daily living at the enhanced rate or the care part of DLA at the highest rate",
      rule: ENHANCED_DISABILITY_PREMIUM_RULE,
    },
    {
      premium: "carer",
      label: "Carer premium",
      included: carer,
      because: carer
        ? "you get Carer's Allowance, or could get it"
        : "you did not say you get Carer's Allowance",
      rule: CARER_PREMIUM_RULE,
    },
  ];
  return {
    disabilityPremium: disability,
    enhancedDisabilityPremium: enhanced,
    carerPremium: carer,
    readings: about.premiumBenefits === undefined ? [] : readings,
  };
}

/** Reg 7 is the rule the premiums feed into. */
export const PREMIUMS_RULE = REG_7;

// ---- the charging case -------------------------------------------------------------------------------------

/** How "other income" is treated: the estimate cannot know, so it counts it, and the page says so. */
export const OTHER_INCOME_BASIS =
  "Counted in full by this online estimate, which cannot tell how this kind of income is treated. The council's " +
  "financial assessment decides whether it is counted.";

/** The home the person lives in: its value is not asked, because it is not counted for care at home. */
export const MAIN_HOME_DESCRIPTION = "The home you live in";

export type CaseContext = {
  jurisdiction: ChargingJurisdiction;
  /** The date the estimate applies to (today): the rule pack is chosen by it. */
  today: string;
  /** The council's charging policy, where it has one. */
  councilPolicy?: CouncilPolicy;
};

const entries = <K extends string>(amounts: Partial<Record<K, number>> | undefined, order: readonly K[]) =>
  order.flatMap((key) => {
    const value = amounts?.[key];
    return value !== undefined && value > 0 ? [{ key, value }] : [];
  });

/**
 * The answers as a charging case (the API's and CLI's input). Amounts of £0 are left out. The period starts
 * today with no end, so the calculator gives the first period: until the rules next change.
 */
export function chargingCaseFrom(answers: PayAnswers, ctx: CaseContext): ChargingInputJson {
  const { aboutYou, savings, careCost } = answers;
  const premiums = premiumsFrom(aboutYou);
  const incomes: NonNullable<ChargingInputJson["incomes"]> = [
    ...entries(answers.benefits, BENEFIT_TYPES).map(({ key, value }) => ({ type: key, weeklyPence: value })),
    ...entries(answers.otherIncome?.amounts, PENSION_TYPES).map(({ key, value }) => ({
      type: key,
      weeklyPence: value,
    })),
  ];
  const other = answers.otherIncome?.other;
  if (other && other.weeklyPence > 0) {
    incomes.push({
      type: "other",
      description: other.description,
      weeklyPence: other.weeklyPence,
      treatment: "counted",
      basis: OTHER_INCOME_BASIS,
    });
  }
  const capital: NonNullable<ChargingInputJson["capital"]> = [];
  if (savings.savingsPence > 0)
    capital.push({
      kind: "savings",
      valuePence: savings.savingsPence,
      description: "Savings and investments",
    });
  if (savings.otherPropertyPence > 0) {
    capital.push({
      kind: "other_property",
      valuePence: savings.otherPropertyPence,
      description: "Property or land other than your home",
    });
  }
  if (savings.ownsHome)
    capital.push({ kind: "main_home", valuePence: 0, description: MAIN_HOME_DESCRIPTION });

  const extra = answers.extraCosts ?? { kind: "none" };
  const dre: ChargingInputJson["disabilityRelatedExpenditure"] =
    extra.kind === "itemised"
      ? {
          kind: "itemised",
          items: [
            ...entries(extra.items, EXTRA_COST_ITEMS).map(({ key, value }) => ({
              description: EXTRA_COST_LABELS[key],
              weeklyPence: value,
            })),
            ...(extra.other && extra.other.weeklyPence > 0 ? [extra.other] : []),
          ],
        }
      : { kind: extra.kind };

  return {
    description: "Online estimate of what a person might pay",
    jurisdiction: ctx.jurisdiction,
    period: { from: ctx.today },
    person: {
      age: aboutYou.age,
      reachedPensionCreditAge: aboutYou.pensionAge,
      couple: aboutYou.partner,
      ...(aboutYou.partner ? { partnerReachedPensionCreditAge: aboutYou.partnerPensionAge ?? false } : {}),
      children: aboutYou.children,
      disabilityPremium: premiums.disabilityPremium,
      enhancedDisabilityPremium: premiums.enhancedDisabilityPremium,
      carerPremium: premiums.carerPremium,
    },
    incomes,
    capital,
    housingCosts: entries(answers.housing, HOUSING_KINDS).map(({ key, value }) => ({
      kind: key,
      weeklyPence: value,
    })),
    disabilityRelatedExpenditure: dre,
    costOfCare: {
      weeklyPence: careCost.weeklyPence,
      ...(ctx.jurisdiction === "scotland"
        ? { personalCareWeeklyPence: careCost.personalCareWeeklyPence ?? 0 }
        : {}),
      basis: "estimate",
    },
    ...(ctx.councilPolicy ? { councilPolicy: ctx.councilPolicy } : {}),
  };
}
