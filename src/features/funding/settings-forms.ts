import { type FormBody, many, one, parsePercent, parsePounds, poundsText } from "#/features/funding/forms.ts";
import { idFromName } from "#/features/funding/settings.calc.ts";
import type { FundingSettings } from "#/features/funding/settings-schemas.ts";
import type { FieldError } from "#/platform/errors.ts";
import { supportCategories } from "#/vocabulary/support-categories.ts";

/**
 * The three funding settings forms' parts (funding/routes.ts): the fields every change has, the funding streams'
 * rows, the payer order, and the delegated authority's levels with the allocation override policy; each read
 * back from the posted form into the settings the service checks, and the service's error paths mapped back to
 * the form's fields.
 */

export const EMPTY_STREAM_ROWS = 2;
const MAX_ROWS = 60;

export type Section = "streams" | "payer-order" | "approval";
export const SECTION_TITLES: Record<Section, string> = {
  streams: "Change the funding streams",
  "payer-order": "Change the payer order",
  approval: "Change who signs plans off",
};

export type Common = { validFrom: { day: string; month: string; year: string }; reason: string };
export const commonFrom = (body: FormBody): Common => ({
  validFrom: {
    day: one(body, "validFrom-day"),
    month: one(body, "validFrom-month"),
    year: one(body, "validFrom-year"),
  },
  reason: one(body, "reason"),
});

export type Mapped = { errors: Record<string, string>; errorList: { text: string; href: string }[] };

/**
 * Field errors as the page shows them: one message per field (the first given wins, so the form's own come
 * before the rules'), listed in the order the fields are on the page (`fieldsInOrder`), each linked to its field.
 */
export function mapErrors(
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

export const COMMON_FIELDS = ["validFrom", "reason"];
export const STREAM_FIELDS = ["name", "kind", "categories", "meansTested", "pot"];
export const LEVEL_FIELDS = ["label", "roles", "weekly", "overPounds", "overPercent", "oneOff"];

export const commonFieldOf = (path: string): string | undefined =>
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

export function streamRowsOf(settings: FundingSettings): StreamRow[] {
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

export function streamRowsFrom(body: FormBody): StreamRow[] {
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
export function streamsFrom(rows: readonly StreamRow[], base: FundingSettings) {
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

export function streamFieldOf(path: string, rowOf: readonly number[]): string {
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

export function payerCategories(settings: FundingSettings, chosen: Record<string, string[]>) {
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

export function payerOrderFrom(body: FormBody, settings: FundingSettings): Record<string, string[]> {
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

export function levelRowsOf(settings: FundingSettings): LevelRow[] {
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

export function levelRowsFrom(body: FormBody): LevelRow[] {
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

export type OverrideValues = { pounds: string; percent: string; roles: string[] };

export function approvalFrom(rows: readonly LevelRow[], override: OverrideValues) {
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

export function approvalFieldOf(path: string, rowOf: readonly number[]): string {
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
