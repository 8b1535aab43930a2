import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  type FormBody,
  many,
  one,
  parseDateInput,
  parsePercent,
  parsePounds,
  poundsText,
} from "#/features/funding/forms.ts";
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
import { idFromName, prunePayerOrder } from "#/features/funding/settings.calc.ts";
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
const EMPTY_STREAM_ROWS = 2;
const MAX_ROWS = 60;

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

// ---- the three forms: shared parts ---------------------------------------------------------------------------

type Section = "streams" | "payer-order" | "approval";
const SECTION_TITLES: Record<Section, string> = {
  streams: "Change the funding streams",
  "payer-order": "Change the payer order",
  approval: "Change who signs plans off",
};

type Common = { validFrom: { day: string; month: string; year: string }; reason: string };
const commonFrom = (body: FormBody): Common => ({
  validFrom: {
    day: one(body, "validFrom-day"),
    month: one(body, "validFrom-month"),
    year: one(body, "validFrom-year"),
  },
  reason: one(body, "reason"),
});

type Mapped = { errors: Record<string, string>; errorList: { text: string; href: string }[] };

/**
 * Field errors as the page shows them: one message per field (the first given wins, so the form's own come
 * before the rules'), listed in the order the fields are on the page (`fieldsInOrder`), each linked to its field.
 */
function mapErrors(
  fieldErrors: readonly FieldError[],
  fieldOf: (path: string) => string,
  fieldsInOrder: readonly string[],
): Mapped {
  const errors: Record<string, string> = {};
  for (const e of fieldErrors) {
    const field = fieldOf(e.path);
    if (errors[field] === undefined) errors[field] = e.message;
  }
  const rank = (field: string) => {
    const i = fieldsInOrder.indexOf(field);
    return i === -1 ? fieldsInOrder.length : i;
  };
  const errorList = Object.entries(errors)
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([field, text]) => ({ text, href: `#${field === "validFrom" ? "validFrom-day" : field}` }));
  return { errors, errorList };
}

const COMMON_FIELDS = ["validFrom", "reason"];
const STREAM_FIELDS = ["name", "kind", "categories", "meansTested", "pot"];
const LEVEL_FIELDS = ["label", "roles", "weekly", "overPounds", "overPercent", "oneOff"];

const commonFieldOf = (path: string): string | undefined =>
  path === "validFrom" ? "validFrom" : path === "reason" ? "reason" : undefined;

// ---- streams --------------------------------------------------------------------------------------------------

type StreamRow = {
  id: string;
  name: string;
  kind: string;
  categories: string[];
  meansTested: string;
  pot: string;
  remove: string;
};

function streamRowsOf(settings: FundingSettings): StreamRow[] {
  const rows: StreamRow[] = settings.streams.map((s) => ({
    id: s.id,
    name: s.name,
    kind: s.kind,
    categories: s.categories,
    meansTested: s.meansTested ? "yes" : "no",
    pot: poundsText(s.annualPotPence),
    remove: "",
  }));
  for (let i = 0; i < EMPTY_STREAM_ROWS; i++) {
    rows.push({ id: "", name: "", kind: "", categories: [], meansTested: "", pot: "", remove: "" });
  }
  return rows;
}

function streamRowsFrom(body: FormBody): StreamRow[] {
  const count = Math.min(MAX_ROWS, Math.max(0, Number(one(body, "rows")) || 0));
  return Array.from({ length: count }, (_, i) => ({
    id: one(body, `stream-${i}-id`),
    name: one(body, `stream-${i}-name`),
    kind: one(body, `stream-${i}-kind`),
    categories: many(body, `stream-${i}-categories`),
    meansTested: one(body, `stream-${i}-meansTested`),
    pot: one(body, `stream-${i}-pot`),
    remove: one(body, `stream-${i}-remove`),
  }));
}

/** The streams the form describes, or the boxes that are not even filled in sensibly; rowOf maps back to rows. */
function streamsFrom(rows: readonly StreamRow[], base: FundingSettings) {
  const errors: FieldError[] = [];
  const rowOf: number[] = [];
  const streams: Record<string, unknown>[] = [];
  const kept = rows.filter((r) => r.id !== "" && r.remove !== "yes").map((r) => r.id);
  const taken = new Set<string>(kept);
  rows.forEach((row, i) => {
    if (row.id !== "" && row.remove === "yes") return;
    const isNew = row.id === "" || !base.streams.some((s) => s.id === row.id);
    if (isNew && !row.name && !row.kind && row.categories.length === 0 && !row.meansTested && !row.pot)
      return;
    const rowErrors: FieldError[] = [];
    if (row.kind === "")
      rowErrors.push({ path: `stream-${i}-kind`, message: "Choose what kind of stream this is" });
    if (row.meansTested === "")
      rowErrors.push({ path: `stream-${i}-meansTested`, message: "Say whether the stream is means-tested" });
    const pot = row.pot === "" ? null : parsePounds(row.pot, "the pot for the year");
    if (pot === null)
      rowErrors.push({ path: `stream-${i}-pot`, message: "Enter the stream's pot for the year" });
    else if (!pot.ok) rowErrors.push({ path: `stream-${i}-pot`, message: pot.message });
    errors.push(...rowErrors);
    const id = isNew ? idFromName(row.name, taken, "stream") : row.id;
    taken.add(id);
    rowOf.push(i);
    // What could be read; the rest is left out, so the funding rules can still check the row (the form's
    // messages come first).
    streams.push({
      id,
      name: row.name,
      ...(row.kind ? { kind: row.kind } : {}),
      categories: row.categories,
      ...(row.meansTested ? { meansTested: row.meansTested === "yes" } : {}),
      ...(pot?.ok ? { annualPotPence: pot.value } : {}),
    });
  });
  return { errors, rowOf, streams };
}

function streamFieldOf(path: string, rowOf: readonly number[]): string {
  if (path.startsWith("stream-")) return path;
  const m = /^settings\.streams\[(\d+)\]\.?(\w*)/.exec(path);
  if (!m) return commonFieldOf(path) ?? "stream-0-name";
  const row = rowOf[Number(m[1])] ?? 0;
  const field =
    { kind: "kind", categories: "categories", meansTested: "meansTested", annualPotPence: "pot" }[
      m[2] ?? ""
    ] ?? "name";
  return `stream-${row}-${field}`;
}

// ---- payer order ----------------------------------------------------------------------------------------------

function payerCategories(settings: FundingSettings, chosen: Record<string, string[]>) {
  return supportCategories().map((c) => {
    const mayPay = settings.streams.filter((s) => s.categories.includes(c.id));
    const order = chosen[c.id] ?? [];
    return {
      id: c.id,
      label: c.label,
      positions: mayPay.map((_, p) => ({
        field: `order-${c.id}-${p}`,
        label: p === 0 ? "Pays first" : p === 1 ? "Then" : "Then",
        items: [
          { value: "", text: p === 0 ? "Not set (in order of id)" : "No one else" },
          ...mayPay.map((s) => ({ value: s.id, text: s.name, selected: order[p] === s.id })),
        ],
      })),
    };
  });
}

function payerOrderFrom(body: FormBody, settings: FundingSettings): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const c of supportCategories()) {
    const mayPay = settings.streams.filter((s) => s.categories.includes(c.id));
    const picks = mayPay.map((_, p) => one(body, `order-${c.id}-${p}`)).filter((v) => v !== "");
    if (picks.length > 0) out[c.id] = picks;
  }
  return out;
}

// ---- approval -------------------------------------------------------------------------------------------------

type LevelRow = {
  id: string;
  label: string;
  roles: string[];
  weekly: string;
  overPounds: string;
  overPercent: string;
  oneOff: string;
  remove: string;
};

function levelRowsOf(settings: FundingSettings): LevelRow[] {
  const rows: LevelRow[] = settings.delegatedAuthority.levels.map((l) => ({
    id: l.id,
    label: l.label,
    roles: l.roles,
    weekly: poundsText(l.requiredWhen?.weeklyPenceAbove),
    overPounds: poundsText(l.requiredWhen?.overAllocationPenceAbove),
    overPercent:
      l.requiredWhen?.overAllocationPercentAbove === undefined
        ? ""
        : String(l.requiredWhen.overAllocationPercentAbove),
    oneOff: poundsText(l.requiredWhen?.oneOffPenceAbove),
    remove: "",
  }));
  rows.push({
    id: "",
    label: "",
    roles: [],
    weekly: "",
    overPounds: "",
    overPercent: "",
    oneOff: "",
    remove: "",
  });
  return rows;
}

function levelRowsFrom(body: FormBody): LevelRow[] {
  const count = Math.min(MAX_ROWS, Math.max(0, Number(one(body, "rows")) || 0));
  return Array.from({ length: count }, (_, i) => ({
    id: one(body, `level-${i}-id`),
    label: one(body, `level-${i}-label`),
    roles: many(body, `level-${i}-roles`),
    weekly: one(body, `level-${i}-weekly`),
    overPounds: one(body, `level-${i}-overPounds`),
    overPercent: one(body, `level-${i}-overPercent`),
    oneOff: one(body, `level-${i}-oneOff`),
    remove: one(body, `level-${i}-remove`),
  }));
}

type OverrideValues = { pounds: string; percent: string; roles: string[] };

function approvalFrom(rows: readonly LevelRow[], override: OverrideValues) {
  const errors: FieldError[] = [];
  const rowOf: number[] = [];
  const levels: Record<string, unknown>[] = [];
  const taken = new Set(rows.filter((r) => r.id !== "" && r.remove !== "yes").map((r) => r.id));
  rows.forEach((row, i) => {
    if (row.id !== "" && row.remove === "yes") return;
    if (
      row.id === "" &&
      !row.label &&
      row.roles.length === 0 &&
      !row.weekly &&
      !row.overPounds &&
      !row.overPercent &&
      !row.oneOff
    )
      return;
    const requiredWhen: Record<string, number> = {};
    for (const [field, key, what] of [
      ["weekly", "weeklyPenceAbove", "the weekly cost"],
      ["overPounds", "overAllocationPenceAbove", "how far over, in pounds a week"],
      ["oneOff", "oneOffPenceAbove", "the one-off costs"],
    ] as const) {
      if (row[field] === "") continue;
      const amount = parsePounds(row[field], what);
      if (amount.ok) requiredWhen[key] = amount.value;
      else errors.push({ path: `level-${i}-${field}`, message: amount.message });
    }
    if (row.overPercent !== "") {
      const percent = parsePercent(row.overPercent, "how far over");
      if (percent.ok) requiredWhen.overAllocationPercentAbove = percent.value;
      else errors.push({ path: `level-${i}-overPercent`, message: percent.message });
    }
    const id = row.id || idFromName(row.label, taken, "level");
    taken.add(id);
    rowOf.push(i);
    levels.push({
      id,
      label: row.label,
      roles: row.roles,
      ...(Object.keys(requiredWhen).length > 0 ? { requiredWhen } : {}),
    });
  });
  const policy: Record<string, unknown> = { approverRoles: override.roles };
  if (override.pounds !== "") {
    const amount = parsePounds(override.pounds, "the change that needs approval");
    if (amount.ok) policy.approvalNeededWhenChangeAbovePence = amount.value;
    else errors.push({ path: "override-pounds", message: amount.message });
  }
  if (override.percent !== "") {
    const percent = parsePercent(override.percent, "the change that needs approval");
    if (percent.ok) policy.approvalNeededWhenChangeAbovePercent = percent.value;
    else errors.push({ path: "override-percent", message: percent.message });
  }
  return { errors, rowOf, delegatedAuthority: { levels }, allocationOverridePolicy: policy };
}

function approvalFieldOf(path: string, rowOf: readonly number[]): string {
  if (path.startsWith("level-") || path.startsWith("override-")) return path;
  const policy = /^settings\.allocationOverridePolicy\.?(\w*)/.exec(path);
  if (policy) {
    return (
      {
        approvalNeededWhenChangeAbovePence: "override-pounds",
        approvalNeededWhenChangeAbovePercent: "override-percent",
      }[policy[1] ?? ""] ?? "override-roles"
    );
  }
  const m = /^settings\.delegatedAuthority\.levels\[(\d+)\]\.?(\w*)\.?(\w*)/.exec(path);
  if (!m) return commonFieldOf(path) ?? "level-0-label";
  const row = rowOf[Number(m[1])] ?? 0;
  if (m[2] === "roles") return `level-${row}-roles`;
  if (m[2] === "requiredWhen") {
    const field =
      {
        overAllocationPenceAbove: "overPounds",
        overAllocationPercentAbove: "overPercent",
        oneOffPenceAbove: "oneOff",
      }[m[3] ?? ""] ?? "weekly";
    return `level-${row}-${field}`;
  }
  return `level-${row}-label`;
}

// ---- the plugin ---------------------------------------------------------------------------------------------

export async function fundingRoutes(app: FastifyInstance, deps: RouteDeps) {
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

  // Streams
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

  // Payer order
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

  // Delegated authority and allocation overrides
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
