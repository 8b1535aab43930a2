import { PGlite } from "@electric-sql/pglite";
import { Kysely, PGliteDialect, PostgresDialect } from "kysely";
import pg from "pg";
import { lockDataDir } from "./data-dir-lock.ts";
import type { DB } from "./schema.ts";

/** One database handle for the app, whichever engine is underneath. */
export type Database = {
  db: Kysely<DB>;
  kind: "pglite" | "postgres";
  /**
   * Lends one connection for raw multi-statement SQL scripts (migrations), so a session-level lock and the
   * statements after it share a connection.
   */
  withScriptRunner<T>(fn: (run: (script: string) => Promise<unknown[]>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /**
   * For a library that must reach the engine itself rather than through Kysely (the job queue, pg-boss): the
   * PGlite instance (one connection, shared), or the URL so it can open a small pool of its own.
   */
  native: { pglite: PGlite } | { url: string };
  /** PGlite only: the whole data directory as a tarball, to start other instances from (tests). */
  snapshot?: () => Promise<Blob>;
};

// int8 (pence) as a JS number: every amount we hold is far below 2^53; dates stay 'YYYY-MM-DD' strings
// so a calendar date never shifts with the server's time zone.
const INT8 = 20;
const DATE = 1082;
const parsers = { [INT8]: (v: string) => Number(v), [DATE]: (v: string) => v };

export async function openPglite(
  dataDir: string | undefined,
  opts: { loadDataDir?: Blob } = {},
): Promise<Database> {
  // One process at a time may open a data folder (see data-dir-lock.ts); an in-memory database needs no lock.
  const unlock = dataDir ? await lockDataDir(dataDir) : async () => {};
  // Options go in one object: PGlite ignores the second argument when the first is not a string.
  const pglite = new PGlite({
    ...(dataDir ? { dataDir } : {}),
    parsers,
    ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
  });
  try {
    await pglite.waitReady;
  } catch (error) {
    await unlock();
    throw error;
  }
  const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) });
  return {
    db,
    kind: "pglite",
    withScriptRunner: (fn) =>
      fn(async (script) => {
        const results = await pglite.exec(script);
        return results.at(-1)?.rows ?? [];
      }),
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
      await unlock();
    },
    snapshot: async () => (await pglite.dumpDataDir("none")) as Blob,
    native: { pglite },
  };
}

export function openPostgres(connectionString: string, opts: { max?: number } = {}): Database {
  const pool = new pg.Pool({
    connectionString,
    max: opts.max ?? 10,
    types: {
      getTypeParser: ((oid: number, format?: string) => {
        const own = (parsers as Record<number, (v: string) => unknown>)[oid];
        return own ?? pg.types.getTypeParser(oid, format as "text");
      }) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection the server ends (a restart, a failover, or DROP DATABASE … WITH (FORCE) racing our own
  // close) emits "error" on the pool; unheard, Node would crash the process. The pool has already dropped that
  // connection and opens a new one when next needed, so say so, unless we are closing anyway.
  let closing = false;
  pool.on("error", (error) => {
    if (!closing)
      console.error(`PostgreSQL: an idle connection was lost and will be replaced (${error.message})`);
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: "postgres",
    withScriptRunner: async (fn) => {
      const client = await pool.connect();
      try {
        // No parameters: pg uses the simple query protocol, which accepts many statements.
        return await fn(async (script) => {
          const result = (await client.query(script)) as unknown as pg.QueryResult | pg.QueryResult[];
          return Array.isArray(result) ? (result.at(-1)?.rows ?? []) : result.rows;
        });
      } finally {
        client.release();
      }
    },
    close: async () => {
      closing = true;
      await db.destroy();
      // Kysely ends the pool only once it has used it: connections lent by withScriptRunner alone (migrating)
      // would otherwise stay open, and a database still connected to cannot be copied or dropped.
      if (!pool.ending) await pool.end();
    },
    native: { url: connectionString },
  };
}

export async function openDatabase(config: {
  databaseUrl: string | undefined;
  dataDir: string;
}): Promise<Database> {
  return config.databaseUrl ? openPostgres(config.databaseUrl) : openPglite(config.dataDir);
}
