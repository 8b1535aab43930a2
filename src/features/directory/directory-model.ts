import * as repo from "#/features/directory/repository.ts";
import type { Directory, Location, Provider, Service } from "#/features/directory/schemas.ts";
import type { RecordStamps } from "#/features/directory/service-types.ts";
import type { TxContext } from "#/platform/context.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";
import type { FieldError } from "#/platform/errors.ts";
import { formatPath } from "#/platform/validation.ts";
import { supportCategories } from "#/vocabulary/support-categories.ts";

/** The directory's rows as the directory model (providers, locations, services) and back, and the council's categories. */

// ---- rows ↔ the directory model ----------------------------------------------------------------------------------

/** Drops undefined and null, so a record reads the same however it was made. */
export function compact<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as T;
}

/** JSON with object keys sorted at every level: jsonb reorders keys, so records are compared this way. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

export const stamps = (row: {
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

export function toProvider(row: repo.ProviderRow): Provider {
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

export function toLocation(row: repo.LocationRow): Location {
  return compact({
    id: row.location_id,
    name: row.name ?? undefined,
    description: row.description ?? undefined,
    latitude: row.latitude ?? undefined,
    longitude: row.longitude ?? undefined,
    addresses: row.addresses as Location["addresses"],
  });
}

export function toService(row: repo.ServiceRow, links: readonly repo.LinkRow[]): Service {
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

export const providerValues = (p: Provider, position: number): repo.ProviderValues => ({
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

export const locationValues = (l: Location, position: number): repo.LocationValues => ({
  location_id: l.id,
  position,
  name: l.name ?? null,
  description: l.description ?? null,
  latitude: l.latitude ?? null,
  longitude: l.longitude ?? null,
  addresses: JSON.stringify(l.addresses),
});

export const serviceValues = (s: Service, position: number): repo.ServiceValues => ({
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

export const linkValues = (s: Service): repo.LinkValues[] =>
  s.locations.map((l, position) => ({
    service_id: s.id,
    link_id: l.id,
    location_id: l.locationId,
    position,
  }));

export type Positioned<T> = { record: T; position: number };

/** The whole directory as stored, in its order, with each record's stored position. */
export async function loadIn(tx: TenantTx) {
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

export function categoryErrors(
  services: readonly Service[],
  pathOf: (i: number) => PropertyKey[],
): FieldError[] {
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
