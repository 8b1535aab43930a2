import type { Command } from "commander";
import {
  importPreviousPackages,
  PREVIOUS_PACKAGE_COLUMNS,
  PreviousPackageImportError,
} from "#/features/planning/previous-package-import.ts";
import { todayInLondon } from "#/platform/context.ts";
import { readCsv } from "#/platform/csv/read.ts";
import type { Database } from "#/platform/db/database.ts";
import { formatPounds, pence } from "#/platform/money/pence.ts";
import { withCliDatabase } from "./database.ts";
import { cliActor, councilAndFile, EXIT, type FileIo, processIo } from "./io.ts";

/**
 * `upfront people previous-packages --tenant <short-name> --file packages.csv`: record, for many people at once,
 * the council-arranged package their plan replaced (issue 15, the public fairness dashboard's "cover for
 * cuts?"). All or nothing; every bad row listed by its row number (the header is row 1); each change audited.
 */

export function previousPackagesHelp(): string {
  return [
    "",
    "Columns (a header row names them, in any order; blank rows are skipped):",
    ...PREVIOUS_PACKAGE_COLUMNS.map(([column, what]) => `  ${column.padEnd(18)}${what}`),
  ].join("\n");
}

/** 0 when every row was recorded; 1 when a row is refused (nothing is recorded); 2 for a bad --tenant or --file. */
export async function runPreviousPackageImport(
  database: Database,
  opts: { tenant: string; file: string },
  io: FileIo = processIo,
  today: string = todayInLondon(),
): Promise<number> {
  const input = await councilAndFile(database, opts, io);
  if (!input.ok) return input.code;
  const { records, problems } = readCsv(input.text);
  try {
    const done = await importPreviousPackages(
      { db: database.db, scope: { tenantId: input.tenant.tenantId, actor: cliActor() }, today },
      records,
      problems,
    );
    io.out(`Recorded the package replaced on ${done.length} ${done.length === 1 ? "plan" : "plans"}:`);
    for (const d of done) {
      io.out(
        `  ${d.reference}  ${formatPounds(pence(d.previousPackage.weeklyPence))} a week on ${d.previousPackage.date}`,
      );
    }
    return EXIT.done;
  } catch (error) {
    if (!(error instanceof PreviousPackageImportError)) throw error;
    for (const p of error.problems) io.err(`Row ${p.row}: ${p.message}`);
    io.err("Nothing was recorded.");
    return EXIT.refused;
  }
}

export function registerPreviousPackages(people: Command, io: FileIo = processIo): void {
  people
    .command("previous-packages")
    .description(
      "Record the council-arranged package each person's plan replaced, from a CSV file (all or nothing)",
    )
    .requiredOption("--tenant <short-name>", "the council's short name")
    .requiredOption("--file <file>", "the CSV file (columns below)")
    .addHelpText("after", previousPackagesHelp())
    .action(async (opts: { tenant: string; file: string }) => {
      await withCliDatabase((database) => runPreviousPackageImport(database, opts, io));
    });
}
