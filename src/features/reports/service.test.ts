import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLD_COLUMNS } from "#/features/reports/cld-record.ts";
import { findTenantBySlug } from "#/features/tenants/service.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { readCsv } from "#/platform/csv/read.ts";
import { addDays, addMonths } from "#/platform/dates/calendar.ts";
import { ValidationError } from "#/platform/errors.ts";
import { DEMO_TENANT_SLUG, OTHER_TENANT_SLUG } from "#/seed/seed.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { TODAY } from "../../../test/today.ts";
import { buildCldReturn, NothingToReportError } from "./service.ts";

/** The rolling 12 months up to the test's today: the period the demo seed's records fall in. */
const YEAR_TO_TODAY = `${addDays(addMonths(TODAY, -12), 1)}..${TODAY}`;

async function fieldErrors(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ValidationError)) throw error ?? new Error("Expected a ValidationError");
  return error.fieldErrors;
}

describe.each(enginesUnderTest())("the CLD return (issue 15) on %s", (engine) => {
  let database: TestDatabase;
  let demo: ServiceContext;
  let other: ServiceContext;

  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
    const db = database.appDb ?? database.db;
    const scope = async (slug: string) => ({
      tenantId: (await findTenantBySlug(database.db, slug))!.tenantId,
      actor: { type: "system" as const, id: "test" },
    });
    demo = { db, scope: await scope(DEMO_TENANT_SLUG), today: TODAY };
    other = { db, scope: await scope(OTHER_TENANT_SLUG), today: TODAY };
  }, 120_000);
  afterAll(() => database?.drop());

  it("done-when (issue 15): the demo council's return passes its own data-quality checks", async () => {
    const result = await buildCldReturn(demo, { period: YEAR_TO_TODAY });
    expect(result.failures).toEqual([]);
    expect([result.failureCount, result.rowsFailing]).toEqual([0, 0]);
    expect(result.rows).toBeGreaterThan(0);
    const [header, ...lines] = readCsv(result.csv).records.map((r) => r.fields);
    expect(header).toEqual(CLD_COLUMNS.map(([, name]) => name));
    expect(lines).toHaveLength(result.rows);
    // The seed's requests, assessments and live budget reach the return.
    const column = CLD_COLUMNS.findIndex(([f]) => f === "eventType");
    expect([...new Set(lines.map((l) => l[column]))].sort()).toEqual(["Assessment", "Request", "Service"]);
    // Every passing field is counted in the summary, none with a failing code.
    expect(result.summary.every((s) => s.code >= 0)).toBe(true);
  });

  it("rule (issue 15): the export is repeatable: the same data gives the same bytes", async () => {
    const first = await buildCldReturn(demo, { period: YEAR_TO_TODAY });
    // Read in pages of 7 people instead of thousands: a different read order, the same files.
    const second = await buildCldReturn(demo, { period: YEAR_TO_TODAY }, { pageSize: 7 });
    expect(second.csv).toBe(first.csv);
    expect(second.qualityCsv).toBe(first.qualityCsv);
  });

  it("reports progress by people read, ending at every person", async () => {
    const seen: [number, number][] = [];
    await buildCldReturn(
      demo,
      { period: YEAR_TO_TODAY },
      { pageSize: 15, onProgress: (d, t) => seen.push([d, t]) },
    );
    const total = seen[0]![1];
    expect(total).toBeGreaterThan(15);
    expect(seen.at(-1)).toEqual([total, total]);
    expect(seen.map(([d]) => d)).toEqual([...seen.map(([d]) => d)].sort((a, b) => a - b));
  });

  it("bad input: a malformed period, and one over 12 months, say what to fix", async () => {
    expect(await fieldErrors(buildCldReturn(demo, { period: "last year" }))).toEqual([
      { path: "period", message: expect.stringContaining("2026-04-01..2027-03-31") },
    ]);
    expect(await fieldErrors(buildCldReturn(demo, { period: "2026-04-01..2027-04-01" }))).toEqual([
      { path: "period", message: expect.stringContaining("12 months") },
    ]);
  });

  it("a council with nothing to report in the period is told so", async () => {
    await expect(buildCldReturn(other, { period: YEAR_TO_TODAY })).rejects.toThrow(NothingToReportError);
    await expect(buildCldReturn(other, { period: YEAR_TO_TODAY })).rejects.toThrow(/nothing to report/);
  });
});
