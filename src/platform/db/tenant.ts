import { type Kysely, sql, type Transaction } from "kysely";
import type { ActorType, DB } from "./schema.ts";

/** Who is acting: recorded on every audit event the transaction writes. */
export type Actor = { type: ActorType; id: string | null; name?: string };

export type TenantScope = { tenantId: string; actor: Actor };

/** A transaction that runs as upfront_app for one tenant; RLS holds every statement inside it. */
export type TenantTx = Transaction<DB> & { readonly scope: TenantScope };

/**
 * Opens one transaction, drops to the upfront_app role and sets the tenant for row-level security.
 * SET LOCAL and set_config(…, true) end with the transaction, so a pooled connection never leaks a tenant.
 */
export async function withTenant<T>(
  db: Kysely<DB>,
  scope: TenantScope,
  fn: (tx: TenantTx) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (trx) => fn(await dropToTenant(trx, scope)));
}

/**
 * Drops an open transaction to upfront_app for one tenant, for the rest of it. For the few owner
 * transactions (creating a tenant, signing in) whose first step must happen before RLS applies.
 */
export async function dropToTenant(trx: Transaction<DB>, scope: TenantScope): Promise<TenantTx> {
  await sql`SET LOCAL ROLE upfront_app`.execute(trx);
  await sql`SELECT set_config('app.tenant_id', ${scope.tenantId}, true)`.execute(trx);
  return Object.assign(trx, { scope }) as TenantTx;
}

/**
 * A transaction as upfront_app with no tenant set: RLS hides every council's rows. For what happens before a
 * tenant is known (a session or token found by its hash, sign-in by email, a council by its short name): those
 * go through the narrow SECURITY DEFINER functions of migrations/0025, the only cross-council reads the app role
 * has. dropToTenant may follow once the tenant is known.
 */
export async function withoutTenant<T>(db: Kysely<DB>, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`SET LOCAL ROLE upfront_app`.execute(trx);
    return fn(trx);
  });
}

/**
 * The connecting (owner) user, with RLS not applied. Only for what must happen before a tenant is known or
 * across tenants, from an owner connection (MIGRATION_DATABASE_URL on PostgreSQL): migrations, creating a council,
 * the demo seed, the CLI, tests. The app's own connection is the app role on PostgreSQL (README.md, "Database
 * roles"), where this sees only what upfront_app may: use withoutTenant and migrations/0025's functions there.
 */
export async function withSystem<T>(db: Kysely<DB>, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  return db.transaction().execute(fn);
}
