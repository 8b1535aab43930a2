import { z } from "zod";
import { ADDRESS_TYPES, SERVICE_STATUSES } from "#/features/directory/schemas.ts";
import { isCalendarDate } from "#/rules/index.ts";
import { UNITS } from "#/vocabulary/units.ts";

/** Reading HSDS: loose schemas (unknown fields pass through and are reported), nulls read as "absent". */

// ---------------------------------------------------------------------------------------------------------------
// Reading: loose schemas (unknown fields pass through and are reported), nulls read as "absent"

const absent = (v: unknown) => v === null || v === undefined || v === "";
export const id = z
  .union([z.string(), z.number()], { error: "Give an id" })
  .transform((v) => String(v).trim())
  .pipe(z.string().min(1, { error: "Give an id" }).max(100).regex(/^\S+$/, { error: "An id has no spaces" }));
const required = (what: string, max = 500) =>
  z
    .string({ error: `Give ${what}` })
    .trim()
    .min(1, { error: `Give ${what}` })
    .max(max, { error: `Keep ${what} to ${max} characters` });
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess(
    (v) => (absent(v) ? undefined : typeof v === "string" ? v.trim() || undefined : v),
    schema.optional(),
  );
const text = (max: number) => optional(z.string().max(max, { error: `Keep this to ${max} characters` }));
export const email = optional(z.email({ error: "Give a valid email address" }));
export const url = optional(
  z.url({ protocol: /^https?$/, error: "Give a web address starting http:// or https://" }),
);
const date = optional(z.iso.date({ error: "Give a real date written YYYY-MM-DD" }));
export const list = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (v) => (v === null || v === undefined ? [] : v),
    z.array(item, { error: "This must be a list" }),
  );

const taxonomyTermIn = z.looseObject({
  id,
  term: text(500),
  name: text(500),
  taxonomy: text(500),
  term_uri: text(2000),
  parent_id: optional(id),
});
const attributeIn = z.looseObject({
  id,
  link_type: text(200),
  taxonomy_term: optional(taxonomyTermIn),
});

export const organizationIn = z.looseObject({
  id,
  name: required("the organisation's name"),
  description: text(10_000),
  email,
  website: url,
  organization_identifiers: list(
    z.looseObject({
      id,
      identifier_scheme: text(100),
      identifier_type: text(200),
      identifier: required("the identifier"),
    }),
  ),
  attributes: list(attributeIn),
  upfront_approved_list: optional(z.boolean({ error: "upfront_approved_list is true or false" })),
});

const addressIn = z.looseObject({
  id,
  address_1: required("the first line of the address"),
  address_2: text(500),
  city: required("the town or city"),
  state_province: text(200),
  postal_code: required("the postcode"),
  country: z.string({ error: "Give the country as a two-letter code, e.g. GB" }).regex(/^[A-Z]{2}$/, {
    error: "Give the country as a two-letter code, e.g. GB",
  }),
  address_type: z.enum(ADDRESS_TYPES, { error: `The address type is one of: ${ADDRESS_TYPES.join(", ")}` }),
});
export const locationIn = z.looseObject({
  id,
  name: text(500),
  description: text(10_000),
  latitude: optional(
    z
      .number({ error: "The latitude is a number" })
      .min(-90, { error: "The latitude is in degrees, from -90 to 90" })
      .max(90, { error: "The latitude is in degrees, from -90 to 90" }),
  ),
  longitude: optional(
    z
      .number({ error: "The longitude is a number" })
      .min(-180, { error: "The longitude is in degrees, from -180 to 180" })
      .max(180, { error: "The longitude is in degrees, from -180 to 180" }),
  ),
  addresses: list(addressIn),
});

const amountIn = optional(
  z
    .number({ error: "Give the amount in pounds, as a number (for example 16.50)" })
    .min(0, { error: "The amount cannot be negative" })
    .max(1_000_000, { error: "The amount is more than £1,000,000: check it is in pounds" })
    .refine((n) => Math.abs(n * 100 - Math.round(n * 100)) < 1e-6, {
      error: "Give the amount in pounds to at most two decimal places",
    }),
);
const costOptionIn = z
  .looseObject({
    id,
    option: text(500),
    amount: amountIn,
    amount_description: text(500),
    valid_from: date,
    valid_to: date,
    upfront_unit: optional(z.enum(UNITS, { error: `upfront_unit is one of: ${UNITS.join(", ")}` })),
  })
  .refine(
    (c) =>
      !isCalendarDate(c.valid_from ?? "") ||
      !isCalendarDate(c.valid_to ?? "") ||
      c.valid_from! <= c.valid_to!,
    {
      error: "valid_to is before valid_from",
      path: ["valid_to"],
    },
  );
const serviceAreaIn = z
  .looseObject({ id, name: text(500), service_area: text(500), description: text(10_000), uri: text(2000) })
  .refine((a) => a.name !== undefined || a.service_area !== undefined, {
    error: "Give the area's name",
    path: ["name"],
  });
// One that names no location is left out with a warning (see importHsds), not refused.
export const serviceAtLocationIn = z.looseObject({
  id,
  location_id: optional(id),
  location: optional(locationIn),
});
export const serviceIn = z
  .looseObject({
    id,
    organization_id: optional(id),
    organization: optional(organizationIn),
    name: required("the service's name"),
    description: text(10_000),
    url,
    email,
    status: z.enum(SERVICE_STATUSES, { error: `Give the status, one of: ${SERVICE_STATUSES.join(", ")}` }),
    attributes: list(attributeIn),
    service_areas: list(serviceAreaIn),
    cost_options: list(costOptionIn),
    service_at_locations: list(serviceAtLocationIn),
  })
  .refine((s) => s.organization_id !== undefined || s.organization !== undefined, {
    error: "Say which organisation provides this service: give organization_id, or the organization",
    path: ["organization_id"],
  });

export type OrganizationIn = z.infer<typeof organizationIn>;
export type ServiceIn = z.infer<typeof serviceIn>;
export type LocationIn = z.infer<typeof locationIn>;
export type AttributeIn = z.infer<typeof attributeIn>;
export type ServiceAtLocationIn = z.infer<typeof serviceAtLocationIn>;

// Keys we read, per object; anything else is reported in ignoredFields.
export const KNOWN: Record<string, readonly string[]> = {
  organization: [
    "id",
    "name",
    "description",
    "email",
    "website",
    "organization_identifiers",
    "attributes",
    "upfront_approved_list",
  ],
  service: [
    "id",
    "organization_id",
    "organization",
    "name",
    "description",
    "url",
    "email",
    "status",
    "attributes",
    "service_areas",
    "cost_options",
    "service_at_locations",
  ],
  location: ["id", "name", "description", "latitude", "longitude", "addresses"],
  address: [
    "id",
    "location_id",
    "address_1",
    "address_2",
    "city",
    "state_province",
    "postal_code",
    "country",
    "address_type",
  ],
  cost_option: [
    "id",
    "service_id",
    "option",
    "amount",
    "amount_description",
    "valid_from",
    "valid_to",
    "upfront_unit",
  ],
  service_area: ["id", "service_id", "name", "service_area", "description", "uri"],
  service_at_location: ["id", "service_id", "location_id", "location"],
};
