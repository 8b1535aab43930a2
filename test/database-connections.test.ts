import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openPostgres } from "#/platform/db/database.ts";
import { migrate } from "#/platform/db/migrator.ts";
import { databaseFor, enginesUnderTest, postgresUrl, type TestDatabase } from "./databases.ts";

// Only a real server can end a connection under us; PGlite has one in-process connection.
describe.runIf(enginesUnderTest().includes("postgres"))("lost connections on postgres", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await databaseFor("postgres", "migrated");
  }, 60_000);
  afterAll(async () => {
    await database?.drop();
  });

  it("rule: an idle connection the server ends (a restart or failover) is replaced, and the process carries on", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const pid = (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(database.db)).rows[0]!
        .pid;
      // The connection is back in the pool, idle. End it from outside, as a server restart would.
      const admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
      await admin.query("SELECT pg_terminate_backend($1)", [pid]);
      await admin.end();
      await vi.waitFor(() => expect(logged).toHaveBeenCalled(), { timeout: 5_000 });
      expect(String(logged.mock.calls[0]![0])).toContain("an idle connection was lost and will be replaced");
      // Unheard, that error would have crashed the process before this line; the pool opens a new connection.
      const again = (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(database.db)).rows[0]!
        .pid;
      expect(again).not.toBe(pid);
    } finally {
      logged.mockRestore();
    }
  });

  it("rule: closing a database ends every connection, even one only lent for scripts (migrating), so it can be copied or dropped", async () => {
    const empty = await databaseFor("postgres", "empty");
    try {
      const { rows } = await sql<{ name: string }>`SELECT current_database() AS name`.execute(empty.db);
      await empty.close(); // the query above opened its pool: now nothing is connected
      const url = new URL(postgresUrl!);
      url.pathname = `/${rows[0]!.name}`;
      // Used only through withScriptRunner: Kysely never opened the pool itself, so destroying it alone ends nothing.
      const migrating = openPostgres(url.toString(), { max: 2 });
      expect((await migrate(migrating)).length).toBeGreaterThan(0);
      await migrating.close();
      const admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
      try {
        const { rows: open } = await admin.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1",
          [rows[0]!.name],
        );
        expect(open[0]!.n).toBe(0);
      } finally {
        await admin.end();
      }
    } finally {
      await empty.drop();
    }
  });
});
