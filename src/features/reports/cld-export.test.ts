import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCouncil } from "#/features/accounts/portal.fixture.ts";
import { type CldSink, exportCldReturn } from "#/features/reports/cld-export.ts";
import { bringCldEventsUpToDate, cldDerivationIn } from "#/features/reports/cld-refresh.ts";
import { findTenantBySlug } from "#/features/tenants/service.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { addDays, addMonths } from "#/platform/dates/calendar.ts";
import { withTenant } from "#/platform/db/tenant.ts";
import { rulesFor } from "#/rules/registry.ts";
import { DEMO_TENANT_SLUG, OTHER_TENANT_SLUG } from "#/seed/seed.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { TODAY } from "../../../test/today.ts";
import { buildCldReturn, NothingToReportError } from "./service.ts";

/**
 * The CLD return exported from the events table (issue 15, "Scale and correctness") agrees with the return
 * worked out in memory from the owners' records (buildCldReturn): the same bytes in both files, the same summary,
 * counts and failures, for the demo council and a council whose rows cannot be sent; and for periods that end
 * at different dates, since the primary support reason and the funding status are those in force at the end.
 */

const YEAR_TO_TODAY = `${addDays(addMonths(TODAY, -12), 1)}..${TODAY}`;
const EARLIER_YEAR = `${addDays(addMonths(TODAY, -18), 1)}..${addMonths(TODAY, -6)}`;

/** Files written to memory, a piece at a time as the export writes them. */
function memoryFiles() {
  const parts = { returnFile: [] as string[], qualityFile: [] as string[] };
  const sink = (into: string[]): CldSink => ({ write: (t) => void into.push(t), end: () => undefined });
  return {
    open: async () => ({ returnFile: sink(parts.returnFile), qualityFile: sink(parts.qualityFile) }),
    text: () => ({ csv: parts.returnFile.join(""), qualityCsv: parts.qualityFile.join("") }),
    writes: () => parts.returnFile.length,
  };
}

describe.each(enginesUnderTest())("the CLD return from the events table on %s", (engine) => {
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

  async function agree(ctx: ServiceContext, period: string) {
    const expected = await buildCldReturn(ctx, { period });
    const files = memoryFiles();
    const got = await exportCldReturn(ctx, { period }, { open: files.open, batchSize: 3 });
    expect(files.text().csv).toBe(expected.csv);
    expect(files.text().qualityCsv).toBe(expected.qualityCsv);
    expect(got.qualitySummaryCsv).toBe(expected.qualitySummaryCsv);
    expect({
      rows: got.rows,
      people: got.people,
      failureCount: got.failureCount,
      rowsFailing: got.rowsFailing,
      summary: got.summary,
      failures: got.failures,
    }).toEqual({
      rows: expected.rows,
      people: expected.people,
      failureCount: expected.failureCount,
      rowsFailing: expected.rowsFailing,
      summary: expected.summary,
      failures: expected.failures,
    });
    return { got, files };
  }

  it("rule (issue 15): the demo council's export from the table is the in-memory return, byte for byte", async () => {
    const { got, files } = await agree(demo, YEAR_TO_TODAY);
    expect(got.rows).toBeGreaterThan(0);
    // Streamed: batches of 3 rows give many writes, never one string of the whole file.
    expect(files.writes()).toBeGreaterThan(got.rows / 3 - 1);
  });

  it("rule (REPORTING.md §1.12): a period ending earlier gets its own rows and the values in force at its end", async () => {
    await agree(demo, EARLIER_YEAR);
  });

  it("rule (REPORTING.md §1.11): rows that cannot be sent are listed first in the report, as in memory", async () => {
    const council = await makeCouncil(database.db, "cld-store-gaps", TODAY, ["commissioner"]);
    const ctx = { ...demo, scope: { tenantId: council.tenantId, actor: demo.scope.actor } };
    const { got } = await agree(ctx, YEAR_TO_TODAY);
    expect(got.failures[0]?.field).toBe("Person identifier");
  });

  it("rule (issue 15): the export is repeatable, and a full rebuild gives the same bytes", async () => {
    const first = memoryFiles();
    await exportCldReturn(demo, { period: YEAR_TO_TODAY }, { open: first.open });
    const second = memoryFiles();
    await exportCldReturn(demo, { period: YEAR_TO_TODAY }, { open: second.open });
    expect(second.text()).toEqual(first.text());
    const derivation = await withTenant(demo.db, demo.scope, (tx) =>
      cldDerivationIn(tx, rulesFor("england", TODAY).cld.rules!),
    );
    const rebuilt = await bringCldEventsUpToDate(demo.db, demo.scope, derivation, { forceFull: true });
    expect(rebuilt.kind).toBe("full");
    const third = memoryFiles();
    await exportCldReturn(demo, { period: YEAR_TO_TODAY }, { open: third.open });
    expect(third.text()).toEqual(first.text());
  });

  it("a council with nothing to report is told so, and nothing is opened", async () => {
    let opened = false;
    const error = await exportCldReturn(
      other,
      { period: YEAR_TO_TODAY },
      {
        open: async () => {
          opened = true;
          return {};
        },
      },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NothingToReportError);
    expect((error as Error).message).toMatch(
      /^Other Council has no requests, .* nothing to report for that period$/,
    );
    expect(opened).toBe(false);
  });
});
