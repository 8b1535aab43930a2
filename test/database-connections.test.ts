import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { enginesUnderTest, freshDatabase, postgresUrl, type TestDatabase } from "./databases.ts";

// Only a real server can end a connection under us; PGlite has one in-process connection.
describe.runIf(enginesUnderTest().includes("postgres"))("lost connections on postgres", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase("postgres");
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
});
