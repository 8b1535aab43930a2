import type { Command } from "commander";
import { refreshStandardSnapshots, snapshotReportsNamed } from "#/features/reports/snapshot-service.ts";
import { findTenantBySlug } from "#/features/tenants/service.ts";
import { todayInLondon } from "#/platform/context.ts";
import type { Database } from "#/platform/db/database.ts";
import { ValidationError } from "#/platform/errors.ts";
import { withCliDatabase } from "./database.ts";
import { cliActor, EXIT, type FileIo, noSuchCouncil, processIo } from "./io.ts";

/**
 * `upfront reports refresh --tenant <short-name> [--report caseload,money]`: works a council's report snapshots
 * out again now (features/reports/snapshot-service.ts), as the nightly job does: each report's usual views, as
 * at today. One line per view with how long it took; a view the report refuses (nothing to report for a year)
 * is listed as skipped with the reason; one that fails is said on standard error and the exit code is 1.
 */

export type RefreshOptions = {
  tenant: string;
  /** Report names, comma-separated; every report when not given. */
  report?: string;
  /** For tests; the day in London otherwise. */
  today?: string;
};

export async function runReportsRefresh(
  database: Database,
  options: RefreshOptions,
  io: Pick<FileIo, "out" | "err"> = processIo,
): Promise<number> {
  const names = options.report
    ?.split(",")
    .map((n) => n.trim())
    .filter((n) => n !== "");
  let reports: string[];
  try {
    reports = snapshotReportsNamed(names);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    for (const f of error.fieldErrors) io.err(`--report: ${f.message}`);
    return EXIT.usage;
  }
  const tenant = await findTenantBySlug(database.db, options.tenant);
  if (!tenant) {
    io.err(`--tenant: ${noSuchCouncil(options.tenant)}`);
    return EXIT.usage;
  }
  const today = options.today ?? todayInLondon();
  const ctx = { db: database.db, scope: { tenantId: tenant.tenantId, actor: cliActor() }, today };
  const results = await refreshStandardSnapshots(ctx, reports);
  for (const r of results) {
    const what = `${tenant.slug} ${r.report} ${r.parameters}`;
    if (r.failed) io.err(`${what}: could not be worked out: ${r.failed}`);
    else if (r.skipped) io.out(`${what}: skipped: ${r.skipped}`);
    else io.out(`${what}: worked out as at ${today} in ${r.seconds.toFixed(1)} s`);
  }
  return results.some((r) => r.failed) ? EXIT.refused : EXIT.done;
}

export function registerReportsRefreshCommand(reports: Command): void {
  reports
    .command("refresh")
    .description("Work a council's report snapshots out again now (the nightly job does this too)")
    .requiredOption("--tenant <short-name>", "the council (its short name)")
    .option(
      "--report <names>",
      "only these reports, comma-separated (caseload, money, outcomes, market, fairness, measures)",
    )
    .action(async (opts: RefreshOptions) => {
      await withCliDatabase((database) => runReportsRefresh(database, opts));
    });
}
