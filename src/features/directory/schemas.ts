import { z } from "zod";
import { isCalendarDate } from "#/rules/index.ts";
import { categoryIdSchema } from "#/vocabulary/support-categories.ts";
import { UNITS } from "#/vocabulary/units.ts";

/**
 * The council's provider and service directory, as Upfront keeps it: providers (organisations, user-led
 * organisations and personal assistants), their services (with support categories, the areas they cover and
 * their prices) and the locations they work from. It is Open Referral UK shaped (see hsds.ts for the mapping),
 * keeping the standard's ids so a re-import updates the same records. Money is whole pence.
 */

const whenMissing = (message: string) => ({
  error: (issue: { code?: string }) => (issue.code === "invalid_type" ? message : undefined),
});

/** Ids as the directory gives them (Open Referral UK asks for UUIDs; we keep whatever unique id comes). */
export const directoryIdSchema = z
  .string(whenMissing("Give an id"))
  .trim()
  .min(1, { error: "Give an id" })
  .max(100, { error: "An id is at most 100 characters" })
  .regex(/^\S+$/, { error: "An id has no spaces" });

const name = (what: string) =>
  z
    .string(whenMissing(`Give ${what}`))
    .trim()
    .min(1, { error: `Give ${what}` })
    .max(500, { error: `Keep ${what} to 500 characters` });

const optionalText = (max: number) => z.string().trim().min(1).max(max).optional();

export const PROVIDER_KINDS = ["organisation", "user_led_organisation", "personal_assistant"] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** Open Referral UK's service statuses (service.status). */
export const SERVICE_STATUSES = ["active", "inactive", "defunct", "temporarily closed"] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

export const ADDRESS_TYPES = ["physical", "postal", "virtual"] as const;

/** A classification from a taxonomy other than Upfront's own, kept as it came. */
export const taxonomyTermRefSchema = z.strictObject({
  attributeId: directoryIdSchema,
  linkType: optionalText(200),
  termId: directoryIdSchema,
  term: name("the term"),
  taxonomy: optionalText(500),
  termUri: optionalText(2000),
  parentId: directoryIdSchema.optional(),
});
export type TaxonomyTermRef = z.infer<typeof taxonomyTermRefSchema>;

export const providerSchema = z.strictObject({
  id: directoryIdSchema,
  name: name("the provider's name"),
  description: optionalText(10_000),
  email: z.email({ error: "Give a valid email address" }).optional(),
  website: z.url({ protocol: /^https?$/, error: "Give a web address starting https://" }).optional(),
  kind: z.enum(PROVIDER_KINDS, { error: `Say what kind of provider: ${PROVIDER_KINDS.join(", ")}` }),
  /** On the council's approved (accredited) list. An Upfront extension to Open Referral UK. */
  approvedList: z.boolean(whenMissing("Say whether the provider is on the approved list")),
  /** Registration numbers: Companies House, the Charity Commission, the CQC … */
  identifiers: z
    .array(
      z.strictObject({
        id: directoryIdSchema,
        scheme: optionalText(100),
        type: optionalText(200),
        identifier: name("the identifier"),
      }),
    )
    .default([]),
  otherTerms: z.array(taxonomyTermRefSchema).default([]),
});
export type Provider = z.infer<typeof providerSchema>;

const isoDate = z.iso.date({ error: "Give a real date written YYYY-MM-DD" });

export const costOptionSchema = z
  .strictObject({
    id: directoryIdSchema,
    /** Who or when this price is for, e.g. "Weekdays", "Evenings and weekends". */
    option: optionalText(500),
    amountPence: z.int().min(0).optional(),
    /** e.g. "per hour". */
    amountDescription: optionalText(500),
    /** The unit the price is for, so a plan line can be priced from it. An Upfront extension. */
    unit: z.enum(UNITS).optional(),
    validFrom: isoDate.optional(),
    validTo: isoDate.optional(),
  })
  .refine(
    (c) =>
      !isCalendarDate(c.validFrom ?? "") || !isCalendarDate(c.validTo ?? "") || c.validFrom! <= c.validTo!,
    {
      error: "The price's end date is before its start date",
      path: ["validTo"],
    },
  );
export type CostOption = z.infer<typeof costOptionSchema>;

export const serviceAreaSchema = z.strictObject({
  id: directoryIdSchema,
  name: name("the area's name"),
  description: optionalText(10_000),
  /** A persistent identifier for the area, e.g. an ONS geography code URI. */
  uri: optionalText(2000),
});

export const serviceSchema = z.strictObject({
  id: directoryIdSchema,
  providerId: directoryIdSchema,
  name: name("the service's name"),
  description: optionalText(10_000),
  url: z.url({ protocol: /^https?$/, error: "Give a web address starting https://" }).optional(),
  email: z.email({ error: "Give a valid email address" }).optional(),
  status: z.enum(SERVICE_STATUSES, { error: `The status is one of: ${SERVICE_STATUSES.join(", ")}` }),
  /** Upfront support categories (the ids funding streams and plans use). */
  categories: z.array(categoryIdSchema).default([]),
  otherTerms: z.array(taxonomyTermRefSchema).default([]),
  serviceAreas: z.array(serviceAreaSchema).default([]),
  costOptions: z.array(costOptionSchema).default([]),
  /** Where the service is offered: Open Referral's service_at_location links. */
  locations: z.array(z.strictObject({ id: directoryIdSchema, locationId: directoryIdSchema })).default([]),
});
export type Service = z.infer<typeof serviceSchema>;

export const addressSchema = z.strictObject({
  id: directoryIdSchema,
  address1: name("the first line of the address"),
  address2: optionalText(500),
  city: name("the town or city"),
  stateProvince: optionalText(200),
  postalCode: name("the postcode"),
  country: z.string().regex(/^[A-Z]{2}$/, { error: "Give the country as a two-letter code, e.g. GB" }),
  addressType: z.enum(ADDRESS_TYPES, { error: `The address type is one of: ${ADDRESS_TYPES.join(", ")}` }),
});

export const locationSchema = z.strictObject({
  id: directoryIdSchema,
  name: optionalText(500),
  description: optionalText(10_000),
  latitude: z.number().min(-90).max(90).optional(),
  longitude: z.number().min(-180).max(180).optional(),
  addresses: z.array(addressSchema).default([]),
});
export type Location = z.infer<typeof locationSchema>;

export const directorySchema = z.strictObject({
  providers: z.array(providerSchema),
  services: z.array(serviceSchema),
  locations: z.array(locationSchema),
});
export type Directory = z.infer<typeof directorySchema>;
