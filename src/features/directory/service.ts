import { createHash } from "node:crypto";
import type { z } from "zod";
import { exportHsds, type HsdsDocument, importHsds } from "#/features/directory/hsds.ts";
import {
  directorySettingsSchema,
  type ImportMode,
  importOptionsSchema,
  type ProviderSearchInput,
  providerDetailsSchema,
  providerSearchSchema,
  serviceDetailsSchema,
} from "#/features/directory/input-schemas.ts";
import * as repo from "#/features/directory/repository.ts";
import {
  type CostOption,
  type Directory,
  type Location,
  type Provider,
  providerSchema,
  type Service,
  serviceSchema,
} from "#/features/directory/schemas.ts";
import { audit } from "#/platform/audit/audit.ts";
import { actorRef, inTenant, type ServiceContext, type TxContext } from "#/platform/context.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";
import { ConflictError, type FieldError, NotFoundError, ValidationError } from "#/platform/errors.ts";
import { fieldErrorsFrom, formatPath } from "#/platform/validation.ts";
import { supportCategories, supportCategoryLabels } from "#/vocabulary/support-categories.ts";

/**
 * The council's provider and service directory, as use cases: search it, open a provider with its services,
 * add and edit providers and services, import an Open Referral UK (HSDS) file and export one, and the
 * tenant's setting for providers off the approved list. Every change is checked whole before anything is
 * written, runs in one tenant transaction and is audited.
 *
 * IMPORT, chosen and stated. The file is read by hsds.ts and refused whole, with every problem named, if
 * anything in it is wrong (including support categories the council does not use); nothing is half-written.
 * What hsds.ts leaves out but can import without (e.g. a service_at_location that names no location) comes
 * back as warnings, shown on the summary.
 * Two modes:
 *   - merge (the default): each organisation, service and location in the file is added, or replaces the record
 *     with the same id; records not in the file are left as they are. A file must still be complete in itself
 *     (its services' organisations and locations are in it), as hsds.ts requires.
 *   - replace: the file becomes the whole directory; records not in it are removed. Refused if something else
 *     (a support plan) still refers to a record it would remove.
 * Unchanged records are left alone; the order of the file is kept for export (new records go at the end).
 * One audit event records the import: the mode, the file's SHA-256 and what was added, changed and removed.
 *
 * Viewing the directory is not audited (it lists organisations and what they offer, not the people the council
 * supports); exporting it is.
 */

export const MAX_HSDS_BYTES = 10_000_000;

export type RecordStamps = { createdBy: string; createdAt: Date; updatedBy: string; updatedAt: Date };
export type StoredProvider = Provider & RecordStamps;
export type StoredService = Service & RecordStamps;

export type ProviderSummary = {
  id: string;
  name: string;
  kind: Provider["kind"];
  approvedList: boolean;
  /** Across the provider's services, in the council's order of categories. */
  categories: string[];
  /** The names of the areas its services cover, each once. */
  areas: string[];
  services: number;
};

export type ProviderPage = { rows: ProviderSummary[]; total: number; page: number; pageSize: number };

export type ProviderRecord = {
  provider: StoredProvider;
  services: StoredService[];
  /** The locations its services are offered at, each once. */
  locations: Location[];
};

export type DirectorySettings = {
  allowProvidersOffApprovedList: boolean;
  updatedBy: string | null;
  updatedAt: Date | null;
};

type Counts = { created: number; updated: number; removed: number; unchanged: number };
export type ImportSummary = {
  mode: ImportMode;
  providers: Counts;
  services: Counts;
  locations: Counts;
  /** Fields in the file that Upfront does not keep, each named once. */
  ignoredFields: readonly string[];
  warnings: readonly string[];
  sha256: string;
};

// ---- rows ↔ the directory model ----------------------------------------------------------------------------------

/** Drops undefined and null, so a record reads the same however it was made. */
function compact<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as T;
}

/** JSON with object keys sorted at every level: jsonb reorders keys, so records are compared this way. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

const stamps = (row: {
  created_by: string;
  created_at: Date;
  updated_by: string;
  updated_at: Date;
}): RecordStamps => ({
  createdBy: row.created_by,
  createdAt: row.created_at,
  updatedBy: row.updated_by,
  updatedAt: row.updated_at,
});

function toProvider(row: repo.ProviderRow): Provider {
  return compact({
    id: row.provider_id,
    name: row.name,
    description: row.description ?? undefined,
    email: row.email ?? undefined,
    website: row.website ?? undefined,
    kind: row.kind,
    approvedList: row.approved_list,
    identifiers: row.identifiers as Provider["identifiers"],
    otherTerms: row.other_terms as Provider["otherTerms"],
  });
}

function toLocation(row: repo.LocationRow): Location {
  return compact({
    id: row.location_id,
    name: row.name ?? undefined,
    description: row.description ?? undefined,
    latitude: row.latitude ?? undefined,
    longitude: row.longitude ?? undefined,
    addresses: row.addresses as Location["addresses"],
  });
}

function toService(row: repo.ServiceRow, links: readonly repo.LinkRow[]): Service {
  return compact({
    id: row.service_id,
    providerId: row.provider_id,
    name: row.name,
    description: row.description ?? undefined,
    url: row.url ?? undefined,
    email: row.email ?? undefined,
    status: row.status,
    categories: row.categories,
    otherTerms: row.other_terms as Service["otherTerms"],
    serviceAreas: row.service_areas as Service["serviceAreas"],
    costOptions: row.cost_options as Service["costOptions"],
    locations: links.map((l) => ({ id: l.link_id, locationId: l.location_id })),
  });
}

const providerValues = (p: Provider, position: number): repo.ProviderValues => ({
  provider_id: p.id,
  position,
  name: p.name,
  description: p.description ?? null,
  email: p.email ?? null,
  website: p.website ?? null,
  kind: p.kind,
  approved_list: p.approvedList,
  identifiers: JSON.stringify(p.identifiers),
  other_terms: JSON.stringify(p.otherTerms),
});

const locationValues = (l: Location, position: number): repo.LocationValues => ({
  location_id: l.id,
  position,
  name: l.name ?? null,
  description: l.description ?? null,
  latitude: l.latitude ?? null,
  longitude: l.longitude ?? null,
  addresses: JSON.stringify(l.addresses),
});

const serviceValues = (s: Service, position: number): repo.ServiceValues => ({
  service_id: s.id,
  provider_id: s.providerId,
  position,
  name: s.name,
  description: s.description ?? null,
  url: s.url ?? null,
  email: s.email ?? null,
  status: s.status,
  categories: s.categories,
  other_terms: JSON.stringify(s.otherTerms),
  service_areas: JSON.stringify(s.serviceAreas),
  cost_options: JSON.stringify(s.costOptions),
});

const linkValues = (s: Service): repo.LinkValues[] =>
  s.locations.map((l, position) => ({
    service_id: s.id,
    link_id: l.id,
    location_id: l.locationId,
    position,
  }));

type Positioned<T> = { record: T; position: number };

/** The whole directory as stored, in its order, with each record's stored position. */
async function loadIn(tx: TenantTx) {
  const [providers, services, locations, links] = [
    await repo.listProviders(tx),
    await repo.listServices(tx),
    await repo.listLocations(tx),
    await repo.listLinks(tx),
  ];
  const linksOf = new Map<string, repo.LinkRow[]>();
  for (const link of links) linksOf.set(link.service_id, [...(linksOf.get(link.service_id) ?? []), link]);
  return {
    providers: providers.map((r) => ({ record: toProvider(r), position: r.position })),
    services: services.map((r) => ({
      record: toService(r, linksOf.get(r.service_id) ?? []),
      position: r.position,
    })),
    locations: locations.map((r) => ({ record: toLocation(r), position: r.position })),
  };
}

/** The whole directory, in the model's shape (for the export, and for other features that need all of it). */
export async function directoryIn({ tx }: Pick<TxContext, "tx">): Promise<Directory> {
  const stored = await loadIn(tx);
  return {
    providers: stored.providers.map((p) => p.record),
    services: stored.services.map((s) => s.record),
    locations: stored.locations.map((l) => l.record),
  };
}

// ---- the council's categories --------------------------------------------------------------------------------------

function categoryErrors(services: readonly Service[], pathOf: (i: number) => PropertyKey[]): FieldError[] {
  const known = new Set(supportCategories().map((c) => c.id));
  const errors: FieldError[] = [];
  services.forEach((service, i) => {
    for (const category of service.categories) {
      if (!known.has(category)) {
        errors.push({
          path: formatPath(pathOf(i)),
          message: `"${category}" is not one of the council's support categories (${[...known].join(", ")})`,
        });
      }
    }
  });
  return errors;
}

// ---- reading -----------------------------------------------------------------------------------------------------

/** A page of providers by name, searched by text, category, area, kind and the approved list. Not audited. */
export async function searchProviders(
  ctx: ServiceContext,
  query: ProviderSearchInput,
): Promise<ProviderPage> {
  const parsed = providerSearchSchema.safeParse(query);
  if (!parsed.success) throw new ValidationError(fieldErrorsFrom(parsed.error), "Check the search");
  const { page, pageSize, ...filters } = parsed.data;
  return inTenant(ctx, async ({ tx }) => {
    const { rows, total } = await repo.searchProviders(tx, {
      ...compact(filters),
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    const services = await repo.listServices(
      tx,
      rows.map((r) => r.provider_id),
    );
    const order = supportCategories().map((c) => c.id);
    return {
      rows: rows.map((row) => {
        const own = services.filter((s) => s.provider_id === row.provider_id);
        const categories = new Set(own.flatMap((s) => s.categories));
        const areas = new Set(
          own.flatMap((s) => (s.service_areas as Service["serviceAreas"]).map((a) => a.name)),
        );
        return {
          id: row.provider_id,
          name: row.name,
          kind: row.kind,
          approvedList: row.approved_list,
          categories: [
            ...order.filter((c) => categories.has(c)),
            ...[...categories].filter((c) => !order.includes(c)),
          ],
          areas: [...areas],
          services: own.length,
        };
      }),
      total,
      page,
      pageSize,
    };
  });
}

/** A provider with its services and their locations; NotFoundError when the council has no such provider. */
export async function getProvider(ctx: ServiceContext, providerId: string): Promise<ProviderRecord> {
  return inTenant(ctx, (t) => getProviderIn(t, providerId));
}

export async function getProviderIn(
  { tx }: Pick<TxContext, "tx">,
  providerId: string,
): Promise<ProviderRecord> {
  const row = await providerRowOrThrow(tx, providerId);
  const services = await repo.listServices(tx, [row.provider_id]);
  const links = await repo.listLinks(
    tx,
    services.map((s) => s.service_id),
  );
  const locations = await repo.findLocations(tx, [...new Set(links.map((l) => l.location_id))]);
  return {
    provider: { ...toProvider(row), ...stamps(row) },
    services: services.map((s) => ({
      ...toService(
        s,
        links.filter((l) => l.service_id === s.service_id),
      ),
      ...stamps(s),
    })),
    locations: locations.map(toLocation),
  };
}

async function providerRowOrThrow(tx: TenantTx, providerId: string, opts: { forUpdate?: boolean } = {}) {
  const row =
    typeof providerId === "string" && /^\S{1,100}$/.test(providerId)
      ? await repo.findProvider(tx, providerId, opts)
      : undefined;
  if (!row) throw new NotFoundError("The provider");
  return row;
}

/**
 * For support plans (SEAM for the planning service): what the directory says about each provider a plan names,
 * for planning's ProviderLookup, and whether the council lets plans use providers off the approved list.
 */
export async function providersForPlanIn(
  { tx }: Pick<TxContext, "tx">,
  providerIds: readonly string[],
): Promise<{
  providers: Map<string, { name: string; kind: Provider["kind"]; approvedList: boolean }>;
  allowProvidersOffApprovedList: boolean;
}> {
  const rows = await repo.findProviders(tx, [...new Set(providerIds)]);
  const settings = await repo.findSettings(tx);
  return {
    providers: new Map(
      rows.map((r) => [r.provider_id, { name: r.name, kind: r.kind, approvedList: r.approved_list }]),
    ),
    allowProvidersOffApprovedList: settings?.allow_off_approved_list ?? false,
  };
}

// ---- settings ----------------------------------------------------------------------------------------------------

export async function getDirectorySettings(ctx: ServiceContext): Promise<DirectorySettings> {
  return inTenant(ctx, (t) => directorySettingsIn(t));
}

/** Until an administrator says otherwise, plans may use only providers on the approved list. */
export async function directorySettingsIn({ tx }: Pick<TxContext, "tx">): Promise<DirectorySettings> {
  const row = await repo.findSettings(tx);
  return {
    allowProvidersOffApprovedList: row?.allow_off_approved_list ?? false,
    updatedBy: row?.updated_by ?? null,
    updatedAt: row?.updated_at ?? null,
  };
}

export async function setDirectorySettings(ctx: ServiceContext, input: unknown): Promise<DirectorySettings> {
  return inTenant(ctx, (t) => setDirectorySettingsIn(t, input));
}

export async function setDirectorySettingsIn({ tx }: TxContext, input: unknown): Promise<DirectorySettings> {
  const parsed = directorySettingsSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(fieldErrorsFrom(parsed.error));
  const before = await directorySettingsIn({ tx });
  const allow = parsed.data.allowProvidersOffApprovedList;
  const row = await repo.saveSettings(tx, { allowOffApprovedList: allow, by: actorRef(tx.scope.actor) });
  await audit(tx, {
    action: "update",
    recordType: "directory_settings",
    recordId: tx.scope.tenantId,
    changes: { allowProvidersOffApprovedList: { from: before.allowProvidersOffApprovedList, to: allow } },
  });
  return {
    allowProvidersOffApprovedList: row.allow_off_approved_list,
    updatedBy: row.updated_by,
    updatedAt: row.updated_at,
  };
}

// ---- providers ---------------------------------------------------------------------------------------------------

/** Each field that differs, as { from, to }, for the audit trail. */
function differences(before: Record<string, unknown>, after: Record<string, unknown>) {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (canonical(before[key]) !== canonical(after[key])) {
      out[key] = { from: before[key] ?? null, to: after[key] ?? null };
    }
  }
  return out;
}

function checkProvider(candidate: unknown): Provider {
  const parsed = providerSchema.safeParse(candidate);
  if (!parsed.success) throw new ValidationError(fieldErrorsFrom(parsed.error));
  return parsed.data;
}

function parseDetails<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new ValidationError(fieldErrorsFrom(parsed.error));
  return parsed.data;
}

/** Adds a provider with a new id (UUIDv7); refused whole, with every problem named. Audited. */
export async function createProvider(ctx: ServiceContext, input: unknown): Promise<StoredProvider> {
  return inTenant(ctx, (t) => createProviderIn(t, input));
}

export async function createProviderIn({ tx }: TxContext, input: unknown): Promise<StoredProvider> {
  const details = parseDetails(providerDetailsSchema, input);
  const provider = checkProvider(compact({ id: uuidv7(), ...details, identifiers: [], otherTerms: [] }));
  await repo.lockDirectory(tx);
  const by = actorRef(tx.scope.actor);
  await repo.upsertProviders(
    tx,
    [providerValues(provider, await repo.nextPosition(tx, "directory_providers"))],
    by,
  );
  await audit(tx, {
    action: "create",
    recordType: "directory_provider",
    recordId: provider.id,
    changes: differences({}, provider),
  });
  const row = await providerRowOrThrow(tx, provider.id);
  return { ...toProvider(row), ...stamps(row) };
}

/**
 * Changes a provider's details (name, kind, approved list, description, email, website); a blank field is
 * cleared. Registration numbers and other classifications stay as they are. Audited with what changed.
 */
export async function updateProvider(
  ctx: ServiceContext,
  providerId: string,
  input: unknown,
): Promise<StoredProvider> {
  return inTenant(ctx, async ({ tx }) => {
    const details = parseDetails(providerDetailsSchema, input);
    const row = await providerRowOrThrow(tx, providerId, { forUpdate: true });
    const before = toProvider(row);
    const after = checkProvider(
      compact({ ...details, id: before.id, identifiers: before.identifiers, otherTerms: before.otherTerms }),
    );
    const changes = differences(before, after);
    if (Object.keys(changes).length === 0) return { ...before, ...stamps(row) };
    await repo.upsertProviders(tx, [providerValues(after, row.position)], actorRef(tx.scope.actor));
    await audit(tx, { action: "update", recordType: "directory_provider", recordId: after.id, changes });
    const saved = await providerRowOrThrow(tx, after.id);
    return { ...toProvider(saved), ...stamps(saved) };
  });
}

// ---- services ----------------------------------------------------------------------------------------------------

/** The areas named, each once (ignoring case), keeping an area the service already had (and its id). */
function areasFrom(names: readonly string[], existing: Service["serviceAreas"]): Service["serviceAreas"] {
  const out: Service["serviceAreas"] = [];
  const seen = new Set<string>();
  for (const raw of names) {
    const name = raw.trim();
    const key = name.toLowerCase();
    if (name === "" || seen.has(key)) continue;
    seen.add(key);
    out.push(existing.find((a) => a.name.toLowerCase() === key) ?? { id: uuidv7(), name });
  }
  return out;
}

/** The prices given; one with the id of an existing price keeps the fields the page does not show (its dates). */
function pricesFrom(
  prices: z.output<typeof serviceDetailsSchema>["prices"],
  existing: readonly CostOption[],
): unknown[] {
  return prices.map((p) => {
    const before = p.id === undefined ? undefined : existing.find((c) => c.id === p.id);
    return compact({
      ...(before ?? {}),
      id: before?.id ?? uuidv7(),
      option: p.option,
      amountPence: p.amountPence,
      unit: p.unit,
      amountDescription: p.amountDescription,
    });
  });
}

function checkService(candidate: unknown): Service {
  const parsed = serviceSchema.safeParse(candidate);
  const errors = parsed.success ? [] : fieldErrorsFrom(parsed.error);
  if (parsed.success) errors.push(...categoryErrors([parsed.data], () => ["categories"]));
  if (errors.length > 0 || !parsed.success) throw new ValidationError(errors);
  return parsed.data;
}

function serviceFrom(
  id: string,
  providerId: string,
  details: z.output<typeof serviceDetailsSchema>,
  existing?: Service,
): Service {
  return checkService(
    compact({
      id,
      providerId,
      name: details.name,
      description: details.description,
      url: details.url,
      email: details.email,
      status: details.status,
      categories: [...new Set(details.categories)],
      otherTerms: existing?.otherTerms ?? [],
      serviceAreas: areasFrom(details.areas, existing?.serviceAreas ?? []),
      costOptions: pricesFrom(details.prices, existing?.costOptions ?? []),
      locations: existing?.locations ?? [],
    }),
  );
}

/** Adds a service to a provider; refused whole, with every problem named. Audited. */
export async function createService(
  ctx: ServiceContext,
  providerId: string,
  input: unknown,
): Promise<StoredService> {
  return inTenant(ctx, async ({ tx }) => {
    const details = parseDetails(serviceDetailsSchema, input);
    const provider = await providerRowOrThrow(tx, providerId);
    const service = serviceFrom(uuidv7(), provider.provider_id, details);
    await repo.lockDirectory(tx);
    await repo.upsertServices(
      tx,
      [serviceValues(service, await repo.nextPosition(tx, "directory_services"))],
      actorRef(tx.scope.actor),
    );
    await audit(tx, {
      action: "create",
      recordType: "directory_service",
      recordId: service.id,
      changes: differences({}, service),
    });
    return storedService(tx, service.id);
  });
}

/** Changes a service's details; its locations and other classifications stay. Audited with what changed. */
export async function updateService(
  ctx: ServiceContext,
  providerId: string,
  serviceId: string,
  input: unknown,
): Promise<StoredService> {
  return inTenant(ctx, async ({ tx }) => {
    const details = parseDetails(serviceDetailsSchema, input);
    const row = await repo.findService(tx, serviceId, { forUpdate: true });
    if (!row || row.provider_id !== providerId) throw new NotFoundError("The service");
    const before = toService(row, await repo.listLinks(tx, [serviceId]));
    const after = serviceFrom(serviceId, row.provider_id, details, before);
    const changes = differences(before, after);
    if (Object.keys(changes).length > 0) {
      await repo.upsertServices(tx, [serviceValues(after, row.position)], actorRef(tx.scope.actor));
      await audit(tx, { action: "update", recordType: "directory_service", recordId: serviceId, changes });
    }
    return storedService(tx, serviceId);
  });
}

async function storedService(tx: TenantTx, serviceId: string): Promise<StoredService> {
  const row = await repo.findService(tx, serviceId);
  if (!row) throw new NotFoundError("The service");
  return { ...toService(row, await repo.listLinks(tx, [serviceId])), ...stamps(row) };
}

// ---- import and export -------------------------------------------------------------------------------------------

export type ImportInput = {
  /** The file's text (a page upload or paste)… */
  text?: string;
  /** …or the document already parsed (the API). */
  json?: unknown;
  mode?: ImportMode;
  fileName?: string | null;
};

type Plan<T> = {
  write: { record: T; position: number }[];
  removed: string[];
  counts: Counts;
  created: string[];
  updated: string[];
};

/**
 * What changes for one kind of record: the records to write (new, changed, or moved by a replace), the ids to
 * remove, and the counts. Merge keeps every stored record's position and puts new ones after the last; replace
 * takes the file's order.
 */
function planFor<T extends { id: string }>(
  current: readonly Positioned<T>[],
  incoming: readonly T[],
  mode: ImportMode,
): Plan<T> {
  const stored = new Map(current.map((c) => [c.record.id, c]));
  const incomingIds = new Set(incoming.map((r) => r.id));
  let next = current.reduce((max, c) => Math.max(max, c.position + 1), 0);
  const plan: Plan<T> = {
    write: [],
    removed: [],
    counts: { created: 0, updated: 0, removed: 0, unchanged: 0 },
    created: [],
    updated: [],
  };
  incoming.forEach((record, index) => {
    const before = stored.get(record.id);
    const position = mode === "replace" ? index : (before?.position ?? next++);
    if (!before) {
      plan.counts.created++;
      plan.created.push(record.id);
      plan.write.push({ record, position });
    } else if (canonical(before.record) !== canonical(record)) {
      plan.counts.updated++;
      plan.updated.push(record.id);
      plan.write.push({ record, position });
    } else {
      plan.counts.unchanged++;
      if (before.position !== position) plan.write.push({ record, position });
    }
  });
  if (mode === "replace") {
    plan.removed = current.filter((c) => !incomingIds.has(c.record.id)).map((c) => c.record.id);
    plan.counts.removed = plan.removed.length;
  } else {
    plan.counts.unchanged += current.filter((c) => !incomingIds.has(c.record.id)).length;
  }
  return plan;
}

/** Ids for the audit trail: all of them up to a point, then how many more. */
const listed = (ids: readonly string[], max = 100) =>
  ids.length <= max ? ids : [...ids.slice(0, max), `… and ${ids.length - max} more`];

/** PostgreSQL's foreign_key_violation, from pg or PGlite. */
const isForeignKeyViolation = (error: unknown) =>
  typeof error === "object" && error !== null && (error as { code?: unknown }).code === "23503";

/**
 * Imports an Open Referral UK file into the council's directory, merging (the default) or replacing (see the
 * top of this file). Throws ValidationError naming every problem (paths as in the file, e.g.
 * `services[3].cost_options[0].amount`) and writes nothing; ConflictError if a replace would remove a record
 * something else still uses.
 */
export async function importDirectory(ctx: ServiceContext, input: ImportInput): Promise<ImportSummary> {
  const prepared = prepareImport(input);
  return inTenant(ctx, (t) => writeImport(t, prepared, input.fileName));
}

/** importDirectory inside a transaction the caller opened (the demo seed). */
export async function importDirectoryIn(t: TxContext, input: ImportInput): Promise<ImportSummary> {
  return writeImport(t, prepareImport(input), input.fileName);
}

type PreparedImport = {
  mode: ImportMode;
  file: Directory;
  ignoredFields: readonly string[];
  warnings: readonly string[];
  sha256: string;
  bytes: number;
};

/** Reads and checks the file whole, before any transaction: every problem, or a directory to write. */
function prepareImport(input: ImportInput): PreparedImport {
  const options = importOptionsSchema.safeParse({ mode: input.mode });
  if (!options.success) throw new ValidationError(fieldErrorsFrom(options.error));
  const mode = options.data.mode;

  let json = input.json;
  let bytes: string;
  if (input.text !== undefined) {
    if (input.text.trim() === "") {
      throw new ValidationError([
        { path: "file", message: "Choose an Open Referral UK JSON file, or paste it" },
      ]);
    }
    if (Buffer.byteLength(input.text, "utf8") > MAX_HSDS_BYTES) {
      throw new ValidationError([
        { path: "file", message: `The file is larger than ${MAX_HSDS_BYTES / 1_000_000} MB` },
      ]);
    }
    try {
      json = JSON.parse(input.text);
    } catch (error) {
      throw new ValidationError([
        { path: "file", message: `The file is not JSON: ${(error as Error).message}` },
      ]);
    }
    bytes = input.text;
  } else {
    bytes = JSON.stringify(json ?? null);
  }
  const sha256 = createHash("sha256").update(bytes, "utf8").digest("hex");

  const result = importHsds(json);
  // Replacing with an empty file is the costlier mistake, so it is named first (with why the file is refused).
  if (mode === "replace" && (result.ok ? result.directory.providers.length === 0 : result.empty)) {
    throw new ValidationError([
      {
        path: "file",
        message:
          "The file has no organisations: replacing the directory with it would remove every provider. Check it is the right file",
      },
      ...(result.ok ? [] : result.errors),
    ]);
  }
  if (!result.ok) {
    throw new ValidationError(
      [...result.errors],
      `The file was not used: ${result.errors.length} ${result.errors.length === 1 ? "problem needs" : "problems need"} correcting`,
    );
  }
  const file = result.directory;
  const problems = categoryErrors(file.services, (i) => [...result.servicePaths[i]!, "attributes"]);
  if (problems.length > 0) {
    throw new ValidationError(
      problems,
      `The file was not used: ${problems.length} ${problems.length === 1 ? "problem needs" : "problems need"} correcting`,
    );
  }

  return {
    mode,
    file,
    ignoredFields: result.ignoredFields,
    warnings: result.warnings,
    sha256,
    bytes: Buffer.byteLength(bytes, "utf8"),
  };
}

async function writeImport(
  t: Pick<TxContext, "tx">,
  prepared: PreparedImport,
  fileName: string | null | undefined,
): Promise<ImportSummary> {
  try {
    return await applyImport(t, prepared, fileName);
  } catch (error) {
    if (isForeignKeyViolation(error)) {
      throw new ConflictError(
        "Replacing the directory would remove a provider, service or location that something else (a support plan) still uses. Nothing has been changed: import with merge instead, or keep those records in the file.",
      );
    }
    throw error;
  }
}

async function applyImport(
  { tx }: Pick<TxContext, "tx">,
  prepared: PreparedImport,
  fileName: string | null | undefined,
): Promise<ImportSummary> {
  const { mode, file, sha256 } = prepared;
  await repo.lockDirectory(tx);
  const current = await loadIn(tx);
  const providers = planFor(current.providers, file.providers, mode);
  const locations = planFor(current.locations, file.locations, mode);
  const services = planFor(current.services, file.services, mode);
  const by = actorRef(tx.scope.actor);

  // Parents before children; links replaced before any location goes; removals last, children first.
  await repo.upsertProviders(
    tx,
    providers.write.map((w) => providerValues(w.record, w.position)),
    by,
  );
  await repo.upsertLocations(
    tx,
    locations.write.map((w) => locationValues(w.record, w.position)),
    by,
  );
  await repo.upsertServices(
    tx,
    services.write.map((w) => serviceValues(w.record, w.position)),
    by,
  );
  const relinked = services.write.filter(
    (w) => services.created.includes(w.record.id) || services.updated.includes(w.record.id),
  );
  await repo.replaceLinks(
    tx,
    relinked.map((w) => w.record.id),
    relinked.flatMap((w) => linkValues(w.record)),
  );
  await repo.deleteServices(tx, services.removed);
  await repo.deleteLocations(tx, locations.removed);
  await repo.deleteProviders(tx, providers.removed);

  const summary: ImportSummary = {
    mode,
    providers: providers.counts,
    services: services.counts,
    locations: locations.counts,
    ignoredFields: prepared.ignoredFields,
    warnings: prepared.warnings,
    sha256,
  };
  await audit(tx, {
    action: "import",
    recordType: "directory",
    recordId: tx.scope.tenantId,
    changes: {
      mode,
      fileName: fileName?.trim() || null,
      sha256,
      bytes: prepared.bytes,
      providers: {
        ...providers.counts,
        createdIds: listed(providers.created),
        updatedIds: listed(providers.updated),
        removedIds: listed(providers.removed),
      },
      services: services.counts,
      locations: locations.counts,
      ignoredFields: prepared.ignoredFields,
    },
  });
  return summary;
}

/**
 * The directory as an Open Referral UK document, in its own order, with the council's labels for support
 * categories. Audited as an export.
 */
export async function exportDirectory(ctx: ServiceContext): Promise<HsdsDocument> {
  return inTenant(ctx, async ({ tx }) => {
    const directory = await directoryIn({ tx });
    await audit(tx, {
      action: "export",
      recordType: "directory",
      recordId: tx.scope.tenantId,
      changes: {
        providers: directory.providers.length,
        services: directory.services.length,
        locations: directory.locations.length,
      },
    });
    return exportHsds(directory, { supportCategoryLabels: supportCategoryLabels() });
  });
}
