import type { z } from "zod";
import {
  DEPLOYMENT_LABELS,
  DEPLOYMENTS,
  MAX_ONE_OFF_PENCE,
  MAX_UNIT_COST_PENCE,
  outcomeSchema,
  riskSchema,
  SUPPORT_SOURCE_KINDS,
  type Support,
  type SupportSourceKind,
  supportPlanSchema,
  supportSchema,
  UNITS,
} from "#/features/planning/schemas.ts";
import { isCalendarDate } from "#/platform/dates/calendar.ts";
import { typedPounds, typedPoundsToPence } from "#/platform/money/parse.ts";
import { formatPounds, type Pence } from "#/platform/money/pence.ts";
import type { FieldError } from "#/platform/validation.ts";
// Read with the forms kit (platform/web/forms.ts); this feature's boxes are read trimmed.
import {
  type FormBody,
  type FormValues,
  manyTrimmed as many,
  oneTrimmed as one,
} from "#/platform/web/forms.ts";

export { type FormBody, type FormValues, many, one };

/**
 * Reading the plan editor's GOV.UK forms: each small form (an outcome, a support, a risk, the contingency plan,
 * the reason for going over budget, an approval, a return, an allocation override) becomes the plan's own shape
 * or the list of what to fix, keyed by the form's field ids so the error summary links to the right box.
 * Money is typed in pounds and kept in whole pence. Nothing here reads the database or the clock.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

export type Outcome = z.infer<typeof outcomeSchema>;
export type Risk = z.infer<typeof riskSchema>;

/** "£1,234.50", "16.5" or "16" as whole pence, or what to type instead. */
export function parsePounds(
  text: string,
  what: string,
): { ok: true; pence: number } | { ok: false; message: string } {
  const cleaned = typedPounds(text);
  if (cleaned === "") return { ok: false, message: `Enter ${what} in pounds, like 18.50` };
  if (/^-/.test(cleaned)) return { ok: false, message: `${capitalise(what)} cannot be negative` };
  const pence = typedPoundsToPence(text, 9);
  if (pence === undefined) return { ok: false, message: `Enter ${what} in pounds, like 18.50` };
  return { ok: true, pence };
}

/** Pence as the pounds a person would type: 1850 → "18.50". */
export const poundsText = (pence: number | undefined | null): string =>
  pence === undefined || pence === null
    ? ""
    : `${Math.floor(pence / 100)}.${String(pence % 100).padStart(2, "0")}`;

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The next free id in a plan's list: o1, o2… for outcomes, s1… for supports, r1… for risks. */
export function nextId(prefix: "o" | "s" | "r", existing: readonly { id: string }[]): string {
  const taken = new Set(existing.map((e) => e.id));
  let n = existing.length + 1;
  while (taken.has(`${prefix}${n}`)) n++;
  return `${prefix}${n}`;
}

/** Zod issues as field errors on the form, through a map from the schema's path to the form's field id. */
function issuesToFields(
  issues: readonly z.core.$ZodIssue[],
  fieldOf: (path: readonly PropertyKey[]) => string,
) {
  return issues.map((issue) => ({ path: fieldOf(issue.path), message: issue.message }));
}

// ---- outcomes and risks ------------------------------------------------------------------------------------------

export const OUTCOME_FIELDS = ["inTheirWords", "howWeWillKnow"] as const;
export const RISK_FIELDS = ["description", "howHandled", "whoManagesIt"] as const;

export const outcomeValues = (o?: Outcome): FormValues => ({
  inTheirWords: o?.inTheirWords ?? "",
  howWeWillKnow: o?.howWeWillKnow ?? "",
});
export const riskValues = (r?: Risk): FormValues => ({
  description: r?.description ?? "",
  howHandled: r?.howHandled ?? "",
  whoManagesIt: r?.whoManagesIt ?? "",
});

// Text areas keep the person's line breaks; only the ends are trimmed.
const textOf = (body: FormBody, name: string) => {
  const raw = body[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === "string" ? value.replace(/\r\n/g, "\n").trim() : "";
};

export function parseOutcome(body: FormBody, id: string): Parsed<Outcome> {
  const parsed = outcomeSchema.safeParse({
    id,
    inTheirWords: textOf(body, "inTheirWords"),
    howWeWillKnow: textOf(body, "howWeWillKnow"),
  });
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    errors: issuesToFields(parsed.error.issues, (p) =>
      p[0] === "howWeWillKnow" ? "howWeWillKnow" : "inTheirWords",
    ),
  };
}

export function parseRisk(body: FormBody, id: string): Parsed<Risk> {
  const who = textOf(body, "whoManagesIt");
  const parsed = riskSchema.safeParse({
    id,
    description: textOf(body, "description"),
    howHandled: textOf(body, "howHandled"),
    ...(who ? { whoManagesIt: who } : {}),
  });
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    errors: issuesToFields(parsed.error.issues, (p) =>
      (RISK_FIELDS as readonly PropertyKey[]).includes(p[0] ?? "") ? String(p[0]) : "description",
    ),
  };
}

/** The contingency plan or the reason for going over budget: a text, or nothing (a draft may leave it out). */
export function parseLongText(
  body: FormBody,
  field: string,
  what: string,
  max = 2000,
): Parsed<string | undefined> {
  const text = textOf(body, field);
  if (text.length > max)
    return { ok: false, errors: [{ path: field, message: `Keep ${what} to ${max} characters` }] };
  return { ok: true, value: text === "" ? undefined : text };
}

// ---- supports ----------------------------------------------------------------------------------------------------

export const SOURCE_LABELS: Record<SupportSourceKind, { text: string; hint: string }> = {
  provider: {
    text: "A provider from the council's directory",
    hint: "An agency, charity or other organisation",
  },
  personal_assistant: {
    text: "A personal assistant",
    hint: "Someone the person employs to help them, paid from the budget",
  },
  pooled: {
    text: "Shared with other people (pooled)",
    hint: "Several people put part of their budgets together for one arrangement; the cost here is this person's share",
  },
  self_arranged: {
    text: "Something the person arranges themselves",
    hint: "For example a class, a gym membership or a club",
  },
  universal: {
    text: "Free support open to anyone",
    hint: "Community groups and services that cost the budget nothing",
  },
};

export const DEPLOYMENT_HINTS: Record<(typeof DEPLOYMENTS)[number], string> = {
  direct_payment: "The money is paid to the person (or someone acting for them), who pays for the support",
  council_managed: "The council holds the money and pays for the support the person chooses",
  individual_service_fund: "The provider holds the money and spends it as the person wants",
  council_arranged: "The council chooses and arranges the support",
};

export const COST_BASES = ["weekly", "one_off", "none"] as const;
export const COST_BASIS_LABELS: Record<(typeof COST_BASES)[number], { text: string; hint: string }> = {
  weekly: { text: "A cost every week", hint: "A price for each hour, visit or session, and how many a week" },
  one_off: { text: "A one-off cost", hint: "For example a piece of equipment" },
  none: { text: "No cost to the budget", hint: "For example free community support" },
};

export const UNIT_LABELS: Record<(typeof UNITS)[number], string> = {
  hour: "Hour",
  session: "Session",
  visit: "Visit",
  day: "Day",
  night: "Night",
  week: "Week",
  item: "Item",
};

export const SUPPORT_FIELDS = [
  "what",
  "category",
  "sourceKind",
  "providerId",
  "paName",
  "poolArrangement",
  "poolPeople",
  "selfDescription",
  "universalName",
  "costBasis",
  "unitCost",
  "unit",
  "unitsPerWeek",
  "oneOffAmount",
  "deployment",
  "outcomeIds",
] as const;

/** The form's values for a support already in the plan (to change it), or empty ones (to add one). */
export function supportValues(s?: Support): FormValues {
  const v: FormValues = Object.fromEntries(SUPPORT_FIELDS.map((f) => [f, ""]));
  v.outcomeIds = [];
  if (!s) return v;
  v.what = s.what;
  v.category = s.category;
  v.sourceKind = s.from.kind;
  if (s.from.kind === "provider") v.providerId = s.from.providerId;
  if (s.from.kind === "personal_assistant") v.paName = s.from.name ?? "";
  if (s.from.kind === "pooled") {
    v.poolArrangement = s.from.arrangement;
    v.poolPeople = String(s.from.peopleSharing);
  }
  if (s.from.kind === "self_arranged") v.selfDescription = s.from.description;
  if (s.from.kind === "universal") v.universalName = s.from.name;
  v.costBasis = s.cost.basis;
  if (s.cost.basis === "weekly") {
    v.unitCost = poundsText(s.cost.unitCostPence);
    v.unit = s.cost.unit;
    v.unitsPerWeek = String(s.cost.unitsPerWeek);
  }
  if (s.cost.basis === "one_off") v.oneOffAmount = poundsText(s.cost.amountPence);
  v.deployment = s.deployment ?? "";
  v.outcomeIds = [...s.outcomeIds];
  return v;
}

export function supportValuesFrom(body: FormBody): FormValues {
  const v: FormValues = Object.fromEntries(SUPPORT_FIELDS.map((f) => [f, one(body, f)]));
  v.outcomeIds = many(body, "outcomeIds");
  return v;
}

/** Where a schema issue about a support belongs on the form. */
function supportFieldOf(path: readonly PropertyKey[], sourceKind: string): string {
  const [top, sub] = path;
  if (top === "from") {
    if (sub === undefined || sub === "kind") return "sourceKind";
    if (sub === "providerId" || (sub === "name" && sourceKind === "provider")) return "providerId";
    if (sub === "name" && sourceKind === "personal_assistant") return "paName";
    if (sub === "name") return "universalName";
    if (sub === "arrangement") return "poolArrangement";
    if (sub === "peopleSharing") return "poolPeople";
    if (sub === "description") return "selfDescription";
    return "sourceKind";
  }
  if (top === "cost") {
    if (sub === "unitCostPence") return "unitCost";
    if (sub === "unit") return "unit";
    if (sub === "unitsPerWeek") return "unitsPerWeek";
    if (sub === "amountPence") return "oneOffAmount";
    return "costBasis";
  }
  if (top === "outcomeIds") return "outcomeIds";
  if (top === "deployment" || top === "category" || top === "what") return top;
  return "what";
}

export type SupportFormContext = {
  /** The plan's outcomes, which the support may serve. */
  readonly outcomes: readonly Outcome[];
  /** The council's support categories. */
  readonly categories: readonly string[];
  /** A directory provider's name, or undefined when the council has no such provider. */
  readonly providerName: (providerId: string) => string | undefined;
};

/**
 * A support line from its form. Plain messages for the radios and boxes a person fills in; then the plan's
 * own rules (the schema's, on a plan made of this support and the plan's outcomes), so a support that could
 * never be in a valid plan is refused here, where the person can fix it.
 */
export function parseSupport(body: FormBody, id: string, context: SupportFormContext): Parsed<Support> {
  const v = supportValuesFrom(body);
  const text = (f: string) => textOf(body, f);
  const errors: FieldError[] = [];
  const sourceKind = v.sourceKind as string;
  const costBasis = v.costBasis as string;

  if (context.outcomes.length === 0) {
    errors.push({
      path: "what",
      message: "Add an outcome to the plan first: every support must help to meet one",
    });
  }
  if (v.category === "") errors.push({ path: "category", message: "Choose the kind of support" });
  else if (!context.categories.includes(v.category as string))
    errors.push({ path: "category", message: "Choose one of the kinds of support listed" });

  let from: Record<string, unknown> | undefined;
  if (!(SUPPORT_SOURCE_KINDS as readonly string[]).includes(sourceKind)) {
    errors.push({ path: "sourceKind", message: "Choose who will provide the support" });
  } else if (sourceKind === "provider") {
    const providerId = v.providerId as string;
    const name = providerId ? context.providerName(providerId) : undefined;
    if (!providerId) errors.push({ path: "providerId", message: "Choose the provider from the directory" });
    else if (!name)
      errors.push({ path: "providerId", message: "Choose a provider that is in the council's directory" });
    else from = { kind: "provider", providerId, name };
  } else if (sourceKind === "personal_assistant") {
    from = { kind: "personal_assistant", ...(text("paName") ? { name: text("paName") } : {}) };
  } else if (sourceKind === "pooled") {
    const people = v.poolPeople as string;
    if (!/^\d{1,3}$/.test(people)) {
      errors.push({
        path: "poolPeople",
        message: "Enter how many people share the arrangement, as a whole number, like 3",
      });
    } else {
      from = { kind: "pooled", arrangement: text("poolArrangement"), peopleSharing: Number(people) };
    }
    if (!text("poolArrangement"))
      errors.push({ path: "poolArrangement", message: "Enter the name of the shared arrangement" });
  } else if (sourceKind === "self_arranged") {
    from = { kind: "self_arranged", description: text("selfDescription") };
  } else {
    from = { kind: "universal", name: text("universalName") };
  }

  let cost: Record<string, unknown> | undefined;
  if (!(COST_BASES as readonly string[]).includes(costBasis)) {
    errors.push({ path: "costBasis", message: "Choose how the support is paid for" });
  } else if (costBasis === "weekly") {
    const unitCost = parsePounds(v.unitCost as string, "the cost of one unit");
    if (!unitCost.ok) errors.push({ path: "unitCost", message: unitCost.message });
    else if (unitCost.pence > MAX_UNIT_COST_PENCE)
      errors.push({
        path: "unitCost",
        message: `The cost of one unit must be ${formatPounds(MAX_UNIT_COST_PENCE as Pence)} or less: check it is not a yearly figure`,
      });
    if (!(UNITS as readonly string[]).includes(v.unit as string))
      errors.push({ path: "unit", message: "Choose what the unit is, for example an hour" });
    const units = (v.unitsPerWeek as string).replace(/,/g, "");
    if (!/^\d{1,3}(\.\d{1,2})?$/.test(units))
      errors.push({
        path: "unitsPerWeek",
        message: "Enter how many units a week, as a number like 10 or 10.5 (at most two decimal places)",
      });
    if (unitCost.ok && errors.every((e) => !["unit", "unitsPerWeek", "unitCost"].includes(e.path))) {
      cost = { basis: "weekly", unitCostPence: unitCost.pence, unit: v.unit, unitsPerWeek: Number(units) };
    }
  } else if (costBasis === "one_off") {
    const amount = parsePounds(v.oneOffAmount as string, "the one-off cost");
    if (!amount.ok) errors.push({ path: "oneOffAmount", message: amount.message });
    else if (amount.pence > MAX_ONE_OFF_PENCE)
      errors.push({
        path: "oneOffAmount",
        message: `The one-off cost must be ${formatPounds(MAX_ONE_OFF_PENCE as Pence)} or less`,
      });
    else cost = { basis: "one_off", amountPence: amount.pence };
  } else {
    cost = { basis: "none" };
  }

  const deployment = v.deployment as string;
  if (costBasis !== "none" && costBasis !== "" && deployment === "")
    errors.push({ path: "deployment", message: "Choose how the money for this support is held and spent" });

  const known = new Set(context.outcomes.map((o) => o.id));
  const outcomeIds = v.outcomeIds as string[];
  if (context.outcomes.length > 0 && outcomeIds.length === 0)
    errors.push({ path: "outcomeIds", message: "Choose at least one outcome this support helps to meet" });
  else if (outcomeIds.some((o) => !known.has(o)))
    errors.push({ path: "outcomeIds", message: "Choose from the outcomes in this plan" });

  const candidate = {
    id,
    what: text("what"),
    category: v.category,
    from: from ?? { kind: "universal", name: "placeholder" },
    cost: cost ?? { basis: "none" },
    ...(costBasis !== "none" && deployment !== "" ? { deployment } : {}),
    outcomeIds: outcomeIds.length ? outcomeIds : ["placeholder"],
  };
  // The schema's own checks, for the fields the plain ones above did not already refuse.
  const already = new Set(errors.map((e) => e.path));
  const single = supportSchema.safeParse(candidate);
  if (!single.success) {
    for (const e of issuesToFields(single.error.issues, (p) => supportFieldOf(p, sourceKind))) {
      if (!already.has(e.path)) errors.push(e);
    }
  } else if (errors.length === 0) {
    // Only when every field is real: a placeholder standing in for a refused field would give false errors.
    const plan = supportPlanSchema.safeParse({ outcomes: context.outcomes, supports: [single.data] });
    if (!plan.success) {
      for (const issue of plan.error.issues) {
        if (issue.path[0] !== "supports") continue;
        const field = supportFieldOf(issue.path.slice(2), sourceKind);
        if (!already.has(field)) errors.push({ path: field, message: issue.message });
      }
    }
  }
  if (errors.length > 0 || !single.success) return { ok: false, errors: dedupe(errors) };
  return { ok: true, value: single.data };
}

function dedupe(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.path}\n${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Radios and checkboxes for the support form, with plain hints, as govuk-frontend macros take them. */
export function supportFormItems(
  values: FormValues,
  outcomes: readonly Outcome[],
  categories: readonly { id: string; label: string }[],
) {
  return {
    categoryItems: [
      { value: "", text: "Choose the kind of support" },
      ...categories.map((c) => ({ value: c.id, text: c.label, selected: values.category === c.id })),
    ],
    sourceItems: SUPPORT_SOURCE_KINDS.map((k) => ({
      value: k,
      text: SOURCE_LABELS[k].text,
      hint: { text: SOURCE_LABELS[k].hint },
      checked: values.sourceKind === k,
    })),
    costItems: COST_BASES.map((b) => ({
      value: b,
      text: COST_BASIS_LABELS[b].text,
      hint: { text: COST_BASIS_LABELS[b].hint },
      checked: values.costBasis === b,
    })),
    unitItems: [
      { value: "", text: "Choose a unit" },
      ...UNITS.map((u) => ({ value: u, text: UNIT_LABELS[u], selected: values.unit === u })),
    ],
    deploymentItems: DEPLOYMENTS.map((d) => ({
      value: d,
      text: DEPLOYMENT_LABELS[d],
      hint: { text: DEPLOYMENT_HINTS[d] },
      checked: values.deployment === d,
    })),
    outcomeItems: outcomes.map((o) => ({
      value: o.id,
      text: o.inTheirWords,
      checked: (values.outcomeIds as string[]).includes(o.id),
    })),
  };
}

/** Who provides a support, in plain words. */
export function describeSource(s: Support): string {
  switch (s.from.kind) {
    case "provider":
      return `${s.from.name} (from the directory)`;
    case "personal_assistant":
      return s.from.name ? `${s.from.name}, a personal assistant` : "A personal assistant";
    case "pooled":
      return `${s.from.arrangement}, shared by ${s.from.peopleSharing} people`;
    case "self_arranged":
      return `Arranged by the person: ${s.from.description}`;
    case "universal":
      return `${s.from.name} (free, open to anyone)`;
  }
}

// ---- decisions ---------------------------------------------------------------------------------------------------

/** A GOV.UK date input (name-day, name-month, name-year) as YYYY-MM-DD, or what is wrong with it. */
export function parseDateInput(body: FormBody, name: string, what: string): Parsed<string> {
  const day = one(body, `${name}-day`);
  const month = one(body, `${name}-month`);
  const year = one(body, `${name}-year`);
  if (day === "" && month === "" && year === "")
    return { ok: false, errors: [{ path: name, message: `Enter ${what}` }] };
  if (day === "" || month === "" || year === "") {
    const lacking = [day === "" && "day", month === "" && "month", year === "" && "year"].filter(Boolean);
    return {
      ok: false,
      errors: [{ path: name, message: `${capitalise(what)} must include a ${lacking.join(" and ")}` }],
    };
  }
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) {
    return {
      ok: false,
      errors: [{ path: name, message: `${capitalise(what)} must be a real date, like 1 4 2027` }],
    };
  }
  const date = `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
  if (!isCalendarDate(date))
    return { ok: false, errors: [{ path: name, message: `${capitalise(what)} must be a real date` }] };
  return { ok: true, value: date };
}

export const dateValues = (name: string, date: string | undefined): FormValues => {
  if (!date) return { [`${name}-day`]: "", [`${name}-month`]: "", [`${name}-year`]: "" };
  const [y, m, d] = date.split("-");
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y! };
};

export const dateValuesFrom = (body: FormBody, name: string): FormValues => ({
  [`${name}-day`]: one(body, `${name}-day`),
  [`${name}-month`]: one(body, `${name}-month`),
  [`${name}-year`]: one(body, `${name}-year`),
});

/** The reasons for returning a plan: one a paragraph (a blank line between them), at least one. */
export function parseReturnReasons(body: FormBody): Parsed<string[]> {
  const reasons = textOf(body, "reasons")
    .split(/\n\s*\n/)
    .map((r) => r.trim())
    .filter((r) => r !== "");
  if (reasons.length === 0)
    return {
      ok: false,
      errors: [{ path: "reasons", message: "Say why the plan is going back, in words the person can read" }],
    };
  if (reasons.some((r) => r.length > 2000))
    return { ok: false, errors: [{ path: "reasons", message: "Keep each reason to 2000 characters" }] };
  return { ok: true, value: reasons };
}

/** A change to an indicative allocation: the new weekly figure and why. */
export function parseOverride(body: FormBody): Parsed<{ toWeeklyPence: number; reason: string }> {
  const errors: FieldError[] = [];
  const amount = parsePounds(one(body, "newWeekly"), "the new weekly amount");
  if (!amount.ok) errors.push({ path: "newWeekly", message: amount.message });
  else if (amount.pence > MAX_UNIT_COST_PENCE)
    errors.push({
      path: "newWeekly",
      message: `The new weekly amount must be ${formatPounds(MAX_UNIT_COST_PENCE as Pence)} or less`,
    });
  const reason = textOf(body, "reason");
  if (reason === "") errors.push({ path: "reason", message: "Say why the indicative budget should change" });
  else if (reason.length > 2000)
    errors.push({ path: "reason", message: "Keep the reason to 2000 characters" });
  if (errors.length > 0 || !amount.ok) return { ok: false, errors };
  return { ok: true, value: { toWeeklyPence: amount.pence, reason } };
}

/** An approver's decision on a pending override: approve or refuse, with a note (needed to refuse). */
export function parseOverrideDecision(body: FormBody): Parsed<{ approve: boolean; note: string }> {
  const decision = one(body, "decision");
  const note = textOf(body, "note");
  const errors: FieldError[] = [];
  if (decision !== "approve" && decision !== "refuse")
    errors.push({ path: "decision", message: "Choose whether to approve or refuse the change" });
  if (decision === "refuse" && note === "")
    errors.push({ path: "note", message: "Say why the change is refused" });
  if (note.length > 2000) errors.push({ path: "note", message: "Keep the note to 2000 characters" });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { approve: decision === "approve", note } };
}
