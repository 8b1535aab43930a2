import type { Reporter, TestModule } from "vitest/node";

/**
 * A reporter that never lets the PostgreSQL tests go missing quietly. Tests that need a real server run in
 * suites named "… on postgres" (see test/databases.ts, enginesUnderTest), and only when DATABASE_URL is set.
 * At the end of every run it prints one of two lines, which .ci/run reads:
 *
 *   PostgreSQL tests skipped: set DATABASE_URL=postgres://… to run them
 *   PostgreSQL tests run: N passed, N failed (suites named "… on postgres")
 */
export const SKIPPED_MARKER = "PostgreSQL tests skipped";
const ON_POSTGRES = /\bon postgres\b/;

export default class PostgresNotice implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    if (!process.env.DATABASE_URL) {
      process.stdout.write(
        `\n${SKIPPED_MARKER}: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/test (any database the ` +
          "user may CREATE DATABASE from) to run them; only PGlite was tested.\n\n",
      );
      return;
    }
    let passed = 0;
    let failed = 0;
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        if (!ON_POSTGRES.test(test.fullName)) continue;
        const state = test.result().state;
        if (state === "passed") passed++;
        else if (state === "failed") failed++;
      }
    }
    process.stdout.write(
      `\nPostgreSQL tests run: ${passed} passed, ${failed} failed (suites named "… on postgres")\n\n`,
    );
  }
}
