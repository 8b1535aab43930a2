import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDpAuditQueue } from "#/cli/dp-audits.ts";
import type { AuditQueue } from "#/features/dp-audits/service.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../test/databases.ts";
import { TODAY } from "../../test/today.ts";

/**
 * `upfront dp-audits queue` (issue 15): the demo council's direct-payment audit queue from the command line — the
 * four planted cases, highest risk first (the pub spend at a blocked merchant heads it), the same as the service's
 * queue (--json); a council or a date that does not exist is refused in one line with exit code 2.
 */

describe.each(enginesUnderTest())("upfront dp-audits queue on %s", (engine) => {
  let database: TestDatabase;

  const run = async (opts: { tenant: string; date?: string; json?: boolean }) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runDpAuditQueue(
      database,
      opts,
      { out: (l) => out.push(l), err: (l) => err.push(l) },
      TODAY,
    );
    return { code, out, err };
  };

  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
  }, 240_000);
  afterAll(async () => {
    await database?.drop();
  });

  it("prints the planted cases by risk, and the same as JSON", async () => {
    const lines = await run({ tenant: "demo" });
    expect(lines.code).toBe(0);
    expect(lines.out[0]).toBe(`demo: direct-payment audit queue on ${TODAY}`);
    expect(lines.out[1]).toBe("Flagged, highest risk first (4):");
    expect(lines.out[2]).toMatch(/Card spending at a blocked merchant/);
    const risks = lines.out.slice(2, 6).map((l) => Number(/risk (\d+)/.exec(l)![1]));
    expect(risks).toEqual([...risks].sort((a, b) => b - a));
    expect(lines.out.join("\n")).toMatch(/Cash taken out with no receipt \(£180\.00\)/);

    const json = await run({ tenant: "demo", json: true });
    const queue = JSON.parse(json.out.join("\n")) as AuditQueue;
    expect(queue.flagged.map((e) => e.riskScore)).toEqual(risks);
  });

  it("refuses a council or a date that does not exist, in one line, exit code 2", async () => {
    expect(await run({ tenant: "nowhere" })).toEqual({
      code: 2,
      out: [],
      err: ['--tenant: There is no council with the short name "nowhere".'],
    });
    const badDate = await run({ tenant: "demo", date: "2026-02-30" });
    expect(badDate.code).toBe(2);
    expect(badDate.err).toEqual([`--date: Give a real date as YYYY-MM-DD, for example ${TODAY}`]);
  });
});
