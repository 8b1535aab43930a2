import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import { type AppOptions, buildApp } from "#/app.ts";
import { staffLookups } from "#/features/staff/identity-lookups.ts";
import type { Database } from "#/platform/db/database.ts";
import type { DB } from "#/platform/db/schema.ts";
import { type TenantScope, withSystem, withTenant } from "#/platform/db/tenant.ts";
import { createApiToken, type NewTokenOptions } from "#/platform/web/api-tokens.ts";
import { TODAY } from "./today.ts";

/**
 * The app as a test meets it: built over a test database with a fixed date, logging nothing. Cookies are not
 * `Secure` unless asked (app.inject speaks plain HTTP; a test of the Secure flag asks for it).
 */
export async function buildTestApp(
  database: Pick<Database, "db"> & { appDb?: Kysely<DB> },
  options: {
    today?: string | (() => string);
    cookieSecure?: boolean;
    /** Settings beyond the defaults (issue 13: trustedProxies, publicUrl, sessionIdleMinutes, signInThrottle). */
    config?: Partial<AppOptions["config"]>;
  } = {},
): Promise<FastifyInstance> {
  const today = options.today ?? TODAY;
  return buildApp({
    config: {
      sessionSecret: "test-session-secret-".repeat(3),
      cookieSecure: options.cookieSecure ?? false,
      logLevel: "silent",
      env: "test",
      ...options.config,
    },
    // The app's own connection (the login role on PostgreSQL: test/databases.ts), never the owner's.
    db: database.appDb ?? database.db,
    today: typeof today === "string" ? () => today : today,
  });
}

/** A staff member's tenant scope, found by email (any council). */
export async function staffScope(database: Pick<Database, "db">, email: string): Promise<TenantScope> {
  const user = await withSystem(database.db, (trx) =>
    trx
      .selectFrom("staff_users")
      .where("email", "=", email)
      .select(["tenant_id", "user_id"])
      .executeTakeFirstOrThrow(),
  );
  return { tenantId: user.tenant_id, actor: { type: "staff", id: user.user_id } };
}

/**
 * A new personal API token for a staff member (as "Your account" makes one): send as `Bearer upf_…`. Its scopes
 * are all of the member's permissions unless the test names some (`{ scopes: ["people:read"] }`).
 */
export async function apiTokenFor(
  database: Pick<Database, "db">,
  email: string,
  options: NewTokenOptions = {},
): Promise<string> {
  const scope = await staffScope(database, email);
  const userId = scope.actor.id!;
  return withTenant(
    database.db,
    scope,
    async (tx) => (await createApiToken(tx, staffLookups, userId, "test", options)).token,
  );
}
