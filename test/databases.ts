import { type Kysely, sql } from "kysely";
import pg from "pg";
import { type Database, openPglite, openPostgres } from "#/platform/db/database.ts";
import { migrate } from "#/platform/db/migrator.ts";
import type { DB } from "#/platform/db/schema.ts";
import { withSystem } from "#/platform/db/tenant.ts";

/**
 * Test databases. PGlite always; real PostgreSQL too when DATABASE_URL is set. Each call gives a fresh,
 * migrated database: PGlite from one migrated snapshot per worker (migrating is the slow part), PostgreSQL
 * as a new database created for the test file and dropped after.
 */
export type Engine = "pglite" | "postgres";

export const postgresUrl = process.env.DATABASE_URL;

export function enginesUnderTest(): Engine[] {
  return postgresUrl ? ["pglite", "postgres"] : ["pglite"];
}

let snapshot: Promise<Blob> | undefined;

async function migratedSnapshot(): Promise<Blob> {
  snapshot ??= (async () => {
    const database = await openPglite(undefined);
    await migrate(database);
    const blob = await database.snapshot!();
    await database.close();
    return blob;
  })();
  return snapshot;
}

export type TestDatabase = Database & { engine: Engine; drop(): Promise<void> };

export async function freshDatabase(engine: Engine): Promise<TestDatabase> {
  if (engine === "pglite") {
    const database = await openPglite(undefined, { loadDataDir: await migratedSnapshot() });
    return Object.assign(database, { engine, drop: () => database.close() });
  }
  if (!postgresUrl) throw new Error("DATABASE_URL is not set");
  const name = `upfront_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  const database = openPostgres(url.toString(), { max: 5 });
  await migrate(database);
  return Object.assign(database, {
    engine,
    drop: async () => {
      await database.close();
      const a = new pg.Client({ connectionString: postgresUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  });
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
