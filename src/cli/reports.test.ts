import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CldOptions, runCldReport } from "#/cli/reports.ts";
import { QUALITY_REPORT_HEADER } from "#/features/reports/cld-csv.ts";
import { CLD_COLUMNS } from "#/features/reports/cld-record.ts";
import { addDays, addMonths } from "#/platform/dates/calendar.ts";
import { DEMO_TENANT_SLUG, OTHER_TENANT_SLUG } from "#/seed/seed.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../test/databases.ts";
import { TODAY } from "../../test/today.ts";

/**
 * `upfront reports cld` (issue 15): the return and its data-quality report as files, the same bytes every time,
 * and clear errors for an unknown council, a malformed period, a period over 12 months and nothing to report.
 */
describe.each(enginesUnderTest())("upfront reports cld on %s", (engine) => {
  let database: TestDatabase;
  const period = `${addDays(addMonths(TODAY, -12), 1)}..${TODAY}`;
  const run = async (options: Omit<CldOptions, "today">) => {
    const out: string[] = [];
    const err: string[] = [];
    const files = new Map<string, string>();
    const code = await runCldReport(
      database,
      { ...options, today: TODAY },
      {
        out: (t) => out.push(t),
        err: (l) => err.push(l),
        tty: false,
        openFile: async (path) => {
          files.set(path, "");
          return { write: (text) => void files.set(path, files.get(path) + text), end: () => undefined };
        },
      },
    );
    return { code, out: out.join(""), err, files };
  };

  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
  }, 120_000);
  afterAll(() => database?.drop());

  it("writes the return and the data-quality report to files, the same bytes each time", async () => {
    const first = await run({ tenant: DEMO_TENANT_SLUG, period, out: "cld.csv", qualityOut: "dq.csv" });
    expect(first.code).toBe(0);
    const csv = first.files.get("cld.csv")!;
    expect(csv.split("\r\n")[0]).toBe(CLD_COLUMNS.map(([, name]) => name).join(","));
    expect(first.files.get("dq.csv")!.split("\r\n")[0]).toBe(QUALITY_REPORT_HEADER.join(","));
    expect(first.out).toMatch(/^demo: \d+ rows for \d+ people, .* written to cld\.csv\n/);
    expect(first.out).toContain("every field passed the data-quality checks");
    expect(first.err.every((l) => /^progress demo: (people|rows) \d+\/\d+$/.test(l))).toBe(true);
    const second = await run({ tenant: DEMO_TENANT_SLUG, period, out: "cld.csv", qualityOut: "dq.csv" });
    expect(second.files).toEqual(first.files);
  });

  it("without --out, the return goes to standard output and the summary to standard error", async () => {
    const { code, out, err, files } = await run({ tenant: DEMO_TENANT_SLUG, period });
    expect(code).toBe(0);
    expect(files.size).toBe(0);
    expect(out.startsWith("LA Code,Reporting Period Start Date,")).toBe(true);
    expect(err.at(-1)).toBe("demo: every field passed the data-quality checks");
  });

  it("bad input: an unknown council, a malformed period and one over 12 months are refused (exit 2)", async () => {
    const unknown = await run({ tenant: "nowhere", period });
    expect(unknown).toMatchObject({
      code: 2,
      err: ['--tenant: There is no council with the short name "nowhere".'],
    });
    const malformed = await run({ tenant: DEMO_TENANT_SLUG, period: "2026-04-01 to 2027-03-31" });
    expect(malformed.code).toBe(2);
    expect(malformed.err.at(-1)).toMatch(
      /^--period: "2026-04-01 to 2027-03-31" is not a period: .*like 2026-04-01\.\.2027-03-31$/,
    );
    const long = await run({ tenant: DEMO_TENANT_SLUG, period: "2025-04-01..2026-04-30" });
    expect(long.code).toBe(2);
    expect(long.err.at(-1)).toMatch(/^--period: .*12 months/);
    expect(long.files.size + malformed.files.size).toBe(0);
  });

  it("a council with nothing to report is told so (exit 1) and no file is written", async () => {
    const none = await run({ tenant: OTHER_TENANT_SLUG, period, out: "cld.csv" });
    expect(none.code).toBe(1);
    expect(none.err.at(-1)).toMatch(/^other: Other Council has no requests, .* nothing to report/);
    expect(none.files.size).toBe(0);
  });
});
