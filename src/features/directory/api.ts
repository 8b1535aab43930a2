import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { importOptionsSchema, providerSearchSchema } from "#/features/directory/input-schemas.ts";
import {
  locationSchema,
  PROVIDER_KINDS,
  providerSchema,
  serviceSchema,
} from "#/features/directory/schemas.ts";
import {
  exportDirectory,
  getProvider,
  importDirectory,
  MAX_HSDS_BYTES,
  searchProviders,
} from "#/features/directory/service.ts";
import { API_PREFIX, apiRoute } from "#/platform/web/openapi.ts";
import { type RouteDeps, serviceContextFor } from "#/platform/web/routes.ts";

/**
 * The provider and service directory over `/api/v1`: search it, open a provider with its services, export it
 * as Open Referral UK JSON, and (administrators) import a file. The same services as the pages, so the same
 * checks, one transaction per call and the same audit events.
 */

const timestamp = z.iso.datetime({ offset: true });
const stamps = { createdBy: z.string(), createdAt: timestamp, updatedBy: z.string(), updatedAt: timestamp };

export const providerSummaryResponse = z
  .object({
    id: z.string().describe("The directory's id for the provider (the Open Referral UK organisation id)"),
    name: z.string(),
    kind: z.enum(PROVIDER_KINDS),
    approvedList: z.boolean().describe("On the council's approved list"),
    categories: z.array(z.string()).describe("Support categories across the provider's services"),
    areas: z.array(z.string()).describe("Names of the areas its services cover"),
    services: z.number().int().describe("How many services it has"),
  })
  .meta({ id: "ProviderSummary" });

export const providerPageResponse = z
  .object({
    rows: z.array(providerSummaryResponse),
    total: z.number().int().describe("How many providers match the search, on every page"),
    page: z.number().int(),
    pageSize: z.number().int(),
  })
  .meta({ id: "ProviderPage" });

export const providerRecordResponse = z
  .object({
    provider: providerSchema.extend(stamps),
    services: z.array(serviceSchema.extend(stamps)),
    locations: z.array(locationSchema).describe("The locations the provider's services are offered at"),
  })
  .meta({ id: "ProviderRecord" });

export const hsdsDocumentSchema = z
  .looseObject({
    version: z.string().optional(),
    profile: z.string().optional(),
    organizations: z.array(z.record(z.string(), z.unknown())).optional(),
    services: z.array(z.record(z.string(), z.unknown())).optional(),
    locations: z.array(z.record(z.string(), z.unknown())).optional(),
    contents: z.array(z.record(z.string(), z.unknown())).optional(),
  })
  .describe(
    "An Open Referral UK (HSDS 3.0) directory: { organizations, services, locations } with services naming their organization_id, or a /services page { contents } of fully nested services; one service, organisation (with its services) or service_at_location as the API gives it is read as a page of one, with a warning. Anything else, or a document that lists nothing, is refused. Upfront's extensions: upfront_approved_list on an organization, upfront_unit on a cost_option, and attributes in the taxonomies urn:upfront:provider-kind and urn:upfront:support-category.",
  )
  .meta({ id: "HsdsDocument" });

const counts = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  removed: z.number().int(),
  unchanged: z.number().int(),
});

export const importSummaryResponse = z
  .object({
    mode: z.enum(["merge", "replace"]),
    providers: counts,
    services: counts,
    locations: counts,
    ignoredFields: z
      .array(z.string())
      .describe("Fields in the file that Upfront does not keep, each named once"),
    warnings: z.array(z.string()),
    sha256: z.string().describe("SHA-256 of the document as received"),
  })
  .meta({ id: "DirectoryImportSummary" });

export async function directoryApi(app: FastifyInstance, deps: RouteDeps) {
  const ctx = serviceContextFor(deps);

  // A council's directory can be larger than the default 1 MB body: the import takes up to MAX_HSDS_BYTES.
  app.addHook("onRoute", (route) => {
    if (route.url === `${API_PREFIX}/directory/import`) route.bodyLimit = MAX_HSDS_BYTES;
  });

  apiRoute(
    app,
    deps.api,
    {
      method: "GET",
      path: "/providers",
      operationId: "searchProviders",
      summary:
        "Search the council's provider directory by provider or service name, support category, area covered, kind and approved list, a page at a time, by name",
      tag: "Directory",
      auth: "staff",
      permission: "directory:read",
      query: providerSearchSchema,
      response: providerPageResponse,
    },
    async ({ request, query }) => searchProviders(ctx(request), query),
  );

  apiRoute(
    app,
    deps.api,
    {
      method: "GET",
      path: "/providers/:providerId",
      operationId: "getProvider",
      summary: "Open one provider with its services (categories, areas, prices in pence) and their locations",
      tag: "Directory",
      auth: "staff",
      permission: "directory:read",
      response: providerRecordResponse,
    },
    async ({ request, params }) => getProvider(ctx(request), params.providerId!),
  );

  apiRoute(
    app,
    deps.api,
    {
      method: "GET",
      path: "/directory.hsds.json",
      operationId: "exportDirectory",
      summary:
        "Export the whole directory as Open Referral UK (HSDS 3.0) JSON, with Upfront's extensions; the export is recorded in the audit trail",
      tag: "Directory",
      auth: "staff",
      permission: "directory:read",
      response: hsdsDocumentSchema,
    },
    async ({ request }) => exportDirectory(ctx(request)),
  );

  apiRoute(
    app,
    deps.api,
    {
      method: "POST",
      path: "/directory/import",
      operationId: "importDirectory",
      summary:
        "Import an Open Referral UK JSON document (administrators). Refused whole with every problem named (400) when anything in it is wrong; merge (default) adds or replaces records by id, replace makes it the whole directory",
      tag: "Directory",
      auth: "staff",
      permission: "directory:manage",
      body: hsdsDocumentSchema,
      query: importOptionsSchema,
      response: importSummaryResponse,
      problems: {
        409: "A replace would remove a record something else (a support plan) still uses; nothing was changed",
        413: `The document is larger than ${MAX_HSDS_BYTES / 1_000_000} MB`,
      },
    },
    async ({ request, query }) => importDirectory(ctx(request), { json: request.body, mode: query.mode }),
  );
}
