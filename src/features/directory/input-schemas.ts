import { z } from "zod";
import { PROVIDER_KINDS, SERVICE_STATUSES } from "#/features/directory/schemas.ts";
import { categoryIdSchema } from "#/vocabulary/support-categories.ts";
import { UNITS } from "#/vocabulary/units.ts";

/**
 * What the directory's pages and API accept: a search, a provider's details, a service's details, the
 * import options and the tenant's directory setting. The records themselves are checked by the directory
 * model (schemas.ts) once the service has put them together, so the rules live in one place.
 */

const whenMissing = (message: string) => ({
  error: (issue: { code?: string }) => (issue.code === "invalid_type" ? message : undefined),
});

/** Blank is "not given" (a form sends every field). */
const optionalTrimmed = z
  .string()
  .trim()
  .transform((s) => (s === "" ? undefined : s))
  .optional();

export const MAX_PAGE_SIZE = 100;

export const PROVIDER_KIND_LABELS: Record<(typeof PROVIDER_KINDS)[number], string> = {
  organisation: "Organisation",
  user_led_organisation: "User-led organisation",
  personal_assistant: "Personal assistant",
};

export const SERVICE_STATUS_LABELS: Record<(typeof SERVICE_STATUSES)[number], string> = {
  active: "Active",
  inactive: "Inactive",
  defunct: "Closed for good",
  "temporarily closed": "Temporarily closed",
};

const booleanText = z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]);

export const providerSearchSchema = z.strictObject({
  search: optionalTrimmed.pipe(
    z.string().max(100, { error: "Search for 100 characters or fewer" }).optional(),
  ),
  category: optionalTrimmed.pipe(categoryIdSchema.optional()),
  area: optionalTrimmed.pipe(
    z.string().max(100, { error: "Give an area of 100 characters or fewer" }).optional(),
  ),
  kind: optionalTrimmed.pipe(
    z.enum(PROVIDER_KINDS, { error: `The kind is one of: ${PROVIDER_KINDS.join(", ")}` }).optional(),
  ),
  approvedList: booleanText
    .optional()
    .describe("true: only providers on the approved list; false: only those not on it"),
  page: z.coerce.number().int().min(1, { error: "The page must be 1 or more" }).default(1),
  pageSize: z.coerce
    .number()
    .int()
    .min(1, { error: "Show at least 1 provider a page" })
    .max(MAX_PAGE_SIZE, { error: `Show at most ${MAX_PAGE_SIZE} providers a page` })
    .default(25),
});
export type ProviderSearchInput = z.input<typeof providerSearchSchema>;

/** A provider's details as staff edit them; registration numbers and other classifications are kept as they are. */
export const providerDetailsSchema = z
  .strictObject({
    name: z.string(whenMissing("Enter the provider's name")),
    kind: z.enum(PROVIDER_KINDS, { error: "Choose what kind of provider this is" }),
    approvedList: z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")], {
      error: "Say whether the provider is on the approved list",
    }),
    description: optionalTrimmed,
    email: optionalTrimmed,
    website: optionalTrimmed,
  })
  .meta({ id: "ProviderDetails" });
export type ProviderDetails = z.input<typeof providerDetailsSchema>;

/** A price as staff enter it; an existing price keeps its id (and its dates, which the page does not show). */
export const priceInputSchema = z.strictObject({
  id: optionalTrimmed,
  option: optionalTrimmed,
  amountPence: z.int(whenMissing("Give the price as a whole number of pence")),
  unit: optionalTrimmed.pipe(z.enum(UNITS, { error: `The unit is one of: ${UNITS.join(", ")}` }).optional()),
  amountDescription: optionalTrimmed,
});

/** A service's details as staff edit them; its locations and other classifications are kept as they are. */
export const serviceDetailsSchema = z
  .strictObject({
    name: z.string(whenMissing("Enter the service's name")),
    description: optionalTrimmed,
    url: optionalTrimmed,
    email: optionalTrimmed,
    status: z.enum(SERVICE_STATUSES, { error: "Choose whether the service is running" }),
    categories: z.array(z.string()).default([]),
    /** The names of the areas the service covers; an area already on the service keeps its id. */
    areas: z.array(z.string()).default([]),
    prices: z.array(priceInputSchema).default([]),
  })
  .meta({ id: "ServiceDetails" });
export type ServiceDetails = z.input<typeof serviceDetailsSchema>;

export const IMPORT_MODES = ["merge", "replace"] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

export const importOptionsSchema = z.strictObject({
  mode: z
    .enum(IMPORT_MODES, {
      error: "Say whether to merge the file into the directory or replace it: merge or replace",
    })
    .default("merge")
    .describe(
      "merge (the default): records in the file are added, or replace the record with the same id; nothing else changes. " +
        "replace: the file becomes the whole directory, and records not in it are removed.",
    ),
});

export const directorySettingsSchema = z
  .strictObject({
    allowProvidersOffApprovedList: z.boolean(
      whenMissing("Say whether plans may use providers that are not on the approved list"),
    ),
  })
  .meta({ id: "DirectorySettings" });
