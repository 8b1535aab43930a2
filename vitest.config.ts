import path from "node:path";
import { configDefaults, defineConfig } from "vitest/config";

// Node's on-disk compile cache (V8 code cache, checked against each module's source) for every process the run
// starts: the workers, and each `upfront` command the CLI tests, the kill -9 trials and the concurrency tests
// spawn. A spawned command's start-up cost 0.6 s of CPU compiling the app's modules afresh, 0.3 s with the cache. Set before the workers start, so they and their children inherit it; a cache of a given
// run's choosing (NODE_COMPILE_CACHE already set) is kept.
process.env.NODE_COMPILE_CACHE ??= path.resolve(".tmp/node-compile-cache");

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Migrates once per engine into a template that each test file copies (test/templates.ts).
    globalSetup: ["./test/global-setup.ts"],
    // Both cores (Vitest's default here is one worker). Files share a worker's loaded modules instead of each
    // starting a process and importing the app again (2 s a file): every file makes its own database and app,
    // and no test changes module state.
    maxWorkers: 2,
    isolate: false,
    // The first file to ask for a demo template seeds it (seconds on 2 busy cores); later ones copy it.
    hookTimeout: 60_000,
    testTimeout: 30_000,
    // Vitest's own reporters, the ten slowest files, then one line saying whether the "… on postgres" suites ran
    // (.ci/run reads it).
    reporters: [...configDefaults.reporters, "./test/slowest-files.ts", "./test/postgres-notice.ts"],
  },
});
