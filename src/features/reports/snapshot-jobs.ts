import { refreshEveryCouncil } from "#/features/reports/snapshot-service.ts";
import { todayInLondon } from "#/platform/context.ts";
import type { Jobs } from "#/platform/jobs/jobs.ts";

/**
 * The report snapshots' job (snapshot-service.ts): every council's usual report views worked out again as at
 * the day in London, nightly at 05:00 UTC (before the working day, after the day's data date has turned), and
 * whenever something sends it (a payment run made: the server wires that). At most one queued or running at a
 * time, so a second send while one runs adds nothing.
 */

export const REPORT_SNAPSHOTS_JOB = "reports-refresh-snapshots";
export const REPORT_SNAPSHOTS_CRON = "0 5 * * *";

export async function registerReportSnapshotsJob(
  jobs: Jobs,
  options: { cron?: string; today?: () => string } = {},
): Promise<void> {
  await jobs.register(
    REPORT_SNAPSHOTS_JOB,
    async () => {
      const results = await refreshEveryCouncil(jobs.database, (options.today ?? todayInLondon)());
      const failed = results.filter((r) => r.failed);
      if (failed.length > 0) {
        throw new Error(
          `Report snapshots failed for ${failed.map((f) => `${f.slug}: ${f.failed}`).join("; ")}`,
        );
      }
    },
    // A million-person council takes minutes; an hour before a run counts as failed and is tried again.
    { policy: "exclusive", retryLimit: 2, expireInSeconds: 3600 },
  );
  await jobs.schedule(REPORT_SNAPSHOTS_JOB, options.cron ?? REPORT_SNAPSHOTS_CRON);
}
