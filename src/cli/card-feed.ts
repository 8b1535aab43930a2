import type { Command } from "commander";
import { CARD_FEED_LAYOUTS } from "#/features/spending/card-feed-layouts.calc.ts";
import { importCardFeed } from "#/features/spending/card-import.ts";
import { todayInLondon } from "#/platform/context.ts";
import { crashPoint } from "#/platform/crash-points.ts";
import type { Database } from "#/platform/db/database.ts";
import { ConflictError, ValidationError } from "#/platform/errors.ts";
import { countOf } from "#/platform/words.calc.ts";
import { withCliDatabase } from "./database.ts";
import { cliActor, councilAndFile, EXIT, type FileIo, processIo } from "./io.ts";

/**
 * `upfront card-feed import --tenant <short-name> --file feed.csv [--layout <id>]`: a prepaid card provider's
 * transaction file, imported by the same service as the "Import a card feed" page (/spending/card-feeds): all or
 * nothing, every bad row listed by its number, each transaction a spend and a ledger transfer against its
 * budget, audited as the operator. Importing the same file again adds nothing (each stage is keyed:
 * docs/card-feed.md), so a run that was killed is finished by running it again.
 */

export type CardFeedIo = FileIo;

export type CardFeedImportOptions = {
  tenant: string;
  file: string;
  layout?: string;
  provider?: string;
  cashWithdrawalsPermitted?: boolean;
};

const layoutsHelp = [
  "",
  "Layouts (--layout; docs/card-feed.md describes each):",
  "  detect           work it out from the columns (the default)",
  ...CARD_FEED_LAYOUTS.map((l) => `  ${l.id.padEnd(17)}${l.label}`),
  "",
  "Nothing is imported unless every row is good. Importing the same file again adds nothing.",
].join("\n");

/**
 * Returns the exit code (EXIT): 0 when imported (or nothing was new); 1 when the file is refused (nothing is
 * written); 2 for an unknown council or a file that cannot be read.
 */
export async function runCardFeedImport(
  database: Database,
  opts: CardFeedImportOptions,
  io: CardFeedIo = processIo,
  today: string = todayInLondon(),
): Promise<number> {
  const input = await councilAndFile(database, opts, io);
  if (!input.ok) return input.code;
  const { tenant, text } = input;
  try {
    const result = await importCardFeed(
      { db: database.db, scope: { tenantId: tenant.tenantId, actor: cliActor() }, today },
      {
        fileName: opts.file.split(/[\\/]/).at(-1) ?? opts.file,
        text,
        layout: opts.layout ?? "detect",
        ...(opts.provider ? { provider: opts.provider } : {}),
        cashWithdrawalsPermitted: opts.cashWithdrawalsPermitted ?? false,
      },
    );
    crashPoint("card-feed.imported"); // kill -9 trials: committed, not yet reported
    io.out(
      `${tenant.name}: ${opts.file}: ${result.summary} (${countOf(result.transactions, "transaction")} in the file)`,
    );
    for (const i of result.ignored) io.out(`  row ${i.row} ignored: ${i.reason}`);
    return EXIT.done;
  } catch (error) {
    if (error instanceof ValidationError) {
      for (const f of error.fieldErrors)
        io.err(
          f.path === "file"
            ? f.message
            : `--${f.path.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${f.message}`,
        );
    } else if (error instanceof ConflictError) {
      io.err(error.message);
    } else throw error;
    io.err("Nothing was imported.");
    return EXIT.refused;
  }
}

export function registerCardFeedCommands(program: Command, io: CardFeedIo = processIo): Command {
  const cardFeed = program.command("card-feed").description("Prepaid card feeds");
  cardFeed
    .command("import")
    .description(
      "Import a card provider's transaction file, all or nothing (as the Import a card feed page; audited)",
    )
    .requiredOption("--tenant <short-name>", "the council's short name")
    .requiredOption("--file <file>", "the CSV file")
    .option("--layout <id>", "the file's layout (below)", "detect")
    .option(
      "--provider <name>",
      "the provider's short name in the transaction keys (the layout's by default)",
    )
    .option("--cash-withdrawals-permitted", "cash withdrawals are permitted on these cards")
    .addHelpText("after", layoutsHelp)
    .action(async (opts: CardFeedImportOptions) => {
      await withCliDatabase((database) => runCardFeedImport(database, opts, io));
    });
  return cardFeed;
}
