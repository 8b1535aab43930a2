import type { Kysely } from "kysely";
import type { DB } from "#/platform/db/schema.ts";
import type { ApiDocument } from "./openapi.ts";

/** What every feature's routes plugin is given by the composition root. */
export type RouteDeps = {
  db: Kysely<DB>;
  api: ApiDocument;
  /** Today's date in London (YYYY-MM-DD): the date decisions apply to unless a form says otherwise. */
  today: () => string;
};
