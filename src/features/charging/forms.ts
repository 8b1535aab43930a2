import type { z } from "zod";
import {
  aboutSchema,
  type CapitalEntry,
  capitalEntrySchema,
  circumstancesSchema,
  type DreItem,
  dreItemSchema,
  type FinancialAnswers,
  FREQUENCIES,
  FREQUENCY_LABELS,
  type Frequency,
  type HousingEntry,
  housingEntrySchema,
  type IncomeEntry,
  incomeEntrySchema,
  ROUTES,
  type Route,
  type SectionName,
  toWeeklyPence,
} from "#/features/charging/answers.ts";
import { CAPITAL_KINDS, HOUSING_COST_KINDS } from "#/features/charging/schemas.ts";
import { formatPounds, type Pence } from "#/platform/money/pence.ts";
import { formatDate } from "#/platform/web/views.ts";
import {
  type ChargingJurisdiction,
  ChargingRulesNotFoundError,
  chargingRulesFor,
  INCOME_TYPE_LABELS,
  INCOME_TYPES,
  type IncomeType,
} from "#/rules/charging.ts";
import { isCalendarDate } from "#/rules/index.ts";

/**
 * The financial assessment's pages as forms: a posted (urlencoded) page becomes a section of the answers, and
 * saved answers fill a page again. Amounts are typed in pounds and pence ("125.50", "£1,200") and stored as
 * whole pence. Messages follow GOV.UK's error message style; each error is keyed by the id of the field it
 * belongs to, so the error summary links land on it.
 */

export type FormBody = Record<string, unknown>;
export type FormValues = Record<string, string | string[]>;
export type FieldErrors = Record<string, string>;
export type ErrorLink = { text: string; href: string };
export type PageResult<T> =
  | { ok: true; value: T; values: FormValues }
  | { ok: false; errors: FieldErrors; errorList: ErrorLink[]; values: FormValues };

function one(body: FormBody, name: string): string {
  const raw = body[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === "string" ? value.trim() : "";
}

function many(body: FormBody, name: string): string[] {
  const raw = body[name];
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.filter((v): v is string => typeof v === "string" && v !== "");
}

// ---- money and dates as typed ---------------------------------------------------------------------------------

/** "£1,234.5" → 123450 pence; an error message for anything that is not a sum of money. */
export function parseMoney(
  text: string,
  what: string,
): { ok: true; pence: number } | { ok: false; message: string } {
  const cleaned = text.replace(/[£,\s]/g, "");
  if (cleaned === "") return { ok: false, message: `Enter ${what}` };
  if (/^-/.test(cleaned)) return { ok: false, message: `${capitalise(what)} cannot be negative` };
  const match = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(cleaned);
  if (!match) return { ok: false, message: `Enter ${what} in pounds and pence, like 125.50` };
  return { ok: true, pence: Number(match[1]) * 100 + Number((match[2] ?? "0").padEnd(2, "0")) };
}

/** 12345 → "123.45"; whole pounds without pence: 12300 → "123". */
export function moneyText(pence: number | undefined): string {
  if (pence === undefined) return "";
  return pence % 100 === 0 ? String(pence / 100) : (pence / 100).toFixed(2);
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const pounds = (p: number) => formatPounds(p as Pence);

/** A GOV.UK date input (name-day, name-month, name-year) → YYYY-MM-DD, or what is wrong with it. */
export function parseDateInput(
  body: FormBody,
  name: string,
  what: string,
): { ok: true; date: string | undefined } | { ok: false; message: string } {
  const day = one(body, `${name}-day`);
  const month = one(body, `${name}-month`);
  const year = one(body, `${name}-year`);
  if (day === "" && month === "" && year === "") return { ok: true, date: undefined };
  if (day === "" || month === "" || year === "") {
    const lacking = [day === "" && "day", month === "" && "month", year === "" && "year"].filter(Boolean);
    return { ok: false, message: `${capitalise(what)} must include a ${lacking.join(" and ")}` };
  }
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) {
    return { ok: false, message: `${capitalise(what)} must be a real date, like 1 4 2026` };
  }
  const date = `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
  if (!isCalendarDate(date)) return { ok: false, message: `${capitalise(what)} must be a real date` };
  return { ok: true, date };
}

function dateValues(name: string, date: string | undefined): FormValues {
  if (!date) return {};
  const [y, m, d] = date.split("-");
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y! };
}

function dateFieldValues(body: FormBody, name: string): FormValues {
  return {
    [`${name}-day`]: one(body, `${name}-day`),
    [`${name}-month`]: one(body, `${name}-month`),
    [`${name}-year`]: one(body, `${name}-year`),
  };
}

/** The error summary: one link per field, in page order, each to the field's first input. */
function errorLinks(
  errors: FieldErrors,
  order: readonly string[],
  dateFields: readonly string[] = [],
): ErrorLink[] {
  const keys = [...order.filter((k) => errors[k]), ...Object.keys(errors).filter((k) => !order.includes(k))];
  return keys.map((k) => ({ text: errors[k]!, href: `#${dateFields.includes(k) ? `${k}-day` : k}` }));
}

/** Zod issues for a section, keyed by their first path part (the field), first message each. */
function issuesByField(error: z.ZodError, rename: Record<string, string> = {}): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "");
    errors[rename[field] ?? field] ??= issue.message;
  }
  return errors;
}

// ---- about ------------------------------------------------------------------------------------------------------

export const ROUTE_LABELS: Record<Route, { text: string; hint: string }> = {
  full: {
    text: "A full financial assessment",
    hint: "Income, savings, housing costs and disability-related expenses are looked at.",
  },
  chooses_to_pay_full_cost: {
    text: "Light touch: the person chooses to pay the full cost",
    hint: "No questions about money are needed.",
  },
  capital_over_upper_limit: {
    text: "Light touch: the person's savings and other capital are over the upper limit",
    hint: "They pay the full cost. Only the amount of capital is needed, to check it against the limit.",
  },
};

const ABOUT_ORDER = ["appliesFrom", "appliesTo", "reachedPensionCreditAge", "route", "lightTouchCapital"];

export function parseAbout(
  body: FormBody,
  jurisdiction: ChargingJurisdiction,
): PageResult<NonNullable<FinancialAnswers["about"]>> {
  const values: FormValues = {
    ...dateFieldValues(body, "appliesFrom"),
    ...dateFieldValues(body, "appliesTo"),
    reachedPensionCreditAge: one(body, "reachedPensionCreditAge"),
    route: one(body, "route"),
    lightTouchCapital: one(body, "lightTouchCapital"),
  };
  const errors: FieldErrors = {};
  const from = parseDateInput(body, "appliesFrom", "the date the assessment applies from");
  const to = parseDateInput(body, "appliesTo", "the last day it applies to");
  if (!from.ok) errors.appliesFrom = from.message;
  else if (from.date === undefined) errors.appliesFrom = "Enter the date the assessment applies from";
  if (!to.ok) errors.appliesTo = to.message;
  // The rules are chosen by these dates: a date no rule pack covers is refused here, naming the dates covered.
  for (const [field, result] of [
    ["appliesFrom", from],
    ["appliesTo", to],
  ] as const) {
    if (!result.ok || result.date === undefined || errors[field]) continue;
    try {
      chargingRulesFor(jurisdiction, result.date);
    } catch (error) {
      if (!(error instanceof ChargingRulesNotFoundError)) throw error;
      errors[field] = error.message;
    }
  }
  if (!["yes", "no"].includes(values.reachedPensionCreditAge as string))
    errors.reachedPensionCreditAge = "Select yes if the person has reached pension credit age";
  if (!(ROUTES as readonly string[]).includes(values.route as string))
    errors.route = "Select how the financial assessment is done";
  let capital: number | undefined;
  if (values.route === "capital_over_upper_limit") {
    const money = parseMoney(values.lightTouchCapital as string, "the person's capital");
    if (money.ok) capital = money.pence;
    else errors.lightTouchCapital = money.message;
  }
  if (Object.keys(errors).length === 0) {
    const parsed = aboutSchema.safeParse({
      appliesFrom: from.ok ? from.date : undefined,
      ...(to.ok && to.date ? { appliesTo: to.date } : {}),
      route: values.route,
      reachedPensionCreditAge: values.reachedPensionCreditAge === "yes",
      ...(capital !== undefined ? { lightTouchCapitalPence: capital } : {}),
    });
    if (parsed.success) return { ok: true, value: parsed.data, values };
    Object.assign(errors, issuesByField(parsed.error, { lightTouchCapitalPence: "lightTouchCapital" }));
  }
  return {
    ok: false,
    errors,
    errorList: errorLinks(errors, ABOUT_ORDER, ["appliesFrom", "appliesTo"]),
    values,
  };
}

export function aboutValues(answers: FinancialAnswers): FormValues {
  const a = answers.about;
  if (!a) return {};
  return {
    ...dateValues("appliesFrom", a.appliesFrom),
    ...dateValues("appliesTo", a.appliesTo),
    reachedPensionCreditAge: a.reachedPensionCreditAge ? "yes" : "no",
    route: a.route,
    lightTouchCapital: moneyText(a.lightTouchCapitalPence),
  };
}

// ---- circumstances ---------------------------------------------------------------------------------------------

const CIRCUMSTANCES_ORDER = [
  "couple",
  "partnerReachedPensionCreditAge",
  "children",
  "premiums",
  "minimumIncomeAmount",
];

export function parseCircumstances(
  body: FormBody,
  jurisdiction: ChargingJurisdiction,
): PageResult<NonNullable<FinancialAnswers["circumstances"]>> {
  const premiums = many(body, "premiums");
  const values: FormValues = {
    couple: one(body, "couple"),
    partnerReachedPensionCreditAge: one(body, "partnerReachedPensionCreditAge"),
    children: one(body, "children"),
    premiums,
    minimumIncomeAmount: one(body, "minimumIncomeAmount"),
  };
  const errors: FieldErrors = {};
  if (!["yes", "no"].includes(values.couple as string))
    errors.couple = "Select yes if the person is a member of a couple";
  const couple = values.couple === "yes";
  if (couple && !["yes", "no"].includes(values.partnerReachedPensionCreditAge as string))
    errors.partnerReachedPensionCreditAge = "Select yes if the partner has reached pension credit age";
  const childrenText = (values.children as string) || "0";
  if (!/^\d{1,2}$/.test(childrenText))
    errors.children = "Enter the number of children as a whole number, like 2";
  const unknown = premiums.filter((p) => !["disability", "enhanced", "carer"].includes(p));
  if (unknown.length > 0) errors.premiums = "Select the premiums from the list";
  let minimumIncome: number | undefined;
  if (jurisdiction === "wales") {
    const money = parseMoney(values.minimumIncomeAmount as string, "the minimum income amount");
    if (money.ok) minimumIncome = money.pence;
    else errors.minimumIncomeAmount = money.message;
  }
  if (Object.keys(errors).length === 0) {
    const parsed = circumstancesSchema.safeParse({
      couple,
      ...(couple ? { partnerReachedPensionCreditAge: values.partnerReachedPensionCreditAge === "yes" } : {}),
      children: Number(childrenText),
      disabilityPremium: premiums.includes("disability"),
      enhancedDisabilityPremium: premiums.includes("enhanced"),
      carerPremium: premiums.includes("carer"),
      ...(minimumIncome !== undefined ? { minimumIncomeAmountWeeklyPence: minimumIncome } : {}),
    });
    if (parsed.success) return { ok: true, value: parsed.data, values };
    Object.assign(
      errors,
      issuesByField(parsed.error, {
        minimumIncomeAmountWeeklyPence: "minimumIncomeAmount",
        disabilityPremium: "premiums",
        enhancedDisabilityPremium: "premiums",
        carerPremium: "premiums",
      }),
    );
  }
  return { ok: false, errors, errorList: errorLinks(errors, CIRCUMSTANCES_ORDER), values };
}

export function circumstancesValues(answers: FinancialAnswers): FormValues {
  const c = answers.circumstances;
  if (!c) return {};
  return {
    couple: c.couple ? "yes" : "no",
    partnerReachedPensionCreditAge:
      c.partnerReachedPensionCreditAge === undefined ? "" : c.partnerReachedPensionCreditAge ? "yes" : "no",
    children: String(c.children),
    premiums: [
      ...(c.disabilityPremium ? ["disability"] : []),
      ...(c.enhancedDisabilityPremium ? ["enhanced"] : []),
      ...(c.carerPremium ? ["carer"] : []),
    ],
    minimumIncomeAmount: moneyText(c.minimumIncomeAmountWeeklyPence),
  };
}

// ---- add-another lists: incomes, capital, housing costs, DRE items -----------------------------------------------

function amountAndFrequency(
  body: FormBody,
  what: string,
  errors: FieldErrors,
): { amountPence?: number; frequency?: Frequency } {
  const money = parseMoney(one(body, "amount"), what);
  const frequency = one(body, "frequency");
  if (!money.ok) errors.amount = money.message;
  if (!(FREQUENCIES as readonly string[]).includes(frequency))
    errors.frequency = "Select how often it is paid";
  return {
    ...(money.ok ? { amountPence: money.pence } : {}),
    ...((FREQUENCIES as readonly string[]).includes(frequency) ? { frequency: frequency as Frequency } : {}),
  };
}

const INCOME_ORDER = ["type", "amount", "frequency", "description", "treatment", "basis"];

export function parseIncome(body: FormBody): PageResult<IncomeEntry> {
  const values: FormValues = {
    type: one(body, "type"),
    amount: one(body, "amount"),
    frequency: one(body, "frequency"),
    description: one(body, "description"),
    treatment: one(body, "treatment"),
    basis: one(body, "basis"),
  };
  const errors: FieldErrors = {};
  if (!(INCOME_TYPES as readonly string[]).includes(values.type as string))
    errors.type = "Select the kind of income";
  const paid = amountAndFrequency(body, "the amount", errors);
  const other = values.type === "other";
  if (Object.keys(errors).length === 0) {
    const parsed = incomeEntrySchema.safeParse({
      type: values.type,
      ...paid,
      ...(values.description ? { description: values.description } : {}),
      ...(other && values.treatment ? { treatment: values.treatment } : {}),
      ...(other && values.basis ? { basis: values.basis } : {}),
    });
    if (parsed.success) return { ok: true, value: parsed.data, values };
    Object.assign(errors, issuesByField(parsed.error, { amountPence: "amount" }));
  }
  return { ok: false, errors, errorList: errorLinks(errors, INCOME_ORDER), values };
}

export const CAPITAL_LABELS: Record<(typeof CAPITAL_KINDS)[number], { text: string; hint?: string }> = {
  savings: { text: "Savings", hint: "Bank and building society accounts, cash, Premium Bonds" },
  investments: { text: "Investments", hint: "Shares, unit trusts, bonds" },
  main_home: {
    text: "The home the person lives in",
    hint: "Recorded, but not counted for care outside a care home",
  },
  other_property: { text: "Other property or land" },
  other: { text: "Something else" },
};

const CAPITAL_ORDER = ["kind", "value", "description", "disregardReason"];

export function parseCapital(body: FormBody): PageResult<CapitalEntry> {
  const values: FormValues = {
    kind: one(body, "kind"),
    value: one(body, "value"),
    description: one(body, "description"),
    disregardReason: one(body, "disregardReason"),
  };
  const errors: FieldErrors = {};
  if (!(CAPITAL_KINDS as readonly string[]).includes(values.kind as string))
    errors.kind = "Select the kind of capital";
  const money = parseMoney(values.value as string, "the value");
  if (!money.ok) errors.value = money.message;
  if (Object.keys(errors).length === 0 && money.ok) {
    const parsed = capitalEntrySchema.safeParse({
      kind: values.kind,
      valuePence: money.pence,
      ...(values.description ? { description: values.description } : {}),
      ...(values.disregardReason ? { disregardReason: values.disregardReason } : {}),
    });
    if (parsed.success) return { ok: true, value: parsed.data, values };
    Object.assign(errors, issuesByField(parsed.error, { valuePence: "value" }));
  }
  return { ok: false, errors, errorList: errorLinks(errors, CAPITAL_ORDER), values };
}

export const HOUSING_LABELS: Record<(typeof HOUSING_COST_KINDS)[number], string> = {
  rent: "Rent",
  mortgage: "Mortgage",
  council_tax: "Council Tax",
  ground_rent: "Ground rent",
  service_charges: "Service charges",
};

export function parseHousing(body: FormBody): PageResult<HousingEntry> {
  const values: FormValues = {
    kind: one(body, "kind"),
    amount: one(body, "amount"),
    frequency: one(body, "frequency"),
  };
  const errors: FieldErrors = {};
  if (!(HOUSING_COST_KINDS as readonly string[]).includes(values.kind as string))
    errors.kind = "Select the kind of housing cost";
  const paid = amountAndFrequency(body, "what the person pays", errors);
  if (Object.keys(errors).length === 0) {
    const parsed = housingEntrySchema.safeParse({ kind: values.kind, ...paid });
    if (parsed.success) return { ok: true, value: parsed.data, values };
    Object.assign(errors, issuesByField(parsed.error, { amountPence: "amount" }));
  }
  return { ok: false, errors, errorList: errorLinks(errors, ["kind", "amount", "frequency"]), values };
}

export function parseDreItem(body: FormBody): PageResult<DreItem> {
  const values: FormValues = {
    description: one(body, "description"),
    amount: one(body, "amount"),
    frequency: one(body, "frequency"),
  };
  const errors: FieldErrors = {};
  if (values.description === "") errors.description = "Enter what the expense is";
  const paid = amountAndFrequency(body, "the cost", errors);
  if (Object.keys(errors).length === 0) {
    const parsed = dreItemSchema.safeParse({ description: values.description, ...paid });
    if (parsed.success) return { ok: true, value: parsed.data, values };
    Object.assign(errors, issuesByField(parsed.error, { amountPence: "amount" }));
  }
  return { ok: false, errors, errorList: errorLinks(errors, ["description", "amount", "frequency"]), values };
}

export function parseDreKind(
  body: FormBody,
  standardAllowance: number | null,
): PageResult<"none" | "standard" | "itemised"> {
  const kind = one(body, "kind");
  const values: FormValues = { kind };
  const errors: FieldErrors = {};
  if (!["none", "standard", "itemised"].includes(kind)) {
    errors.kind = "Select how disability-related expenditure is assessed";
  } else if (kind === "standard" && standardAllowance === null) {
    errors.kind =
      "The council's charging policy sets no standard allowance for these dates: itemise the expenses instead";
  }
  if (Object.keys(errors).length > 0)
    return { ok: false, errors, errorList: errorLinks(errors, ["kind"]), values };
  return { ok: true, value: kind as "none" | "standard" | "itemised", values };
}

export function parseCostOfCare(
  body: FormBody,
  opts: { needsEstimate: boolean; scotland: boolean },
): PageResult<NonNullable<FinancialAnswers["costOfCare"]>> {
  const values: FormValues = { estimate: one(body, "estimate"), personalCare: one(body, "personalCare") };
  const errors: FieldErrors = {};
  const value: NonNullable<FinancialAnswers["costOfCare"]> = {};
  if (opts.needsEstimate) {
    const money = parseMoney(values.estimate as string, "the weekly cost of care");
    if (money.ok) value.estimateWeeklyPence = money.pence;
    else errors.estimate = money.message;
  }
  if (opts.scotland) {
    const money = parseMoney(values.personalCare as string, "the weekly cost of personal care");
    if (money.ok) value.personalCareWeeklyPence = money.pence;
    else errors.personalCare = money.message;
  }
  if (Object.keys(errors).length > 0)
    return { ok: false, errors, errorList: errorLinks(errors, ["estimate", "personalCare"]), values };
  return { ok: true, value, values };
}

// ---- describing answers (check answers, lists) -------------------------------------------------------------------

export const frequencyText = (f: Frequency) => FREQUENCY_LABELS[f].toLowerCase();

/** "£50.00 every 4 weeks (£12.50 a week)", or "£12.50 a week". */
export function paidText(amountPence: number, frequency: Frequency): string {
  if (frequency === "week") return `${pounds(amountPence)} a week`;
  return `${pounds(amountPence)} ${frequencyText(frequency)} (${pounds(toWeeklyPence(amountPence, frequency))} a week)`;
}

export const incomeLabel = (i: IncomeEntry) =>
  i.type === "other" ? (i.description ?? "Other income") : INCOME_TYPE_LABELS[i.type as IncomeType];

export type SummaryRow = { key: string; value: string; href: string };

/** Each section's answers as summary-list rows, with where to change them. */
export function describeAnswers(
  answers: FinancialAnswers,
  base: string,
  opts: { jurisdiction: ChargingJurisdiction },
): { section: SectionName; title: string; href: string; rows: SummaryRow[] }[] {
  const out: { section: SectionName; title: string; href: string; rows: SummaryRow[] }[] = [];
  const change = (slug: string, field?: string) => `${base}/${slug}?from=check${field ? `#${field}` : ""}`;
  const a = answers.about;
  if (a) {
    out.push({
      section: "about",
      title: "About this financial assessment",
      href: change("about"),
      rows: [
        {
          key: "Applies from",
          value: a.appliesTo
            ? `${formatDate(a.appliesFrom)} to ${formatDate(a.appliesTo)}`
            : `${formatDate(a.appliesFrom)}, until the rules next change`,
          href: change("about", "appliesFrom-day"),
        },
        {
          key: "Reached pension credit age",
          value: a.reachedPensionCreditAge ? "Yes" : "No",
          href: change("about", "reachedPensionCreditAge"),
        },
        { key: "How it is done", value: ROUTE_LABELS[a.route].text, href: change("about", "route") },
        ...(a.route === "capital_over_upper_limit"
          ? [
              {
                key: "Capital",
                value: pounds(a.lightTouchCapitalPence ?? 0),
                href: change("about", "lightTouchCapital"),
              },
            ]
          : []),
      ],
    });
  }
  if (a?.route !== "full") return out;
  const c = answers.circumstances;
  if (c) {
    const premiums = [
      c.disabilityPremium && "disability premium",
      c.enhancedDisabilityPremium && "enhanced disability premium",
      c.carerPremium && "carer premium",
    ].filter(Boolean);
    out.push({
      section: "circumstances",
      title: "Circumstances",
      href: change("circumstances"),
      rows: [
        {
          key: "Member of a couple",
          value: c.couple
            ? `Yes; the partner has ${c.partnerReachedPensionCreditAge ? "" : "not "}reached pension credit age`
            : "No",
          href: change("circumstances", "couple"),
        },
        {
          key: "Children they live with",
          value: String(c.children),
          href: change("circumstances", "children"),
        },
        {
          key: "Premiums",
          value: premiums.length ? capitalise(premiums.join(", ")) : "None",
          href: change("circumstances", "premiums"),
        },
        ...(opts.jurisdiction === "wales"
          ? [
              {
                key: "Minimum income amount",
                value: `${pounds(c.minimumIncomeAmountWeeklyPence ?? 0)} a week`,
                href: change("circumstances", "minimumIncomeAmount"),
              },
            ]
          : []),
      ],
    });
  }
  const list = <T>(
    section: SectionName,
    slug: string,
    title: string,
    items: T[] | undefined,
    row: (i: T) => [string, string],
    none: string,
  ) => {
    if (items === undefined) return;
    out.push({
      section,
      title,
      href: change(slug),
      rows: items.length
        ? items.map((item) => {
            const [key, value] = row(item);
            return { key, value, href: change(slug) };
          })
        : [{ key: title, value: none, href: change(slug) }],
    });
  };
  list(
    "incomes",
    "incomes",
    "Income",
    answers.incomes,
    (i) => [incomeLabel(i), paidText(i.amountPence, i.frequency)],
    "None",
  );
  list(
    "capital",
    "capital",
    "Savings, investments and property",
    answers.capital,
    (i) => [
      i.description ? `${CAPITAL_LABELS[i.kind].text}: ${i.description}` : CAPITAL_LABELS[i.kind].text,
      `${pounds(i.valuePence)}${i.disregardReason ? ` (disregarded: ${i.disregardReason})` : ""}`,
    ],
    "None",
  );
  list(
    "housingCosts",
    "housing-costs",
    "Housing costs",
    answers.housingCosts,
    (h) => [HOUSING_LABELS[h.kind], paidText(h.amountPence, h.frequency)],
    "None",
  );
  const dre = answers.dre;
  if (dre) {
    out.push({
      section: "dre",
      title: "Disability-related expenditure",
      href: change("disability-related-expenditure"),
      rows:
        dre.kind === "itemised"
          ? dre.items.length
            ? dre.items.map((item) => ({
                key: item.description,
                value: paidText(item.amountPence, item.frequency),
                href: change("disability-related-expenditure/items"),
              }))
            : [
                {
                  key: "Expenses",
                  value: "None listed",
                  href: change("disability-related-expenditure/items"),
                },
              ]
          : [
              {
                key: "How it is assessed",
                value: dre.kind === "standard" ? "The council's standard allowance" : "None",
                href: change("disability-related-expenditure"),
              },
            ],
    });
  }
  return out;
}

export const FREQUENCY_ITEMS = FREQUENCIES.map((f) => ({ value: f, text: FREQUENCY_LABELS[f] }));
export const INCOME_ITEMS = INCOME_TYPES.map((t) => ({ value: t, text: INCOME_TYPE_LABELS[t] }));
