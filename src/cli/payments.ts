import cliProgress from "cli-progress";
import type { Command } from "commander";
import { loadConfig } from "#/config.ts";
import { prepareRun, type RunOutcome } from "#/features/payments/run.ts";
import { todayInLondon } from "#/platform/context.ts";
import { type Database, openDatabase } from "#/platform/db/database.ts";
import { withSystem } from "#/platform/db/tenant.ts";
import { ConflictError, ValidationError } from "#/platform/errors.ts";

/**
 * `upfront payments run --date YYYY-MM-DD [--tenant slug]`: prepares the payment run for that pay date, for one
 * council or every council (a council without payment settings in force is skipped and said so). Each due payment
 * is made exactly once (features/payments/run.ts): running it again, or after it was killed, finishes the job
 * without paying twice. A progress bar on a terminal; plain "progress" lines otherwise (logs, tests). The run
 * still needs review and approval by two finance officers before its files are released.
 */

export type PaymentsIo = { out: (line: string) => void; err: (line: string) => void; tty: boolean };

function describe(slug: string, o: RunOutcome): string {
  const pounds = (p: number) => `£${(p / 100).toFixed(2)}`;
  return [
    `${slug}: run ${o.runNo ?? "-"} for ${o.payDate}: ${o.made} payment${o.made === 1 ? "" : "s"} made (${pounds(o.madePence)})`,
    `${o.alreadyMade} already made`,
    `${o.held.length} held`,
    `${o.invoicesRaised} contribution invoice${o.invoicesRaised === 1 ? "" : "s"}`,
    `${o.debtsRecorded} debt${o.debtsRecorded === 1 ? "" : "s"} to recover`,
  ].join(", ");
}

export async function runPayments(
  database: Database,
  options: { date: string; tenant?: string },
  io: PaymentsIo,
): Promise<number> {
  const tenants = await withSystem(database.db, (trx) => {
    let q = trx.selectFrom("tenants").select(["tenant_id", "slug"]).orderBy("slug");
    if (options.tenant) q = q.where("slug", "=", options.tenant);
    return q.execute();
  });
  if (options.tenant && tenants.length === 0) {
    io.err(`No tenant with the slug "${options.tenant}".`);
    return 2;
  }
  let failed = false;
  for (const t of tenants) {
    const ctx = {
      db: database.db,
      scope: {
        tenantId: t.tenant_id,
        actor: { type: "system" as const, id: "cli:payments", name: "upfront payments run" },
      },
      today: todayInLondon(),
    };
    const bar = io.tty
      ? new cliProgress.SingleBar(
          {
            format: `${t.slug} [{bar}] {value}/{total} budgets, {payments} payments made`,
            stream: process.stderr,
          },
          cliProgress.Presets.shades_classic,
        )
      : undefined;
    let started = false;
    try {
      const outcome = await prepareRun(
        ctx,
        { date: options.date },
        {
          onProgress: (p) => {
            if (bar) {
              if (!started) bar.start(p.budgetsTotal, 0, { payments: 0 });
              bar.update(p.budgetsDone, { payments: p.paymentsMade });
            } else {
              io.out(
                `progress ${t.slug}: budgets ${p.budgetsDone}/${p.budgetsTotal}, payments made ${p.paymentsMade}`,
              );
            }
            started = true;
          },
        },
      );
      bar?.stop();
      io.out(describe(t.slug, outcome));
      for (const h of outcome.held) io.out(`  held ${h.key}: ${h.reason}`);
    } catch (error) {
      bar?.stop();
      if (
        error instanceof ValidationError &&
        !options.tenant &&
        error.message === "There are no payment settings"
      ) {
        io.out(`${t.slug}: skipped, no payment settings in force on ${options.date}`);
        continue;
      }
      if (error instanceof ValidationError) {
        io.err(`${t.slug}: ${error.message}`);
        for (const f of error.fieldErrors) io.err(`  ${f.path}: ${f.message}`);
      } else if (error instanceof ConflictError) {
        io.err(`${t.slug}: ${error.message}`);
      } else {
        throw error;
      }
      failed = true;
    }
  }
  return failed ? 1 : 0;
}

export function registerPaymentsCommands(program: Command): Command {
  const payments = program.command("payments").description("Payment runs");
  payments
    .command("run")
    .description("Prepare the payment run for a pay date: each due payment made exactly once")
    .requiredOption("--date <YYYY-MM-DD>", "the pay date (a banking day)")
    .option("--tenant <slug>", "only this council")
    .action(async (opts: { date: string; tenant?: string }) => {
      const database = await openDatabase(loadConfig());
      try {
        process.exitCode = await runPayments(database, opts, {
          out: (l) => console.log(l),
          err: (l) => console.error(l),
          tty: Boolean(process.stderr.isTTY),
        });
      } finally {
        await database.close();
      }
    });
  return payments;
}
