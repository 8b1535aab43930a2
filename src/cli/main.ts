import { Command } from "commander";
import { DataDirInUseError } from "#/platform/db/data-dir-lock.ts";
import { registerAuditCommands } from "./audit.ts";
import { registerCalcCommands } from "./calc.ts";
import { registerChargingCommand } from "./charging.ts";
import { registerChargingSettingsCommands } from "./charging-settings.ts";
import { registerDbCommands } from "./db.ts";
import { registerLedgerCommands } from "./ledger.ts"; // upfront ledger verify
import { registerPaymentsCommands } from "./payments.ts"; // upfront payments run --date
import { registerPeopleCommands } from "./people.ts"; // upfront people import --tenant --file
import { registerRasCommands } from "./ras.ts";
import { registerTenantCommands } from "./tenant.ts"; // upfront tenant create

/** The `upfront` command for operators. Each group registers itself; the calculators need no database. */
export function buildProgram(): Command {
  const program = new Command()
    .name("upfront")
    .description("Upfront: self-directed support. Operator commands.")
    .showHelpAfterError();
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
  return program;
}

await buildProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    // Another process has the embedded database open: one line saying which, not a stack trace.
    if (!(error instanceof DataDirInUseError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
  });
