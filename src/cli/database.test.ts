import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerAuditCommands } from "#/cli/audit.ts";
import { registerChargingSettingsCommands } from "#/cli/charging-settings.ts";
import { checkDatabase, DatabaseUnusableError, describeDatabase } from "#/cli/database.ts";
import { EXIT } from "#/cli/io.ts";
import { registerLedgerCommands } from "#/cli/ledger.ts";
import { registerPaymentsCommands } from "#/cli/payments.ts";
import { registerPeopleCommands } from "#/cli/people.ts";
import { registerRasCommands } from "#/cli/ras.ts";
import { registerTenantCommands } from "#/cli/tenant.ts";
import { openPglite } from "#/platform/db/database.ts";
import { MIGRATIONS_DIR } from "#/platform/db/migrator.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../test/databases.ts";

/**
 * Issue 12: a bad DATABASE_URL, a server that is not there or a database never migrated is one line on stderr
 * saying what is wrong and what to do, with exit code 3 — not a stack trace; and every command's usage errors
 * exit 2, its refusals 1 (EXIT in src/cli/io.ts, listed in README.md and `upfront --help`).
 */

/** Runs the real `upfront` entry point with this environment (no inherited DATABASE_URL). */
function upfront(args: string[], env: Record<string, string>) {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const result = spawnSync(process.execPath, ["src/cli/main.ts", ...args], {
    env: { ...inherited, NODE_ENV: "development", ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  const lines = (text: string) => text.split("\n").filter((l) => l.trim() !== "");
  return { code: result.status, err: lines(result.stderr), out: lines(result.stdout) };
}

describe("upfront: the database cannot be used (issue 12)", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "upfront-cli-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("rule: nothing listening at DATABASE_URL is one line naming the address (password hidden), exit code 3", () => {
    const run = upfront(["ledger", "verify"], { DATABASE_URL: "postgres://app:secret@127.0.0.1:1/upfront" });
    expect(run.err).toEqual([
      'Cannot connect to the database at postgres://app:****@127.0.0.1:1/upfront: nothing is listening there (is the server running?). Check DATABASE_URL (README.md, "Settings").',
    ]);
    expect(run.code).toBe(EXIT.database);
  });

  it("rule (issue 13 defect 5): with MIGRATION_DATABASE_URL the commands connect as the owner there, not as DATABASE_URL's app role", () => {
    const run = upfront(["ledger", "verify"], {
      DATABASE_URL: "postgres://upfront_app_login:secret@127.0.0.1:1/upfront",
      MIGRATION_DATABASE_URL: "postgres://upfront_owner:secret@127.0.0.1:2/upfront",
    });
    expect(run.err).toEqual([
      'Cannot connect to the database at postgres://upfront_owner:****@127.0.0.1:2/upfront: nothing is listening there (is the server running?). Check MIGRATION_DATABASE_URL (README.md, "Settings").',
    ]);
    expect(run.code).toBe(EXIT.database);
  });

  it("rule: a DATABASE_URL that is not a PostgreSQL address is one line saying what it should look like, exit code 3", () => {
    const run = upfront(["people", "import", "--tenant", "demo", "--file", "x.csv"], {
      DATABASE_URL: "localhost:5432",
    });
    expect(run.err).toEqual([
      "The environment is not valid: DATABASE_URL must be a PostgreSQL address like postgres://user@host:5432/database",
    ]);
    expect(run.code).toBe(EXIT.database);
  });

  it("rule: an embedded database never migrated is one line saying to run db migrate, exit code 3", () => {
    const run = upfront(["ledger", "verify"], { UPFRONT_DATA_DIR: path.join(dir, "never-migrated") });
    expect(run.err).toHaveLength(1);
    expect(run.err[0]).toMatch(
      /^The embedded database in .*never-migrated is not migrated \(\d+ migrations are not applied\): run `npm run upfront -- db migrate` first\.$/,
    );
    expect(run.code).toBe(EXIT.database);
  }, 60_000);

  it("rule: usage errors (a missing option, an unknown command) exit 2, the same for every command", () => {
    expect(upfront(["people", "import", "--file", "x.csv"], {}).code).toBe(EXIT.usage);
    expect(upfront(["no-such-command"], {}).code).toBe(EXIT.usage);
    expect(upfront(["audit", "seal", "--batch-size", "0"], {}).code).toBe(EXIT.usage);
  });

  it("rule: `upfront --help` lists the exit codes and says short name, not slug", () => {
    const help = upfront(["--help"], {});
    expect(help.code).toBe(EXIT.done);
    expect(help.out.join("\n")).toContain("Exit codes (the same for every command):");
    const program = new Command();
    for (const register of [
      registerPeopleCommands,
      registerLedgerCommands,
      registerAuditCommands,
      registerPaymentsCommands,
      registerRasCommands,
      registerChargingSettingsCommands,
      registerTenantCommands,
    ]) {
      for (const command of register(program).commands) {
        const text = command.helpInformation();
        expect(text, command.name()).toContain("short name");
        expect(text.replace("--slug", ""), command.name()).not.toMatch(/slug/i);
      }
    }
  }, 60_000);
});

describe.each(enginesUnderTest())("checkDatabase on %s (issue 12)", (engine) => {
  let database: TestDatabase;
  let migrations: string;
  beforeAll(async () => {
    database = await databaseFor(engine, "migrated");
    migrations = await mkdtemp(path.join(tmpdir(), "upfront-migrations-"));
  });
  afterAll(async () => {
    await database?.drop();
    await rm(migrations, { recursive: true, force: true });
  });

  it("a migrated database passes", async () => {
    await expect(
      checkDatabase(database, "the test database", { migrated: true, migrationsDir: MIGRATIONS_DIR }),
    ).resolves.toBeUndefined();
  });

  it("rule: a migration not yet applied is named as a count and the command to run", async () => {
    const { readdir, copyFile } = await import("node:fs/promises");
    for (const f of await readdir(MIGRATIONS_DIR)) {
      await copyFile(path.join(MIGRATIONS_DIR, f), path.join(migrations, f));
    }
    await writeFile(path.join(migrations, "9999_later.sql"), "SELECT 1;");
    const error = await checkDatabase(database, "the test database", {
      migrated: true,
      migrationsDir: migrations,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnusableError);
    expect((error as Error).message).toBe(
      "The test database is not migrated (1 migration is not applied): run `npm run upfront -- db migrate` first.",
    );
  });
});

describe("checkDatabase on a new embedded database (issue 12)", () => {
  it("rule: a database never migrated is refused, unless the command migrates it itself", async () => {
    const empty = await openPglite(undefined);
    try {
      await expect(checkDatabase(empty, "the new database", { migrated: false })).resolves.toBeUndefined();
      await expect(checkDatabase(empty, "the new database", { migrated: true })).rejects.toThrow(
        /^The new database is not migrated \(\d+ migrations are not applied\)/,
      );
    } finally {
      await empty.close();
    }
  });

  it("describeDatabase hides the password and names the embedded folder", () => {
    expect(describeDatabase({ databaseUrl: "postgres://u:pw@h:5432/d", dataDir: "/x" })).toBe(
      "the database at postgres://u:****@h:5432/d",
    );
    expect(describeDatabase({ databaseUrl: undefined, dataDir: "/x/pglite" })).toBe(
      "the embedded database in /x/pglite",
    );
  });
});
