import type { Kysely } from "kysely";
import type { DB } from "#/platform/db/schema.ts";
import { type Actor, type TenantScope, type TenantTx, withTenant } from "#/platform/db/tenant.ts";

/**
 * What every service call receives: the database, who is acting for which tenant, and today's date.
 * `today` is passed in (never read from the clock inside a service) so a rule pack is chosen by a date the
 * caller states, and tests and the seed can pin it.
 */
export type ServiceContext = {
  db: Kysely<DB>;
  scope: TenantScope;
  /** YYYY-MM-DD. Web and CLI callers use todayInLondon(). */
  today: string;
};

/** A use case running inside a tenant transaction someone else opened (the demo seed batches many). */
export type TxContext = { tx: TenantTx; today: string };

/** Opens the one tenant transaction a use case runs in. */
export function inTenant<T>(ctx: ServiceContext, fn: (t: TxContext) => Promise<T>): Promise<T> {
  return withTenant(ctx.db, ctx.scope, (tx) => fn({ tx, today: ctx.today }));
}

// en-CA formats as YYYY-MM-DD; Europe/London because UK councils' decision dates are local dates.
const londonDate = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Europe/London",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** Today's date in the UK, YYYY-MM-DD: the default `today` for web and CLI callers. */
export function todayInLondon(now: Date = new Date()): string {
  return londonDate.format(now);
}

/** How an actor is written into created_by / submitted_by columns. */
export function actorRef(actor: Actor): string {
  return actor.id ?? actor.type;
}

/** PostgreSQL's unique_violation, from pg or PGlite (both expose the SQLSTATE as `code`). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "23505";
}
