import { compact, stamps, toLocation, toProvider, toService } from "#/features/directory/directory-model.ts";
import {
  directorySettingsSchema,
  type ProviderSearchInput,
  providerSearchSchema,
} from "#/features/directory/input-schemas.ts";
import * as repo from "#/features/directory/repository.ts";
import type { Provider, Service } from "#/features/directory/schemas.ts";
import type { DirectorySettings, ProviderPage, ProviderRecord } from "#/features/directory/service-types.ts";
import { audit } from "#/platform/audit/audit.ts";
import { actorRef, inTenant, type ServiceContext, type TxContext } from "#/platform/context.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";
import { NotFoundError, ValidationError } from "#/platform/errors.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";
import { supportCategories } from "#/vocabulary/support-categories.ts";

/** Reading the directory (search, one provider, the providers a plan names) and its settings. */

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

export async function providerRowOrThrow(
  tx: TenantTx,
  providerId: string,
  opts: { forUpdate?: boolean } = {},
) {
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
