import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import { listPeopleSchema } from "#/features/people/schemas.ts";
import { getPerson, listPeople } from "#/features/people/service.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { apiRoute } from "#/platform/web/openapi.ts";
import type { RouteDeps } from "#/platform/web/routes.ts";
import { scopeOf } from "#/platform/web/security.ts";

/**
 * People over `/api/v1`: the same services as the pages. Searching lists names; opening one record is
 * recorded in the audit trail as a view (by the API token, when one is used).
 */

export const personResponse = z
  .object({
    personId: z.uuid(),
    reference: z.string().describe("The council's reference for the person"),
    givenName: z.string(),
    familyName: z.string(),
    dateOfBirth: z.iso.date(),
    postcode: z.string().nullable(),
    createdAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: "Person" });

export const peoplePageResponse = z
  .object({
    rows: z.array(personResponse),
    total: z.number().int().describe("How many people match the search, on every page"),
    page: z.number().int(),
    pageSize: z.number().int(),
  })
  .meta({ id: "PeoplePage" });

export async function peopleApi(app: FastifyInstance, deps: RouteDeps) {
  const ctx = (request: FastifyRequest): ServiceContext => ({
    db: deps.db,
    scope: scopeOf(request),
    today: deps.today(),
  });

  apiRoute(
    app,
    deps.api,
    {
      method: "GET",
      path: "/people",
      operationId: "listPeople",
      summary: "Search your council's people by name or reference, a page at a time, in order of family name",
      tag: "People",
      auth: "staff",
      permission: "people:read",
      query: listPeopleSchema,
      response: peoplePageResponse,
    },
    async ({ request, query }) => listPeople(ctx(request), query),
  );

  apiRoute(
    app,
    deps.api,
    {
      method: "GET",
      path: "/people/:personId",
      operationId: "getPerson",
      summary: "Open one person's record; the view is recorded in the audit trail",
      tag: "People",
      auth: "staff",
      permission: "people:read",
      response: personResponse,
    },
    async ({ request, params }) => getPerson(ctx(request), params.personId!),
  );
}
