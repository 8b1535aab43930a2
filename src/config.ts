import path from "node:path";
import { z } from "zod";

/** Environment, parsed once. Development gets safe defaults; production must say what it means. */
const envSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  UPFRONT_DATA_DIR: z.string().min(1).default(path.resolve(".data/pglite")),
  DATABASE_URL: z.string().url().optional(),
  SESSION_SECRET: z.string().min(32, "SESSION_SECRET must be at least 32 characters").optional(),
  COOKIE_SECURE: z.enum(["true", "false"]).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  UPFRONT_SEED_DEMO: z.enum(["true", "false"]).optional(),
});

export type Config = {
  env: "development" | "test" | "production";
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  sessionSecret: string;
  cookieSecure: boolean;
  logLevel: string;
  seedDemo: boolean;
};

const DEV_SECRET = "upfront-development-secret-not-for-production-use";

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`The environment is not valid:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === "production" && !e.SESSION_SECRET) {
    throw new Error("SESSION_SECRET must be set in production (at least 32 random characters).");
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir: e.UPFRONT_DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    sessionSecret: e.SESSION_SECRET ?? DEV_SECRET,
    // Browsers accept Secure cookies on http://localhost, so Secure is the default everywhere.
    cookieSecure: e.COOKIE_SECURE !== "false",
    logLevel: e.LOG_LEVEL,
    seedDemo: e.UPFRONT_SEED_DEMO ? e.UPFRONT_SEED_DEMO === "true" : e.NODE_ENV !== "production",
  };
}
