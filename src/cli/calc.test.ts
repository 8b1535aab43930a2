import { readFileSync } from "node:fs";
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { type CalcIo, registerCalcCommands, runAllocationCase, runEligibilityCase } from "#/cli/calc.ts";
import { EXIT } from "#/cli/io.ts";
import { caseFileSchema } from "#/features/assessment/schemas.ts";
import { exampleBandedRasModel, exampleRasModel } from "#/rules/england/ras-model.example.ts";
import { rasModelSchema } from "#/rules/ras-model.ts";

const examplePath = (name: string) => new URL(`../../examples/${name}`, import.meta.url).pathname;
const example = (name: string): unknown => JSON.parse(readFileSync(examplePath(name), "utf8"));

describe("example files", () => {
  it.each(["eligibility-case.json", "eligibility-case-not-eligible.json", "allocation-case.json"])(
    "%s parses as a case file",
    (name) => {
      expect(caseFileSchema.safeParse(example(name)).error).toBeUndefined();
    },
  );

  it("ras-model.json parses and is the example model in the England pack", () => {
    expect(rasModelSchema.parse(example("ras-model.json"))).toEqual(exampleRasModel);
  });

  it("the eligible example is eligible, with four outcomes not achieved (reg 2(1))", () => {
    const outcome = runEligibilityCase(example("eligibility-case.json"));
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
    expect(outcome.result.decision.eligible).toBe(true);
    expect(outcome.result.decision.outcomesNotAchieved.map((o) => o.outcomeId)).toEqual([
      "nutrition",
      "personal_hygiene",
      "clothing",
      "community_facilities",
    ]);
    expect(outcome.result).toMatchObject({
      jurisdiction: "england",
      decisionDate: "2026-11-23",
      rulePackId: "england-2015-04",
    });
  });

  it("the not-eligible example is not eligible: one outcome, and no significant impact (reg 2(1)(b), (c))", () => {
    const outcome = runEligibilityCase(example("eligibility-case-not-eligible.json"));
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
    expect(outcome.result.decision.eligible).toBe(false);
    expect(outcome.result.decision.conditions.filter((c) => !c.met).map((c) => c.id)).toEqual([
      "two_or_more_outcomes",
      "significant_wellbeing_impact",
    ]);
  });

  it("the allocation example gives 48 points × £4.50 = £216.00, less 10% for a willing carer = £194.40 a week", () => {
    const outcome = runAllocationCase(example("allocation-case.json"));
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
    const { allocation } = outcome.result;
    expect(outcome.result.eligible).toBe(true);
    expect(allocation.totalPoints).toBe(48);
    expect(allocation.beforeAdjustments).toBe(21600);
    expect(allocation.adjustments.map((a) => a.amountPence)).toEqual([-2160]);
    expect(allocation.weeklyPence).toBe(19440);
    expect(allocation.annualPence).toBe(1010880);
  });

  it("the allocation example runs with the model file given explicitly, and with the banded example", () => {
    const explicit = runAllocationCase(example("allocation-case.json"), example("ras-model.json"));
    expect(explicit.ok && explicit.result.allocation.weeklyPence).toBe(19440);
    // 48 points is in the 45–69 band, £275.00; less 10% (£27.50) = £247.50.
    const banded = runAllocationCase(example("allocation-case.json"), exampleBandedRasModel);
    expect(banded.ok && banded.result.allocation.weeklyPence).toBe(24750);
  });
});

describe("runEligibilityCase / runAllocationCase: bad input", () => {
  it("returns each bad field's path and a plain-English reason", () => {
    const bad = example("eligibility-case.json") as { answers: Record<string, unknown> };
    const outcome = runEligibilityCase({
      ...bad,
      decisionDate: "2026-13-01",
      answers: { ...bad.answers, wellbeingReasons: "" },
    });
    expect(outcome).toEqual({
      ok: false,
      errors: [
        { path: "decisionDate", message: "The decision date must be a real date written as YYYY-MM-DD" },
        {
          path: "answers.wellbeingReasons",
          message: "Give the reasons for the judgement about the impact on wellbeing",
        },
      ],
    });
  });

  it("reports an unknown jurisdiction or a date before the rules against the field to fix", () => {
    const good = example("eligibility-case.json") as object;
    expect(runEligibilityCase({ ...good, jurisdiction: "atlantis" })).toMatchObject({
      ok: false,
      errors: [{ path: "jurisdiction" }],
    });
    expect(runEligibilityCase({ ...good, decisionDate: "2014-01-01" })).toMatchObject({
      ok: false,
      errors: [{ path: "decisionDate" }],
    });
  });

  it("reports questionnaire problems with paths inside the case file", () => {
    const good = example("eligibility-case.json") as { answers: Record<string, unknown> };
    expect(
      runEligibilityCase({ ...good, answers: { ...good.answers, livingSituation: "castle" } }),
    ).toMatchObject({
      ok: false,
      errors: [{ path: "answers.livingSituation" }],
    });
  });

  it("reports a bad model's fields under model", () => {
    const outcome = runAllocationCase(example("allocation-case.json"), {
      ...exampleRasModel,
      minimumWeeklyPence: -1,
    });
    expect(outcome).toEqual({
      ok: false,
      errors: [
        { path: "model.minimumWeeklyPence", message: "The minimum weekly amount must not be negative" },
      ],
    });
  });
});

describe("upfront calc (commander)", () => {
  function run(args: string[], files: Record<string, string> = {}) {
    const out: string[] = [];
    const err: string[] = [];
    let failed = false;
    const io: CalcIo = {
      readText: async (path) => {
        const text = files[path];
        if (text === undefined) throw new Error("no such file");
        return text;
      },
      out: (text) => out.push(text),
      err: (text) => err.push(text),
      fail: () => {
        failed = true;
      },
    };
    const program = new Command("upfront").exitOverride();
    registerCalcCommands(program, io);
    return program.parseAsync(["calc", ...args], { from: "user" }).then(() => ({ out, err, failed }));
  }

  it("prints the decision as JSON on stdout", async () => {
    const text = readFileSync(examplePath("eligibility-case.json"), "utf8");
    const { out, err, failed } = await run(["eligibility", "--input", "case.json"], { "case.json": text });
    expect(failed).toBe(false);
    expect(err).toEqual([]);
    expect(JSON.parse(out.join("")).decision.eligible).toBe(true);
  });

  it("prints the allocation with a model file", async () => {
    const files = {
      "case.json": readFileSync(examplePath("allocation-case.json"), "utf8"),
      "model.json": readFileSync(examplePath("ras-model.json"), "utf8"),
    };
    const { out, failed } = await run(["allocation", "--input", "case.json", "--model", "model.json"], files);
    expect(failed).toBe(false);
    expect(JSON.parse(out.join("")).allocation.weeklyPence).toBe(19440);
  });

  it("rule (issue 12): a case file that cannot be read exits 2, one with a bad field 1, as every command does", async () => {
    const codes: number[] = [];
    const io: CalcIo = {
      readText: async (path) => {
        if (path === "bad.json")
          return JSON.stringify({ jurisdiction: "england", decisionDate: "2026-11-23" });
        throw new Error("no such file");
      },
      out: () => {},
      err: () => {},
      fail: (code) => {
        codes.push(code);
      },
    };
    const program = new Command("upfront").exitOverride();
    registerCalcCommands(program, io);
    await program.parseAsync(["calc", "eligibility", "--input", "missing.json"], { from: "user" });
    await program.parseAsync(["calc", "eligibility", "--input", "bad.json"], { from: "user" });
    await program.parseAsync(["calc", "allocation", "--input", "bad.json", "--model", "missing.json"], {
      from: "user",
    });
    expect(codes).toEqual([EXIT.usage, EXIT.refused, EXIT.usage]);
  });

  it("prints each bad field to stderr and fails on bad input", async () => {
    const { out, err, failed } = await run(["eligibility", "--input", "case.json"], {
      "case.json": JSON.stringify({ jurisdiction: "england", decisionDate: "2026-11-23" }),
    });
    expect(failed).toBe(true);
    expect(out).toEqual([]);
    expect(err).toEqual(["answers: The answers must be an object"]);
  });

  it("fails on unreadable files and invalid JSON, naming them", async () => {
    const missing = await run(["eligibility", "--input", "nope.json"]);
    expect(missing.failed).toBe(true);
    expect(missing.err[0]).toMatch(/^input: Cannot read nope.json/);
    const broken = await run(["allocation", "--input", "case.json", "--model", "m.json"], {
      "case.json": "{",
      "m.json": "[",
    });
    expect(broken.err.map((e) => e.split(":")[0])).toEqual(["input", "model"]);
  });
});
