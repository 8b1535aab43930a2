import type { z } from "zod";
import {
  canonical,
  categoryErrors,
  compact,
  providerValues,
  serviceValues,
  stamps,
  toProvider,
  toService,
} from "#/features/directory/directory-model.ts";
import { providerRowOrThrow } from "#/features/directory/directory-reads.ts";
import { providerDetailsSchema, serviceDetailsSchema } from "#/features/directory/input-schemas.ts";
import * as repo from "#/features/directory/repository.ts";
import {
  type CostOption,
  type Provider,
  providerSchema,
  type Service,
  serviceSchema,
} from "#/features/directory/schemas.ts";
import type { StoredProvider, StoredService } from "#/features/directory/service-types.ts";
import { audit } from "#/platform/audit/audit.ts";
import { actorRef, inTenant, type ServiceContext, type TxContext } from "#/platform/context.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";
import { NotFoundError, ValidationError } from "#/platform/errors.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";

/** Adding and changing providers and their services, one at a time, each change audited. */

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
