import { type ConstructorOptions, fromPglite, type Job, PgBoss, type QueuePolicy } from "pg-boss";
import type { Database } from "#/platform/db/database.ts";

/**
 * Background jobs: a thin wrapper over pg-boss, so features name a job and its handler and never meet the
 * library's options. pg-boss keeps its tables in its own schema (`pgboss`), created and migrated by pg-boss
 * itself; our migrations never touch it and it never touches `public`. On the embedded database (one superuser)
 * it does that on start. On PostgreSQL with an owner (MIGRATION_DATABASE_URL) the owner does it when migrating
 * (prepareJobsSchema, from `upfront db migrate` and a server given the owner's address), and grants the app role
 * what pg-boss's statements need in that schema; the app's own login role then only uses it.
 *
 * On PostgreSQL pg-boss opens a small pool of its own from the same URL (it needs a session of its own for
 * LISTEN/NOTIFY and advisory locks). On PGlite it goes through pg-boss's PGlite adapter over the one shared
 * instance: PGlite runs one statement (or one exclusive transaction) at a time, and Kysely's transactions
 * hold PGlite's transaction lock, so pg-boss's statements queue behind the app's and never land inside them.
 */
export const JOBS_SCHEMA = "pgboss";

export type JobHandler<T extends object> = (data: T, job: { id: string; name: string }) => Promise<void>;

export type RegisterOptions = {
  /**
   * `standard` (default): every job sent runs. `exclusive`: at most one queued or running at a time, so a
   * schedule that ticks while the last run is still going adds nothing.
   */
  policy?: Extract<QueuePolicy, "standard" | "exclusive" | "singleton">;
  /** Further attempts after a failure (default 2). */
  retryLimit?: number;
  /** How long one run may take before it counts as failed (default 15 minutes). */
  expireInSeconds?: number;
  /**
   * How often an idle worker looks for work (default 5 s). A job sent wakes the worker at once through
   * LISTEN/NOTIFY; the poll is what picks up retries, delayed jobs, and everything when NOTIFY is unavailable.
   */
  pollingIntervalSeconds?: number;
};

export type Jobs = {
  /** The database the jobs run against, for handlers registered with only `jobs` in hand. */
  readonly database: Database;
  /** Creates the queue if it is new and starts working it; a thrown error fails the job (then retried). */
  register<T extends object>(name: string, handler: JobHandler<T>, options?: RegisterOptions): Promise<void>;
  /** Queues one job; its id, or null when the queue's policy refused it (e.g. `exclusive` and one pending). */
  send<T extends object>(name: string, data?: T): Promise<string | null>;
  /**
   * Sends `name` on a cron expression (UTC), once per tick across every server sharing the database; stored,
   * so calling it again on each start just updates it. Only instances started with `schedule: true` send.
   */
  schedule<T extends object>(name: string, cron: string, data?: T): Promise<void>;
  /** Stops taking work, waits (up to `timeoutMs`, default 30 s) for running handlers, then closes. */
  stop(options?: { timeoutMs?: number }): Promise<void>;
  /** The pg-boss instance itself, for what the wrapper does not cover (tests, operator tooling). */
  readonly boss: PgBoss;
};

export type StartJobsOptions = {
  /** Whether this instance sends scheduled (cron) jobs. Default true; a CLI run that only sends passes false. */
  schedule?: boolean;
  /** Whether this instance does pg-boss's housekeeping (retention, expiry). Default true. */
  supervise?: boolean;
  /** Where pg-boss's errors go (it emits them; an unheard `error` event would crash the process). */
  onError?: (error: Error) => void;
};

/**
 * As the owner: installs or upgrades pg-boss's schema, then lets upfront_app (and so the app's login role, a member
 * of it) read and write its tables and call its functions, now and for whatever a later pg-boss adds. Nothing to do
 * on PGlite, where the one superuser connection makes the schema on start.
 */
export async function prepareJobsSchema(owner: Database): Promise<void> {
  if ("pglite" in owner.native) return;
  const boss = new PgBoss({
    connectionString: owner.native.url,
    schema: JOBS_SCHEMA,
    schedule: false,
    supervise: false,
    max: 1,
    application_name: "upfront-migrate",
    openTelemetry: { enabled: false },
  });
  boss.on("error", (error: Error) => console.error("[jobs]", error));
  await boss.start();
  await boss.stop({ graceful: false });
  await owner.withScriptRunner((run) =>
    run(`
      GRANT USAGE ON SCHEMA ${JOBS_SCHEMA} TO upfront_app;
      GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${JOBS_SCHEMA} TO upfront_app;
      GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${JOBS_SCHEMA} TO upfront_app;
      GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${JOBS_SCHEMA} TO upfront_app;
      ALTER DEFAULT PRIVILEGES IN SCHEMA ${JOBS_SCHEMA} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO upfront_app;
      ALTER DEFAULT PRIVILEGES IN SCHEMA ${JOBS_SCHEMA} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO upfront_app;
      ALTER DEFAULT PRIVILEGES IN SCHEMA ${JOBS_SCHEMA} GRANT EXECUTE ON FUNCTIONS TO upfront_app;`),
  );
}

export async function startJobs(database: Database, options: StartJobsOptions = {}): Promise<Jobs> {
  const common: ConstructorOptions = {
    schema: JOBS_SCHEMA,
    schedule: options.schedule ?? true,
    supervise: options.supervise ?? true,
    useListenNotify: true,
    // No OpenTelemetry SDK is registered; keep pg-boss from storing trace context on jobs.
    openTelemetry: { enabled: false },
  };
  const connection: ConstructorOptions =
    "pglite" in database.native
      ? { backend: "pglite", db: fromPglite(database.native.pglite) }
      : { connectionString: database.native.url, max: 4, application_name: "upfront-jobs" };
  const boss = new PgBoss({ ...common, ...connection });
  const onError = options.onError ?? ((error: Error) => console.error("[jobs]", error));
  boss.on("error", onError);
  await boss.start();

  return {
    database,
    boss,
    async register<T extends object>(name: string, handler: JobHandler<T>, opts: RegisterOptions = {}) {
      await boss.createQueue(name, {
        policy: opts.policy ?? "standard",
        notify: true,
        ...(opts.retryLimit === undefined ? {} : { retryLimit: opts.retryLimit }),
        ...(opts.expireInSeconds === undefined ? {} : { expireInSeconds: opts.expireInSeconds }),
      });
      await boss.work<T>(
        name,
        {
          batchSize: 1,
          pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 5,
          // pg-boss otherwise polls a NOTIFY-enabled queue only every 30 s, which delays retries that long.
          notifyPollingIntervalSeconds: opts.pollingIntervalSeconds ?? 5,
        },
        async (batch: Job<T>[]) => {
          for (const job of batch) await handler(job.data, { id: job.id, name: job.name });
        },
      );
    },
    send: (name, data) => boss.send(name, data ?? {}),
    async schedule(name, cron, data) {
      await boss.createQueue(name);
      await boss.schedule(name, cron, data ?? {}, { tz: "UTC" });
    },
    async stop({ timeoutMs = 30_000 } = {}) {
      // The error listener stays: a late error from a closing pool must not become an unhandled `error` event.
      await boss.stop({ graceful: true, timeout: timeoutMs });
    },
  };
}
