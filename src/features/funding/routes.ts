import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type FormBody, many, one, parseDateInput, poundsText } from "#/features/funding/forms.ts";
import { FUNDING_STREAM_KINDS } from "#/features/funding/schemas.ts";
import {
  addFundingSettingsVersion,
  checkFundingSettingsChange,
  type FundingSettingsVersion,
  fundingSettingsOn,
  getFundingSettingsVersion,
  latestFundingSettings,
  listFundingSettingsVersions,
  STARTING_SETTINGS,
} from "#/features/funding/service.ts";
import { prunePayerOrder } from "#/features/funding/settings.calc.ts";
import {
  approvalFieldOf,
  approvalFrom,
  COMMON_FIELDS,
  type Common,
  commonFieldOf,
  commonFrom,
  LEVEL_FIELDS,
  levelRowsFrom,
  levelRowsOf,
  type Mapped,
  mapErrors,
  type OverrideValues,
  payerCategories,
  payerOrderFrom,
  SECTION_TITLES,
  type Section,
  STREAM_FIELDS,
  streamFieldOf,
  streamRowsFrom,
  streamRowsOf,
  streamsFrom,
} from "#/features/funding/settings-forms.ts";
import { FUNDING_STREAM_KIND_LABELS, type FundingSettings } from "#/features/funding/settings-schemas.ts";
import { ROLE_LABELS } from "#/platform/auth/permissions.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { type FieldError, ValidationError } from "#/platform/errors.ts";
import { formatPounds, type Pence } from "#/platform/money/pence.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";
import { requireStaff } from "#/platform/web/security.ts";
import { APPROVER_ROLES, type ApprovalThresholds } from "#/vocabulary/approval-policy.ts";
import { supportCategories } from "#/vocabulary/support-categories.ts";

/**
 * The administrator's funding pages: the settings in force today and every version; and three changes, each
 * making a new version from a date — the funding streams (with their categories, means test and pot for the
 * year), the payer order per support category, and who signs plans off (delegated authority) with the policy
 * for allocation overrides. Each change starts from the latest version and is refused if someone else has
 * added one since; everything is checked by the funding service, which names every problem.
 */

const BASE = "/admin/funding";

const money = (p: number) => formatPounds(p as Pence);
const categoryLabel = (id: string) => supportCategories().find((c) => c.id === id)?.label ?? id;
const roleLabel = (role: string) => (ROLE_LABELS as Record<string, string>)[role] ?? role;
const list = (items: readonly string[], last = "and") =>
  items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} ${last} ${items.at(-1)}`;

/** "when it costs more than £600.00 a week, or its one-off costs are more than £1,000.00". */
function thresholdsText(t: ApprovalThresholds | undefined, first: boolean): string {
  if (first) return "Any plan no higher level is needed for";
  const parts: string[] = [];
  if (t?.weeklyPenceAbove !== undefined) parts.push(`it costs more than ${money(t.weeklyPenceAbove)} a week`);
  if (t?.overAllocationPenceAbove !== undefined)
    parts.push(`it is more than ${money(t.overAllocationPenceAbove)} a week over the indicative budget`);
  if (t?.overAllocationPercentAbove !== undefined)
    parts.push(`it is more than ${t.overAllocationPercentAbove}% over the indicative budget`);
  if (t?.oneOffPenceAbove !== undefined)
    parts.push(`its one-off costs are more than ${money(t.oneOffPenceAbove)}`);
  return parts.length === 0
    ? "Only for plans over the indicative budget (which always need the second level or above)"
    : `When ${list(parts, "or")}`;
}

/** The settings in plain words, for the summary pages. */
function settingsView(settings: FundingSettings) {
  const byId = new Map(settings.streams.map((s) => [s.id, s]));
  const o = settings.allocationOverridePolicy;
  const overrideWhen = [
    o.approvalNeededWhenChangeAbovePence !== undefined
      ? `more than ${money(o.approvalNeededWhenChangeAbovePence)} a week`
      : null,
    o.approvalNeededWhenChangeAbovePercent !== undefined
      ? `more than ${o.approvalNeededWhenChangeAbovePercent}% of the allocation`
      : null,
  ].filter((x): x is string => x !== null);
  return {
    streams: settings.streams.map((s) => ({
      ...s,
      kindLabel: FUNDING_STREAM_KIND_LABELS[s.kind],
      categoryLabels: s.categories.map(categoryLabel),
      pot: money(s.annualPotPence),
    })),
    payerOrder: supportCategories().map((c) => {
      const mayPay = settings.streams.filter((s) => s.categories.includes(c.id));
      const order = settings.payerOrder[c.id];
      let text: string;
      if (mayPay.length === 0) text = "No stream may pay for this";
      else if (order) text = order.map((id) => byId.get(id)?.name ?? id).join(", then ");
      else if (mayPay.length === 1) text = `${mayPay[0]!.name} (the only stream that may pay)`;
      else
        text = `Not set: each stream that may pay, in order of id (${[...mayPay]
          .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
          .map((s) => s.name)
          .join(", then ")})`;
      return { id: c.id, label: c.label, text, unfunded: mayPay.length === 0 };
    }),
    levels: settings.delegatedAuthority.levels.map((l, i) => ({
      label: l.label,
      roles: list(l.roles.map(roleLabel), "or"),
      when: thresholdsText(l.requiredWhen, i === 0),
    })),
    override: {
      when:
        overrideWhen.length === 0
          ? "Never: staff may change an allocation with a reason and no one else's approval"
          : `A change (up or down) of ${list(overrideWhen, "or")}`,
      roles: list(o.approverRoles.map(roleLabel), "or"),
    },
  };
}

/** What every funding settings page shares: the permission, the service context, the form's choices. */
function fundingPages(deps: RouteDeps) {
  const guard = { preHandler: requireStaff("funding:settings") };
  const context = serviceContextFor(deps);
  const categoryItems = (checked: readonly string[]) =>
    supportCategories().map((c) => ({ value: c.id, text: c.label, checked: checked.includes(c.id) }));
  const roleItems = (checked: readonly string[]) =>
    APPROVER_ROLES.map((r) => ({ value: r, text: roleLabel(r), checked: checked.includes(r) }));
  const kindItems = (selected: string) => [
    { value: "", text: "Choose a kind", selected: selected === "" },
    ...FUNDING_STREAM_KINDS.map((k) => ({
      value: k,
      text: FUNDING_STREAM_KIND_LABELS[k],
      selected: selected === k,
    })),
  ];
  return { deps, guard, context, categoryItems, roleItems, kindItems };
}
type FundingPages = ReturnType<typeof fundingPages>;

export async function fundingRoutes(app: FastifyInstance, deps: RouteDeps) {
  const pages = fundingPages(deps);
  registerSettingsPages(app, pages);
  registerStreamPages(app, pages);
  registerPayerOrderPages(app, pages);
  registerApprovalPages(app, pages);
}

/** The settings in force today, and every version. */
function registerSettingsPages(app: FastifyInstance, pages: FundingPages) {
  const { deps, guard, context } = pages;
  app.get(BASE, guard, async (request, reply) => {
    const ctx = context(request);
    const today = deps.today();
    const inForce = await fundingSettingsOn(ctx, today);
    const versions = await listFundingSettingsVersions(ctx);
    const q = request.query as Record<string, unknown>;
    return reply.render("funding/views/index.njk", {
      title: "Funding and sign-off",
      today,
      inForce,
      view: inForce ? settingsView(inForce.settings) : null,
      versions: versions.map((v) => ({
        ...v,
        inForce: v.version === inForce?.version,
        future: v.validFrom > today,
      })),
      saved:
        typeof q.saved === "string" && /^\d{1,6}$/.test(q.saved)
          ? versions.find((v) => String(v.version) === q.saved)
          : undefined,
    });
  });

  app.get(`${BASE}/versions/:version`, guard, async (request, reply) => {
    const { version } = request.params as { version: string };
    const found = await getFundingSettingsVersion(
      context(request),
      /^\d{1,6}$/.test(version) ? Number(version) : 0,
    );
    return reply.render("funding/views/version.njk", {
      title: `Funding settings, version ${found.version}`,
      backLink: BASE,
      version: found,
      view: settingsView(found.settings),
    });
  });
}

/** What each of the three forms shares: the version a change starts from, the page, and saving a change. */
function settingsForm(pages: FundingPages) {
  const { deps, context } = pages;
  /** The version a change starts from: the latest recorded, or the starting settings before there is one. */
  async function baseFor(
    ctx: ServiceContext,
    body?: FormBody,
  ): Promise<{ version: number; settings: FundingSettings }> {
    if (body) {
      const n = Number(one(body, "baseVersion"));
      if (Number.isSafeInteger(n) && n > 0) {
        const found: FundingSettingsVersion = await getFundingSettingsVersion(ctx, n);
        return { version: found.version, settings: found.settings };
      }
      return { version: 0, settings: STARTING_SETTINGS };
    }
    const latest = await latestFundingSettings(ctx);
    return latest
      ? { version: latest.version, settings: latest.settings }
      : { version: 0, settings: STARTING_SETTINGS };
  }

  function render(
    reply: FastifyReply,
    section: Section,
    base: { version: number; settings: FundingSettings },
    extra: Record<string, unknown> & {
      common?: Common;
      status?: number;
      errors?: Record<string, string>;
      errorList?: unknown;
    },
  ) {
    const { status, ...rest } = extra;
    return reply.code(status ?? 200).render(`funding/views/${section}.njk`, {
      title: SECTION_TITLES[section],
      backLink: BASE,
      action: `${BASE}/${section}`,
      baseVersion: base.version,
      common: extra.common ?? { validFrom: { day: "", month: "", year: "" }, reason: "" },
      errors: extra.errors ?? {},
      ...rest,
    });
  }

  /** Saves the change, or the page again with every problem. */
  async function save(
    request: FastifyRequest,
    reply: FastifyReply,
    settings: FundingSettings | Record<string, unknown>,
    fieldOf: (path: string) => string,
    fieldsInOrder: readonly string[],
    formErrors: FieldError[],
    again: (mapped: Mapped) => FastifyReply,
  ) {
    const body = (request.body ?? {}) as FormBody;
    const common = commonFrom(body);
    const errors = [...formErrors];
    const date = parseDateInput(body, "validFrom", "the date the change applies from");
    if (!date.ok) errors.unshift({ path: "validFrom", message: date.message });
    if (common.reason === "") errors.push({ path: "reason", message: "Say why the settings are changing" });
    if (errors.length > 0) {
      // Every problem at once: the rules' own checks on what could be read, after the form's (which win per field).
      const checked = checkFundingSettingsChange({ validFrom: deps.today(), reason: "-", settings });
      if (!checked.ok) errors.push(...checked.errors);
      return again(mapErrors(errors, fieldOf, fieldsInOrder));
    }
    try {
      const saved = await addFundingSettingsVersion(context(request), {
        validFrom: date.ok ? date.value : "",
        reason: common.reason,
        settings,
        baseVersion: Number(one(body, "baseVersion")) || 0,
      });
      return reply.redirect(`${BASE}?saved=${saved.version}`, 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return again(mapErrors(error.fieldErrors, fieldOf, fieldsInOrder));
    }
  }
  return { baseFor, render, save };
}

/** The funding streams: their categories, means test and pot for the year. */
function registerStreamPages(app: FastifyInstance, pages: FundingPages) {
  const { guard, context, categoryItems, kindItems } = pages;
  const { baseFor, render, save } = settingsForm(pages);
  app.get(`${BASE}/streams`, guard, async (request, reply) => {
    const base = await baseFor(context(request));
    return render(reply, "streams", base, { rows: streamRowsOf(base.settings), categoryItems, kindItems });
  });
  app.post(`${BASE}/streams`, guard, async (request, reply) => {
    const body = (request.body ?? {}) as FormBody;
    const base = await baseFor(context(request), body);
    const rows = streamRowsFrom(body);
    const { errors, rowOf, streams } = streamsFrom(rows, base.settings);
    const payerOrder = prunePayerOrder(
      streams as { id: string; categories: string[] }[],
      base.settings.payerOrder,
    ).payerOrder;
    return save(
      request,
      reply,
      { ...base.settings, streams, payerOrder },
      (p) => streamFieldOf(p, rowOf),
      [...rows.flatMap((_, i) => STREAM_FIELDS.map((f) => `stream-${i}-${f}`)), ...COMMON_FIELDS],
      errors,
      (mapped) =>
        render(reply, "streams", base, {
          status: 400,
          common: commonFrom(body),
          rows,
          categoryItems,
          kindItems,
          ...mapped,
        }),
    );
  });
}

/** The payer order per support category. */
function registerPayerOrderPages(app: FastifyInstance, pages: FundingPages) {
  const { guard, context } = pages;
  const { baseFor, render, save } = settingsForm(pages);
  app.get(`${BASE}/payer-order`, guard, async (request, reply) => {
    const base = await baseFor(context(request));
    return render(reply, "payer-order", base, {
      categories: payerCategories(base.settings, base.settings.payerOrder),
    });
  });
  app.post(`${BASE}/payer-order`, guard, async (request, reply) => {
    const body = (request.body ?? {}) as FormBody;
    const base = await baseFor(context(request), body);
    const payerOrder = payerOrderFrom(body, base.settings);
    const fieldOf = (path: string) => {
      const m = /^settings\.payerOrder\.(\w+)\[(\d+)\]/.exec(path);
      return m ? `order-${m[1]}-${m[2]}` : (commonFieldOf(path) ?? "main-content");
    };
    const fieldsInOrder = [
      ...payerCategories(base.settings, payerOrder).flatMap((c) => c.positions.map((p) => p.field)),
      ...COMMON_FIELDS,
    ];
    return save(request, reply, { ...base.settings, payerOrder }, fieldOf, fieldsInOrder, [], (mapped) =>
      render(reply, "payer-order", base, {
        status: 400,
        common: commonFrom(body),
        categories: payerCategories(base.settings, payerOrder),
        ...mapped,
      }),
    );
  });
}

/** Who signs plans off (delegated authority), and the policy for allocation overrides. */
function registerApprovalPages(app: FastifyInstance, pages: FundingPages) {
  const { guard, context, roleItems } = pages;
  const { baseFor, render, save } = settingsForm(pages);
  const overrideOf = (settings: FundingSettings): OverrideValues => ({
    pounds: poundsText(settings.allocationOverridePolicy.approvalNeededWhenChangeAbovePence),
    percent:
      settings.allocationOverridePolicy.approvalNeededWhenChangeAbovePercent === undefined
        ? ""
        : String(settings.allocationOverridePolicy.approvalNeededWhenChangeAbovePercent),
    roles: settings.allocationOverridePolicy.approverRoles,
  });
  app.get(`${BASE}/approval`, guard, async (request, reply) => {
    const base = await baseFor(context(request));
    return render(reply, "approval", base, {
      rows: levelRowsOf(base.settings),
      override: overrideOf(base.settings),
      roleItems,
    });
  });
  app.post(`${BASE}/approval`, guard, async (request, reply) => {
    const body = (request.body ?? {}) as FormBody;
    const base = await baseFor(context(request), body);
    const rows = levelRowsFrom(body);
    const override = {
      pounds: one(body, "override-pounds"),
      percent: one(body, "override-percent"),
      roles: many(body, "override-roles"),
    };
    const { errors, rowOf, delegatedAuthority, allocationOverridePolicy } = approvalFrom(rows, override);
    return save(
      request,
      reply,
      { ...base.settings, delegatedAuthority, allocationOverridePolicy },
      (p) => approvalFieldOf(p, rowOf),
      [
        ...rows.flatMap((_, i) => LEVEL_FIELDS.map((f) => `level-${i}-${f}`)),
        "override-pounds",
        "override-percent",
        "override-roles",
        ...COMMON_FIELDS,
      ],
      errors,
      (mapped) =>
        render(reply, "approval", base, {
          status: 400,
          common: commonFrom(body),
          rows,
          override,
          roleItems,
          ...mapped,
        }),
    );
  });
}
