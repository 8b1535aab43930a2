import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runFairnessSettings } from "#/cli/fairness.ts";
import { buildTestApp } from "../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../test/databases.ts";
import { TODAY } from "../../test/today.ts";

/**
 * `upfront fairness settings` (issue 15): a council's own small-number threshold and margin for its public
 * fairness dashboard, from a date. Rule: a council may hide more, never less than the rules' default (10
 * people, rules/england/fairness-rules.ts); bad input is refused one line an option, nothing written.
 */

describe.each(enginesUnderTest())("upfront fairness settings on %s", (engine) => {
  let database: TestDatabase;

  const run = async (opts: Partial<Parameters<typeof runFairnessSettings>[1]>) => {
    const out: string[] = [];
    const err: string[] = [];
    const options = {
      tenant: "demo",
      fewerThan: "12",
      margin: "15",
      from: TODAY,
      reason: "Agreed by the board",
      ...opts,
    };
    const code = await runFairnessSettings(
      database,
      options,
      { out: (l) => out.push(l), err: (l) => err.push(l) },
      TODAY,
    );
    return { code, out, err };
  };
  const dashboard = async () => {
    const app = await buildTestApp(database);
    try {
      return (await app.inject({ method: "GET", url: "/api/v1/councils/demo/fairness" })).json();
    } finally {
      await app.close();
    }
  };

  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
  }, 240_000);
  afterAll(async () => {
    await database?.drop();
  });

  it("rule: the threshold cannot go below the rules' default; each bad option is named", async () => {
    const result = await run({ fewerThan: "5", margin: "0", from: "2026-02-30" });
    expect(result.code).toBe(1);
    expect(result.err).toEqual([
      "--fewer-than: Hide figures about fewer than at least 10 people: fewer could identify someone",
      "--margin: The margin must be at least 1%",
      "--from: Give the date the settings apply from as a real date written YYYY-MM-DD",
    ]);
    expect((await dashboard()).settings).toMatchObject({
      suppressFewerThan: 10,
      marginPercent: 10,
      source: { kind: "rules" },
    });
  });

  it("a council's own settings are used from their date, and said on the dashboard", async () => {
    const result = await run({});
    expect(result.err).toEqual([]);
    expect(result.code).toBe(0);
    const settings = (await dashboard()).settings;
    expect(settings).toEqual({
      suppressFewerThan: 12,
      marginPercent: 15,
      source: { kind: "council", validFrom: TODAY, reason: "Agreed by the board" },
    });
    const again = await run({});
    expect(again.code).toBe(1);
    expect(again.err).toEqual([
      `--from: The council already has fairness settings from ${TODAY}: give a later date`,
    ]);
  });

  it("rule: an unknown council is a usage error", async () => {
    expect((await run({ tenant: "nowhere" })).code).toBe(2);
  });
});
