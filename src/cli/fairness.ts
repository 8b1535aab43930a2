import type { Command } from "commander";
import { setFairnessSettings } from "#/features/reports/fairness-settings.ts";
import { refreshSnapshot } from "#/features/reports/snapshot-service.ts";
import { findTenantBySlug } from "#/features/tenants/service.ts";
import { todayInLondon } from "#/platform/context.ts";
import type { Database } from "#/platform/db/database.ts";
import { ConflictError, ValidationError } from "#/platform/errors.ts";
import { withCliDatabase } from "./database.ts";
import { cliActor, EXIT, type FileIo, noSuchCouncil, processIo } from "./io.ts";

/**
 * `upfront fairness settings --tenant <short-name> --fewer-than 10 --margin 10 --from YYYY-MM-DD --reason "…"`:
 * a council's own settings for its public fairness dashboard (issue 15), from a date, audited as the operator.
 * The threshold cannot go below the rules' default; every problem is said in one line each, and nothing is
 * written.
 */

type Options = { tenant: string; fewerThan: string; margin: string; from: string; reason: string };

const whole = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text) : text);

export async function runFairnessSettings(
  database: Database,
  opts: Options,
  io: Pick<FileIo, "out" | "err"> = processIo,
  today: string = todayInLondon(),
): Promise<number> {
  const tenant = await findTenantBySlug(database.db, opts.tenant);
  if (!tenant) {
    io.err(`--tenant: ${noSuchCouncil(opts.tenant)}`);
    return EXIT.usage;
  }
  const ctx = { db: database.db, scope: { tenantId: tenant.tenantId, actor: cliActor() }, today };
  try {
    const set = await setFairnessSettings(ctx, {
      suppressFewerThan: whole(opts.fewerThan),
      marginPercent: whole(opts.margin),
      validFrom: opts.from,
      reason: opts.reason,
    });
    // The public page reads its stored snapshot: worked out again now when the setting is already in force.
    if (opts.from <= today) await refreshSnapshot(ctx, "fairness", {});
    io.out(
      `${tenant.name}'s fairness dashboard hides figures about fewer than ${set.suppressFewerThan} people and names groups beyond ${set.marginPercent}%, from ${opts.from}.`,
    );
    return EXIT.done;
  } catch (error) {
    if (error instanceof ValidationError) {
      const option = {
        suppressFewerThan: "--fewer-than",
        marginPercent: "--margin",
        validFrom: "--from",
        reason: "--reason",
      };
      for (const e of error.fieldErrors)
        io.err(`${option[e.path as keyof typeof option] ?? e.path}: ${e.message}`);
      return EXIT.refused;
    }
    if (error instanceof ConflictError) {
      io.err(`--from: ${error.message}`);
      return EXIT.refused;
    }
    throw error;
  }
}

export function registerFairnessCommands(
  program: Command,
  io: Pick<FileIo, "out" | "err"> = processIo,
): Command {
  const fairness = program
    .command("fairness")
    .description("A council's public fairness dashboard (/{council}/fairness)");
  fairness
    .command("settings")
    .description("Set the council's small-number threshold and margin from a date (audited)")
    .requiredOption("--tenant <short-name>", "the council's short name")
    .requiredOption(
      "--fewer-than <people>",
      "hide figures about fewer people than this (at least the rules' default, 10)",
    )
    .requiredOption(
      "--margin <percent>",
      "name a group whose budget per need point differs by more than this",
    )
    .requiredOption("--from <date>", "the date the settings apply from, YYYY-MM-DD")
    .requiredOption("--reason <text>", "why the council is setting them")
    .action(async (opts: Options) => {
      await withCliDatabase((database) => runFairnessSettings(database, opts, io));
    });
  return fairness;
}
