import type { z } from "zod";
import {
  UPFRONT_PROVIDER_KIND_TAXONOMY,
  UPFRONT_SUPPORT_CATEGORY_TAXONOMY,
} from "#/features/directory/hsds-document.ts";
import {
  type AttributeIn,
  KNOWN,
  type LocationIn,
  locationIn,
  type OrganizationIn,
  organizationIn,
  type ServiceAtLocationIn,
  type ServiceIn,
  serviceAtLocationIn,
  serviceIn,
} from "#/features/directory/hsds-input.ts";
import {
  type Directory,
  directorySchema,
  type Location,
  PROVIDER_KINDS,
  type Provider,
  type ProviderKind,
  type Service,
  type TaxonomyTermRef,
} from "#/features/directory/schemas.ts";
import { type FieldError, fieldErrorsFrom, formatPath } from "#/platform/validation.ts";

/** Importing an HSDS file: its shape found, each piece checked, and the directory it describes, or every problem. */

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
  const read = readPieces(pieces);
  if (!read.ok) return { ok: false, errors: read.parseErrors, empty: false };
  const { organizationsIn, servicesIn, locationsIn } = read;

  const state = importState(pieces.warning);
  const { errors, ignored, warnings, providers, locations, addProvider, addLocation } = state;
  // Organisations: the listed ones, then any nested in services (once each, and consistent); likewise locations.
  for (const o of organizationsIn) addProvider(o.raw!, o.path, false);
  for (const l of locationsIn) addLocation(l.raw!, l.path, false);
  const { services, kept } = readServices(state, servicesIn);
  checkReferences(state, servicesIn, services, kept);

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

type ServiceRead = {
  raw: ServiceIn | undefined;
  path: Path;
  at: { sal: ServiceAtLocationIn; path: Path }[];
};

/** Every piece read with its loose schema (organisations, then services, then locations), or every problem. */
function readPieces(pieces: Pieces) {
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
  if (parseErrors.length > 0) return { ok: false as const, parseErrors };
  return { ok: true as const, organizationsIn, servicesIn: servicesIn as ServiceRead[], locationsIn };
}

/** What an import collects as it goes: problems, ignored fields, warnings, and the organisations and locations met. */
function importState(warning: string | undefined) {
  const errors: FieldError[] = [];
  const ignored = new Set<string>();
  const warnings: string[] = warning === undefined ? [] : [warning];
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
  return { errors, ignored, warnings, noteIgnored, providers, addProvider, locations, addLocation };
}
type ImportState = ReturnType<typeof importState>;

/** Each service with its located service_at_locations (their organisations and locations added as met). */
function readServices(state: ImportState, servicesIn: readonly ServiceRead[]) {
  const { errors, warnings, noteIgnored, addProvider, addLocation } = state;
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
  return { services, kept };
}

/** References, once every organisation and location is known: each must name one in the file. */
function checkReferences(
  state: ImportState,
  servicesIn: readonly ServiceRead[],
  services: readonly Service[],
  kept: readonly { sal: ServiceAtLocationIn; path: Path }[][],
): void {
  const { errors, providers, locations } = state;
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
