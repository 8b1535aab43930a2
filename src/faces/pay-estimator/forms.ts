import {
  type AmountKind,
  HOW_OFTEN_WORDS,
  type HowOften,
  isHowOften,
  maxFor,
  weeklyPence,
} from "#/faces/pay-estimator/how-often.calc.ts";
import { moneyMessage, readPounds } from "#/faces/pay-estimator/money-field.ts";
import {
  type AboutYou,
  BENEFIT_TYPES,
  type BenefitType,
  type CareCost,
  type Described,
  EXTRA_COST_ITEMS,
  type ExtraCostItem,
  type ExtraCosts,
  HOUSING_KINDS,
  type HousingKind,
  type OtherIncome,
  PENSION_TYPES,
  type PensionType,
  PREMIUM_BENEFITS,
  type PremiumBenefit,
  type Savings,
} from "#/faces/pay-estimator/pay-estimator.calc.ts";
import { MAX_CAPITAL_PENCE, MAX_WEEKLY_PENCE } from "#/features/charging/charging-input.calc.ts";
import type { ErrorLink, FieldErrors, FormBody, FormValues } from "#/platform/web/forms.ts";

/**
 * The pay estimator's question pages as forms. Nothing is stored, so the answers travel with the person: every
 * form carries the pages answered so far in one hidden field (`answers`, JSON), as the values the person typed.
 * Those are read again by the same page readers on the way in, so a tampered or out-of-date field can only
 * ever give a page's own errors, never an answer the page would not accept.
 */

export const PAGES = [
  "about-you",
  "savings",
  "benefits",
  "other-income",
  "housing",
  "extra-costs",
  "care-cost",
] as const;
export type PageSlug = (typeof PAGES)[number];

export const PAGE_TITLES: Record<PageSlug, string> = {
  "about-you": "About you",
  savings: "Your savings and property",
  benefits: "Your benefits",
  "other-income": "Pensions, earnings and other income",
  housing: "Your housing costs",
  "extra-costs": "Extra costs because of a disability or illness",
  "care-cost": "The cost of your care",
};

/** The pages a light-touch case does not need: with capital over the upper limit, income is not looked at. */
export const INCOME_PAGES: readonly PageSlug[] = ["benefits", "other-income", "housing", "extra-costs"];

export const isPage = (slug: string): slug is PageSlug => (PAGES as readonly string[]).includes(slug);

/** What a page's questions depend on besides its own answers. */
export type PageContext = {
  /** England's MIG has premiums: ask which benefits bring them. */
  askPremiums: boolean;
  /** Scotland: personal care is free, so ask how much of the cost it is. */
  askPersonalCare: boolean;
  /** The budget the person estimated with the budget estimator, if they came from it. */
  budgetWeeklyPence?: number;
};

// ---- the fields of each page -------------------------------------------------------------------------------

export const BENEFIT_LABELS: Record<BenefitType, string> = {
  universal_credit: "Universal Credit",
  employment_and_support_allowance: "Employment and Support Allowance (ESA)",
  income_support: "Income Support",
  jobseekers_allowance: "Jobseeker's Allowance",
  pension_credit_guarantee: "Pension Credit: guarantee credit",
  pension_credit_savings: "Pension Credit: savings credit",
  attendance_allowance: "Attendance Allowance",
  pip_daily_living: "Personal Independence Payment (PIP): daily living part",
  pip_mobility: "Personal Independence Payment (PIP): mobility part",
  dla_care: "Disability Living Allowance (DLA): care part",
  dla_mobility: "Disability Living Allowance (DLA): mobility part",
  carers_allowance: "Carer's Allowance",
  child_benefit: "Child Benefit",
};

export const PENSION_LABELS: Record<PensionType, string> = {
  state_pension: "State Pension",
  occupational_pension: "Workplace pension",
  private_pension: "Private pension or annuity",
  earnings: "Earnings from work",
};

export const HOUSING_LABELS: Record<HousingKind, string> = {
  rent: "Rent",
  mortgage: "Mortgage repayments",
  council_tax: "Council Tax",
  service_charges: "Service charges",
  ground_rent: "Ground rent",
};

export const PREMIUM_BENEFIT_LABELS: Record<PremiumBenefit, string> = {
  pip: "Personal Independence Payment (PIP), either part, at any rate",
  pip_daily_living_enhanced: "PIP daily living at the enhanced rate",
  dla: "Disability Living Allowance (DLA), either part, at any rate",
  dla_care_highest: "The care part of DLA at the highest rate",
  sight_impaired: "I am registered blind or severely sight impaired",
  carers_allowance: "Carer's Allowance, or I could get it but get another benefit instead",
};

export const NONE = "none";

// ---- how often each amount is paid ----------------------------------------------------------------------

/** The field beside an amount that says how often it is paid (a week, every 4 weeks, a month, a year). */
export const oftenField = (field: string) => `${field}Frequency`;

/** Each amount of income or cost a page asks: which way its weekly amount is rounded, and what it is in words. */
export type OftenAmount = {
  /** income: rounded down; cost (housing, extra costs): up; care (the cost of care): down. */
  kind: AmountKind;
  /** Completes "Enter how often …" and labels the choice: "you get Universal Credit". */
  words: string;
};

export const OFTEN_AMOUNTS: Record<PageSlug, Readonly<Record<string, OftenAmount>>> = {
  "about-you": {},
  // Savings are capital, not paid over time: no choice.
  savings: {},
  benefits: Object.fromEntries(
    BENEFIT_TYPES.map((b) => [b, { kind: "income", words: `you get ${BENEFIT_LABELS[b]}` }]),
  ),
  "other-income": {
    state_pension: { kind: "income", words: "you get your State Pension" },
    occupational_pension: { kind: "income", words: "you get your workplace pension" },
    private_pension: { kind: "income", words: "you get your private pension or annuity" },
    earnings: { kind: "income", words: "you are paid your earnings from work" },
    otherIncome: { kind: "income", words: "you get your other income" },
  },
  housing: {
    rent: { kind: "cost", words: "you pay your rent" },
    mortgage: { kind: "cost", words: "you pay your mortgage" },
    council_tax: { kind: "cost", words: "you pay Council Tax" },
    service_charges: { kind: "cost", words: "you pay service charges" },
    ground_rent: { kind: "cost", words: "you pay ground rent" },
  },
  "extra-costs": {
    community_alarm: { kind: "cost", words: "you pay for your community alarm" },
    extra_heating: { kind: "cost", words: "you pay for your extra heating" },
    extra_laundry: { kind: "cost", words: "you pay for your extra washing and laundry" },
    special_diet: { kind: "cost", words: "you pay for your special diet" },
    equipment: { kind: "cost", words: "you pay for your equipment, bedding or clothing" },
    transport: { kind: "cost", words: "you pay your extra transport costs" },
    otherCost: { kind: "cost", words: "you pay your other extra cost" },
  },
  "care-cost": {
    weeklyCost: { kind: "care", words: "your care costs that amount" },
    personalCare: { kind: "care", words: "your personal care costs that amount" },
  },
};

/** The choices beside an amount, in order, as the page shows them. */
export const HOW_OFTEN_CHOICES = (Object.keys(HOW_OFTEN_WORDS) as HowOften[]).map((value) => ({
  value,
  text: HOW_OFTEN_WORDS[value],
}));

/** How often an amount was entered: absent is "a week" (the choice's default); undefined if not a choice. */
export function oftenOf(values: FormValues, field: string): HowOften | undefined {
  const raw = values[oftenField(field)];
  if (raw === undefined) return "week";
  return typeof raw === "string" && isHowOften(raw) ? raw : undefined;
}

/** An amount as the person entered it, with how often, if it reads (for "Check your answers"). */
export function enteredAmount(
  values: FormValues | undefined,
  field: string,
): { pence: number; often: HowOften } | undefined {
  const raw = values?.[field];
  const often = values ? oftenOf(values, field) : undefined;
  if (typeof raw !== "string" || !often) return undefined;
  const read = readPounds(raw, Number.MAX_SAFE_INTEGER);
  return read.ok ? { pence: read.pence, often } : undefined;
}

/** Every field a page sends, so only those are carried: its own, and how often each amount is paid. */
export const PAGE_FIELDS: Record<PageSlug, readonly string[]> = withOften({
  "about-you": ["age", "pensionAge", "partner", "partnerPensionAge", "children", "premiumBenefits"],
  savings: ["savings", "otherProperty", "ownsHome"],
  benefits: BENEFIT_TYPES,
  "other-income": [...PENSION_TYPES, "otherIncomeDescription", "otherIncome"],
  housing: HOUSING_KINDS,
  "extra-costs": ["extraCosts", ...EXTRA_COST_ITEMS, "otherCostDescription", "otherCost"],
  "care-cost": ["useBudget", "weeklyCost", "personalCare"],
});

function withOften(fields: Record<PageSlug, readonly string[]>): Record<PageSlug, readonly string[]> {
  const all = { ...fields };
  for (const slug of PAGES)
    all[slug] = [...fields[slug], ...Object.keys(OFTEN_AMOUNTS[slug]).map(oftenField)];
  return all;
}

const CHECKBOX_FIELDS = new Set(["premiumBenefits"]);

/** A page's fields from a posted form (or carried answers): strings, and lists for checkboxes. */
export function valuesFrom(slug: PageSlug, body: FormBody): FormValues {
  const values: FormValues = {};
  for (const field of PAGE_FIELDS[slug]) {
    const raw = body[field];
    const list = Array.isArray(raw) ? raw.filter((v): v is string => typeof v === "string") : undefined;
    // One ticked checkbox arrives as a string: a list field is always kept as a list.
    if (CHECKBOX_FIELDS.has(field)) {
      if (list || typeof raw === "string") values[field] = list ?? [raw as string];
    } else if (typeof raw === "string") values[field] = raw;
  }
  return values;
}

// ---- reading a page -----------------------------------------------------------------------------------------

export type PageResult<T> =
  | { ok: true; value: T }
  | { ok: false; errors: FieldErrors; errorList: ErrorLink[] };

/** Reads one page's fields, collecting each field's first problem in the order the page asks them. */
class Reader {
  readonly errors: FieldErrors = {};
  readonly errorList: ErrorLink[] = [];
  private readonly values: FormValues;
  constructor(values: FormValues) {
    this.values = values;
  }

  text(field: string): string {
    const raw = this.values[field];
    return typeof raw === "string" ? raw.trim() : "";
  }

  list(field: string): string[] {
    const raw = this.values[field];
    return Array.isArray(raw) ? raw : typeof raw === "string" && raw !== "" ? [raw] : [];
  }

  /** A field's first problem; `target` is the control the error summary links to, if not the field's own. */
  fail(field: string, message: string, target = field): undefined {
    if (this.errors[field] !== undefined) return undefined;
    this.errors[field] = message;
    if (target !== field) this.errors[target] = message;
    this.errorList.push({ text: message, href: `#${target}` });
    return undefined;
  }

  /**
   * An amount of money; empty is undefined unless `required` gives the message for it. An amount of income or
   * cost (`often`) is entered a week, every 4 weeks, a month or a year, and given as its weekly amount, rounded
   * in the person's favour (how-often.calc.ts); capital (`weekly: false`) is an amount, not paid over time.
   */
  money(
    field: string,
    what: string,
    opts: { weekly?: boolean; required?: string; often?: OftenAmount } = {},
  ): number | undefined {
    const weekly = opts.weekly ?? true;
    const often = weekly && opts.often ? oftenOf(this.values, field) : "week";
    const text = this.text(field);
    if (often === undefined) {
      if (text === "" && opts.required === undefined) return undefined;
      return this.fail(field, `Enter how often ${opts.often?.words ?? "it is paid"}`, oftenField(field));
    }
    const max = weekly ? maxFor(MAX_WEEKLY_PENCE, often) : MAX_CAPITAL_PENCE;
    const read = readPounds(text, max);
    if (read.ok) return opts.often ? weeklyPence(read.pence, often, opts.often.kind) : read.pence;
    if (read.problem === "empty" && opts.required === undefined) return undefined;
    return this.fail(
      field,
      moneyMessage(read.problem, what, {
        max,
        weekly,
        required: opts.required ?? "",
        per: HOW_OFTEN_WORDS[often],
      }),
    );
  }

  yesNo(field: string, message: string): boolean | undefined {
    const value = this.text(field);
    if (value === "yes") return true;
    if (value === "no") return false;
    return this.fail(field, message);
  }

  whole(
    field: string,
    opts: { min: number; max: number; empty: string; notWhole: string; low: string; high: string },
  ): number | undefined {
    const value = this.text(field);
    if (value === "") return this.fail(field, opts.empty);
    if (!/^\d+$/.test(value)) return this.fail(field, value.startsWith("-") ? opts.low : opts.notWhole);
    const n = Number(value);
    if (n < opts.min) return this.fail(field, opts.low);
    if (n > opts.max) return this.fail(field, opts.high);
    return n;
  }

  /** An optional "other" line: a description and a weekly amount, each needing the other. */
  described(
    descriptionField: string,
    amountField: string,
    what: string,
    messages: { description: string },
    often?: OftenAmount,
  ): Described | undefined {
    const description = this.text(descriptionField);
    const amount = this.money(amountField, what, often ? { often } : {});
    if (description.length > 200) return this.fail(descriptionField, "Keep this to 200 characters or fewer");
    if (description === "" && amount !== undefined && amount > 0)
      return this.fail(descriptionField, messages.description);
    if (description !== "" && amount === undefined && this.errors[amountField] === undefined)
      return this.fail(amountField, `Enter ${what}, or leave both boxes empty`);
    return description !== "" && amount !== undefined ? { description, weeklyPence: amount } : undefined;
  }

  done<T>(value: T): PageResult<T> {
    return this.errorList.length > 0
      ? { ok: false, errors: this.errors, errorList: this.errorList }
      : { ok: true, value };
  }
}

function readAboutYou(r: Reader, ctx: PageContext): PageResult<AboutYou> {
  const age = r.whole("age", {
    min: 18,
    max: 125,
    empty: "Enter your age",
    notWhole: "Enter your age as a whole number of years, like 67",
    low: "This estimate is for adults: your age must be 18 or over",
    high: "Your age must be 125 or under",
  });
  const pensionAge = r.yesNo("pensionAge", "Select yes if you have reached State Pension age");
  const partner = r.yesNo("partner", "Select yes if you have a partner who lives with you");
  let partnerPensionAge: boolean | undefined;
  if (partner) {
    partnerPensionAge = r.yesNo(
      "partnerPensionAge",
      "You said you have a partner: select yes if they have reached State Pension age",
    );
  }
  const children = r.whole("children", {
    min: 0,
    max: 20,
    empty: "Enter how many children live with you, or 0 if none",
    notWhole: "Enter the number of children as a whole number, like 2",
    low: "The number of children cannot be negative",
    high: "The number of children must be 20 or fewer",
  });
  let premiumBenefits: PremiumBenefit[] | undefined;
  if (ctx.askPremiums) {
    const chosen = r.list("premiumBenefits");
    const known = chosen.filter((c): c is PremiumBenefit =>
      (PREMIUM_BENEFITS as readonly string[]).includes(c),
    );
    if (chosen.length === 0) r.fail("premiumBenefits", 'Select the ones you get, or select "None of these"');
    else if (chosen.includes(NONE) && known.length > 0)
      r.fail("premiumBenefits", 'Select the ones you get, or "None of these", not both');
    else if (known.length + (chosen.includes(NONE) ? 1 : 0) !== chosen.length)
      r.fail("premiumBenefits", 'Select the ones you get, or select "None of these"');
    premiumBenefits = PREMIUM_BENEFITS.filter((b) => known.includes(b));
  }
  return r.done({
    age: age!,
    pensionAge: pensionAge!,
    partner: partner!,
    ...(partner ? { partnerPensionAge: partnerPensionAge! } : {}),
    children: children!,
    ...(premiumBenefits ? { premiumBenefits } : {}),
  });
}

function readSavings(r: Reader): PageResult<Savings> {
  const savingsPence = r.money("savings", "your savings and investments", {
    weekly: false,
    required: "Enter how much you have in savings and investments, or 0 if none",
  });
  const otherPropertyPence = r.money("otherProperty", "the value of other property or land", {
    weekly: false,
  });
  const ownsHome = r.yesNo("ownsHome", "Select yes if you own or part-own the home you live in");
  return r.done({
    savingsPence: savingsPence!,
    otherPropertyPence: otherPropertyPence ?? 0,
    ownsHome: ownsHome!,
  });
}

/** A page of optional amounts, one per kind, each entered as often as it is paid and given weekly. */
function readAmounts<K extends string>(
  r: Reader,
  slug: PageSlug,
  kinds: readonly K[],
  labels: Record<K, string>,
): Partial<Record<K, number>> {
  const amounts: Partial<Record<K, number>> = {};
  for (const kind of kinds) {
    const often = OFTEN_AMOUNTS[slug][kind];
    const value = r.money(kind, `the amount of ${labels[kind]}`, often ? { often } : {});
    if (value !== undefined) amounts[kind] = value;
  }
  return amounts;
}

function readOtherIncome(r: Reader): PageResult<OtherIncome> {
  const amounts = readAmounts(r, "other-income", PENSION_TYPES, PENSION_LABELS);
  const other = r.described(
    "otherIncomeDescription",
    "otherIncome",
    "the amount of your other income",
    { description: "Say what your other income is" },
    OFTEN_AMOUNTS["other-income"].otherIncome,
  );
  return r.done({ amounts, ...(other ? { other } : {}) });
}

function readExtraCosts(r: Reader): PageResult<ExtraCosts> {
  const kind = r.text("extraCosts");
  if (kind !== "none" && kind !== "standard" && kind !== "itemised") {
    r.fail("extraCosts", "Select whether you have extra costs because of a disability or illness");
    return r.done({ kind: "none" });
  }
  if (kind !== "itemised") return r.done({ kind });
  const items = readAmounts(r, "extra-costs", EXTRA_COST_ITEMS, EXTRA_COST_LABELS_LOWER);
  const other = r.described(
    "otherCostDescription",
    "otherCost",
    "the amount of your other cost",
    { description: "Say what your other extra cost is" },
    OFTEN_AMOUNTS["extra-costs"].otherCost,
  );
  const any = Object.values(items).some((v) => (v ?? 0) > 0) || (other?.weeklyPence ?? 0) > 0;
  if (!any && r.errorList.length === 0) {
    r.fail(
      EXTRA_COST_ITEMS[0],
      'Enter at least one extra cost, or select "I do not have extra costs because of a disability or illness"',
    );
  }
  return r.done({ kind, items, ...(other ? { other } : {}) });
}

const EXTRA_COST_LABELS_LOWER: Record<ExtraCostItem, string> = {
  community_alarm: "your community alarm",
  extra_heating: "your extra heating",
  extra_laundry: "your extra washing and laundry",
  special_diet: "your special diet",
  equipment: "your equipment, bedding or clothing",
  transport: "your extra transport costs",
};

function readCareCost(r: Reader, ctx: PageContext): PageResult<CareCost> {
  const useBudget =
    ctx.budgetWeeklyPence === undefined
      ? false
      : r.yesNo("useBudget", "Select whether to use your estimated budget or enter a different cost");
  let weeklyPence: number | undefined;
  if (useBudget) weeklyPence = ctx.budgetWeeklyPence;
  else if (useBudget === false) {
    weeklyPence = r.money("weeklyCost", "the cost of your care", {
      required: "Enter how much your care and support costs",
      often: OFTEN_AMOUNTS["care-cost"].weeklyCost!,
    });
    if (weeklyPence === 0) r.fail("weeklyCost", "The cost of your care must be more than £0 a week");
  }
  let personalCareWeeklyPence: number | undefined;
  if (ctx.askPersonalCare) {
    personalCareWeeklyPence = r.money("personalCare", "the cost of personal care", {
      required: "Enter how much of the cost is personal care, or 0 if none",
      often: OFTEN_AMOUNTS["care-cost"].personalCare!,
    });
    if (
      weeklyPence !== undefined &&
      personalCareWeeklyPence !== undefined &&
      personalCareWeeklyPence > weeklyPence
    )
      r.fail("personalCare", "The personal care cannot cost more than the whole cost of your care");
  }
  return r.done({
    useBudget: useBudget ?? false,
    weeklyPence: weeklyPence ?? 0,
    ...(personalCareWeeklyPence !== undefined ? { personalCareWeeklyPence } : {}),
  });
}

export type PageValue = {
  "about-you": AboutYou;
  savings: Savings;
  benefits: Partial<Record<BenefitType, number>>;
  "other-income": OtherIncome;
  housing: Partial<Record<HousingKind, number>>;
  "extra-costs": ExtraCosts;
  "care-cost": CareCost;
};

/** Reads one page's values; every problem is a GOV.UK field error, in the order the page asks. */
export function readPage<S extends PageSlug>(
  slug: S,
  values: FormValues,
  ctx: PageContext,
): PageResult<PageValue[S]> {
  const r = new Reader(values);
  const read: { [K in PageSlug]: () => PageResult<PageValue[K]> } = {
    "about-you": () => readAboutYou(r, ctx),
    savings: () => readSavings(r),
    benefits: () => r.done(readAmounts(r, "benefits", BENEFIT_TYPES, BENEFIT_LABELS)),
    "other-income": () => readOtherIncome(r),
    housing: () => r.done(readAmounts(r, "housing", HOUSING_KINDS, HOUSING_LABELS)),
    "extra-costs": () => readExtraCosts(r),
    "care-cost": () => readCareCost(r, ctx),
  };
  return read[slug]() as PageResult<PageValue[S]>;
}
