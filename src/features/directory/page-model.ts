import { type FormBody, many, one, parsePounds, poundsText } from "#/features/directory/forms.ts";
import { PROVIDER_KIND_LABELS, SERVICE_STATUS_LABELS } from "#/features/directory/input-schemas.ts";
import type { ProviderRecord } from "#/features/directory/service.ts";
import type { FieldError } from "#/platform/errors.ts";
import { formatPounds, type Pence } from "#/platform/money/pence.ts";
import { formatDate } from "#/platform/web/views.ts";
import { supportCategories } from "#/vocabulary/support-categories.ts";
import type { UNITS } from "#/vocabulary/units.ts";

/** What the directory pages show and read back: providers as the pages print them, and the service form. */

/** Price rows on the service form: the ones it has, and this many empty ones to add more. */
export const EMPTY_PRICE_ROWS = 2;
const MAX_PRICE_ROWS = 20;

export const UNIT_PHRASES: Record<(typeof UNITS)[number], string> = {
  hour: "an hour",
  session: "a session",
  visit: "a visit",
  day: "a day",
  night: "a night",
  week: "a week",
  item: "an item",
};

export const categoryLabel = (id: string) => supportCategories().find((c) => c.id === id)?.label ?? id;
export const money = (p: number | undefined) => (p === undefined ? "" : formatPounds(p as Pence));

/** A price in plain words: "£23.50 a visit (Weekdays)". */
function priceText(c: ProviderRecord["services"][number]["costOptions"][number]): string {
  const unit = c.unit ? ` ${UNIT_PHRASES[c.unit]}` : "";
  const amount = c.amountPence === undefined ? "Price on request" : `${money(c.amountPence)}${unit}`;
  const parts = [c.option, c.amountDescription].filter(Boolean).join(", ");
  const dates =
    c.validFrom && c.validTo
      ? `, from ${formatDate(c.validFrom)} to ${formatDate(c.validTo)}`
      : c.validFrom
        ? `, from ${formatDate(c.validFrom)}`
        : c.validTo
          ? `, until ${formatDate(c.validTo)}`
          : "";
  return `${amount}${parts ? ` (${parts})` : ""}${dates}`;
}

/** The provider page's view of a record. */
export function providerView(record: ProviderRecord) {
  const locationsById = new Map(record.locations.map((l) => [l.id, l]));
  return {
    ...record.provider,
    kindLabel: PROVIDER_KIND_LABELS[record.provider.kind],
    identifiersText: record.provider.identifiers
      .map((i) => `${i.type ?? i.scheme ?? "Identifier"}: ${i.identifier}`)
      .join("; "),
    services: record.services.map((s) => ({
      ...s,
      contact: [s.email, s.url].filter(Boolean).join(", "),
      statusLabel: SERVICE_STATUS_LABELS[s.status],
      categoryLabels: s.categories.map(categoryLabel),
      areaNames: s.serviceAreas.map((a) => a.name),
      prices: s.costOptions.map(priceText),
      places: s.locations.flatMap((link) => {
        const l = locationsById.get(link.locationId);
        if (!l) return [];
        const address = l.addresses[0];
        return [
          [l.name, address?.address1, address?.address2, address?.city, address?.postalCode]
            .filter(Boolean)
            .join(", "),
        ];
      }),
    })),
  };
}

// ---- the provider form -------------------------------------------------------------------------------------------

export const PROVIDER_FIELDS = ["name", "kind", "approvedList", "description", "email", "website"] as const;

export function providerValuesFrom(body: FormBody): Record<string, string> {
  return Object.fromEntries(PROVIDER_FIELDS.map((f) => [f, one(body, f)]));
}

// ---- the service form --------------------------------------------------------------------------------------------

type PriceRow = { id: string; option: string; amount: string; unit: string; description: string };
export type ServiceValues = {
  name: string;
  description: string;
  url: string;
  email: string;
  status: string;
  categories: string[];
  areas: string;
  prices: PriceRow[];
};

const emptyPrice = (): PriceRow => ({ id: "", option: "", amount: "", unit: "", description: "" });

export function serviceValuesOf(service?: ProviderRecord["services"][number]): ServiceValues {
  const prices: PriceRow[] = (service?.costOptions ?? []).map((c) => ({
    id: c.id,
    option: c.option ?? "",
    amount: poundsText(c.amountPence),
    unit: c.unit ?? "",
    description: c.amountDescription ?? "",
  }));
  for (let i = 0; i < EMPTY_PRICE_ROWS; i++) prices.push(emptyPrice());
  return {
    name: service?.name ?? "",
    description: service?.description ?? "",
    url: service?.url ?? "",
    email: service?.email ?? "",
    status: service?.status ?? "active",
    categories: service?.categories ?? [],
    areas: (service?.serviceAreas ?? []).map((a) => a.name).join("\n"),
    prices,
  };
}

export function serviceValuesFrom(body: FormBody): ServiceValues {
  const rows = Math.min(MAX_PRICE_ROWS, Math.max(0, Number(one(body, "priceRows")) || 0));
  const prices: PriceRow[] = [];
  for (let i = 0; i < rows; i++) {
    prices.push({
      id: one(body, `price-${i}-id`),
      option: one(body, `price-${i}-option`),
      amount: one(body, `price-${i}-amount`),
      unit: one(body, `price-${i}-unit`),
      description: one(body, `price-${i}-description`),
    });
  }
  return {
    name: one(body, "name"),
    description: one(body, "description"),
    url: one(body, "url"),
    email: one(body, "email"),
    status: one(body, "status"),
    categories: many(body, "categories"),
    areas: typeof body.areas === "string" ? body.areas : "",
    prices,
  };
}

/**
 * The form's values as the service takes them, or the fields that are not even amounts. Empty price rows are
 * left out; `rowOf` maps each price the service sees back to its row on the page.
 */
export function serviceInputFrom(values: ServiceValues) {
  const errors: FieldError[] = [];
  const rowOf: number[] = [];
  const prices: Record<string, unknown>[] = [];
  values.prices.forEach((row, i) => {
    const typed = row.option || row.amount || row.unit || row.description;
    if (!typed) return;
    if (row.amount === "") {
      errors.push({
        path: `price-${i}-amount`,
        message: "Enter the price, or clear the other boxes in this row",
      });
      return;
    }
    const amount = parsePounds(row.amount, "the price");
    if (!amount.ok) {
      errors.push({ path: `price-${i}-amount`, message: amount.message });
      return;
    }
    rowOf.push(i);
    prices.push({
      ...(row.id ? { id: row.id } : {}),
      option: row.option,
      amountPence: amount.pence,
      unit: row.unit,
      amountDescription: row.description,
    });
  });
  return {
    errors,
    rowOf,
    input: {
      name: values.name,
      description: values.description,
      url: values.url,
      email: values.email,
      status: values.status,
      categories: values.categories,
      areas: values.areas.split(/\r?\n/),
      prices,
    },
  };
}

/** A service's field error path (from the directory model) as the form's field id. */
export function serviceFieldOf(path: string, rowOf: readonly number[]): string {
  const price = /^costOptions\[(\d+)\]\.?(\w*)/.exec(path);
  if (price) {
    const row = rowOf[Number(price[1])] ?? 0;
    const field =
      { option: "option", unit: "unit", amountDescription: "description" }[price[2] ?? ""] ?? "amount";
    return `price-${row}-${field}`;
  }
  if (path.startsWith("price-")) return path;
  if (path.startsWith("serviceAreas")) return "areas";
  const top = path.split(/[.[]/)[0] ?? "";
  return ["name", "description", "url", "email", "status", "categories"].includes(top) ? top : "name";
}
