import { openAsBlob } from "node:fs";
import { mkdir, open, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { type Database, openPglite, openPostgres } from "#/platform/db/database.ts";
import { migrate } from "#/platform/db/migrator.ts";
import { seedDemo } from "#/seed/seed.ts";
import { TODAY } from "./today.ts";

/**
 * Ready-made databases for tests, built once per test run and copied for each test file: a PGlite data
 * directory dumped to a tarball (a copy starts from it with `loadDataDir`), or a PostgreSQL database copied with
 * `CREATE DATABASE … TEMPLATE …`. Migrating and seeding are the slow part of a test (seconds each); a copy takes
 * well under a second.
 *
 * Vitest's global setup (test/global-setup.ts) picks the run's folder and name prefix and builds the migrated
 * template on each engine; a demo template is built by the first test file that asks for it, under a lock, so
 * two workers never build the same one and a run of one file builds only what it needs.
 */

/** What a test file needs to start from. */
export type DatabaseNeed =
  /** A database with nothing in it, not even the migrations (to test migrating). */
  | "empty"
  /** Every migration applied, no rows. */
  | "migrated"
  /** The demo council and Other Council as on TODAY, with 40 demo people. */
  | "demo"
  /** The same, with this many demo people (the first ones are the same people whatever the count). */
  | { demo: { people: number } }
  /** The demo as `npm start` makes it: 240 people, on the real date (browser journeys). */
  | "live-demo";

/** Where this run keeps its templates: given by the global setup to every worker. */
export type TemplateRun = {
  /** A short id, unique to this run, in every database name it makes (so runs side by side never meet). */
  runId: string;
  /** The folder for PGlite tarballs, removed at the end of the run. */
  dir: string;
  /** DATABASE_URL, when the run tests PostgreSQL too. */
  postgresUrl: string | undefined;
};

type TemplateName = "migrated" | `demo-${number}` | "live-demo";

const DEMO_PEOPLE = 40;
const LIVE_DEMO_PEOPLE = 240;

export function templateFor(need: Exclude<DatabaseNeed, "empty">): TemplateName {
  if (need === "migrated" || need === "live-demo") return need;
  const people = need === "demo" ? DEMO_PEOPLE : need.demo.people;
  if (!Number.isInteger(people) || people < 0)
    throw new Error(`A demo needs a whole number of people, not ${people}`);
  return `demo-${people}`;
}

/** What a template starts from, and what is done to that to make it. */
function recipe(name: TemplateName): {
  from: TemplateName | "empty";
  build: (d: Database) => Promise<unknown>;
} {
  if (name === "migrated") return { from: "empty", build: (d) => migrate(d) };
  if (name === "live-demo")
    return { from: "migrated", build: (d) => seedDemo(d, { people: LIVE_DEMO_PEOPLE }) };
  const people = Number(name.slice("demo-".length));
  return { from: "migrated", build: (d) => seedDemo(d, { today: TODAY, people }) };
}

// --- PGlite: tarballs in the run's folder ----------------------------------------------------------------------

const tarball = (run: TemplateRun, name: TemplateName) => path.join(run.dir, `${name}.tar`);

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

/** Opens a new in-memory PGlite from a template (building the template first if nobody has). */
export async function pgliteFrom(run: TemplateRun, name: TemplateName): Promise<Database> {
  const file = await ensurePgliteTemplate(run, name);
  return openPglite(undefined, { loadDataDir: await openAsBlob(file) });
}

export async function ensurePgliteTemplate(run: TemplateRun, name: TemplateName): Promise<string> {
  const file = tarball(run, name);
  if (await exists(file)) return file;
  return withFileLock(`${file}.lock`, file, async () => {
    const { from, build } = recipe(name);
    const database = from === "empty" ? await openPglite(undefined) : await pgliteFrom(run, from);
    try {
      await build(database);
      const blob = await database.snapshot!();
      // Written aside and renamed, so a reader never sees half a file.
      await writeFile(`${file}.part`, Buffer.from(await blob.arrayBuffer()));
      await rename(`${file}.part`, file);
    } finally {
      await database.close();
    }
    return file;
  });
}

/**
 * Runs `build` once across processes: whoever creates the lock file builds `target`; the others wait for
 * `target` to appear. A builder that fails removes its lock, and the next to ask tries again.
 */
async function withFileLock(lock: string, target: string, build: () => Promise<string>): Promise<string> {
  await mkdir(path.dirname(lock), { recursive: true });
  for (const started = Date.now(); Date.now() - started < 300_000; ) {
    let handle: Awaited<ReturnType<typeof open>> | undefined;
    try {
      handle = await open(lock, "wx");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    if (handle) {
      await handle.close();
      try {
        return await build();
      } finally {
        await rm(lock, { force: true });
      }
    }
    if (await exists(target)) return target;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `Waited 5 minutes for another test worker to build ${target}; remove ${lock} if it crashed`,
  );
}

// --- PostgreSQL: template databases on the server ----------------------------------------------------------------

/** The name of a database of this run on the server: `upfront_<runId>_<what>`. */
export const runDatabaseName = (run: TemplateRun, what: string) =>
  `upfront_${run.runId}_${what.replace(/[^a-z0-9]/g, "_")}`;

export function urlFor(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withAdmin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const databaseExists = async (client: pg.Client, name: string) =>
  (await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount === 1;

/** The template database's name on the server, building it (under an advisory lock) if nobody has. */
export async function ensurePostgresTemplate(run: TemplateRun, name: TemplateName): Promise<string> {
  const base = run.postgresUrl;
  if (!base) throw new Error("DATABASE_URL is not set");
  const database = runDatabaseName(run, `tpl_${name}`);
  return withAdmin(base, async (admin) => {
    // Held on this connection until unlocked (or the connection ends): other workers wait here for the build.
    await admin.query("SELECT pg_advisory_lock(hashtext($1))", [database]);
    try {
      if (await databaseExists(admin, database)) return database;
      const { from, build } = recipe(name);
      const source = from === "empty" ? undefined : await ensurePostgresTemplate(run, from);
      await admin.query(`CREATE DATABASE ${database}${source ? ` TEMPLATE ${source}` : ""}`);
      try {
        const opened = openPostgres(urlFor(base, database), { max: 5 });
        try {
          await build(opened);
        } finally {
          await opened.close();
        }
      } catch (error) {
        // Never leave half a template for the next file to copy.
        await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
        throw error;
      }
      return database;
    } finally {
      await admin.query("SELECT pg_advisory_unlock(hashtext($1))", [database]);
    }
  });
}

/**
 * The app's own login role on the test server (issue 13, defect 5): a member of upfront_app, not a superuser,
 * never BYPASSRLS, owning nothing, as README.md ("Database roles") tells a council to make. Test files build the
 * app over a connection as this role (test/databases.ts appDb), so least privilege is exercised by every PostgreSQL
 * test; fixtures keep the owner's connection (db). Made once per server (roles are the server's, not a database's).
 */
export const APP_LOGIN_ROLE = "upfront_app_login";

export async function ensureAppLoginRole(base: string): Promise<void> {
  await withAdmin(base, async (admin) => {
    await admin.query("SELECT pg_advisory_lock(hashtext($1))", [APP_LOGIN_ROLE]);
    try {
      const { rowCount } = await admin.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [APP_LOGIN_ROLE]);
      if (!rowCount)
        await admin.query(
          `CREATE ROLE ${APP_LOGIN_ROLE} LOGIN PASSWORD '${APP_LOGIN_ROLE}' NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE`,
        );
      await admin.query(`GRANT upfront_app TO ${APP_LOGIN_ROLE}`);
    } finally {
      await admin.query("SELECT pg_advisory_unlock(hashtext($1))", [APP_LOGIN_ROLE]);
    }
  });
}

/** The same database, connected to as the app's login role. */
export function asAppLogin(url: string): string {
  const u = new URL(url);
  u.username = APP_LOGIN_ROLE;
  u.password = APP_LOGIN_ROLE;
  return u.toString();
}

/** Drops every database this run made on the server (test copies a crashed file left behind included). */
export async function dropRunDatabases(run: TemplateRun): Promise<void> {
  if (!run.postgresUrl) return;
  await withAdmin(run.postgresUrl, async (admin) => {
    const { rows } = await admin.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY datname DESC",
      [`${runDatabaseName(run, "")}%`],
    );
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  });
}

export async function removeRunFolder(run: TemplateRun): Promise<void> {
  await rm(run.dir, { recursive: true, force: true });
}
