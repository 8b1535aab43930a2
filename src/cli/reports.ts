import { createWriteStream } from "node:fs";
import cliProgress from "cli-progress";
import type { Command } from "commander";
import { type CldExport, type CldSink, exportCldReturn, streamSink } from "#/features/reports/cld-export.ts";
import { findTenantBySlug } from "#/features/tenants/service.ts";
import { todayInLondon } from "#/platform/context.ts";
import type { Database } from "#/platform/db/database.ts";
import { ConflictError, ValidationError } from "#/platform/errors.ts";
import { withCliDatabase } from "./database.ts";
import { cliActor, EXIT, noSuchCouncil } from "./io.ts";
import { registerReportsRefreshCommand } from "./reports-refresh.ts";

/**
 * `upfront reports cld --tenant <short-name> --period 2026-04-01..2027-03-31 [--out file] [--quality-out file]`:
 * the council's Client Level Data return for NHS England (issue 15) as CSV, to the file or standard output, and
 * its data-quality report (every failing field by person and event) to --quality-out. Exit 1 when any field
 * fails, so a script does not send a return that needs fixing; the files are written either way, to fix from.
 * A progress bar on a terminal, plain "progress" lines otherwise.
 */

export type ReportsIo = {
  out: (text: string) => void;
  err: (line: string) => void;
  tty: boolean;
  /** Opens a file to write a piece at a time (the return of a million people is never one string). */
  openFile: (path: string) => Promise<CldSink>;
};

export type CldOptions = {
  tenant: string;
  period: string;
  out?: string;
  qualityOut?: string;
  /** For tests; the day in London otherwise. */
  today?: string;
};

const count = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString("en-GB")} ${n === 1 ? one : many}`;

function progress(io: ReportsIo, slug: string) {
  const bar = io.tty
    ? new cliProgress.SingleBar(
        { format: `${slug} [{bar}] {value}/{total} {what}`, stream: process.stderr },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  let started: string | null = null;
  return {
    update(done: number, total: number, what: "people" | "rows") {
      const label = what === "people" ? "people read" : "rows written";
      if (!bar) return io.err(`progress ${slug}: ${what} ${done}/${total}`);
      if (started !== what) bar.start(total, 0, { what: label });
      started = what;
      bar.setTotal(total);
      bar.update(done, { what: label });
    },
    stop: () => bar?.stop(),
  };
}

/** Writes the files; the summary and any failing fields go to standard error when the return is on standard output. */
async function report(result: CldExport, options: CldOptions, io: ReportsIo, slug: string): Promise<number> {
  const say = options.out ? (line: string) => io.out(`${line}\n`) : io.err;
  say(
    `${slug}: ${count(result.rows, "row")} for ${count(result.people, "person", "people")}, ${result.period.start} to ${result.period.end}${options.out ? `, written to ${options.out}` : ""}`,
  );
  if (result.failureCount === 0) {
    say(`${slug}: every field passed the data-quality checks`);
    return EXIT.done;
  }
  io.err(
    `${slug}: ${count(result.failureCount, "field")} failed the data-quality checks: fix the records before sending${options.qualityOut ? ` (the list is in ${options.qualityOut})` : ""}`,
  );
  if (!options.qualityOut) {
    for (const f of result.failures)
      io.err(
        `  ${f.personReference ?? f.personId} ${f.eventType ?? ""} ${f.eventReference ?? ""}: ${f.message}`,
      );
  }
  return EXIT.refused;
}

export async function runCldReport(database: Database, options: CldOptions, io: ReportsIo): Promise<number> {
  const tenant = await findTenantBySlug(database.db, options.tenant);
  if (!tenant) {
    io.err(`--tenant: ${noSuchCouncil(options.tenant)}`);
    return EXIT.usage;
  }
  const ctx = {
    db: database.db,
    scope: { tenantId: tenant.tenantId, actor: cliActor() },
    today: options.today ?? todayInLondon(),
  };
  const bar = progress(io, tenant.slug);
  try {
    // The files are opened once there is something to write: nothing is written for a period with nothing in it.
    const result = await exportCldReturn(
      ctx,
      { period: options.period },
      {
        onProgress: bar.update,
        open: async () => ({
          returnFile: options.out
            ? await io.openFile(options.out)
            : { write: (text: string) => io.out(text), end: () => undefined },
          ...(options.qualityOut ? { qualityFile: await io.openFile(options.qualityOut) } : {}),
        }),
      },
    );
    bar.stop();
    return await report(result, options, io, tenant.slug);
  } catch (error) {
    bar.stop();
    if (error instanceof ValidationError) {
      for (const f of error.fieldErrors) io.err(`--${f.path}: ${f.message}`);
      return EXIT.usage;
    }
    if (error instanceof ConflictError) {
      io.err(`${tenant.slug}: ${error.message}`);
      return EXIT.refused;
    }
    throw error;
  }
}

export function registerReportsCommands(program: Command): Command {
  const reports = program.command("reports").description("Statutory returns and reports");
  reports
    .command("cld")
    .description("Write a council's Client Level Data return for NHS England, and its data-quality report")
    .requiredOption("--tenant <short-name>", "the council (its short name)")
    .requiredOption("--period <start..end>", "the period, at most 12 months, e.g. 2026-04-01..2027-03-31")
    .option("--out <file>", "write the return to this file (standard output when not given)")
    .option("--quality-out <file>", "write the data-quality report (CSV) to this file")
    .action(async (opts: CldOptions) => {
      await withCliDatabase((database) =>
        runCldReport(database, opts, {
          out: (text) => process.stdout.write(text),
          err: (line) => console.error(line),
          tty: Boolean(process.stderr.isTTY),
          openFile: async (path) => streamSink(createWriteStream(path, "utf8")),
        }),
      );
    });
  registerReportsRefreshCommand(reports); // upfront reports refresh --tenant <slug> [--report caseload,money]
  return reports;
}
