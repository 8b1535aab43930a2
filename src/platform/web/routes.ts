import type { FastifyRequest } from "fastify";
import type { Kysely } from "kysely";
import type { ServiceContext } from "#/platform/context.ts";
import type { DB } from "#/platform/db/schema.ts";
import type { ApiDocument } from "./openapi.ts";
import { scopeOf } from "./security.ts";

/** What every feature's routes plugin is given by the composition root. */
export type RouteDeps = {
  db: Kysely<DB>;
  api: ApiDocument;
  /** Today's date in London (YYYY-MM-DD): the date decisions apply to unless a form says otherwise. */
  today: () => string;
};

/**
 * The service context of a signed-in staff request or API call: the database, the council and actor the
 * request acts for, and today. One definition, so every route file builds it the same way.
 */
export function serviceContextFor(deps: Pick<RouteDeps, "db" | "today">) {
  return (request: FastifyRequest): ServiceContext => ({
    db: deps.db,
    scope: scopeOf(request),
    today: deps.today(),
  });
}
