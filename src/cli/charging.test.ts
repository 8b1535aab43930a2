import { readFileSync } from "node:fs";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CalcIo } from "#/cli/calc.ts";
import { registerChargingCommand } from "#/cli/charging.ts";
import { chargingInputSchema } from "#/features/charging/charging-input.calc.ts";
import type { Database } from "#/platform/db/database.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../test/databases.ts";
import { TODAY } from "../../test/today.ts";

/** `upfront calc charging --input case.json`, through commander with the outside world replaced. */

const examplePath = (name: string) => new URL(`../../examples/${name}`, import.meta.url).pathname;

async function run(args: string[], files: Record<string, string> = {}, database?: Database) {
  const out: string[] = [];
  const err: string[] = [];
  let failed = false;
  let code: number | undefined;
  const io: CalcIo = {
    ...(database
      ? {
          withDatabase: async (use: (db: Database) => Promise<number>) => {
            code = await use(database);
          },
          today: () => TODAY,
        }
      : {}),
    readText: async (path) => {
      if (path in files) return files[path]!;
      return readFileSync(path, "utf8");
    },
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    fail: () => {
      failed = true;
    },
  };
  const program = new Command().exitOverride();
  registerChargingCommand(program, io);
  await program.parseAsync(["calc", "charging", ...args], { from: "user" });
  return { out: out.join("\n"), err, failed, code };
}

const EXAMPLES = [
  "charging-case-wales.json",
  "charging-case-england-light-touch.json",
  "charging-case-england-full.json",
  "charging-case-scotland.json",
  "charging-case-year-boundary.json",
];

describe("upfront calc charging", () => {
  it.each(EXAMPLES)("%s parses as a charging case", (name) => {
    const parsed = chargingInputSchema.safeParse(JSON.parse(readFileSync(examplePath(name), "utf8")));
    expect(parsed.error).toBeUndefined();
  });

  it("Wales example: the charge of £125.95 is capped at the £100 weekly maximum", async () => {
    const { out, failed } = await run(["--input", examplePath("charging-case-wales.json")]);
    expect(failed).toBe(false);
    const result = JSON.parse(out);
    expect(result.periods).toHaveLength(1);
    expect(result.periods[0]).toMatchObject({
      rulePackId: "wales-charging-2025-26",
      chargeBeforeLimitsWeeklyPence: 12_595,
      contributionWeeklyPence: 10_000,
      councilPaysWeeklyPence: 22_000,
    });
  });

  it("England light-touch example: capital over £23,250 (2024-25 circular), so the full £450 a week", async () => {
    const result = JSON.parse(
      (await run(["--input", examplePath("charging-case-england-light-touch.json")])).out,
    );
    expect(result.periods[0]).toMatchObject({
      assessment: "light_touch",
      lightTouchReason: "capital_over_upper_limit",
      contributionWeeklyPence: 45_000,
    });
  });

  it("England full example, 2025-26 with no figure typed in: (£140.55 + £72.90 + £7 tariff) − MIG £178.37 (£162.15 + the council's 10%, rounded up) − £15 − £8.50 DRE = £18.58", async () => {
    const { out, failed } = await run(["--input", examplePath("charging-case-england-full.json")]);
    expect(failed).toBe(false);
    const result = JSON.parse(out);
    expect(result.periods[0]).toMatchObject({
      rulePackId: "england-charging-2025-26",
      assessableIncomeWeeklyPence: 213_45,
      disposableIncomeWeeklyPence: 18_58,
      contributionWeeklyPence: 18_58,
    });
  });

  it("Scotland example: personal care is free, so nothing to pay", async () => {
    const result = JSON.parse((await run(["--input", examplePath("charging-case-scotland.json")])).out);
    expect(result.periods[0]).toMatchObject({ assessment: "nothing_to_charge", contributionWeeklyPence: 0 });
  });

  it("year-boundary example: three periods (April 2025; then the council's May policy at 90%)", async () => {
    const result = JSON.parse((await run(["--input", examplePath("charging-case-year-boundary.json")])).out);
    expect(
      result.periods.map((p: { from: string; rulePackId: string; contributionWeeklyPence: number }) => [
        p.from,
        p.rulePackId,
        p.contributionWeeklyPence,
      ]),
    ).toEqual([
      ["2025-03-03", "wales-charging-2024-25", 5_290],
      ["2025-04-01", "wales-charging-2025-26", 5_290],
      ["2025-05-01", "wales-charging-2025-26", 4_761],
    ]);
  });

  it("reports a missing file and bad JSON as input errors", async () => {
    const missing = await run(["--input", "/nonexistent/case.json"]);
    expect(missing.failed).toBe(true);
    expect(missing.err[0]).toMatch(/^input: Cannot read \/nonexistent\/case\.json/);
    const bad = await run(["--input", "bad.json"], { "bad.json": "{ not json" });
    expect(bad.err[0]).toMatch(/^input: bad\.json is not valid JSON/);
  });

  it("reports field errors as path: message lines", async () => {
    const { err, failed } = await run(["--input", "case.json"], {
      "case.json": JSON.stringify({
        jurisdiction: "england",
        period: { from: "2025-01-01" },
        person: { age: 40, reachedPensionCreditAge: false },
        costOfCare: { weeklyPence: -5 },
      }),
    });
    expect(failed).toBe(true);
    expect(err).toEqual(["costOfCare.weeklyPence: The weekly cost of care cannot be negative"]);
  });
});

describe.each(enginesUnderTest())(
  "upfront calc charging --tenant on %s (issue 12: a council's figures)",
  (engine) => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await databaseFor(engine, { demo: { people: 1 } });
    }, 120_000);
    afterAll(async () => {
      await database?.drop();
    });

    const { councilPolicy: _policy, ...example } = JSON.parse(
      readFileSync(examplePath("charging-case-england-full.json"), "utf8"),
    );
    // 2026-27 for a 52-year-old: the single 25+ MIG amount is in one published source only, so the rules alone refuse.
    const case2026 = JSON.stringify({ ...example, period: { from: "2026-06-01", to: "2026-06-28" } });
    const files = {
      "case.json": case2026,
      "with-policy.json": JSON.stringify({ ...JSON.parse(case2026), councilPolicy: { versions: [] } }),
    };

    it("uses the council's supplied figures and policy, each step citing them; without --tenant the same case is refused", async () => {
      const national = await run(["--input", "case.json"], files);
      expect(national.failed).toBe(true);
      expect(national.err.join("\n")).toMatch(/£120\.40/);
      const { out, failed, code } = await run(["--input", "case.json", "--tenant", "demo"], files, database);
      expect({ failed, code }).toEqual({ failed: false, code: 0 });
      const period = JSON.parse(out).periods[0];
      expect(Number.isInteger(period.contributionWeeklyPence)).toBe(true);
      expect(period.councilPolicy).not.toBeNull();
      const personal = period.steps.find(
        (s: { id: string }) => s.id === "mig.single_25_to_pension_credit_age",
      );
      expect(personal.rule).toMatchObject({ basis: "council_supplied" });
    });

    it("refuses an unknown council (exit 2), a case with its own policy, or another jurisdiction's case (exit 1), saying what to fix", async () => {
      const unknown = await run(["--input", "case.json", "--tenant", "nowhere"], files, database);
      expect(unknown.code).toBe(2);
      expect(unknown.err[0]).toMatch(/^--tenant: /);
      const policy = await run(["--input", "with-policy.json", "--tenant", "demo"], files, database);
      expect(policy.code).toBe(1);
      expect(policy.err[0]).toMatch(
        /^councilPolicy: With --tenant, Demo Council's own charging policy is used/,
      );
      const wales = await run(
        ["--input", examplePath("charging-case-wales.json"), "--tenant", "demo"],
        {},
        database,
      );
      expect(wales.code).toBe(1);
      expect(wales.err[0]).toMatch(
        /^jurisdiction: The case is for wales, but Demo Council uses england's rules/,
      );
    });
  },
);
