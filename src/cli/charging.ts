import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import type { CalcIo } from "#/cli/calc.ts";
import { EXIT, noSuchCouncil } from "#/cli/io.ts";
import { runChargingCase } from "#/features/charging/case.ts";
import type { ChargingOptions } from "#/features/charging/charging.calc.ts";
import { calculatorSettings, getChargingSettings } from "#/features/charging/settings-service.ts";
import { findTenantBySlug, SYSTEM_ACTOR } from "#/features/tenants/service.ts";
import { todayInLondon } from "#/platform/context.ts";
import type { Database } from "#/platform/db/database.ts";
import { withCliDatabase } from "./database.ts";

/**
 * `upfront calc charging --input case.json [--tenant <short-name>]`: a financial assessment for care outside a
 * care home, by the rules of the dates it applies to, printed as JSON (amounts in integer pence) with every step
 * and the rule behind it. Without --tenant it needs no database and uses the national rules, and any council
 * policy in the case file. With --tenant it reads that council's charging settings — its policy and the figures it
 * supplies where the rules Upfront holds have none (as the public estimator and the financial assessments do) —
 * so the case file must not carry a policy of its own. Field errors, and refusals of cases the rules cannot
 * support, go to stderr with exit code 1.
 */

const processIo: CalcIo = {
  readText: (path) => readFile(path, "utf8"),
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  fail: (code) => {
    process.exitCode = code;
  },
};

async function readCase(
  io: CalcIo,
  path: string,
): Promise<{ ok: true; json: unknown } | { ok: false; message: string; code: number }> {
  let text: string;
  try {
    text = await io.readText(path);
  } catch (error) {
    return {
      ok: false,
      message: `input: Cannot read ${path}: ${(error as Error).message}`,
      code: EXIT.usage,
    };
  }
  try {
    return { ok: true, json: JSON.parse(text) };
  } catch (error) {
    return {
      ok: false,
      message: `input: ${path} is not valid JSON: ${(error as Error).message}`,
      code: EXIT.refused,
    };
  }
}

/** What --tenant adds to a case: the council's policy and supplied figures; or what is wrong (exit code 1 or 2). */
export async function withCouncilSettings(
  database: Database,
  slug: string,
  json: unknown,
  today: string = todayInLondon(),
): Promise<
  { ok: true; json: unknown; options: ChargingOptions } | { ok: false; message: string; code: number }
> {
  const tenant = await findTenantBySlug(database.db, slug);
  if (!tenant) return { ok: false, message: `--tenant: ${noSuchCouncil(slug)}`, code: EXIT.usage };
  const fields = (typeof json === "object" && json !== null ? json : {}) as Record<string, unknown>;
  if (fields.jurisdiction !== undefined && fields.jurisdiction !== tenant.jurisdiction) {
    return {
      ok: false,
      message: `jurisdiction: The case is for ${String(fields.jurisdiction)}, but ${tenant.name} uses ${tenant.jurisdiction}'s rules`,
      code: EXIT.refused,
    };
  }
  if (fields.councilPolicy !== undefined) {
    return {
      ok: false,
      message: `councilPolicy: With --tenant, ${tenant.name}'s own charging policy is used: take councilPolicy out of the case file, or leave out --tenant`,
      code: EXIT.refused,
    };
  }
  const settings = calculatorSettings(
    await getChargingSettings({
      db: database.db,
      scope: { tenantId: tenant.tenantId, actor: SYSTEM_ACTOR },
      today,
    }),
    tenant.name,
  );
  return {
    ok: true,
    json: { ...fields, ...(settings.councilPolicy ? { councilPolicy: settings.councilPolicy } : {}) },
    options: { suppliedFigures: settings.suppliedFigures },
  };
}

/** Adds `charging` to the `calc` command group (creating the group if it is not there yet). */
export function registerChargingCommand(program: Command, io: CalcIo = processIo): Command {
  const calc =
    program.commands.find((command) => command.name() === "calc") ??
    program.command("calc").description("Run the rules for one case file and print the result, as JSON");
  return calc
    .command("charging")
    .description(
      "Work out the weekly contribution towards care outside a care home, period by period, with every step and its rule",
    )
    .requiredOption("--input <file>", "case file (see examples/charging-case-*.json)")
    .option(
      "--tenant <short-name>",
      "use this council's charging policy and the figures it supplies (needs the database)",
    )
    .action(async (options: { input: string; tenant?: string }) => {
      const read = await readCase(io, options.input);
      if (!read.ok) {
        io.err(read.message);
        io.fail(read.code);
        return;
      }
      const run = (json: unknown, chargingOptions: ChargingOptions = {}) => {
        const outcome = runChargingCase(json, chargingOptions);
        if (outcome.ok) {
          io.out(JSON.stringify(outcome.result, null, 2));
          return EXIT.done;
        }
        for (const error of outcome.errors) io.err(`${error.path}: ${error.message}`);
        return EXIT.refused;
      };
      if (options.tenant === undefined) {
        const code = run(read.json);
        if (code !== EXIT.done) io.fail(code);
        return;
      }
      const slug = options.tenant;
      await (io.withDatabase ?? withCliDatabase)(async (database) => {
        const council = await withCouncilSettings(database, slug, read.json, io.today?.());
        if (!council.ok) {
          io.err(council.message);
          io.fail(council.code);
          return council.code;
        }
        const code = run(council.json, council.options);
        if (code !== EXIT.done) io.fail(code);
        return code;
      });
    });
}
