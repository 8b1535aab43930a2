import type { FastifyInstance, FastifyReply } from "fastify";
import {
  type FieldErrors,
  type FormBody,
  type FormValues,
  moneyText,
  parseDateInput,
  parseMoney,
} from "#/features/charging/forms.ts";
import {
  addPolicyVersion,
  addSuppliedFigures,
  getChargingSettings,
  withdrawPolicyVersion,
  withdrawSuppliedFigure,
} from "#/features/charging/settings-service.ts";
import {
  isCapitalFigure,
  packFigure,
  SUPPLIABLE_FIGURES,
  type SuppliedFigureKey,
  suppliedFigureLabel,
  suppliedFigureOn,
  unconfirmedFigureKeys,
} from "#/features/charging/supplied-figures.calc.ts";
import { upratingRoutes } from "#/features/charging/uprating-routes.ts";
import { ValidationError } from "#/platform/errors.ts";
// Read with the forms kit (platform/web/forms.ts): single boxes trimmed, checkboxes as posted.
import { many, oneTrimmed as one } from "#/platform/web/forms.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";
import { requireStaff } from "#/platform/web/security.ts";
import { allChargingRules, INCOME_TYPE_LABELS, INCOME_TYPES, type IncomeType } from "#/rules/charging.ts";

/**
 * The council's charging settings, for finance officers and administrators: dated versions of its charging
 * policy, and the figures it supplies where a rule pack could not confirm one (each with its source). The
 * page shows, year by year, which figures the rules could not confirm and whether the council has supplied
 * them. Every change goes through the settings service: validated, dated, and audited.
 */

const NAMED_INCOME_TYPES = INCOME_TYPES.filter((t) => t !== "other") as Exclude<IncomeType, "other">[];

const POLICY_MONEY_FIELDS = [
  ["lowerCapitalLimit", "lowerCapitalLimitPence", "the lower capital limit"],
  ["upperCapitalLimit", "upperCapitalLimitPence", "the upper capital limit"],
  ["minimumCharge", "minimumChargeWeeklyPence", "the minimum charge"],
  ["weeklyMaximumCharge", "weeklyMaximumChargePence", "the weekly maximum charge"],
  ["standardDreAllowance", "standardDreAllowanceWeeklyPence", "the standard allowance"],
] as const;
const POLICY_PERCENT_FIELDS = [
  ["migUplift", "migUpliftPercent", "the MIG uplift"],
  ["chargePercent", "chargePercent", "the share of disposable income charged"],
] as const;

/** Service paths (policy.x, [0].x) → the page's field ids. */
const POLICY_FIELD_OF: Record<string, string> = {
  validFrom: "validFrom-day",
  validTo: "validTo-day",
  reference: "reference",
  incomeDisregards: "incomeDisregards",
  ...Object.fromEntries(POLICY_MONEY_FIELDS.map(([field, key]) => [key, field])),
  ...Object.fromEntries(POLICY_PERCENT_FIELDS.map(([field, key]) => [key, field])),
};
const FIGURE_FIELD_OF: Record<string, string> = {
  figure: "figure",
  validFrom: "validFrom-day",
  validTo: "validTo-day",
  pence: "amount",
  source: "source",
};

function fieldErrorsToPage(error: ValidationError, map: Record<string, string>) {
  const errors: FieldErrors = {};
  const errorList: { text: string; href: string }[] = [];
  for (const e of error.fieldErrors) {
    const key =
      e.path
        .replace(/^policy\./, "")
        .replace(/^\[\d+\]\.?/, "")
        .split(/[.[]/)[0] ?? "";
    const field = map[key] ?? "main-content";
    const errorKey = field.replace(/-day$/, "");
    if (!errors[errorKey]) {
      errors[errorKey] = e.message;
      errorList.push({ text: e.message, href: `#${field}` });
    }
  }
  return { errors, errorList };
}

export async function chargingSettingsRoutes(app: FastifyInstance, deps: RouteDeps) {
  const pages: SettingsPages = {
    guard: { preHandler: requireStaff("charging:settings") },
    context: serviceContextFor(deps),
  };
  await upratingRoutes(app, deps);
  settingsPage(app, pages);
  policyPages(app, pages);
  figurePages(app, pages);
}

/** What every settings page needs: the administrators-and-finance guard and the service context. */
type SettingsPages = {
  guard: { preHandler: ReturnType<typeof requireStaff> };
  context: ReturnType<typeof serviceContextFor>;
};

/** The settings: policy versions, supplied figures, and year by year the figures the rules could not confirm. */
function settingsPage(app: FastifyInstance, { guard, context }: SettingsPages) {
  app.get("/charging/settings", guard, async (request, reply) => {
    const settings = await getChargingSettings(context(request));
    const jurisdiction = request.staff!.jurisdiction;
    const years = allChargingRules()
      .filter((p) => p.jurisdiction === jurisdiction)
      .map((pack) => ({
        pack,
        figures: unconfirmedFigureKeys(pack)
          .filter((key) => packFigure(pack, key) !== null)
          .map((key) => {
            const supplied = suppliedFigureOn(settings.suppliedFigures, key, pack.validFrom);
            const figure = packFigure(pack, key);
            const secondaryPence = figure?.status === "secondary" ? figure.pence : undefined;
            return { key, label: suppliedFigureLabel(key), supplied, secondaryPence };
          }),
      }))
      .filter((y) => y.figures.length > 0);
    const q = request.query as Record<string, unknown>;
    return reply.render("charging/views/settings.njk", {
      title: "Charging settings",
      backLink: "/charging",
      settings,
      policyVersions: settings.policyVersions.map((v) => ({ ...v, summary: policySummary(v.policy) })),
      suppliedFigures: settings.suppliedFigures.map((f) => ({
        ...f,
        label: suppliedFigureLabel(f.figure),
        capital: isCapitalFigure(f.figure),
      })),
      years,
      done: typeof q.done === "string" ? q.done : "",
    });
  });
}

/** Add a charging policy version; withdraw one. */
function policyPages(app: FastifyInstance, { guard, context }: SettingsPages) {
  const renderPolicy = (
    reply: FastifyReply,
    values: FormValues,
    errors: FieldErrors = {},
    errorList?: unknown,
  ) =>
    reply.render("charging/views/settings-policy.njk", {
      title: "Add a charging policy version",
      backLink: "/charging/settings",
      values,
      errors,
      errorList,
      incomeItems: NAMED_INCOME_TYPES.map((t) => ({ value: t, text: INCOME_TYPE_LABELS[t] })),
    });

  app.get("/charging/settings/policy/new", guard, async (_request, reply) => renderPolicy(reply, {}));

  app.post("/charging/settings/policy/new", guard, async (request, reply) => {
    const { values, policy, errors, errorList } = readPolicyForm((request.body ?? {}) as FormBody);
    if (Object.keys(errors).length > 0) return renderPolicy(reply.code(400), values, errors, errorList);
    try {
      const { ended } = await addPolicyVersion(context(request), { reference: values.reference, policy });
      return reply.redirect(`/charging/settings?done=${ended ? "policy-ended" : "policy"}`, 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const page = fieldErrorsToPage(error, POLICY_FIELD_OF);
      return renderPolicy(reply.code(400), values, page.errors, page.errorList);
    }
  });

  app.post("/charging/settings/policy/:id/withdraw", guard, async (request, reply) => {
    const { id } = request.params as { id: string };
    await withdrawPolicyVersion(context(request), id);
    return reply.redirect("/charging/settings?done=policy-withdrawn", 303);
  });
}

/** Supply a figure; withdraw one. */
function figurePages(app: FastifyInstance, { guard, context }: SettingsPages) {
  const renderFigure = (
    reply: FastifyReply,
    values: FormValues,
    errors: FieldErrors = {},
    errorList?: unknown,
  ) =>
    reply.render("charging/views/settings-figure.njk", {
      title: "Supply a figure",
      backLink: "/charging/settings",
      values,
      errors,
      errorList,
      figureItems: SUPPLIABLE_FIGURES.map((key) => ({ value: key, text: suppliedFigureLabel(key) })),
    });

  app.get("/charging/settings/figures/new", guard, async (request, reply) => {
    const q = request.query as Record<string, unknown>;
    const figure =
      typeof q.figure === "string" && (SUPPLIABLE_FIGURES as readonly string[]).includes(q.figure)
        ? q.figure
        : "";
    const from = typeof q.from === "string" && /^\d{4}-\d{2}-\d{2}$/.test(q.from) ? q.from : "";
    const to = typeof q.to === "string" && /^\d{4}-\d{2}-\d{2}$/.test(q.to) ? q.to : "";
    const dateParts = (name: string, date: string) => {
      if (!date) return {};
      const [y, m, d] = date.split("-");
      return {
        [`${name}-day`]: String(Number(d)),
        [`${name}-month`]: String(Number(m)),
        [`${name}-year`]: y!,
      };
    };
    return renderFigure(reply, { figure, ...dateParts("validFrom", from), ...dateParts("validTo", to) });
  });

  app.post("/charging/settings/figures/new", guard, async (request, reply) => {
    const body = (request.body ?? {}) as FormBody;
    const values: FormValues = {
      figure: one(body, "figure"),
      "validFrom-day": one(body, "validFrom-day"),
      "validFrom-month": one(body, "validFrom-month"),
      "validFrom-year": one(body, "validFrom-year"),
      "validTo-day": one(body, "validTo-day"),
      "validTo-month": one(body, "validTo-month"),
      "validTo-year": one(body, "validTo-year"),
      amount: one(body, "amount"),
      source: one(body, "source"),
    };
    const errors: FieldErrors = {};
    if (!(SUPPLIABLE_FIGURES as readonly string[]).includes(values.figure as string))
      errors.figure = "Select the figure";
    const from = parseDateInput(body, "validFrom", "the date it applies from");
    const to = parseDateInput(body, "validTo", "the last day it applies to");
    if (!from.ok) errors.validFrom = from.message;
    else if (!from.date) errors.validFrom = "Enter the date it applies from";
    if (!to.ok) errors.validTo = to.message;
    const money = parseMoney(values.amount as string, "the amount");
    if (!money.ok) errors.amount = money.message;
    if (values.source === "")
      errors.source = "Enter where the figure comes from, for example the circular and its table";
    if (Object.keys(errors).length > 0) {
      const errorList = ["figure", "validFrom", "validTo", "amount", "source"]
        .filter((f) => errors[f])
        .map((f) => ({ text: errors[f]!, href: `#${f.startsWith("valid") ? `${f}-day` : f}` }));
      return renderFigure(reply.code(400), values, errors, errorList);
    }
    try {
      const { ended } = await addSuppliedFigures(context(request), [
        {
          figure: values.figure as SuppliedFigureKey,
          validFrom: from.ok ? from.date : undefined,
          ...(to.ok && to.date ? { validTo: to.date } : {}),
          pence: money.ok ? money.pence : undefined,
          source: values.source,
        },
      ]);
      return reply.redirect(`/charging/settings?done=${ended.length ? "figure-ended" : "figure"}`, 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const page = fieldErrorsToPage(error, FIGURE_FIELD_OF);
      return renderFigure(reply.code(400), values, page.errors, page.errorList);
    }
  });

  app.post("/charging/settings/figures/:id/withdraw", guard, async (request, reply) => {
    const { id } = request.params as { id: string };
    await withdrawSuppliedFigure(context(request), id);
    return reply.redirect("/charging/settings?done=figure-withdrawn", 303);
  });
}

/** The policy form as typed (to show again), the policy it gives, and what is wrong with it, in page order. */
function readPolicyForm(body: FormBody) {
  const values: FormValues = {
    "validFrom-day": one(body, "validFrom-day"),
    "validFrom-month": one(body, "validFrom-month"),
    "validFrom-year": one(body, "validFrom-year"),
    "validTo-day": one(body, "validTo-day"),
    "validTo-month": one(body, "validTo-month"),
    "validTo-year": one(body, "validTo-year"),
    reference: one(body, "reference"),
    incomeDisregards: many(body, "incomeDisregards"),
    ...Object.fromEntries([...POLICY_MONEY_FIELDS, ...POLICY_PERCENT_FIELDS].map(([f]) => [f, one(body, f)])),
  };
  const errors: FieldErrors = {};
  const policy: Record<string, unknown> = {};
  const from = parseDateInput(body, "validFrom", "the date it applies from");
  const to = parseDateInput(body, "validTo", "the last day it applies to");
  if (!from.ok) errors.validFrom = from.message;
  else if (!from.date) errors.validFrom = "Enter the date it applies from";
  else policy.validFrom = from.date;
  if (!to.ok) errors.validTo = to.message;
  else if (to.date) policy.validTo = to.date;
  for (const [field, key, what] of POLICY_MONEY_FIELDS) {
    const typed = values[field] as string;
    if (typed === "") continue;
    const money = parseMoney(typed, what);
    if (money.ok) policy[key] = money.pence;
    else errors[field] = money.message;
  }
  for (const [field, key, what] of POLICY_PERCENT_FIELDS) {
    const typed = (values[field] as string).replace(/%$/, "").trim();
    if (typed === "") continue;
    if (!/^-?\d{1,3}(\.\d{1,2})?$/.test(typed))
      errors[field] = `Enter ${what} as a percentage, like 10 or 12.5`;
    else policy[key] = Number(typed);
  }
  policy.incomeDisregards = (values.incomeDisregards as string[]).map((type) => ({ type }));
  const order = [
    "validFrom",
    "validTo",
    "reference",
    ...POLICY_PERCENT_FIELDS.map(([f]) => f),
    ...POLICY_MONEY_FIELDS.map(([f]) => f),
  ];
  const errorList = order
    .filter((f) => errors[f])
    .map((f) => ({ text: errors[f]!, href: `#${f.startsWith("valid") ? `${f}-day` : f}` }));
  return { values, policy, errors, errorList };
}

/** What a policy version does, in a few plain words per setting. */
function policySummary(policy: Record<string, unknown>): string[] {
  const p = policy as {
    migUpliftPercent?: number;
    lowerCapitalLimitPence?: number;
    upperCapitalLimitPence?: number;
    chargePercent?: number;
    minimumChargeWeeklyPence?: number;
    weeklyMaximumChargePence?: number;
    standardDreAllowanceWeeklyPence?: number;
    incomeDisregards?: { type: Exclude<IncomeType, "other">; weeklyPence?: number }[];
  };
  const pounds = (pence: number) => `£${moneyText(pence)}`;
  const lines: string[] = [];
  if (p.migUpliftPercent !== undefined)
    lines.push(`Adds ${p.migUpliftPercent}% to the Minimum Income Guarantee`);
  if (p.lowerCapitalLimitPence !== undefined)
    lines.push(`Lower capital limit ${pounds(p.lowerCapitalLimitPence)}`);
  if (p.upperCapitalLimitPence !== undefined)
    lines.push(`Upper capital limit ${pounds(p.upperCapitalLimitPence)}`);
  if (p.chargePercent !== undefined) lines.push(`Charges ${p.chargePercent}% of disposable income`);
  if (p.minimumChargeWeeklyPence !== undefined)
    lines.push(`No charge below ${pounds(p.minimumChargeWeeklyPence)} a week`);
  if (p.weeklyMaximumChargePence !== undefined)
    lines.push(`Charges at most ${pounds(p.weeklyMaximumChargePence)} a week`);
  if (p.standardDreAllowanceWeeklyPence !== undefined)
    lines.push(
      `Standard disability-related expenditure allowance ${pounds(p.standardDreAllowanceWeeklyPence)} a week`,
    );
  for (const d of p.incomeDisregards ?? []) {
    lines.push(
      `Disregards ${INCOME_TYPE_LABELS[d.type]}${d.weeklyPence !== undefined ? ` up to ${pounds(d.weeklyPence)} a week` : " in full"}`,
    );
  }
  return lines.length ? lines : ["The national rules, with nothing more generous"];
}
