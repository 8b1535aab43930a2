import { sql } from "kysely";
import { type Config, loadConfig } from "#/config.ts";
import { DataDirInUseError } from "#/platform/db/data-dir-lock.ts";
import { type Database, openDatabase } from "#/platform/db/database.ts";
import { MIGRATIONS_DIR, pendingMigrations } from "#/platform/db/migrator.ts";

/**
 * The database a command works on, opened and checked before the command starts, so that a wrong DATABASE_URL,
 * a server that is not running or a database that was never migrated is one line saying what is wrong and what
 * to do (exit code 3, src/cli/main.ts), not a stack trace from deep inside the first query.
 */

/** The database cannot be used; the message is one line naming it and what to do. */
export class DatabaseUnusableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DatabaseUnusableError";
  }
}

/** Where the database is, for messages: the URL without its password, or the embedded database's folder. */
export function describeDatabase(config: Pick<Config, "databaseUrl" | "dataDir">): string {
  if (!config.databaseUrl) return `the embedded database in ${config.dataDir}`;
  try {
    const url = new URL(config.databaseUrl);
    if (url.password) url.password = "****";
    return `the database at ${url.toString()}`;
  } catch {
    return "the database at DATABASE_URL";
  }
}

const MIGRATE = "npm run upfront -- db migrate";

/** Why a first query failed, in words, from the driver's error code (pg's and Node's). */
function reasonFor(error: unknown): string {
  const e = error as { code?: string; message?: string };
  switch (e.code) {
    case "ECONNREFUSED":
      return "nothing is listening there (is the server running?)";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "that host name is not known";
    case "ETIMEDOUT":
      return "it did not answer in time";
    case "28P01":
    case "28000":
      return "the user name or password was refused";
    case "3D000":
      return "that database does not exist";
    default:
      return (e.message ?? String(error)).split("\n")[0]!;
  }
}

/**
 * Checks that a command can use this database: it answers, and (unless the command migrates it itself) every
 * migration has been applied. Throws DatabaseUnusableError otherwise.
 */
export async function checkDatabase(
  database: Database,
  where: string,
  opts: { migrated: boolean; migrationsDir?: string; setting?: "DATABASE_URL" | "MIGRATION_DATABASE_URL" },
): Promise<void> {
  try {
    await sql`SELECT 1`.execute(database.db);
  } catch (error) {
    throw new DatabaseUnusableError(
      `Cannot connect to ${where}: ${reasonFor(error)}. Check ${opts.setting ?? "DATABASE_URL"} (README.md, "Settings").`,
    );
  }
  if (!opts.migrated) return;
  const pending = await pendingMigrations(database, opts.migrationsDir ?? MIGRATIONS_DIR);
  if (pending.length > 0) {
    const count = `${pending.length} migration${pending.length === 1 ? " is" : "s are"} not applied`;
    throw new DatabaseUnusableError(
      `${where[0]!.toUpperCase()}${where.slice(1)} is not migrated (${count}): run \`${MIGRATE}\` first.`,
    );
  }
}

/**
 * Opens the database named by the environment (the owner's, MIGRATION_DATABASE_URL, when set) and checks it
 * (checkDatabase). `migrated: false` for the commands
 * that migrate it themselves (db migrate, db seed-demo, tenant create).
 */
export async function openCliDatabase(
  opts: { migrated: boolean } = { migrated: true },
  loaded: Config = loadConfig(),
): Promise<Database> {
  // Commands are operator work (migrating, creating councils, work across councils): they connect as the owner
  // when MIGRATION_DATABASE_URL names it (README.md, "Database roles"), else as DATABASE_URL.
  const config = { ...loaded, databaseUrl: loaded.migrationDatabaseUrl ?? loaded.databaseUrl };
  const where = describeDatabase(config);
  let database: Database;
  try {
    database = await openDatabase(config);
  } catch (error) {
    if (error instanceof DataDirInUseError) throw error;
    throw new DatabaseUnusableError(`Cannot open ${where}: ${reasonFor(error)}.`);
  }
  try {
    await checkDatabase(database, where, {
      ...opts,
      setting: loaded.migrationDatabaseUrl ? "MIGRATION_DATABASE_URL" : "DATABASE_URL",
    });
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
  return database;
}

/** Opens the database, runs the command with it, sets the exit code it returns, and closes it. */
export async function withCliDatabase(
  run: (database: Database) => Promise<number>,
  opts: { migrated: boolean } = { migrated: true },
): Promise<void> {
  const database = await openCliDatabase(opts);
  try {
    process.exitCode = await run(database);
  } finally {
    await database.close();
  }
}
