import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import type { CalcIo } from "#/cli/calc.ts";
import { EXIT } from "#/cli/io.ts";
import { runChargingCase } from "#/features/charging/case.ts";

/**
 * `upfront calc charging --input case.json`: a financial assessment for care outside a care home, by the rules
 * of the dates it applies to, printed as JSON with every step and the rule behind it. No database. Field
 * errors, and refusals of cases the rule packs cannot support, go to stderr with exit code 1.
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
    .action(async (options: { input: string }) => {
      const read = await readCase(io, options.input);
      if (!read.ok) {
        io.err(read.message);
        io.fail(read.code);
        return;
      }
      const outcome = runChargingCase(read.json);
      if (outcome.ok) {
        io.out(JSON.stringify(outcome.result, null, 2));
        return;
      }
      for (const error of outcome.errors) io.err(`${error.path}: ${error.message}`);
      io.fail(EXIT.refused);
    });
}
