import { readFile } from "node:fs/promises";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RasIo, registerRasCommands, runAdopt, runCalibrate } from "#/cli/ras.ts";
import { createTenant, currentRasModel } from "#/features/tenants/service.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../test/databases.ts";
import { TODAY } from "../../test/today.ts";

function capture(files: Record<string, string> = {}): RasIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return {
    lines,
    errors,
    readText: async (path) => files[path] ?? readFile(path, "utf8"),
    out: (l) => lines.push(l),
    err: (l) => errors.push(l),
  };
}

describe("ras commands", () => {
  it("register `ras calibrate --input` and `ras adopt --calibration --reason`", async () => {
    const program = new Command().exitOverride();
    const ras = registerRasCommands(program);
    expect(ras.commands.map((c) => c.name())).toEqual(["calibrate", "adopt"]);
    for (const c of ras.commands) c.exitOverride().configureOutput({ writeErr: () => {} });
    await expect(program.parseAsync(["node", "upfront", "ras", "calibrate"])).rejects.toThrow(/--input/);
    await expect(
      program.parseAsync(["node", "upfront", "ras", "adopt", "--calibration", "x"]),
    ).rejects.toThrow(/--reason/);
  });
});

describe.each(enginesUnderTest())("ras commands on %s", (engine) => {
  let database: TestDatabase;
  let tenantId: string;
  beforeAll(async () => {
    database = await databaseFor(engine, "migrated");
    tenantId = (
      await createTenant(
        database.db,
        { slug: "cli-council", name: "CLI Council", jurisdiction: "england" },
        { today: TODAY },
      )
    ).tenantId;
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("rule (Bad input): calibrate prints every bad row to stderr and exits 1, storing nothing", async () => {
    const io = capture({ "bad.csv": "person_reference,age\nP1,200\n" });
    expect(await runCalibrate(database, { input: "bad.csv", today: TODAY }, io)).toBe(1);
    expect(io.errors[0]).toBe("The file was not used: 2 problems need correcting");
    expect(io.errors.slice(1)).toEqual([
      expect.stringMatching(/^ {2}row 1: These columns are missing: primary_support_reason/),
      "  row 2, age: The age must be from 18 to 120, not 200",
    ]);
    const stored = await database.db.selectFrom("ras_calibrations").select("calibration_id").execute();
    expect(stored).toEqual([]);
  });

  it("rule: calibrate prints the report and stores a proposal; adopt makes it the next version, with the reason", async () => {
    const io = capture();
    // The only tenant is used when --tenant is left out.
    expect(await runCalibrate(database, { input: "examples/packages.csv", today: TODAY }, io)).toBe(0);
    const id = /^Calibration ([0-9a-f-]{36}) \(proposed\)$/.exec(io.lines[0]!)?.[1];
    expect(id).toBeDefined();
    const text = io.lines.join("\n");
    expect(text).toMatch(/Price per point: £\d+\.\d\d \(least squares: \d+\.\d{4} pounds\)/);
    expect(text).toMatch(/R²: 0\.\d{3} \(current model 0\.\d{3}\)/);
    expect(text).toContain("Learning disability support: 8 people");
    expect(text).toMatch(/\d+ people's indicative budgets would fall, by £[\d,.]+ a week in total/);
    expect(io.lines.at(-1)).toBe(
      `Stored as a proposal. To adopt it: npm run upfront -- ras adopt --calibration ${id} --reason "…"`,
    );

    const adopt = capture();
    expect(
      await runAdopt(database, { calibration: id!, reason: "Board, 20 November 2026", today: TODAY }, adopt),
    ).toBe(0);
    expect(adopt.lines[0]).toMatch(
      /^Adopted as version 2 of the RAS model \(price per point £\d+\.\d\d\)\.$/,
    );
    const ctx = {
      db: database.db,
      scope: { tenantId, actor: { type: "system" as const, id: null } },
      today: TODAY,
    };
    expect(await currentRasModel(ctx)).toMatchObject({ version: 2, reason: "Board, 20 November 2026" });
    expect((await currentRasModel(ctx)).adoptedBy).toMatch(/^cli:/);

    const again = capture();
    expect(await runAdopt(database, { calibration: id!, reason: "Again", today: TODAY }, again)).toBe(1);
    expect(again.errors[0]).toMatch(/already been adopted, as version 2/);
  });

  it("rule: with more than one tenant, --tenant is needed, and the choices are named", async () => {
    await createTenant(
      database.db,
      { slug: "cli-second", name: "Second", jurisdiction: "england" },
      { today: TODAY },
    );
    const io = capture();
    expect(await runCalibrate(database, { input: "examples/packages.csv", today: TODAY }, io)).toBe(2);
    expect(io.errors).toEqual([
      "There are 2 councils: say which with --tenant and its short name (cli-council, cli-second).",
    ]);
    const missing = capture();
    expect(await runAdopt(database, { calibration: "not-an-id", reason: "x" }, missing)).toBe(2);
    expect(missing.errors).toEqual(['There is no calibration with the id "not-an-id".']);
  });
});
