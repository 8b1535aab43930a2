import type { AddressInfo } from "node:net";
import { buildApp } from "#/app.ts";
import { DEMO_PASSWORD, DEMO_STAFF } from "#/seed/seed.ts";
import { databaseFor, type Engine, postgresUrl, type TestDatabase } from "../../test/databases.ts";

export type TestServer = {
  /** For example http://127.0.0.1:41234 (no trailing slash). */
  baseUrl: string;
  /** The server's own database, for a journey that runs a CLI command's run function against it in-process. */
  database: TestDatabase;
  stop(): Promise<void>;
};

/**
 * The engine under the journeys' server: the real PostgreSQL when DATABASE_URL is set (CI sets it), as a council
 * runs it, else in-memory PGlite. PGlite is PostgreSQL compiled to WebAssembly and runs inside the test process,
 * so every query of every page cost the browser suite CPU twice over what the native server spends on it.
 */
export const serverEngine: Engine = postgresUrl ? "postgres" : "pglite";

/**
 * The whole app as a person meets it: the live demo council (a copy of the run's template, on serverEngine),
 * served on a free port on the loopback address. On PostgreSQL the app connects as its least-privilege login
 * role, as in the unit tests (test/databases.ts appDb); `database.db` stays the owner's, for CLI commands a
 * journey runs in-process.
 *
 * Cookies stay `Secure`, as in production: Chromium treats http://127.0.0.1 as a secure context and keeps
 * Secure cookies from it (the sign-in test would fail otherwise).
 */
export async function startServer(options: { today?: () => string } = {}): Promise<TestServer> {
  const database = await databaseFor(serverEngine, "live-demo");
  const app = await buildApp({
    config: { sessionSecret: "e2e-".repeat(10), cookieSecure: true, logLevel: "warn", env: "test" },
    db: database.appDb,
    ...(options.today ? { today: options.today } : {}),
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = app.server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    database,
    stop: async () => {
      await app.close();
      await database.drop();
    },
  };
}

/** The demo sign-in for a role, from the demo seed. */
export function demoStaff(role: string): { email: string; password: string } {
  const staff = DEMO_STAFF.find((s: { roles: readonly string[] }) => s.roles.includes(role));
  if (!staff) throw new Error(`The demo seed has no staff member with the role ${role}`);
  return { email: staff.email, password: DEMO_PASSWORD };
}
