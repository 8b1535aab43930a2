import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { z } from "zod";
import { parseReportPeriod } from "#/features/reports/commissioner-period.ts";
import {
  type CommissionerReport,
  findTable,
  type ReportTable,
  tableCsv,
  tableXlsx,
} from "#/features/reports/commissioner-report.ts";
import { commissionerReportIds } from "#/features/reports/commissioner-routes.ts";
import { REPORT_BUILDERS } from "#/features/reports/snapshot-reports.ts";
import { findTenantBySlug } from "#/features/tenants/service.ts";
import { todayInLondon } from "#/platform/context.ts";
import type { Database } from "#/platform/db/database.ts";
import { ValidationError } from "#/platform/errors.ts";
import { withCliDatabase } from "./database.ts";
import { cliActor, EXIT, noSuchCouncil } from "./io.ts";

/**
 * `upfront reports commissioner --tenant <short-name> --report caseload|money|outcomes|market [--table ID]
 * [--from YYYY-MM-DD] [--to YYYY-MM-DD] --format csv|xlsx --out FILE` (issue 15): a commissioner's report table
 * as the page's CSV or XLSX download, built by the same report builders (snapshot-reports.ts REPORT_BUILDERS)
 * and written by the same table functions (tableCsv, tableXlsx), so the file is the download's. Without --table,
 * every table of the report is written, one file each, the table's id added to the file's name. The options are
 * checked (Zod) before anything is read; every problem is one line naming the option; nothing is written when any
 * is refused.
 */

export type CommissionerCliIo = {
  out: (line: string) => void;
  err: (line: string) => void;
  writeFile: (path: string, data: string | Buffer) => Promise<void>;
};

export type CommissionerOptions = {
  tenant?: string;
  report?: string;
  table?: string;
  from?: string;
  to?: string;
  format?: string;
  out?: string;
  /** For tests; the day in London otherwise. */
  today?: string;
};

const FORMATS = ["csv", "xlsx"] as const;

function optionsSchema() {
  const reports = commissionerReportIds();
  return z.object({
    tenant: z
      .string({ error: "Give the council's short name" })
      .trim()
      .min(1, { error: "Give the council's short name" }),
    report: z.enum(reports as [string, ...string[]], {
      error: `Give the report: one of ${reports.join(", ")}`,
    }),
    table: z
      .string()
      .trim()
      .regex(/^[a-z][a-z0-9-]{0,40}$/, {
        error: "Give a table's id in lower case, for example by-stream (leave --table out for every table)",
      })
      .optional(),
    from: z.string().optional(),
    to: z.string().optional(),
    format: z.enum(FORMATS, { error: "Give the format: csv or xlsx" }),
    out: z
      .string({ error: "Give the file to write (--out)" })
      .trim()
      .min(1, { error: "Give the file to write (--out)" }),
  });
}

/** --from for "from", --out for "out": the option a field error is about. */
const option = (path: string) => `--${path.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** The file a table goes to: --out itself for one table; with the table's id added for every table. */
export function fileFor(out: string, format: string, tableId: string, every: boolean): string {
  if (!every) return out;
  const ext = `.${format}`;
  return out.endsWith(ext) ? `${out.slice(0, -ext.length)}-${tableId}${ext}` : `${out}-${tableId}${ext}`;
}

export async function runCommissionerReport(
  database: Database,
  input: CommissionerOptions,
  io: CommissionerCliIo,
): Promise<number> {
  const { today, ...rest } = input;
  const parsed = optionsSchema().safeParse(rest);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) io.err(`${option(String(issue.path[0]))}: ${issue.message}`);
    return EXIT.usage;
  }
  const opts = parsed.data;
  const tenant = await findTenantBySlug(database.db, opts.tenant);
  if (!tenant) {
    io.err(`--tenant: ${noSuchCouncil(opts.tenant)}`);
    return EXIT.usage;
  }
  const ctx = {
    db: database.db,
    scope: { tenantId: tenant.tenantId, actor: cliActor() },
    today: today ?? todayInLondon(),
  };
  const builder = REPORT_BUILDERS[opts.report as keyof typeof REPORT_BUILDERS]!;
  let report: CommissionerReport;
  try {
    const period = parseReportPeriod({ from: opts.from, to: opts.to }, ctx.today, builder.defaultStart);
    report = await builder.build(ctx, period);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    for (const f of error.fieldErrors) io.err(`${option(f.path === "to" ? "to" : "from")}: ${f.message}`);
    return EXIT.usage;
  }
  let tables: ReportTable[] = report.tables;
  if (opts.table !== undefined) {
    const table = findTable(report, opts.table);
    if (!table) {
      io.err(
        `--table: The ${opts.report} report has no table "${opts.table}": give one of ${report.tables.map((t) => t.id).join(", ")}`,
      );
      return EXIT.usage;
    }
    tables = [table];
  }
  return write(report, tables, { ...opts, every: opts.table === undefined }, tenant.slug, io);
}

async function write(
  report: CommissionerReport,
  tables: ReportTable[],
  opts: { format: string; out: string; every: boolean },
  slug: string,
  io: CommissionerCliIo,
): Promise<number> {
  // Every file's bytes first, so a refusal below leaves nothing half-written by a bug in one table.
  const files = await Promise.all(
    tables.map(async (table) => ({
      table,
      path: fileFor(opts.out, opts.format, table.id, opts.every),
      data: opts.format === "csv" ? tableCsv(table) : await tableXlsx(table),
    })),
  );
  for (const file of files) {
    try {
      await io.writeFile(file.path, file.data);
    } catch (error) {
      io.err(`--out: Cannot write ${file.path}: ${(error as Error).message}`);
      return EXIT.usage;
    }
    const rows = file.table.rows.length;
    io.out(
      `${slug}: ${report.title}, ${file.table.caption.toLowerCase()} (${rows} ${rows === 1 ? "row" : "rows"}), ${report.from} to ${report.to}, written to ${file.path}`,
    );
  }
  return EXIT.done;
}

const HELP = `
Reports and their periods:
  caseload   by week and by team; without --from, the 12 weeks to --to
  money      by funding stream, deployment, ASC-FR setting and support category; surplus; contributions
  outcomes   people's own ratings at review, by outcome area and group
  market     supports the directory could not supply, by category and area; underspends
  Without --from, money, outcomes and market start on the 1 April on or before --to; without --to, today.
  A period is at most 366 days.

Tables: --table names one (the page's download names it: /reports/money/download/by-stream.csv is
  --report money --table by-stream). Without --table every table is written, one file each, the table's id
  added to the file's name (--out money.csv writes money-by-stream.csv, money-by-deployment.csv, …); a --table
  the report does not have is refused with the list of its tables.

Examples:
  upfront reports commissioner --tenant demo --report money --table by-setting --format csv --out setting.csv
  upfront reports commissioner --tenant demo --report caseload --from 2026-09-01 --to 2026-11-23 --format xlsx --out caseload.xlsx`;

/** Adds `commissioner` to the `reports` command group. */
export function registerCommissionerReportCommand(reports: Command): Command {
  reports
    .command("commissioner")
    .description(
      "Write a commissioner's report table as CSV or XLSX: the same figures as the page's downloads",
    )
    .requiredOption("--tenant <short-name>", "the council (its short name)")
    .requiredOption("--report <report>", `the report: ${commissionerReportIds().join(", ")}`)
    .option("--table <id>", "one of the report's tables, e.g. by-stream (every table when left out)")
    .option("--from <date>", "the first day of the period, YYYY-MM-DD")
    .option("--to <date>", "the last day of the period, YYYY-MM-DD (today when left out)")
    .requiredOption("--format <format>", "csv or xlsx")
    .requiredOption("--out <file>", "the file to write")
    .addHelpText("after", HELP)
    .action(async (opts: CommissionerOptions) => {
      await withCliDatabase((database) =>
        runCommissionerReport(database, opts, {
          out: (line) => console.log(line),
          err: (line) => console.error(line),
          writeFile: (path, data) => writeFile(path, data),
        }),
      );
    });
  return reports;
}
