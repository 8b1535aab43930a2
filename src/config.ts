import { isIP } from "node:net";
import path from "node:path";
import { z } from "zod";

/** Security figures with their defaults (issue 13); buildApp falls back to these when a test leaves them out. */
export const SECURITY_DEFAULTS = {
  trustedProxies: [] as string[],
  sessionIdleMinutes: 30,
  signInThrottle: {
    accountFailures: 5,
    addressFailures: 10,
    windowMinutes: 15,
    firstWaitSeconds: 2,
    maxWaitMinutes: 15,
  },
};

/** One trusted proxy: an IP address, a CIDR range, or proxy-addr's names loopback, linklocal, uniquelocal. */
function isProxyAddress(item: string): boolean {
  if (["loopback", "linklocal", "uniquelocal"].includes(item)) return true;
  const [address = "", prefix, ...rest] = item.split("/");
  const version = isIP(address);
  if (!version || rest.length) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128));
}
const wholeNumber = (max: number) => z.coerce.number().int().min(1).max(max);

/** Environment, parsed once. Development gets safe defaults; production must say what it means. */
const envSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  UPFRONT_DATA_DIR: z.string().min(1).default(path.resolve(".data/pglite")),
  DATABASE_URL: z
    .url({
      protocol: /^postgres(ql)?$/,
      error: "DATABASE_URL must be a PostgreSQL address like postgres://user@host:5432/database",
    })
    .optional(),
  MIGRATION_DATABASE_URL: z
    .url({
      protocol: /^postgres(ql)?$/,
      error:
        "MIGRATION_DATABASE_URL must be a PostgreSQL address like postgres://upfront_owner@host:5432/database",
    })
    .optional(),
  SESSION_SECRET: z.string().min(32, "SESSION_SECRET must be at least 32 characters").optional(),
  COOKIE_SECURE: z.enum(["true", "false"]).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
  UPFRONT_SEED_DEMO: z.enum(["true", "false"]).optional(),
  AUDIT_ANCHOR_FILE: z.string().min(1, "AUDIT_ANCHOR_FILE must be a file path").optional(),
  TRUSTED_PROXIES: z
    .string()
    .optional()
    .transform((s) =>
      (s ?? "")
        .split(",")
        .map((p) => p.trim())
        .filter(Boolean),
    )
    .refine((list) => list.every(isProxyAddress), {
      error:
        "TRUSTED_PROXIES must be proxy addresses or ranges separated by commas, like 10.0.0.5,10.1.0.0/16",
    }),
  PUBLIC_URL: z
    .url({
      protocol: /^https?$/,
      error: "PUBLIC_URL must be the address people use, like https://upfront.example.gov.uk",
    })
    .optional(),
  SESSION_IDLE_MINUTES: wholeNumber(480).default(SECURITY_DEFAULTS.sessionIdleMinutes),
  SIGN_IN_ACCOUNT_FAILURES: wholeNumber(100).default(SECURITY_DEFAULTS.signInThrottle.accountFailures),
  SIGN_IN_ADDRESS_FAILURES: wholeNumber(1000).default(SECURITY_DEFAULTS.signInThrottle.addressFailures),
  SIGN_IN_WINDOW_MINUTES: wholeNumber(1440).default(SECURITY_DEFAULTS.signInThrottle.windowMinutes),
  SIGN_IN_FIRST_WAIT_SECONDS: wholeNumber(3600).default(SECURITY_DEFAULTS.signInThrottle.firstWaitSeconds),
  SIGN_IN_MAX_WAIT_MINUTES: wholeNumber(1440).default(SECURITY_DEFAULTS.signInThrottle.maxWaitMinutes),
});

export type Config = {
  env: "development" | "test" | "production";
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /**
   * PostgreSQL only: the owner's address (the role that owns the tables), for migrating and for operator work
   * across councils (the CLI, the demo seed). DATABASE_URL is then the app's own login role, which owns nothing
   * (README.md, "Database roles"). Unset: DATABASE_URL does both, as on the embedded database.
   */
  migrationDatabaseUrl: string | undefined;
  sessionSecret: string;
  cookieSecure: boolean;
  logLevel: string;
  seedDemo: boolean;
  /** Where each audit seal's hash is appended as it is made (platform/audit/anchors.ts); unset: logged only. */
  auditAnchorFile: string | undefined;
  /** Proxies whose X-Forwarded-For is believed (none by default: the address is the connection's). */
  trustedProxies: string[];
  /** The address people use, for One Login's redirect_uri; never taken from a request's headers. */
  publicUrl: string | undefined;
  /** A session ends after this long without a request, as well as at its 8-hour limit. */
  sessionIdleMinutes: number;
  /** Failures (per account, per address) before each further sign-in attempt waits; the wait doubles to a cap. */
  signInThrottle: {
    accountFailures: number;
    addressFailures: number;
    windowMinutes: number;
    firstWaitSeconds: number;
    maxWaitMinutes: number;
  };
};

/** The environment is not valid: its message says which variable and what to fix, one line each. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** A whole number written in digits, or undefined (anything else is ignored, as a test hook should be). */
const digits = z
  .string()
  .optional()
  .transform((v) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined));

/**
 * Process-level switches that modules read where they are used, not through loadConfig (which a module cannot
 * wait for, and which refuses a whole environment over one bad server setting): parsed leniently, so a test hook
 * never stops a process that does not use it.
 */
const processSettingsSchema = z.object({
  NODE_ENV: z.string().optional(),
  UPFRONT_CHROMIUM: z.string().optional(),
  UPFRONT_CRASH_AT: z.string().optional(),
  UPFRONT_PAYMENT_BATCH_SIZE: digits,
  UPFRONT_PAYMENT_BATCH_PAUSE_MS: digits,
});

export type ProcessSettings = {
  /** NODE_ENV as given (undefined when unset): "development" turns off the template cache. */
  nodeEnv: string | undefined;
  /** Where Chromium is, for PDFs (platform/pdf). */
  chromiumPath: string;
  /** A test hook for kill -9 trials, like payments.batch:3 (platform/crash-points.ts parses it). */
  crashAt: string | undefined;
  /** Test hooks for payment runs: budgets per batch and a pause between batches (payments/run.ts). */
  paymentBatchSize: number | undefined;
  paymentBatchPauseMs: number | undefined;
};

/** The process-level switches, read from the environment each time they are asked for. */
export function processSettings(env: NodeJS.ProcessEnv = process.env): ProcessSettings {
  const e = processSettingsSchema.parse(env);
  return {
    nodeEnv: e.NODE_ENV,
    chromiumPath: e.UPFRONT_CHROMIUM ?? "/usr/bin/chromium",
    crashAt: e.UPFRONT_CRASH_AT,
    paymentBatchSize: e.UPFRONT_PAYMENT_BATCH_SIZE,
    paymentBatchPauseMs: e.UPFRONT_PAYMENT_BATCH_PAUSE_MS,
  };
}

const DEV_SECRET = "upfront-development-secret-not-for-production-use";

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) =>
      i.message.startsWith(String(i.path[0])) ? i.message : `${i.path.join(".")}: ${i.message}`,
    );
    throw new ConfigError(`The environment is not valid: ${lines.join("; ")}`);
  }
  const e = parsed.data;
  if (e.MIGRATION_DATABASE_URL && !e.DATABASE_URL) {
    throw new ConfigError(
      'MIGRATION_DATABASE_URL is for PostgreSQL: set DATABASE_URL too (the app\'s own login role; README.md, "Database roles").',
    );
  }
  if (e.NODE_ENV === "production" && !e.SESSION_SECRET) {
    throw new ConfigError("SESSION_SECRET must be set in production (at least 32 random characters).");
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir: e.UPFRONT_DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    migrationDatabaseUrl: e.MIGRATION_DATABASE_URL,
    sessionSecret: e.SESSION_SECRET ?? DEV_SECRET,
    // Browsers accept Secure cookies on http://localhost, so Secure is the default everywhere.
    cookieSecure: e.COOKIE_SECURE !== "false",
    // Each request is logged at "info": in production by default; in development only when LOG_LEVEL asks, so
    // the address and the demo sign-ins `npm start` prints stay in view instead of scrolling away.
    logLevel: e.LOG_LEVEL ?? (e.NODE_ENV === "production" ? "info" : "warn"),
    seedDemo: e.UPFRONT_SEED_DEMO ? e.UPFRONT_SEED_DEMO === "true" : e.NODE_ENV !== "production",
    auditAnchorFile: e.AUDIT_ANCHOR_FILE ? path.resolve(e.AUDIT_ANCHOR_FILE) : undefined,
    trustedProxies: e.TRUSTED_PROXIES,
    // In production PUBLIC_URL must be set for One Login; elsewhere the local address stands in.
    publicUrl:
      (e.PUBLIC_URL && new URL(e.PUBLIC_URL).origin) ??
      (e.NODE_ENV === "production"
        ? undefined
        : `http://${e.HOST === "0.0.0.0" ? "localhost" : e.HOST}:${e.PORT}`),
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    signInThrottle: {
      accountFailures: e.SIGN_IN_ACCOUNT_FAILURES,
      addressFailures: e.SIGN_IN_ADDRESS_FAILURES,
      windowMinutes: e.SIGN_IN_WINDOW_MINUTES,
      firstWaitSeconds: e.SIGN_IN_FIRST_WAIT_SECONDS,
      maxWaitMinutes: e.SIGN_IN_MAX_WAIT_MINUTES,
    },
  };
}
