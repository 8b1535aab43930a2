import { defineConfig } from "vitest/config";

/**
 * Browser tests in e2e/: playwright-core driving Debian's /usr/bin/chromium (never a downloaded browser)
 * against the app on a free port on 127.0.0.1, with an in-memory database seeded with the demo council.
 */
export default defineConfig({
  test: {
    include: ["e2e/**/*.test.ts"],
    // A whole journey (20-odd pages, each checked by axe) is one test: about 30 s on 2 busy cores.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // One browser and one server at a time: two cores, and each file starts its own.
    fileParallelism: false,
  },
});
