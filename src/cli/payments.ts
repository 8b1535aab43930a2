import cliProgress from "cli-progress";
import type { Command } from "commander";
import { earliestPayDateFor, prepareRun, type RunOutcome } from "#/features/payments/run.ts";
import { namedHeld } from "#/features/payments/service.ts";
import { everyCouncil } from "#/features/tenants/service.ts";
import { todayInLondon } from "#/platform/context.ts";
import type { Database } from "#/platform/db/database.ts";
import { ConflictError, ValidationError } from "#/platform/errors.ts";
import { withCliDatabase } from "./database.ts";
import { EXIT, noSuchCouncil } from "./io.ts";

/**
 * `upfront payments run --date YYYY-MM-DD [--tenant short-name]`: prepares the payment run for that pay date, for one
 * council or every council (a council without payment settings in force is skipped and said so). Without `--date`,
 * each council's run is for the earliest pay date a Bacs file sent today can meet (run.ts earliestPayDateFor),
 * printed first; a `--date` too soon for that is refused, naming the earliest that works. Each due payment
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
  options: { date?: string; tenant?: string /** For tests; the day in London otherwise. */; today?: string },
  io: PaymentsIo,
): Promise<number> {
  const tenants = (await everyCouncil(database.db))
    .filter((c) => !options.tenant || c.slug === options.tenant)
    .sort((a, b) => (a.slug < b.slug ? -1 : 1))
    .map((c) => ({ tenant_id: c.tenantId, slug: c.slug }));
  if (options.tenant && tenants.length === 0) {
    io.err(noSuchCouncil(options.tenant));
    return EXIT.usage;
  }
  let failed = false;
  for (const t of tenants) {
    const ctx = {
      db: database.db,
      scope: {
        tenantId: t.tenant_id,
        actor: { type: "system" as const, id: "cli:payments", name: "upfront payments run" },
      },
      today: options.today ?? todayInLondon(),
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
      const date = options.date ?? (await earliestPayDateFor(ctx));
      if (!options.date)
        io.out(`${t.slug}: the earliest pay date a Bacs file sent today can meet is ${date}`);
      const outcome = await prepareRun(
        ctx,
        { date },
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
      // Who is held and why, as the run page says it (runs prepared before held payments named the person: the budget).
      for (const h of await namedHeld(ctx, outcome.runId, outcome.held))
        io.out(
          `  held: ${h.personName ? `${h.personName} (${h.personReference})` : `budget ${h.budgetId}`}${h.payeeName && h.payeeName !== h.personName ? `, paid to ${h.payeeName}` : ""}: ${h.reason}`,
        );
    } catch (error) {
      bar?.stop();
      if (
        error instanceof ValidationError &&
        !options.tenant &&
        error.message === "There are no payment settings"
      ) {
        io.out(`${t.slug}: skipped, no payment settings in force on ${options.date ?? ctx.today}`);
        continue;
      }
      if (error instanceof ValidationError) {
        io.err(`${t.slug}: ${error.message}`);
        for (const f of error.fieldErrors) io.err(`  ${f.path === "date" ? "--date" : f.path}: ${f.message}`);
      } else if (error instanceof ConflictError) {
        io.err(`${t.slug}: ${error.message}`);
      } else {
        throw error;
      }
      failed = true;
    }
  }
  return failed ? EXIT.refused : EXIT.done;
}

export function registerPaymentsCommands(program: Command): Command {
  const payments = program.command("payments").description("Payment runs");
  payments
    .command("run")
    .description("Prepare the payment run for a pay date: each due payment made exactly once")
    .option(
      "--date <YYYY-MM-DD>",
      "the pay date (a banking day a Bacs file sent today can meet); the earliest such date when not given",
    )
    .option("--tenant <short-name>", "only this council (its short name)")
    .action(async (opts: { date?: string; tenant?: string }) => {
      await withCliDatabase((database) =>
        runPayments(database, opts, {
          out: (l) => console.log(l),
          err: (l) => console.error(l),
          tty: Boolean(process.stderr.isTTY),
        }),
      );
    });
  return payments;
}
