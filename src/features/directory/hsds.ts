import { createHash } from "node:crypto";
import { z } from "zod";
import {
  ADDRESS_TYPES,
  type Directory,
  directorySchema,
  type Location,
  PROVIDER_KINDS,
  type Provider,
  type ProviderKind,
  SERVICE_STATUSES,
  type Service,
  type TaxonomyTermRef,
} from "#/features/directory/schemas.ts";
import { type FieldError, fieldErrorsFrom, formatPath } from "#/platform/validation.ts";
import { isCalendarDate } from "#/rules/index.ts";
import { UNITS } from "#/vocabulary/units.ts";

/**
 * Open Referral UK (HSDS) JSON import and export of the council's provider and service directory.
 *
 * SOURCES. Field names follow the Human Services Data Specification 3.0 as profiled by Open Referral UK:
 *   - OpenReferralUK/uk-profile, schema/organization.json, service.json, location.json, service_at_location.json,
 *     cost_option.json (an LGA extension), attribute.json, taxonomy_term.json, and profile/*.json (what the UK
 *     profile removes: e.g. cost_option.currency, organization.alternate_name, address.address_2,
 *     location.location_type);
 *   - openreferral/specification (HSDS 3.x), schema/service_area.json and schema/address.json;
 *   - the example OpenReferralUK/uk-profile examples/service_full.json;
 *   - HSDS API reference (openreferral/specification docs/hsds/api_reference.md): a `/services` page lists services
 *     under `contents`, each (with `full=true`) fully nested like `/services/{id}`.
 *
 * WHAT WE READ. Either a directory document as this module exports it —
 *     { "version": "3.0", "profile": …, "organizations": [...], "services": [...], "locations": [...] }
 * with each service naming its `organization_id` and each `service_at_locations` entry its `location_id` — or an
 * Open Referral UK `/services` page, `{ "contents": [ fully nested services ] }`, where each service carries its
 * `organization` and each service_at_location its `location`. Nested organisations and locations are lifted out,
 * once each; the same id with different details is an error.
 * One object as the API gives it (the profile's examples/service_full.json, organization_full.json and
 * service_at_location_full.json) is read as a page of one, with a warning saying so: a service; an organisation
 * with its `services` (which belong to it); a service_at_location with its `service` and `location`.
 * Anything else — a page of organisations or of service_at_locations, an object of no shape we know, or a file
 * that lists nothing — is refused with a message naming the shapes we read: never "imported" with nothing done.
 * A service_at_location that names no location (the profile's examples once gave only its id) is left out with
 * a warning naming it; the rest of its service is imported.
 *
 * WHAT WE KEEP (everything else is ignored, and named in `ignoredFields` so the person importing can see it):
 *   organization: id, name, description, email, website, organization_identifiers (id, identifier_scheme,
 *     identifier_type, identifier), attributes;
 *   service: id, organization_id, name, description, url, email, status, attributes, service_areas (id, name —
 *     or the older profile's `service_area` — description, uri), cost_options (id, option, amount,
 *     amount_description, valid_from, valid_to), service_at_locations (id, location_id);
 *   location: id, name, description, latitude, longitude, addresses (id, address_1, address_2, city,
 *     state_province, postal_code, country, address_type);
 *   attributes (classifications): id, link_type, taxonomy_term (id, term — or HSDS 3's `name` — taxonomy,
 *     term_uri, parent_id).
 *
 * UPFRONT'S EXTENSIONS, so the file stays a valid Open Referral UK document that other tools can read:
 *   - `upfront_approved_list` (boolean) on an organization: on the council's approved list;
 *   - `upfront_unit` on a cost_option: the unit the price is for (hour, session, …), to price plan lines;
 *   - the provider kind (user-led organisation, personal assistant) as an attribute in the taxonomy
 *     `urn:upfront:provider-kind`, and each service's support categories as attributes in the taxonomy
 *     `urn:upfront:support-category`; the term_uri ends with the id (e.g. urn:upfront:support-category:personal_care).
 *     Their attribute and taxonomy-term ids are UUIDs derived from the names (UUID version 5), so the same
 *     directory always exports the same ids.
 *
 * Money: cost_option.amount is in pounds (a number, e.g. 35 or 16.5); Upfront keeps whole pence, so an amount with
 * more than two decimal places is refused.
 *
 * Deviations, chosen and stated: organization.description is required by the standard but we accept and export
 * organisations without one; service.url is listed as required by the UK profile's service.json but is missing
 * from most real feeds, so it is optional here.
 */

export const HSDS_VERSION = "3.0";
export const ORUK_PROFILE = "https://github.com/OpenReferralUK/uk-profile";
export const UPFRONT_SUPPORT_CATEGORY_TAXONOMY = "urn:upfront:support-category";
export const UPFRONT_PROVIDER_KIND_TAXONOMY = "urn:upfront:provider-kind";

// ---------------------------------------------------------------------------------------------------------------
// The JSON as exported

export type HsdsAttribute = {
  id: string;
  link_type?: string;
  taxonomy_term: { id: string; term: string; taxonomy?: string; term_uri?: string; parent_id?: string };
};
export type HsdsOrganization = {
  id: string;
  name: string;
  description?: string;
  email?: string;
  website?: string;
  organization_identifiers: {
    id: string;
    identifier_scheme?: string;
    identifier_type?: string;
    identifier: string;
  }[];
  attributes: HsdsAttribute[];
  upfront_approved_list: boolean;
};
export type HsdsCostOption = {
  id: string;
  option?: string;
  amount?: number;
  amount_description?: string;
  valid_from?: string;
  valid_to?: string;
  upfront_unit?: (typeof UNITS)[number];
};
export type HsdsService = {
  id: string;
  organization_id: string;
  name: string;
  description?: string;
  url?: string;
  email?: string;
  status: (typeof SERVICE_STATUSES)[number];
  attributes: HsdsAttribute[];
  service_areas: { id: string; name: string; description?: string; uri?: string }[];
  cost_options: HsdsCostOption[];
  service_at_locations: { id: string; location_id: string }[];
};
export type HsdsLocation = {
  id: string;
  name?: string;
  description?: string;
  latitude?: number;
  longitude?: number;
  addresses: {
    id: string;
    address_1: string;
    address_2?: string;
    city: string;
    state_province?: string;
    postal_code: string;
    country: string;
    address_type: (typeof ADDRESS_TYPES)[number];
  }[];
};
export type HsdsDocument = {
  version: string;
  profile: string;
  organizations: HsdsOrganization[];
  services: HsdsService[];
  locations: HsdsLocation[];
};

// ---------------------------------------------------------------------------------------------------------------
// Reading: loose schemas (unknown fields pass through and are reported), nulls read as "absent"

const absent = (v: unknown) => v === null || v === undefined || v === "";
const id = z
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
const email = optional(z.email({ error: "Give a valid email address" }));
const url = optional(
  z.url({ protocol: /^https?$/, error: "Give a web address starting http:// or https://" }),
);
const date = optional(z.iso.date({ error: "Give a real date written YYYY-MM-DD" }));
const list = <T extends z.ZodType>(item: T) =>
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

const organizationIn = z.looseObject({
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
const locationIn = z.looseObject({
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
const serviceAtLocationIn = z.looseObject({ id, location_id: optional(id), location: optional(locationIn) });
const serviceIn = z
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

type OrganizationIn = z.infer<typeof organizationIn>;
type ServiceIn = z.infer<typeof serviceIn>;
type LocationIn = z.infer<typeof locationIn>;
type AttributeIn = z.infer<typeof attributeIn>;
type ServiceAtLocationIn = z.infer<typeof serviceAtLocationIn>;

// Keys we read, per object; anything else is reported in ignoredFields.
const KNOWN: Record<string, readonly string[]> = {
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

export type HsdsImportResult =
  | {
      readonly ok: true;
      readonly directory: Directory;
      /** Fields in the file that Upfront does not keep, e.g. "service.schedules" (each named once). */
      readonly ignoredFields: readonly string[];
      readonly warnings: readonly string[];
      /** Where each of directory.services is in the file (e.g. ["contents", 2]; [] for a file that is one service). */
      readonly servicePaths: readonly (readonly (string | number)[])[];
    }
  | {
      readonly ok: false;
      readonly errors: readonly FieldError[];
      /** The file lists no organisations, services or locations at all (e.g. `{}`). */
      readonly empty: boolean;
    };

type Path = (string | number)[];

/** What the import reads, for every refusal of a file's shape: so the message says what to give instead. */
export const HSDS_SHAPES =
  "Upfront reads an Open Referral UK directory { organizations, services, locations }, a page of services { contents: [services] } (as /services gives it), or one service, organisation or service_at_location as the Open Referral UK API gives it (/services/{id}, /organizations/{id}, /service_at_locations/{id})";

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const hasAny = (o: Record<string, unknown>, keys: readonly string[]) => keys.some((k) => Object.hasOwn(o, k));
// Fields only a service has (HSDS 3: status is required of a service, and of nothing else we read).
const SERVICE_ONLY = ["status", "organization_id", "organization", "service_at_locations", "cost_options"];
// Fields an organisation has and a service does not.
const ORGANIZATION_ONLY = [
  "organization_identifiers",
  "website",
  "logo",
  "legal_status",
  "tax_status",
  "year_incorporated",
  "parent_organization_id",
  "services",
];
const looksLikeService = (v: unknown) => isObject(v) && hasAny(v, SERVICE_ONLY);
const looksLikeOrganization = (v: unknown) =>
  isObject(v) && !hasAny(v, SERVICE_ONLY) && hasAny(v, ORGANIZATION_ONLY);
const looksLikeServiceAtLocation = (v: unknown) =>
  isObject(v) && !hasAny(v, SERVICE_ONLY) && (isObject(v.service) || isObject(v.location));

/** The file's pieces, each with where it is in the file, whatever shape the file has. */
type Pieces = {
  organizations: { raw: unknown; path: Path }[];
  services: { raw: unknown; path: Path; extraAt?: { raw: unknown; path: Path } }[];
  locations: { raw: unknown; path: Path }[];
  /** Set when the file is one object read as a page of one. */
  warning?: string;
};
type Refusal = { errors: FieldError[]; empty: boolean };

const refusal = (path: Path, message: string, empty = false): Refusal => ({
  errors: [{ path: formatPath(path), message }],
  empty,
});
const nothingToImport = (path: Path): Refusal =>
  refusal(
    path,
    `The file lists no organisations, services or locations, so there is nothing to import. ${HSDS_SHAPES}.`,
    true,
  );

/** A list in the file (absent or null is an empty one), or the problem with it. */
function listAt(o: Record<string, unknown>, key: string, problems: FieldError[]): unknown[] {
  const v = o[key];
  if (v === null || v === undefined) return [];
  if (Array.isArray(v)) return v;
  problems.push({ path: formatPath([key]), message: "This must be a list" });
  return [];
}

/** Which shape the file is, as the pieces to read; or why it is refused. */
function piecesOf(o: Record<string, unknown>): Pieces | Refusal {
  if (Object.hasOwn(o, "contents")) {
    const contents = o.contents;
    if (!Array.isArray(contents)) return refusal(["contents"], "contents must be a list of services");
    // A page of something other than services would otherwise fail as services with a problem per field.
    if (contents.length > 0 && contents.every(looksLikeOrganization)) {
      return refusal(
        ["contents"],
        `This is a page of organisations (as /organizations gives it), not of services: Upfront cannot tell from it which services each organisation offers. ${HSDS_SHAPES}.`,
      );
    }
    if (contents.length > 0 && contents.every(looksLikeServiceAtLocation)) {
      return refusal(
        ["contents"],
        `This is a page of service_at_locations (as /service_at_locations gives it), not of services. ${HSDS_SHAPES}.`,
      );
    }
    if (contents.length > 0 && !contents.some(looksLikeService)) {
      // e.g. a page of taxonomy terms: one clear reason, not "give the status" for every item.
      return refusal(
        ["contents"],
        `The items under contents are not services: none has a status or names its organisation. ${HSDS_SHAPES}.`,
      );
    }
    if (contents.length === 0) return nothingToImport(["contents"]);
    return {
      organizations: [],
      services: contents.map((raw, i) => ({ raw, path: ["contents", i] })),
      locations: [],
    };
  }

  // A directory document has lists at the top and no id of its own; one organisation has an id, and may list its
  // `services` (and, in older versions of the profile, its `locations`).
  if (
    Object.hasOwn(o, "organizations") ||
    (!Object.hasOwn(o, "id") && hasAny(o, ["services", "locations"]))
  ) {
    const problems: FieldError[] = [];
    const pieces: Pieces = {
      organizations: listAt(o, "organizations", problems).map((raw, i) => ({
        raw,
        path: ["organizations", i],
      })),
      services: listAt(o, "services", problems).map((raw, i) => ({ raw, path: ["services", i] })),
      locations: listAt(o, "locations", problems).map((raw, i) => ({ raw, path: ["locations", i] })),
    };
    return problems.length > 0 ? { errors: problems, empty: false } : pieces;
  }

  if (Object.hasOwn(o, "id") && isObject(o.service)) {
    // One service_at_location: its service, offered at its location (the SAL itself, at the top of the file).
    const { service, ...at } = o;
    return {
      organizations: [],
      services: [{ raw: service, path: ["service"], extraAt: { raw: at, path: [] } }],
      locations: [],
      warning:
        "The file is one service_at_location, not a directory or a page of services: it was read as its service, offered at its location.",
    };
  }
  if (Object.hasOwn(o, "id") && looksLikeService(o)) {
    return {
      organizations: [],
      services: [{ raw: o, path: [] }],
      locations: [],
      warning:
        "The file is one service, not a directory or a page of services: it was read as a page of that one service.",
    };
  }
  if (Object.hasOwn(o, "id") && looksLikeOrganization(o)) {
    const { services, ...organization } = o;
    const problems: FieldError[] = [];
    const listed = listAt(o, "services", problems);
    if (problems.length > 0) return { errors: problems, empty: false };
    // Its services belong to it, so they need not name it.
    const owner = typeof o.id === "string" || typeof o.id === "number" ? o.id : undefined;
    return {
      organizations: [{ raw: organization, path: [] }],
      services: listed.map((raw, i) => ({
        raw:
          isObject(raw) && owner !== undefined && raw.organization_id == null && raw.organization == null
            ? { ...raw, organization_id: owner }
            : raw,
        path: ["services", i],
      })),
      locations: [],
      warning: `The file is one organisation, not a directory or a page of services: it was read as that organisation with its ${listed.length} ${listed.length === 1 ? "service" : "services"}.`,
    };
  }

  const keys = Object.keys(o).filter((k) => k !== "version" && k !== "profile");
  if (keys.length === 0) return nothingToImport([]);
  return refusal(
    [],
    `Upfront cannot tell what this file is: it is not a directory, a page of services, or one service or organisation (its top-level fields are ${keys
      .slice(0, 10)
      .map((k) => `"${k}"`)
      .join(", ")}). ${HSDS_SHAPES}.`,
  );
}

/**
 * Reads an Open Referral UK directory. Refuses the whole file, listing every problem by row and field
 * (e.g. `services[3].cost_options[0].amount`), when anything is wrong; nothing is half-imported.
 */
export function importHsds(json: unknown): HsdsImportResult {
  if (!isObject(json)) {
    return {
      ok: false,
      errors: [{ path: "(top level)", message: `Give a JSON object. ${HSDS_SHAPES}.` }],
      empty: false,
    };
  }
  const pieces = piecesOf(json);
  if ("errors" in pieces) return { ok: false, ...pieces };

  // Read every piece (organisations, then services, then locations, as they come in a directory document).
  const parseErrors: FieldError[] = [];
  const parse = <T extends z.ZodType>(schema: T, raw: unknown, path: Path): z.infer<T> | undefined => {
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    parseErrors.push(...fieldErrorsFrom(parsed.error, path));
    return undefined;
  };
  const organizationsIn = pieces.organizations.map((p) => ({
    raw: parse(organizationIn, p.raw, p.path),
    path: p.path,
  }));
  const servicesIn = pieces.services.map((p) => {
    const raw = parse(serviceIn, p.raw, p.path);
    const extra = p.extraAt && parse(serviceAtLocationIn, p.extraAt.raw, p.extraAt.path);
    // Each service_at_location with where it is in the file. The file's own service_at_location comes first, and
    // its service listing it again (by id) is the same record, not a second one.
    const at: { sal: ServiceAtLocationIn; path: Path }[] = [
      ...(extra === undefined ? [] : [{ sal: extra, path: p.extraAt!.path }]),
      ...(raw?.service_at_locations ?? [])
        .map((sal, j) => ({ sal, path: [...p.path, "service_at_locations", j] }))
        .filter(({ sal }) => sal.id !== extra?.id),
    ];
    return { raw, path: p.path, at };
  });
  const locationsIn = pieces.locations.map((p) => ({ raw: parse(locationIn, p.raw, p.path), path: p.path }));
  if (parseErrors.length > 0) return { ok: false, errors: parseErrors, empty: false };

  const errors: FieldError[] = [];
  const ignored = new Set<string>();
  const warnings: string[] = pieces.warning === undefined ? [] : [pieces.warning];
  const noteIgnored = (entity: string, raw: object) => {
    for (const key of Object.keys(raw)) if (!KNOWN[entity]!.includes(key)) ignored.add(`${entity}.${key}`);
  };

  // Organisations: the listed ones, then any nested in services (once each, and consistent).
  const providers = new Map<string, { provider: Provider; path: string }>();
  const addProvider = (raw: OrganizationIn, path: Path, nested: boolean) => {
    noteIgnored("organization", raw);
    const provider = providerFrom(raw, path, errors, warnings);
    const seen = providers.get(provider.id);
    if (seen === undefined) providers.set(provider.id, { provider, path: formatPath(path) });
    else if (!nested) {
      errors.push({
        path: formatPath([...path, "id"]),
        message: `Another organisation (${seen.path}) has the id "${provider.id}"`,
      });
    } else if (JSON.stringify(seen.provider) !== JSON.stringify(provider)) {
      errors.push({
        path: formatPath(path),
        message: `This organisation "${provider.id}" differs from the one at ${seen.path}: give one set of details for it`,
      });
    }
  };
  for (const o of organizationsIn) addProvider(o.raw!, o.path, false);

  const locations = new Map<string, { location: Location; path: string }>();
  const addLocation = (raw: LocationIn, path: Path, nested: boolean) => {
    noteIgnored("location", raw);
    for (const a of raw.addresses) noteIgnored("address", a);
    const location = locationFrom(raw);
    const seen = locations.get(location.id);
    if (seen === undefined) locations.set(location.id, { location, path: formatPath(path) });
    else if (!nested) {
      errors.push({
        path: formatPath([...path, "id"]),
        message: `Another location (${seen.path}) has the id "${location.id}"`,
      });
    } else if (JSON.stringify(seen.location) !== JSON.stringify(location)) {
      errors.push({
        path: formatPath(path),
        message: `This location "${location.id}" differs from the one at ${seen.path}: give one set of details for it`,
      });
    }
  };
  for (const l of locationsIn) addLocation(l.raw!, l.path, false);

  const services: Service[] = [];
  const kept: { sal: ServiceAtLocationIn; path: Path }[][] = [];
  const serviceIds = new Map<string, string>();
  for (const { raw: maybe, path, at } of servicesIn) {
    const raw = maybe!;
    noteIgnored("service", raw);
    if (raw.organization) addProvider(raw.organization, [...path, "organization"], true);
    const salIds = new Set<string>();
    const located: { sal: ServiceAtLocationIn; path: Path }[] = [];
    for (const { sal, path: salPath } of at) {
      noteIgnored("service_at_location", sal);
      if (salIds.has(sal.id)) {
        errors.push({
          path: formatPath([...salPath, "id"]),
          message: `Another service_at_location of this service has the id "${sal.id}"`,
        });
      }
      salIds.add(sal.id);
      if (sal.location) addLocation(sal.location, [...salPath, "location"], true);
      if (sal.location_id === undefined && sal.location === undefined) {
        // The profile's own examples were published so; the service is still worth having without it.
        warnings.push(
          `The service "${raw.name}" lists a service_at_location (id ${sal.id}, at ${formatPath(salPath)}) that does not say which location it is: it has neither location_id nor a nested location. It was left out and the rest of the service was imported. To include it, give its location_id or its location.`,
        );
      } else located.push({ sal, path: salPath });
    }
    for (const c of raw.cost_options) noteIgnored("cost_option", c);
    for (const a of raw.service_areas) noteIgnored("service_area", a);
    const seen = serviceIds.get(raw.id);
    if (seen !== undefined) {
      errors.push({
        path: formatPath([...path, "id"]),
        message: `Another service (${seen}) has the id "${raw.id}"`,
      });
    }
    serviceIds.set(raw.id, formatPath(path));
    services.push(serviceFrom(raw, located, path, errors, warnings));
    kept.push(located);
  }

  // References, once every organisation and location is known.
  services.forEach((service, i) => {
    const { raw: maybe, path } = servicesIn[i]!;
    const raw = maybe!;
    if (
      raw.organization_id !== undefined &&
      raw.organization !== undefined &&
      raw.organization_id !== raw.organization.id
    ) {
      errors.push({
        path: formatPath([...path, "organization_id"]),
        message: `organization_id "${raw.organization_id}" is not the id of the nested organization ("${raw.organization.id}")`,
      });
    } else if (!providers.has(service.providerId)) {
      errors.push({
        path: formatPath([...path, "organization_id"]),
        message: `There is no organisation "${service.providerId}" in the file`,
      });
    }
    kept[i]!.forEach(({ sal, path: salPath }, j) => {
      if (
        sal.location_id !== undefined &&
        sal.location !== undefined &&
        sal.location_id !== sal.location.id
      ) {
        errors.push({
          path: formatPath([...salPath, "location_id"]),
          message: `location_id "${sal.location_id}" is not the id of the nested location ("${sal.location.id}")`,
        });
      } else if (!locations.has(service.locations[j]!.locationId)) {
        errors.push({
          path: formatPath([...salPath, "location_id"]),
          message: `There is no location "${service.locations[j]!.locationId}" in the file`,
        });
      }
    });
  });

  if (errors.length > 0) return { ok: false, errors, empty: false };
  // Never "imported" with nothing done (e.g. { "organizations": [] }).
  if (providers.size === 0 && services.length === 0 && locations.size === 0) {
    return { ok: false, ...nothingToImport([]) };
  }
  const directory = directorySchema.parse({
    providers: [...providers.values()].map((p) => p.provider),
    services,
    locations: [...locations.values()].map((l) => l.location),
  });
  return {
    ok: true,
    directory,
    ignoredFields: [...ignored].sort(),
    warnings: [...new Set(warnings)],
    servicePaths: servicesIn.map((s) => s.path),
  };
}

function termsFrom(
  attributes: readonly AttributeIn[],
  warnings: string[],
): { upfront: Map<string, string[]>; other: TaxonomyTermRef[] } {
  const upfront = new Map<string, string[]>();
  const other: TaxonomyTermRef[] = [];
  for (const attribute of attributes) {
    const term = attribute.taxonomy_term;
    const label = term?.term ?? term?.name;
    if (term === undefined || label === undefined) {
      warnings.push("Attributes without a nested taxonomy_term (with its term) are not kept.");
      continue;
    }
    const taxonomy = term.taxonomy;
    if (taxonomy === UPFRONT_SUPPORT_CATEGORY_TAXONOMY || taxonomy === UPFRONT_PROVIDER_KIND_TAXONOMY) {
      const code = term.term_uri?.startsWith(`${taxonomy}:`)
        ? term.term_uri.slice(taxonomy.length + 1)
        : label;
      upfront.set(taxonomy, [...(upfront.get(taxonomy) ?? []), code]);
      continue;
    }
    other.push({
      attributeId: attribute.id,
      linkType: attribute.link_type,
      termId: term.id,
      term: label,
      taxonomy,
      termUri: term.term_uri,
      parentId: term.parent_id,
    });
  }
  return { upfront, other };
}

function providerFrom(
  raw: OrganizationIn,
  path: (string | number)[],
  errors: FieldError[],
  warnings: string[],
): Provider {
  const { upfront, other } = termsFrom(raw.attributes, warnings);
  const kinds = upfront.get(UPFRONT_PROVIDER_KIND_TAXONOMY) ?? [];
  let kind: ProviderKind = "organisation";
  if (kinds.length > 1) {
    errors.push({
      path: formatPath([...path, "attributes"]),
      message: "Give at most one Upfront provider kind",
    });
  } else if (kinds[0] !== undefined) {
    if ((PROVIDER_KINDS as readonly string[]).includes(kinds[0])) kind = kinds[0] as ProviderKind;
    else {
      errors.push({
        path: formatPath([...path, "attributes"]),
        message: `"${kinds[0]}" is not a provider kind: use one of ${PROVIDER_KINDS.join(", ")}`,
      });
    }
  }
  return {
    id: raw.id,
    name: raw.name,
    description: raw.description,
    email: raw.email,
    website: raw.website,
    kind,
    approvedList: raw.upfront_approved_list ?? false,
    identifiers: raw.organization_identifiers.map((i) => ({
      id: i.id,
      scheme: i.identifier_scheme,
      type: i.identifier_type,
      identifier: i.identifier,
    })),
    otherTerms: other,
  };
}

function serviceFrom(
  raw: ServiceIn,
  located: readonly { sal: ServiceAtLocationIn }[],
  path: (string | number)[],
  errors: FieldError[],
  warnings: string[],
): Service {
  const { upfront, other } = termsFrom(raw.attributes, warnings);
  const categories = upfront.get(UPFRONT_SUPPORT_CATEGORY_TAXONOMY) ?? [];
  categories.forEach((c) => {
    if (!/^[a-z][a-z0-9_]{0,63}$/.test(c)) {
      errors.push({
        path: formatPath([...path, "attributes"]),
        message: `"${c}" is not a support category id`,
      });
    }
  });
  return {
    id: raw.id,
    providerId: raw.organization_id ?? raw.organization!.id,
    name: raw.name,
    description: raw.description,
    url: raw.url,
    email: raw.email,
    status: raw.status,
    categories: [...new Set(categories)],
    otherTerms: other,
    serviceAreas: raw.service_areas.map((a) => ({
      id: a.id,
      name: (a.name ?? a.service_area)!,
      description: a.description,
      uri: a.uri,
    })),
    costOptions: raw.cost_options.map((c) => ({
      id: c.id,
      option: c.option,
      amountPence: c.amount === undefined ? undefined : Math.round(c.amount * 100),
      amountDescription: c.amount_description,
      unit: c.upfront_unit,
      validFrom: c.valid_from,
      validTo: c.valid_to,
    })),
    locations: located.map(({ sal }) => ({
      id: sal.id,
      locationId: sal.location_id ?? sal.location!.id,
    })),
  };
}

function locationFrom(raw: LocationIn): Location {
  return {
    id: raw.id,
    name: raw.name,
    description: raw.description,
    latitude: raw.latitude,
    longitude: raw.longitude,
    addresses: raw.addresses.map((a) => ({
      id: a.id,
      address1: a.address_1,
      address2: a.address_2,
      city: a.city,
      stateProvince: a.state_province,
      postalCode: a.postal_code,
      country: a.country,
      addressType: a.address_type,
    })),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Writing

/** Drops undefined properties, so the JSON never carries `"field": null` for something absent. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** UUID version 5 (RFC 9562 §5.5): SHA-1 of a namespace and a name, so the same name always gives the same id. */
export function uuidV5(name: string, namespace = UPFRONT_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ""), "hex");
  const hash = createHash("sha1").update(ns).update(name, "utf8").digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
/** Upfront's own namespace for derived ids (a random UUID, fixed for ever). */
export const UPFRONT_NAMESPACE = "0b6d7c3e-4a52-4f8e-9f0a-6d1c2b3a4e5f";

function upfrontAttribute(
  linkId: string,
  taxonomy: string,
  code: string,
  label: string | undefined,
): HsdsAttribute {
  return {
    id: uuidV5(`${taxonomy}:${code}@${linkId}`),
    taxonomy_term: {
      id: uuidV5(`${taxonomy}:${code}`),
      term: label ?? code,
      taxonomy,
      term_uri: `${taxonomy}:${code}`,
    },
  };
}

function otherAttribute(t: TaxonomyTermRef): HsdsAttribute {
  return compact({
    id: t.attributeId,
    link_type: t.linkType,
    taxonomy_term: compact({
      id: t.termId,
      term: t.term,
      taxonomy: t.taxonomy,
      term_uri: t.termUri,
      parent_id: t.parentId,
    }),
  });
}

/** Pence as pounds for cost_option.amount: 1650 → 16.5 (exact: whole pence have at most two decimals). */
const pounds = (p: number) => p / 100;

export type HsdsExportOptions = {
  /** Labels for support categories (the term); the id is used where none is given. */
  readonly supportCategoryLabels?: Readonly<Record<string, string>>;
};

const PROVIDER_KIND_LABELS: Record<ProviderKind, string> = {
  organisation: "Organisation",
  user_led_organisation: "User-led organisation",
  personal_assistant: "Personal assistant",
};

/** Writes the directory as an Open Referral UK document, in the directory's own order. */
export function exportHsds(directory: Directory, options: HsdsExportOptions = {}): HsdsDocument {
  return {
    version: HSDS_VERSION,
    profile: ORUK_PROFILE,
    organizations: directory.providers.map((p) =>
      compact({
        id: p.id,
        name: p.name,
        description: p.description,
        email: p.email,
        website: p.website,
        organization_identifiers: p.identifiers.map((i) =>
          compact({
            id: i.id,
            identifier_scheme: i.scheme,
            identifier_type: i.type,
            identifier: i.identifier,
          }),
        ),
        attributes: [
          ...(p.kind === "organisation"
            ? []
            : [upfrontAttribute(p.id, UPFRONT_PROVIDER_KIND_TAXONOMY, p.kind, PROVIDER_KIND_LABELS[p.kind])]),
          ...p.otherTerms.map(otherAttribute),
        ],
        upfront_approved_list: p.approvedList,
      }),
    ),
    services: directory.services.map((s) =>
      compact({
        id: s.id,
        organization_id: s.providerId,
        name: s.name,
        description: s.description,
        url: s.url,
        email: s.email,
        status: s.status,
        attributes: [
          ...s.categories.map((c) =>
            upfrontAttribute(s.id, UPFRONT_SUPPORT_CATEGORY_TAXONOMY, c, options.supportCategoryLabels?.[c]),
          ),
          ...s.otherTerms.map(otherAttribute),
        ],
        service_areas: s.serviceAreas.map((a) =>
          compact({ id: a.id, name: a.name, description: a.description, uri: a.uri }),
        ),
        cost_options: s.costOptions.map((c) =>
          compact({
            id: c.id,
            option: c.option,
            amount: c.amountPence === undefined ? undefined : pounds(c.amountPence),
            amount_description: c.amountDescription,
            valid_from: c.validFrom,
            valid_to: c.validTo,
            upfront_unit: c.unit,
          }),
        ),
        service_at_locations: s.locations.map((l) => ({ id: l.id, location_id: l.locationId })),
      }),
    ),
    locations: directory.locations.map((l) =>
      compact({
        id: l.id,
        name: l.name,
        description: l.description,
        latitude: l.latitude,
        longitude: l.longitude,
        addresses: l.addresses.map((a) =>
          compact({
            id: a.id,
            address_1: a.address1,
            address_2: a.address2,
            city: a.city,
            state_province: a.stateProvince,
            postal_code: a.postalCode,
            country: a.country,
            address_type: a.addressType,
          }),
        ),
      }),
    ),
  };
}
