import { configDefaults, defineConfig } from "vitest/config";

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
