import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { type Allocation, allocate } from "#/features/assessment/allocation.calc.ts";
import { decideEligibility, type EligibilityDecision } from "#/features/assessment/eligibility.calc.ts";
import {
  type AssessmentAnswers,
  type CaseFile,
  caseFileSchema,
  type FieldError,
  fieldErrorsFrom,
  validateAnswers,
} from "#/features/assessment/schemas.ts";
import type { Database } from "#/platform/db/database.ts";
import { type RulePack, RulePackNotFoundError, rulePackFor } from "#/rules/index.ts";
import { checkModelFitsQuestionnaire, type RasModel, rasModelSchema } from "#/rules/ras-model.ts";
import { EXIT } from "./io.ts";

/**
 * `upfront calc eligibility|allocation`: run one case file through the pure rules and print the result
 * with its working. runEligibilityCase and runAllocationCase are pure, so the HTTP API reuses them.
 */

export type CaseOutcome<T> = { ok: true; result: T } | { ok: false; errors: FieldError[] };

type CaseContext = { jurisdiction: string; decisionDate: string; rulePackId: string };
export type EligibilityCaseResult = CaseContext & { decision: EligibilityDecision };
export type AllocationCaseResult = CaseContext & {
  /** Whether the same answers meet the eligibility criteria; an indicative budget is for eligible needs. */
  eligible: boolean;
  allocation: Allocation;
};

type LoadedCase =
  | { ok: true; caseFile: CaseFile; answers: AssessmentAnswers; pack: RulePack }
  | { ok: false; errors: FieldError[] };

/** Parses a case, finds the rule pack for its date, and checks its answers against that pack's questionnaire. */
function loadCase(json: unknown): LoadedCase {
  const parsed = caseFileSchema.safeParse(json);
  if (!parsed.success) return { ok: false, errors: fieldErrorsFrom(parsed.error) };
  const caseFile = parsed.data;
  let pack: RulePack;
  try {
    pack = rulePackFor(caseFile.jurisdiction, caseFile.decisionDate);
  } catch (error) {
    if (error instanceof RulePackNotFoundError)
      return { ok: false, errors: [{ path: error.field, message: error.message }] };
    throw error;
  }
  const errors = validateAnswers(caseFile.answers, pack.questionnaire, ["answers"]);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, caseFile, answers: caseFile.answers, pack };
}

const contextOf = (loaded: { caseFile: CaseFile; pack: RulePack }): CaseContext => ({
  jurisdiction: loaded.pack.jurisdiction,
  decisionDate: loaded.caseFile.decisionDate,
  rulePackId: loaded.pack.id,
});

export function runEligibilityCase(json: unknown): CaseOutcome<EligibilityCaseResult> {
  const loaded = loadCase(json);
  if (!loaded.ok) return loaded;
  return {
    ok: true,
    result: { ...contextOf(loaded), decision: decideEligibility(loaded.answers, loaded.pack) },
  };
}

/** With no model, the rule pack's default model for the decision date is used. */
export function runAllocationCase(json: unknown, modelJson?: unknown): CaseOutcome<AllocationCaseResult> {
  const loaded = loadCase(json);
  let model: RasModel | undefined;
  const errors: FieldError[] = loaded.ok ? [] : [...loaded.errors];
  if (modelJson !== undefined) {
    const parsedModel = rasModelSchema.safeParse(modelJson);
    if (parsedModel.success) model = parsedModel.data;
    else errors.push(...fieldErrorsFrom(parsedModel.error, ["model"]));
  }
  if (!loaded.ok || errors.length > 0) return { ok: false, errors };
  model ??= loaded.pack.defaultRasModel;
  const modelErrors = checkModelFitsQuestionnaire(model, loaded.pack.questionnaire);
  if (modelErrors.length > 0) return { ok: false, errors: modelErrors };
  return {
    ok: true,
    result: {
      ...contextOf(loaded),
      eligible: decideEligibility(loaded.answers, loaded.pack).eligible,
      allocation: allocate(loaded.answers, model, loaded.pack.questionnaire),
    },
  };
}

/** The CLI's contact with the outside world, replaceable in tests. */
export type CalcIo = {
  readText(path: string): Promise<string>;
  out(text: string): void;
  err(text: string): void;
  /** Sets the exit code (EXIT in io.ts): 1 for a refused case file, 2 for one that cannot be read. */
  fail(code: number): void;
  /** For `calc charging --tenant`: how to open the database (tests pass their own); default withCliDatabase. */
  withDatabase?: (run: (database: Database) => Promise<number>) => Promise<void>;
  /** The date settings are read on; default today in London. */
  today?: () => string;
};

const processIo: CalcIo = {
  readText: (path) => readFile(path, "utf8"),
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  fail: (code) => {
    process.exitCode = code;
  },
};

async function readJson(
  io: CalcIo,
  path: string,
  field: string,
): Promise<CaseOutcome<unknown> & { unreadable?: boolean }> {
  let text: string;
  try {
    text = await io.readText(path);
  } catch (error) {
    return {
      ok: false,
      unreadable: true,
      errors: [{ path: field, message: `Cannot read ${path}: ${(error as Error).message}` }],
    };
  }
  try {
    return { ok: true, result: JSON.parse(text) };
  } catch (error) {
    return {
      ok: false,
      errors: [{ path: field, message: `${path} is not valid JSON: ${(error as Error).message}` }],
    };
  }
}

function print<T>(io: CalcIo, outcome: CaseOutcome<T>, failCode: number = EXIT.refused): void {
  if (outcome.ok) {
    io.out(JSON.stringify(outcome.result, null, 2));
    return;
  }
  for (const error of outcome.errors) io.err(`${error.path}: ${error.message}`);
  io.fail(failCode);
}

export function registerCalcCommands(program: Command, io: CalcIo = processIo): Command {
  const calc = program
    .command("calc")
    .description("Run the rules for one case file and print the result with its working, as JSON");

  calc
    .command("eligibility")
    .description("Decide eligibility for the assessment in a case file")
    .requiredOption("--input <file>", "case file: { jurisdiction, decisionDate, answers }")
    .action(async (options: { input: string }) => {
      const input = await readJson(io, options.input, "input");
      if (!input.ok) print(io, input, input.unreadable ? EXIT.usage : EXIT.refused);
      else print(io, runEligibilityCase(input.result));
    });

  calc
    .command("allocation")
    .description("Work out the indicative budget for the assessment in a case file")
    .requiredOption("--input <file>", "case file: { jurisdiction, decisionDate, answers }")
    .option("--model <file>", "RAS model JSON (default: the rule pack's model for the decision date)")
    .action(async (options: { input: string; model?: string }) => {
      const input = await readJson(io, options.input, "input");
      const model = options.model === undefined ? undefined : await readJson(io, options.model, "model");
      if (!input.ok || (model && !model.ok)) {
        const errors = [...(input.ok ? [] : input.errors), ...(model && !model.ok ? model.errors : [])];
        const unreadable = (!input.ok && input.unreadable) || (model && !model.ok && model.unreadable);
        print(io, { ok: false, errors }, unreadable ? EXIT.usage : EXIT.refused);
        return;
      }
      print(io, runAllocationCase(input.result, model?.result));
    });

  return calc;
}
