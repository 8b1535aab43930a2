import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Starting a migrated database (PGlite from a snapshot, or a new PostgreSQL database) takes seconds on 2 cores.
    hookTimeout: 60_000,
    testTimeout: 30_000,
    // Vitest's own reporters, then one line saying whether the "… on postgres" suites ran (.ci/run reads it).
    reporters: [...configDefaults.reporters, "./test/postgres-notice.ts"],
  },
});
