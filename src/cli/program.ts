import { Command, CommanderError } from "commander";
import { ConfigError } from "#/config.ts";
import { DataDirInUseError } from "#/platform/db/data-dir-lock.ts";
import { registerAuditCommands } from "./audit.ts";
import { registerCalcCommands } from "./calc.ts";
import { registerCardFeedCommands } from "./card-feed.ts"; // upfront card-feed import --tenant --file
import { registerChargingCommand } from "./charging.ts";
import { registerChargingSettingsCommands } from "./charging-settings.ts";
import { DatabaseUnusableError } from "./database.ts";
import { registerDbCommands } from "./db.ts";
import { registerDpAuditCommands } from "./dp-audits.ts"; // upfront dp-audits queue --tenant
import { registerFairnessCommands } from "./fairness.ts";
import { EXIT } from "./io.ts";
import { registerLedgerCommands } from "./ledger.ts"; // upfront ledger verify
import { registerPaymentsCommands } from "./payments.ts"; // upfront payments run --date
import { registerPeopleCommands } from "./people.ts"; // upfront people import --tenant --file
import { registerRasCommands } from "./ras.ts";
import { registerReportsCommands } from "./reports.ts"; // upfront reports cld --tenant --period
import { registerCommissionerReportCommand } from "./reports-commissioner.ts"; // upfront reports commissioner
import { registerTenantCommands } from "./tenant.ts"; // upfront tenant create

const EXIT_CODES_HELP = `
Exit codes (the same for every command):
  ${EXIT.done}  done
  ${EXIT.refused}  the input was refused or a check found a problem (nothing half-written)
  ${EXIT.usage}  the command was used wrongly: a missing or bad option, an unknown council short name or id,
     a file that cannot be read
  ${EXIT.database}  the database cannot be used: it cannot be reached, DATABASE_URL is not valid, it is not
     migrated (run \`npm run upfront -- db migrate\`), or another process has the embedded database open`;

/**
 * The `upfront` command for operators. Each group registers itself; the calculators need no database. Commander
 * exits through an exception (exitOverride, inherited by every command) so its usage errors get exit code 2.
 */
export function buildProgram(): Command {
  const program = new Command()
    .name("upfront")
    .description("Upfront: self-directed support. Operator commands.")
    .showHelpAfterError()
    .addHelpText("after", EXIT_CODES_HELP)
    .exitOverride();
  registerCalcCommands(program);
  registerChargingCommand(program);
  registerDbCommands(program);
  registerAuditCommands(program);
  registerRasCommands(program);
  registerTenantCommands(program); // upfront tenant create --slug --name --ons-code --jurisdiction --admin-email
  registerChargingSettingsCommands(program);
  registerLedgerCommands(program); // upfront ledger verify
  registerPaymentsCommands(program); // upfront payments run --date YYYY-MM-DD
  registerPeopleCommands(program); // upfront people import --tenant <slug> --file people.csv
  registerCardFeedCommands(program); // upfront card-feed import --tenant <slug> --file feed.csv
  registerReportsCommands(program); // upfront reports cld --tenant <slug> --period 2026-04-01..2027-03-31
  // upfront reports commissioner --tenant <slug> --report money --table by-stream --format csv --out money.csv
  registerCommissionerReportCommand(program.commands.find((c) => c.name() === "reports")!);
  registerFairnessCommands(program); // upfront fairness settings --tenant <slug> --fewer-than --margin --from --reason
  registerDpAuditCommands(program); // upfront dp-audits queue --tenant <slug> [--date] [--json]
  return program;
}

/** What the process prints and exits with for an error a command did not handle itself; undefined for a bug. */
export function exitFor(error: unknown): { code: number; line?: string } | undefined {
  if (error instanceof CommanderError) {
    // Commander has printed its message (or the help) already.
    return { code: error.exitCode === 0 ? EXIT.done : EXIT.usage };
  }
  // The database or the environment cannot be used: one line saying what is wrong and what to do.
  if (
    error instanceof DataDirInUseError ||
    error instanceof DatabaseUnusableError ||
    error instanceof ConfigError
  ) {
    return { code: EXIT.database, line: error.message };
  }
  return undefined;
}
