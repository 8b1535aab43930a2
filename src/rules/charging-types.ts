/**
 * The shapes of charging rule packs (src/rules/<jurisdiction>/charging.ts): the figures and rules a financial
 * assessment for care outside a care home uses, per jurisdiction, each pack with the dates it covers and the
 * published source of every figure.
 *
 * The rule about figures: a pack relies on a figure read in the official text (a circular, the regulations, a
 * government statement): `confirmed`. Where the official text could not be read, a figure that two or more
 * independent published secondary sources (councils' charging policies, advice charities) give alike is
 * `secondary`, with those sources, and is used: the working says so. A figure found in one secondary source only
 * is `unsupported`, with that value recorded as `unconfirmed` (offered pre-filled for the council to confirm on
 * the uprating page, never used by itself); a figure found nowhere is `unsupported` with the reason. The
 * calculator refuses exactly the cases that need an unsupported figure or rule the council has not supplied,
 * and says why.
 */

export const CHARGING_JURISDICTIONS = ["england", "wales", "scotland"] as const;
export type ChargingJurisdiction = (typeof CHARGING_JURISDICTIONS)[number];

/** Where a figure or rule comes from. `basis` says whether the official text itself was read. */
export type ChargingSource = {
  readonly title: string;
  /** The exact provision, paragraph or table, e.g. "reg 7(2)(b)". */
  readonly provision?: string;
  /** Absent only where the source could be read but its address could not be found (said in the note). */
  readonly url?: string;
  /** "official": read in the official document. "secondary": read only in a secondary copy. */
  readonly basis: "official" | "secondary";
  /** What was and was not read, or anything else a reader must know. */
  readonly note?: string;
};

/** A weekly amount (or capital limit) in pence, or the reason it cannot be relied on. */
export type ChargingFigure =
  | { readonly status: "confirmed"; readonly pence: number; readonly source: ChargingSource }
  /** Not read in the official text; two or more independent secondary sources agree on it. Used. */
  | { readonly status: "secondary"; readonly pence: number; readonly sources: readonly ChargingSource[] }
  | {
      readonly status: "unsupported";
      readonly reason: string;
      /** A value read only in a secondary copy: recorded to be confirmed, never used. */
      readonly unconfirmed?: { readonly pence: number; readonly source: ChargingSource };
    };

/** A rule (not a figure) that is either supported, with its source, or unsupported with the reason. */
export type ChargingRuleText =
  | { readonly status: "supported"; readonly source: ChargingSource }
  | { readonly status: "unsupported"; readonly reason: string };

/** Kinds of weekly income a financial assessment records. Unknown kinds are refused by the input schema. */
export const INCOME_TYPES = [
  "state_pension",
  "occupational_pension",
  "private_pension",
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
  "earnings",
  "direct_payment",
  "housing_benefit",
  "council_tax_reduction",
  "war_pension",
  "child_benefit",
  "child_tax_credit",
  "other",
] as const;
export type IncomeType = (typeof INCOME_TYPES)[number];

export const INCOME_TYPE_LABELS: Record<IncomeType, string> = {
  state_pension: "State Pension",
  occupational_pension: "Occupational pension",
  private_pension: "Private pension or annuity",
  pension_credit_guarantee: "Pension Credit (guarantee credit)",
  pension_credit_savings: "Pension Credit (savings credit)",
  universal_credit: "Universal Credit",
  employment_and_support_allowance: "Employment and Support Allowance",
  income_support: "Income Support",
  jobseekers_allowance: "Jobseeker's Allowance",
  carers_allowance: "Carer's Allowance",
  attendance_allowance: "Attendance Allowance",
  dla_care: "Disability Living Allowance (care component)",
  pip_daily_living: "Personal Independence Payment (daily living component)",
  dla_mobility: "Disability Living Allowance (mobility component)",
  pip_mobility: "Personal Independence Payment (mobility component)",
  earnings: "Earnings from work",
  direct_payment: "Direct payment for care and support",
  housing_benefit: "Housing Benefit",
  council_tax_reduction: "Council Tax Reduction",
  war_pension: "War Pension scheme payment",
  child_benefit: "Child Benefit",
  child_tax_credit: "Child Tax Credit",
  other: "Other income",
};

/** The disability benefits whose inclusion in income is what allows disability-related expenditure. */
export const DISABILITY_BENEFITS: readonly IncomeType[] = [
  "attendance_allowance",
  "dla_care",
  "pip_daily_living",
];

/**
 * How a pack treats one kind of income. `other` income is always treated as the assessor states, with the
 * basis they give, so it has no entry here.
 */
export type IncomeTreatment =
  | { readonly treatment: "counted"; readonly source: ChargingSource }
  | { readonly treatment: "disregarded"; readonly source: ChargingSource }
  /** Counted, less the savings credit disregard (England: Sch 1 para 40). */
  | { readonly treatment: "savings_credit"; readonly source: ChargingSource }
  | { readonly treatment: "unsupported"; readonly reason: string };

/** The parts of the England Minimum Income Guarantee (reg 7). */
export const MIG_COMPONENTS = [
  "single_18_to_24",
  "single_25_to_pension_credit_age",
  "single_pension_credit_age",
  "lone_parent",
  "couple_each",
  "couple_pension_credit_age_each",
  "per_child",
  "disability_premium_single",
  "disability_premium_couple_each",
  "enhanced_disability_premium_single",
  "enhanced_disability_premium_couple_each",
  "carer_premium",
] as const;
export type MigComponent = (typeof MIG_COMPONENTS)[number];

export const MIG_COMPONENT_LABELS: Record<MigComponent, string> = {
  single_18_to_24: "Personal amount: single, aged 18 to 24",
  single_25_to_pension_credit_age: "Personal amount: single, aged 25 to pension credit age",
  single_pension_credit_age: "Personal amount: single, pension credit age",
  lone_parent: "Personal amount: lone parent aged 18 or over",
  couple_each: "Personal amount: member of a couple",
  couple_pension_credit_age_each: "Personal amount: member of a couple, one or both of pension credit age",
  per_child: "For each child the person is responsible for and lives with",
  disability_premium_single: "Disability premium (single)",
  disability_premium_couple_each: "Disability premium (member of a couple)",
  enhanced_disability_premium_single: "Enhanced disability premium (single)",
  enhanced_disability_premium_couple_each: "Enhanced disability premium (member of a couple)",
  carer_premium: "Carer premium",
};

/** Where in the England regulations each part of the MIG is set (reg 7 of SI 2014/2672). */
export const MIG_COMPONENT_PROVISIONS: Record<MigComponent, string> = {
  single_18_to_24: "reg 7(2)(a)",
  single_25_to_pension_credit_age: "reg 7(2)(b)",
  single_pension_credit_age: "reg 7(2)(c)",
  lone_parent: "reg 7(3)",
  couple_each: "reg 7(4)(a)",
  couple_pension_credit_age_each: "reg 7(4)(b)",
  per_child: "reg 7(1)(b)",
  disability_premium_single: "reg 7(5)(a)",
  disability_premium_couple_each: "reg 7(6)(a)",
  enhanced_disability_premium_single: "reg 7(5)(b)",
  enhanced_disability_premium_couple_each: "reg 7(6)(b)",
  carer_premium: "reg 7(7)",
};

/**
 * A decision the MIG rules must make for a circumstance: supported (with the component that applies, or for
 * premiums whether the single rates apply) or unsupported with the reason.
 */
export type MigCircumstanceRule =
  | { readonly status: "supported"; readonly component: MigComponent; readonly source: ChargingSource }
  | { readonly status: "unsupported"; readonly reason: string };

/** The income a person must be left with before any charge. */
export type MinimumIncomeRules =
  /** England: the Minimum Income Guarantee, the sum of amounts by circumstance (reg 7). */
  | {
      readonly kind: "mig";
      readonly amounts: Readonly<Record<MigComponent, ChargingFigure>>;
      readonly source: ChargingSource;
      /** Circumstances the pack cannot decide (e.g. which personal amount a lone parent of pension age gets). */
      /** Which personal amount a lone parent of pension credit age gets. */
      readonly loneParentPensionCreditAge: MigCircumstanceRule;
      /** Whether a lone parent's premiums are the single-person ones (supported: the single component). */
      readonly loneParentPremiums: ChargingRuleText;
    }
  /** Wales: the minimum income amount, which depends on the person's own benefit entitlement. */
  | { readonly kind: "supplied_by_council"; readonly explanation: string; readonly source: ChargingSource }
  /** No minimum income rule is modelled (Scotland, where only free personal care is). */
  | { readonly kind: "unsupported"; readonly reason: string };

export type ChargingRules = {
  readonly id: string;
  readonly jurisdiction: ChargingJurisdiction;
  readonly title: string;
  /** First day covered (YYYY-MM-DD, inclusive). */
  readonly validFrom: string;
  /** Last day covered (inclusive); absent while current with no known end. */
  readonly validTo?: string;
  /** Why the pack starts and ends where it does. */
  readonly datesNote: string;
  readonly sources: readonly ChargingSource[];
  /** The power to charge, and its limit: a charge may cover only the cost the council incurs. */
  readonly charging: ChargingSource;
  readonly capital: {
    /** Capital at or below this is ignored. Null where the jurisdiction has a single limit (Wales). */
    readonly lowerLimit: ChargingFigure | null;
    /** Capital above this: the person pays the full cost (light-touch assessment). */
    readonly upperLimit: ChargingFigure;
    readonly overUpperLimit: ChargingSource;
    /** £1 a week for every £250, or part of £250, between the limits. Null where there is no tariff. */
    readonly tariff: {
      readonly weeklyPencePerBand: number;
      readonly bandPence: number;
      readonly source: ChargingSource;
    } | null;
    /** The main or only home is disregarded when care is outside a care home. */
    readonly mainHomeDisregard: ChargingRuleText;
  };
  readonly minimumIncome: MinimumIncomeRules;
  readonly savingsCreditDisregard: { readonly single: ChargingFigure; readonly couple: ChargingFigure };
  readonly incomes: Readonly<Record<Exclude<IncomeType, "other">, IncomeTreatment>>;
  readonly housingCosts: ChargingRuleText;
  readonly disabilityRelatedExpenditure: ChargingRuleText;
  /** No national standard allowance has been found; where a council uses one it is a council setting. */
  readonly standardDreAllowance: { readonly kind: "council_setting"; readonly note: string };
  /** A national cap on the weekly charge for care outside a care home (Wales). */
  readonly weeklyMaximumCharge: ChargingFigure | null;
  /** Care that must never be charged for (Scotland: personal care). Null where there is none. */
  readonly freePersonalCare: ChargingSource | null;
  /** Whether the rest of the care can be charged for by a means test this pack describes. */
  readonly otherCareCharging: ChargingRuleText;
  readonly lightTouch: ChargingSource;
  readonly rounding: { readonly text: string; readonly source: ChargingSource };
  /**
   * The weekly amount a care-home resident keeps (England: the personal expenses allowance, reg 6; Wales: the
   * care-home minimum income amount, reg 13). Recorded for the residential calculator to come; not used for care
   * at home. Null where not researched.
   */
  readonly personalExpensesAllowance: ChargingFigure | null;
  /** What the pack does not model, and what the assessor must decide instead (e.g. pension credit age). */
  readonly notes: readonly string[];
};
