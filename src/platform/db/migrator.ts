import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Database } from "./database.ts";

export const MIGRATIONS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../migrations",
);
const MIGRATION_LOCK = 74201;

async function migrationFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
}

/** The migration files not yet applied to this database (all of them when it has never been migrated). */
export async function pendingMigrations(database: Database, dir: string = MIGRATIONS_DIR): Promise<string[]> {
  const files = await migrationFiles(dir);
  const rows = await database.withScriptRunner(async (run) => {
    const [table] = (await run("SELECT to_regclass('schema_migrations') IS NOT NULL AS present;")) as {
      present: boolean;
    }[];
    return table?.present ? ((await run("SELECT name FROM schema_migrations;")) as { name: string }[]) : [];
  });
  const done = new Set(rows.map((r) => r.name));
  return files.filter((f) => !done.has(f));
}

/**
 * Plain-SQL migrations, applied in file-name order, each in its own transaction together with its record
 * in schema_migrations. A session advisory lock keeps two starting servers from applying a file twice.
 */
export async function migrate(database: Database, dir: string = MIGRATIONS_DIR): Promise<string[]> {
  const files = await migrationFiles(dir);
  return database.withScriptRunner(async (run) => {
    await run(`SELECT pg_advisory_lock(${MIGRATION_LOCK});`);
    try {
      await run(
        "CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());",
      );
      const rows = (await run("SELECT name FROM schema_migrations;")) as { name: string }[];
      const done = new Set(rows.map((r) => r.name));
      const applied: string[] = [];
      for (const file of files) {
        if (done.has(file)) continue;
        const body = await readFile(path.join(dir, file), "utf8");
        try {
          await run(`BEGIN;\n${body}\n;\nINSERT INTO schema_migrations (name) VALUES ('${file}');\nCOMMIT;`);
        } catch (error) {
          await run("ROLLBACK;").catch(() => {});
          throw new Error(`Migration ${file} failed: ${(error as Error).message}`, { cause: error });
        }
        applied.push(file);
      }
      return applied;
    } finally {
      await run(`SELECT pg_advisory_unlock(${MIGRATION_LOCK});`);
    }
  });
}
