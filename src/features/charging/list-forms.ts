import {
  type CapitalEntry,
  capitalEntrySchema,
  type DreItem,
  dreItemSchema,
  type FinancialAnswers,
  FREQUENCIES,
  type Frequency,
  type HousingEntry,
  housingEntrySchema,
  type IncomeEntry,
  incomeEntrySchema,
} from "#/features/charging/answers.ts";
import { CAPITAL_KINDS, HOUSING_COST_KINDS } from "#/features/charging/charging-input.calc.ts";
import {
  errorLinks,
  type FieldErrors,
  type FormBody,
  type FormValues,
  issuesByField,
  one,
  type PageResult,
  parseMoney,
} from "#/features/charging/form-fields.ts";
import { INCOME_TYPES } from "#/rules/charging.ts";

/**
 * The "add another" entries as forms: an income, a piece of capital, a housing cost, an item of disability-
 * related expenditure; and how disability-related expenditure is assessed, and the cost of care.
 */

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
