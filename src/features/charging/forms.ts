import {
  aboutSchema,
  circumstancesSchema,
  type FinancialAnswers,
  ROUTES,
} from "#/features/charging/answers.ts";
import {
  dateFieldValues,
  dateValues,
  errorLinks,
  type FieldErrors,
  type FormBody,
  type FormValues,
  issuesByField,
  many,
  moneyText,
  one,
  type PageResult,
  parseDateInput,
  parseMoney,
} from "#/features/charging/form-fields.ts";
import { type ChargingJurisdiction, ChargingRulesNotFoundError, chargingRulesFor } from "#/rules/charging.ts";

/**
 * The financial assessment's pages as forms: a posted (urlencoded) page becomes a section of the answers, and
 * saved answers fill a page again. Amounts are typed in pounds and pence ("125.50", "£1,200") and stored as
 * whole pence. Messages follow GOV.UK's error message style; each error is keyed by the id of the field it
 * belongs to, so the error summary links land on it.
 */
// This file: about and circumstances. Beside it, one job each: form-fields.ts (shared parsing), list-forms.ts
// (the "add another" entries, DRE, cost of care), answer-summary.ts (check answers), choice-labels.ts (what
// each choice is called). Every name stays importable from here.
export * from "#/features/charging/answer-summary.ts";
export * from "#/features/charging/choice-labels.ts";
export * from "#/features/charging/form-fields.ts";
export * from "#/features/charging/list-forms.ts";

// ---- about ------------------------------------------------------------------------------------------------------

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
