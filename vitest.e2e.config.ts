import { configDefaults, defineConfig } from "vitest/config";

/**
 * Browser tests in e2e/: playwright-core driving Debian's /usr/bin/chromium (never a downloaded browser)
 * against the app on a free port on 127.0.0.1, with an in-memory database copied from the live demo, which the
 * global setup seeds once for the whole run (test/templates.ts).
 */
export default defineConfig({
  test: {
    include: ["e2e/**/*.test.ts"],
    globalSetup: ["./e2e/support/global-setup.ts"],
    reporters: [...configDefaults.reporters, "./test/slowest-files.ts"],
    // A whole journey (20-odd pages, each checked by axe) is one test: about 30 s on 2 busy cores.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two files at a time, each with its own browser and server: a journey waits on the browser as much as it
    // works, so two keep both cores busy (Vitest's default here is one worker).
    maxWorkers: 2,
    isolate: false,
  },
});
