import type { Command } from "commander";
import { importPeople, PEOPLE_CSV_COLUMNS, PeopleImportError } from "#/features/people/service.ts";
import { todayInLondon } from "#/platform/context.ts";
import { readCsv } from "#/platform/csv/read.ts";
import type { Database } from "#/platform/db/database.ts";
import { newestPersonFieldLists } from "#/rules/registry.ts";
import { withCliDatabase } from "./database.ts";
import { cliActor, councilAndFile, EXIT, type FileIo, processIo } from "./io.ts";
import { registerPreviousPackages } from "./previous-packages.ts";

/**
 * `upfront people import --tenant <short-name> --file people.csv`: add a council's people from a CSV file, all or
 * nothing, through the same checks as the "Add a person" page (every coded answer, the NHS number check, likely
 * duplicates with people on record and within the file). Every bad row is listed by its row number (the header
 * is row 1); nothing is written unless every row is good. Each person added is audited as the operator.
 */

export type PeopleIo = FileIo;

/** The columns and the codes each coded column takes, for --help and README.md. */
export function peopleImportHelp(): string {
  const lists = newestPersonFieldLists();
  const codes = (list: { options: readonly { code: string }[] }) =>
    list.options.map((o) => o.code).join(", ");
  return [
    "",
    "Columns (a header row names them, in any order; blank rows are skipped):",
    ...PEOPLE_CSV_COLUMNS.map(([column, , what]) => `  ${column.padEnd(22)}${what}`),
    "",
    "Codes (the lists in force today; declined to say and not known are answers, not blanks):",
    `  sex                   ${codes(lists.sex)}`,
    `  ethnicity             ${codes(lists.ethnicity)}`,
    `  accommodation_status  ${codes(lists.accommodationStatus)}`,
    `  employment_status     ${codes(lists.employmentStatus)}`,
    `  has_unpaid_carer      ${codes(lists.hasUnpaidCarer)}`,
    `  communication_needs   ${codes(lists.communicationNeeds)} (or none)`,
    "",
    "A row is refused if it matches someone on record (the same NHS number, or the same name and date of",
    "birth) or another row in the file. Nothing is imported unless every row is good.",
  ].join("\n");
}

/**
 * Returns the exit code (EXIT): 0 when everyone was added; 1 when a row is refused (nobody is added); 2 for an
 * unknown council or a file that cannot be read.
 */
export async function runPeopleImport(
  database: Database,
  opts: { tenant: string; file: string },
  io: PeopleIo = processIo,
  today: string = todayInLondon(),
): Promise<number> {
  const input = await councilAndFile(database, opts, io);
  if (!input.ok) return input.code;
  const { tenant, text } = input;
  const { records, problems } = readCsv(text);
  try {
    const people = await importPeople(
      { db: database.db, scope: { tenantId: tenant.tenantId, actor: cliActor() }, today },
      records,
      problems,
    );
    io.out(`Added ${people.length} ${people.length === 1 ? "person" : "people"} to ${tenant.name}:`);
    for (const p of people) io.out(`  ${p.reference}  ${p.givenName} ${p.familyName}`);
    return 0;
  } catch (error) {
    if (!(error instanceof PeopleImportError)) throw error;
    for (const p of error.problems) io.err(`Row ${p.row}: ${p.message}`);
    io.err("Nothing was imported.");
    return EXIT.refused;
  }
}

export function registerPeopleCommands(program: Command, io: PeopleIo = processIo): Command {
  const people = program.command("people").description("A council's people");
  people
    .command("import")
    .description(
      "Add people from a CSV file, all or nothing (checked like the Add a person page, and audited)",
    )
    .requiredOption("--tenant <short-name>", "the council's short name")
    .requiredOption("--file <file>", "the CSV file (columns below)")
    .addHelpText("after", peopleImportHelp())
    .action(async (opts: { tenant: string; file: string }) => {
      await withCliDatabase((database) => runPeopleImport(database, opts, io));
    });
  registerPreviousPackages(people, io); // upfront people previous-packages --tenant --file (issue 15)
  return people;
}
