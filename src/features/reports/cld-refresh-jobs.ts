import {
  bringCldEventsUpToDate,
  cldDerivationIn,
  type RefreshOutcome,
} from "#/features/reports/cld-refresh.ts";
import { defaultCldPeriod } from "#/features/reports/cld-return.calc.ts";
import { currentTenantIn, everyCouncil } from "#/features/tenants/service.ts";
import { todayInLondon } from "#/platform/context.ts";
import type { Database } from "#/platform/db/database.ts";
import { withTenant } from "#/platform/db/tenant.ts";
import type { Jobs } from "#/platform/jobs/jobs.ts";
import { rulesFor } from "#/rules/registry.ts";

/**
 * The CLD events table's jobs (issue 15, "Scale and correctness"): every 10 minutes a catch-up re-derives the
 * people whose records changed since the last refresh, so an export's own catch-up (cld-export.ts) is small; each
 * night a full rebuild re-derives everyone, the safety net for anything the audit trail did not show (a record
 * changed by hand in the database, say). For every council with a CLD return (England), with the rules in force
 * at the end of the period the page suggests.
 */

export const CLD_CATCH_UP_JOB = "reports-cld-catch-up";
export const CLD_REBUILD_JOB = "reports-cld-rebuild";

const SYSTEM = { type: "system" as const, id: "job:reports-cld", name: "CLD events refresh" };

/** Refreshes every council's rows (a catch-up, or a full rebuild); a council without the return is skipped. */
export async function refreshCldForEveryCouncil(
  database: Database,
  options: { full: boolean; today?: string },
): Promise<{ slug: string; outcome?: RefreshOutcome; skipped?: string }[]> {
  const end = defaultCldPeriod(options.today ?? todayInLondon()).split("..")[1]!;
  const councils = (await everyCouncil(database.db)).sort((a, b) => (a.slug < b.slug ? -1 : 1));
  const results = [];
  for (const c of councils) {
    const scope = { tenantId: c.tenantId, actor: SYSTEM };
    const derivation = await withTenant(database.db, scope, async (tx) => {
      const council = await currentTenantIn(tx);
      const rules = rulesFor(council.jurisdiction, end).cld.rules;
      return rules ? cldDerivationIn(tx, rules) : undefined;
    });
    if (!derivation) {
      results.push({ slug: c.slug, skipped: "no Client Level Data return for this council's country" });
      continue;
    }
    try {
      const outcome = await bringCldEventsUpToDate(database.db, scope, derivation, {
        forceFull: options.full,
      });
      results.push({ slug: c.slug, outcome });
    } catch (error) {
      // One council's problem does not stop the others; the next run tries again.
      results.push({ slug: c.slug, skipped: (error as Error).message });
    }
  }
  return results;
}

/** The catch-up every 10 minutes and the rebuild at 02:30 UTC; at most one of each queued or running. */
export async function registerCldRefreshJobs(
  jobs: Jobs,
  options: { catchUpCron?: string; rebuildCron?: string } = {},
): Promise<void> {
  await jobs.register(
    CLD_CATCH_UP_JOB,
    async () => {
      await refreshCldForEveryCouncil(jobs.database, { full: false });
    },
    // No retries: the next tick is the retry, and it starts from the last refresh recorded.
    { policy: "exclusive", retryLimit: 0, pollingIntervalSeconds: 30 },
  );
  await jobs.register(
    CLD_REBUILD_JOB,
    async () => {
      await refreshCldForEveryCouncil(jobs.database, { full: true });
    },
    // A million people take minutes: give it two hours before it counts as failed.
    { policy: "exclusive", retryLimit: 1, expireInSeconds: 2 * 60 * 60 },
  );
  await jobs.schedule(CLD_CATCH_UP_JOB, options.catchUpCron ?? "*/10 * * * *");
  await jobs.schedule(CLD_REBUILD_JOB, options.rebuildCron ?? "30 2 * * *");
}
