import { buildApp } from "#/app.ts";
import { loadConfig } from "#/config.ts";
import { registerPaymentRunJob } from "#/features/payments/jobs.ts";
import { registerCldRefreshJobs } from "#/features/reports/cld-refresh-jobs.ts";
import { REPORT_SNAPSHOTS_JOB, registerReportSnapshotsJob } from "#/features/reports/snapshot-jobs.ts";
import { anchorSink } from "#/platform/audit/anchors.ts";
import { registerAuditSealJob } from "#/platform/audit/seal.ts";
import { DataDirInUseError } from "#/platform/db/data-dir-lock.ts";
import { openDatabase, openPostgres } from "#/platform/db/database.ts";
import { migrate, pendingMigrations } from "#/platform/db/migrator.ts";
import { prepareJobsSchema, startJobs } from "#/platform/jobs/jobs.ts";

/** Entry: config → database → migrations → demo seed → jobs → app → listen; a clean shutdown on a signal. */
const config = loadConfig();
const database = await openDatabase(config).catch((error: unknown) => {
  // Another process has the embedded database open: say so in one line, not a stack trace.
  if (!(error instanceof DataDirInUseError)) throw error;
  console.error(error.message);
  process.exit(1);
});
// Migrating (and the demo seed) is the owner's work. With MIGRATION_DATABASE_URL the server does it at start over a
// short-lived owner connection, then serves as DATABASE_URL's login role, which owns nothing (README.md, "Database
// roles"). Without it DATABASE_URL does both, as on the embedded database; a login role that cannot migrate starts
// only when `upfront db migrate` has already applied everything.
const owner = config.migrationDatabaseUrl ? openPostgres(config.migrationDatabaseUrl, { max: 2 }) : database;
const applied =
  owner === database && database.kind === "postgres" && (await pendingMigrations(database)).length === 0
    ? []
    : await migrate(owner);
if (owner !== database) await prepareJobsSchema(owner);

let demoBanner: string[] = [];
if (config.seedDemo) {
  const { seedDemo, DEMO_PASSWORD, DEMO_STAFF } = await import("#/seed/seed.ts");
  const { DEMO_PERSON_ACCOUNTS } = await import("#/seed/accounts-seed.ts");
  await seedDemo(owner);
  demoBanner = [
    "Demo sign-ins (Demo Council), all with the password:",
    `  ${DEMO_PASSWORD}`,
    "Staff, at /sign-in:",
    ...DEMO_STAFF.map((s) => `  ${s.email.padEnd(44)} ${s.roles.join(", ")}`),
    "People and representatives, at /my/sign-in:",
    ...DEMO_PERSON_ACCOUNTS.map((a) => `  ${a.email.padEnd(44)} ${a.role}`),
  ];
}

if (owner !== database) await owner.close();

const app = await buildApp({ config, db: database.db });

// Background work (pg-boss): the audit hash chain is sealed every few minutes, each seal anchored outside the
// database (AUDIT_ANCHOR_FILE and a log line: platform/audit/anchors.ts).
const jobs = await startJobs(database);
await registerAuditSealJob(jobs, {
  anchor: anchorSink({ ...(config.auditAnchorFile ? { file: config.auditAnchorFile } : {}), log: app.log }),
});
// Nightly: every council's usual report views as materialised snapshots (features/reports/snapshot-jobs.ts).
await registerReportSnapshotsJob(jobs);
// Daily: prepare each council's run for the next pay date (features/payments/jobs.ts); a run that paid anything
// has the report snapshots worked out again.
await registerPaymentRunJob(jobs, { afterPayments: () => jobs.send(REPORT_SNAPSHOTS_JOB) });
// Every 10 minutes a catch-up of the CLD events table, nightly a full rebuild (features/reports/cld-refresh-jobs.ts).
await registerCldRefreshJobs(jobs);

await app.listen({ port: config.port, host: config.host });
const address = `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${config.port}`;
console.log(
  [
    "",
    `Upfront is running at ${address}`,
    `Database: ${database.kind === "pglite" ? `embedded (PGlite) in ${config.dataDir}` : "PostgreSQL (DATABASE_URL)"}`,
    applied.length ? `Migrations applied: ${applied.join(", ")}` : "Migrations: up to date",
    ...demoBanner,
    "Press Ctrl+C to stop.",
    "",
  ].join("\n"),
);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    await app.close();
    // On PGlite pg-boss shares the one database instance: stop it before closing the database.
    await jobs.stop();
    await database.close();
    process.exit(0);
  });
}
