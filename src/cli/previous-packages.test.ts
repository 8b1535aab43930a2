import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPreviousPackageImport } from "#/cli/previous-packages.ts";
import { databaseFor, demoTenantId, enginesUnderTest, type TestDatabase } from "../../test/databases.ts";
import { TODAY } from "../../test/today.ts";

/**
 * `upfront people previous-packages` (issue 15): the bulk import of the packages plans replaced. All or
 * nothing: every bad row is listed by number with what to fix, and nothing is recorded; a good file records
 * each on the person's latest plan, audited.
 */

describe.each(enginesUnderTest())("upfront people previous-packages on %s", (engine) => {
  let database: TestDatabase;
  let references: string[] = [];

  const run = async (text: string) => {
    const out: string[] = [];
    const err: string[] = [];
    const io = {
      out: (l: string) => out.push(l),
      err: (l: string) => err.push(l),
      readText: async () => text,
    };
    const code = await runPreviousPackageImport(
      database,
      { tenant: "demo", file: "packages.csv" },
      io,
      TODAY,
    );
    return { code, out, err };
  };
  const recorded = async () =>
    (
      await sql<{ reference: string; weekly: string | null; date: string | null }>`
        SELECT p.reference, s.previous_package_weekly_pence::text AS weekly, s.previous_package_date::text AS date
        FROM support_plans s JOIN people p ON p.tenant_id = s.tenant_id AND p.person_id = s.person_id
        WHERE p.reference = ANY(${references}) ORDER BY p.reference`.execute(database.db)
    ).rows;

  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
    const tenantId = await demoTenantId(database);
    const rows = await sql<{ reference: string }>`
      SELECT DISTINCT p.reference FROM support_plans s JOIN people p ON p.tenant_id = s.tenant_id AND p.person_id = s.person_id
      WHERE s.tenant_id = ${tenantId} AND s.previous_package_date IS NULL ORDER BY p.reference LIMIT 2`.execute(
      database.db,
    );
    references = rows.rows.map((r) => r.reference);
  }, 240_000);
  afterAll(async () => {
    await database?.drop();
  });

  it("rule: every bad row is listed with what to fix, and nothing is recorded", async () => {
    const [a, b] = references;
    const result = await run(
      [
        "person_reference,weekly_cost,date",
        `${a},412.50,2025-03-01`,
        `${b},-5,2025-03-01`,
        "NO-SUCH,100,2025-03-01",
        `${a},100,2030-01-01`,
      ].join("\n"),
    );
    expect(result.code).toBe(1);
    expect(result.err).toEqual([
      'Row 3: Give the weekly cost in pounds, like 412.50, not "-5"',
      'Row 4: No one has the reference "NO-SUCH": check it against the person\'s record',
      `Row 5: "${a}" is on an earlier row too: give each person once`,
      "Row 5: The date of the package's cost cannot be in the future",
      "Nothing was recorded.",
    ]);
    expect((await recorded()).every((r) => r.weekly === null)).toBe(true);
  });

  it("a good file records each on the person's latest plan", async () => {
    const [a, b] = references;
    const result = await run(
      ["weekly_cost,person_reference,date", `412.50,${a},2025-03-01`, `99,${b},2024-12-31`].join("\n"),
    );
    expect(result.err).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.out[0]).toBe("Recorded the package replaced on 2 plans:");
    expect(await recorded()).toEqual([
      { reference: a, weekly: "41250", date: "2025-03-01" },
      { reference: b, weekly: "9900", date: "2024-12-31" },
    ]);
  });

  it("rule: a header without the columns is refused, naming them", async () => {
    const result = await run("person,cost\nX,1");
    expect(result.code).toBe(1);
    expect(result.err[0]).toBe(
      'Row 1: "person" is not a column of this import: use person_reference, weekly_cost, date',
    );
  });
});
