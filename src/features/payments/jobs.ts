import { earliestPayDate } from "#/features/payments/pay-dates.calc.ts";
import { prepareRun, type RunOutcome } from "#/features/payments/run.ts";
import { settingsOnIn } from "#/features/payments/service.ts";
import { everyCouncil } from "#/features/tenants/service.ts";
import { todayInLondon } from "#/platform/context.ts";
import type { Database } from "#/platform/db/database.ts";
import { withTenant } from "#/platform/db/tenant.ts";
import type { Jobs } from "#/platform/jobs/jobs.ts";

/**
 * The payment schedule: each day, for every council with payment settings, prepare the run for the next pay date
 * a Bacs file sent today can reach — two banking days on (the Bacs three-day cycle: input, processing, entry;
 * pay-dates.calc.ts earliestPayDate, the figure in rules/uk/bacs18-layout.ts) — when anything is due by then. Preparing is exactly-once (run.ts), so a retry or a second
 * server's tick pays nothing twice; finance still review and approve the run before its files are released.
 */

export const PAYMENT_RUN_JOB = "payments-prepare-runs";

const SYSTEM = { type: "system" as const, id: "job:payments", name: "scheduled payment run" };

/** Prepares the next pay date's run for every council; returns what each did (skipped councils say why). */
export async function prepareScheduledRuns(
  database: Database,
  today: string = todayInLondon(),
): Promise<{ slug: string; payDate?: string; outcome?: RunOutcome; skipped?: string }[]> {
  // Every council, through migrations/0025's list_councils (the app role reads no council's row across councils).
  const tenants = (await everyCouncil(database.db)).sort((a, b) => (a.slug < b.slug ? -1 : 1));
  const results = [];
  for (const t of tenants) {
    const scope = { tenantId: t.tenantId, actor: SYSTEM };
    const settings = await withTenant(database.db, scope, (tx) => settingsOnIn(tx, today));
    if (!settings) {
      results.push({ slug: t.slug, skipped: "no payment settings" });
      continue;
    }
    const payDate = earliestPayDate(today, settings.bankHolidayRegion);
    try {
      const outcome = await prepareRun(
        { db: database.db, scope, today },
        { date: payDate },
        { skipWhenNothingDue: true },
      );
      results.push({ slug: t.slug, payDate, outcome });
    } catch (error) {
      // One council's problem (e.g. its run for that date already approved) does not stop the others.
      results.push({ slug: t.slug, payDate, skipped: (error as Error).message });
    }
  }
  return results;
}

/**
 * Daily at 06:00 UTC; at most one queued or running at a time. `afterPayments` is called when a run made any
 * payment (the server sends the reports' snapshot job from it, which payments cannot import).
 */
export async function registerPaymentRunJob(
  jobs: Jobs,
  options: { cron?: string; afterPayments?: () => Promise<unknown>; today?: () => string } = {},
): Promise<void> {
  await jobs.register(
    PAYMENT_RUN_JOB,
    async () => {
      const results = await prepareScheduledRuns(jobs.database, (options.today ?? todayInLondon)());
      if (results.some((r) => (r.outcome?.made ?? 0) > 0)) await options.afterPayments?.();
    },
    { policy: "exclusive", retryLimit: 2 },
  );
  await jobs.schedule(PAYMENT_RUN_JOB, options.cron ?? "0 6 * * *");
}
