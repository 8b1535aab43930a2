import { globSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, processSettings } from "#/config.ts";

/** Issue 12: the environment as the server and the `upfront` command read it. */
describe("loadConfig", () => {
  it("rule: in development requests are not logged unless LOG_LEVEL asks (the demo sign-ins stay in view)", () => {
    expect(loadConfig({}).logLevel).toBe("warn");
    expect(loadConfig({ NODE_ENV: "development" }).logLevel).toBe("warn");
    expect(loadConfig({ NODE_ENV: "development", LOG_LEVEL: "info" }).logLevel).toBe("info");
  });

  it("rule: production logs each request (info) as before, unless LOG_LEVEL says otherwise", () => {
    const secret = "x".repeat(32);
    expect(loadConfig({ NODE_ENV: "production", SESSION_SECRET: secret }).logLevel).toBe("info");
    expect(loadConfig({ NODE_ENV: "production", SESSION_SECRET: secret, LOG_LEVEL: "error" }).logLevel).toBe(
      "error",
    );
  });

  it("rule: a DATABASE_URL that is not a PostgreSQL address is one line saying what it should look like", () => {
    for (const url of ["localhost:5432", "mysql://u@h/d", "not a url"]) {
      const error = (() => {
        try {
          loadConfig({ DATABASE_URL: url });
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toBe(
        "The environment is not valid: DATABASE_URL must be a PostgreSQL address like postgres://user@host:5432/database",
      );
    }
    expect(loadConfig({ DATABASE_URL: "postgres://app@127.0.0.1:5432/upfront" }).databaseUrl).toBe(
      "postgres://app@127.0.0.1:5432/upfront",
    );
    expect(loadConfig({ DATABASE_URL: "postgresql://app@db/upfront" }).databaseUrl).toBe(
      "postgresql://app@db/upfront",
    );
  });

  it("rule (issue 13 defect 5): MIGRATION_DATABASE_URL is the owner's PostgreSQL address, and only beside DATABASE_URL (the app's login role)", () => {
    const both = loadConfig({
      DATABASE_URL: "postgres://upfront_app_login@db/upfront",
      MIGRATION_DATABASE_URL: "postgres://upfront_owner@db/upfront",
    });
    expect(both.databaseUrl).toBe("postgres://upfront_app_login@db/upfront");
    expect(both.migrationDatabaseUrl).toBe("postgres://upfront_owner@db/upfront");
    expect(loadConfig({}).migrationDatabaseUrl).toBeUndefined();
    expect(() => loadConfig({ MIGRATION_DATABASE_URL: "postgres://upfront_owner@db/upfront" })).toThrow(
      /MIGRATION_DATABASE_URL is for PostgreSQL: set DATABASE_URL too/,
    );
    expect(() =>
      loadConfig({ DATABASE_URL: "postgres://a@db/u", MIGRATION_DATABASE_URL: "mysql://owner@db/u" }),
    ).toThrow(/MIGRATION_DATABASE_URL must be a PostgreSQL address/);
  });

  it("rule: several bad variables are named on one line, each with what to fix", () => {
    expect(() => loadConfig({ PORT: "many", LOG_LEVEL: "loud" })).toThrow(
      /^The environment is not valid: PORT: .+; LOG_LEVEL: .+$/,
    );
  });
});

/** Issue 14: one place reads the environment, so every variable is named, parsed and documented once. */
describe("environment reads", () => {
  it("rule: nothing in src/ but config.ts reads process.env (tests and fixtures may, to set up a process)", () => {
    const root = fileURLToPath(new URL("..", import.meta.url));
    const isTestCode = /\.(test|fixture|arbitrary|table)\.ts$|(^|\/)fixtures\//;
    const readers = globSync("src/**/*.ts", { cwd: root })
      .filter((file) => file !== "src/config.ts" && !isTestCode.test(file))
      .filter((file) => /\bprocess\.env\b/.test(readFileSync(path.join(root, file), "utf8")));
    expect(readers, "read the variable through src/config.ts (loadConfig or processSettings)").toEqual([]);
  });

  it("rule: processSettings reads the test hooks leniently, ignoring a batch size that is not digits", () => {
    expect(processSettings({})).toEqual({
      nodeEnv: undefined,
      chromiumPath: "/usr/bin/chromium",
      crashAt: undefined,
      paymentBatchSize: undefined,
      paymentBatchPauseMs: undefined,
    });
    const set = processSettings({
      NODE_ENV: "development",
      UPFRONT_CHROMIUM: "/opt/chromium",
      UPFRONT_CRASH_AT: "payments.batch:3",
      UPFRONT_PAYMENT_BATCH_SIZE: "7",
      UPFRONT_PAYMENT_BATCH_PAUSE_MS: "soon",
    });
    expect(set).toEqual({
      nodeEnv: "development",
      chromiumPath: "/opt/chromium",
      crashAt: "payments.batch:3",
      paymentBatchSize: 7,
      paymentBatchPauseMs: undefined,
    });
  });
});
