import { type Kysely, sql } from "kysely";
import { inject } from "vitest";
import { findTenantBySlug } from "#/features/tenants/service.ts";
import { type Database, openPglite, openPostgres } from "#/platform/db/database.ts";
import type { DB } from "#/platform/db/schema.ts";
import { withSystem } from "#/platform/db/tenant.ts";
import { DEMO_TENANT_SLUG } from "#/seed/seed.ts";
import {
  asAppLogin,
  type DatabaseNeed,
  ensurePostgresTemplate,
  pgliteFrom,
  runDatabaseName,
  templateFor,
  urlFor,
  withAdmin,
} from "./templates.ts";

/**
 * Test databases. PGlite always; real PostgreSQL too when DATABASE_URL is set. A test file says what it needs
 * to start from (`databaseFor(engine, "demo")`), and gets its own copy of a template built once per run (see
 * test/templates.ts): a PGlite instance loaded from a tarball, or a PostgreSQL database copied from a template
 * database, dropped after.
 */
export type Engine = "pglite" | "postgres";
export type { DatabaseNeed } from "./templates.ts";

export const postgresUrl = process.env.DATABASE_URL;

export function enginesUnderTest(): Engine[] {
  return postgresUrl ? ["pglite", "postgres"] : ["pglite"];
}

export type TestDatabase = Database & {
  engine: Engine;
  /**
   * What the app connects with: on PostgreSQL the app's login role (test/templates.ts APP_LOGIN_ROLE: no
   * superuser, owns nothing), so buildTestApp runs with least privilege; on PGlite the one (superuser)
   * connection, as in production. `db` stays the owner's, for fixtures and for reading what was written.
   */
  appDb: Kysely<DB>;
  drop(): Promise<void>;
};

let copies = 0;

export async function databaseFor(engine: Engine, need: DatabaseNeed): Promise<TestDatabase> {
  const run = inject("templateRun");
  if (engine === "pglite") {
    const database =
      need === "empty" ? await openPglite(undefined) : await pgliteFrom(run, templateFor(need));
    return Object.assign(database, { engine, appDb: database.db, drop: () => database.close() });
  }
  if (!run.postgresUrl) throw new Error("DATABASE_URL is not set");
  const base = run.postgresUrl;
  const template = need === "empty" ? undefined : await ensurePostgresTemplate(run, templateFor(need));
  const name = runDatabaseName(run, `${process.pid}_${++copies}_${Math.random().toString(36).slice(2, 6)}`);
  await withAdmin(base, (admin) =>
    admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ""}`),
  );
  const database = openPostgres(urlFor(base, name), { max: 5 });
  const app = openPostgres(asAppLogin(urlFor(base, name)), { max: 5 });
  return Object.assign(database, {
    engine,
    appDb: app.db,
    drop: async () => {
      await app.close();
      await database.close();
      await withAdmin(base, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  });
}

/** The demo council's tenant id in a database made from a demo template. */
export async function demoTenantId(database: Database): Promise<string> {
  const tenant = await findTenantBySlug(database.db, DEMO_TENANT_SLUG);
  if (!tenant) throw new Error('This database has no demo council: ask databaseFor for "demo"');
  return tenant.tenantId;
}

/** Rows in every table the app has (audit events, sessions, jobs and all), by table: nothing written shows. */
export async function rowCounts(db: Kysely<DB>): Promise<Record<string, number>> {
  return withSystem(db, async (trx) => {
    const tables = await sql<{ schema: string; name: string }>`
      SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
      ORDER BY 1, 2`.execute(trx);
    const counts: Record<string, number> = {};
    for (const t of tables.rows) {
      const { rows } = await sql<{
        n: string;
      }>`SELECT count(*) AS n FROM ${sql.table(`${t.schema}.${t.name}`)}`.execute(trx);
      counts[`${t.schema}.${t.name}`] = Number(rows[0]!.n);
    }
    return counts;
  });
}
