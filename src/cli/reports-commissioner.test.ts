import type { FastifyInstance } from "fastify";
import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildProgram } from "#/cli/program.ts";
import { type CommissionerOptions, fileFor, runCommissionerReport } from "#/cli/reports-commissioner.ts";
import { DEMO_TENANT_SLUG } from "#/seed/seed.ts";
import { buildTestApp } from "../../test/app.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../test/databases.ts";
import { InjectBrowser } from "../../test/inject-browser.ts";
import { TODAY } from "../../test/today.ts";

/**
 * `upfront reports commissioner` (issue 15): a commissioner's report table as CSV or XLSX, the same file as the
 * page's download (one builder, one tableCsv/tableXlsx); every table when --table is left out; each bad option
 * refused in a line naming it, with exit code 2 and nothing written; and its --help.
 */

const sheetOf = (data: Uint8Array) => {
  const files = unzipSync(data);
  return (
    strFromU8(files["xl/worksheets/sheet1.xml"]!) +
    strFromU8(files["xl/sharedStrings.xml"] ?? new Uint8Array())
  );
};

describe.each(enginesUnderTest())("upfront reports commissioner on %s", (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  const run = async (options: CommissionerOptions) => {
    const out: string[] = [];
    const err: string[] = [];
    const files = new Map<string, string | Buffer>();
    const code = await runCommissionerReport(
      database,
      { today: TODAY, ...options },
      {
        out: (l) => out.push(l),
        err: (l) => err.push(l),
        writeFile: async (path, data) => {
          files.set(path, data);
        },
      },
    );
    return { code, out, err, files };
  };

  beforeAll(async () => {
    database = await databaseFor(engine, "demo");
    app = await buildTestApp(database);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it("writes a table as CSV with the same bytes as the page's download, and as XLSX with the same sheet", async () => {
    const period = { from: "2026-04-01", to: TODAY };
    const commissioner = await new InjectBrowser(app).signIn("commissioner");
    const query = `from=${period.from}&to=${period.to}`;
    const csv = await run({
      tenant: DEMO_TENANT_SLUG,
      report: "money",
      table: "by-setting",
      ...period,
      format: "csv",
      out: "setting.csv",
    });
    expect(csv.err).toEqual([]);
    expect(csv.code).toBe(0);
    const page = await commissioner.get(`/reports/money/download/by-setting.csv?${query}`);
    expect(page.statusCode).toBe(200);
    expect(csv.files.get("setting.csv")).toBe(page.body);
    expect(csv.out).toEqual([
      expect.stringMatching(
        /^demo: Money, money by asc-fr setting \(\d+ rows?\), 2026-04-01 to 2026-11-23, written to setting\.csv$/,
      ),
    ]);

    const xlsx = await run({
      tenant: DEMO_TENANT_SLUG,
      report: "caseload",
      table: "by-week",
      from: "2026-09-07",
      to: TODAY,
      format: "xlsx",
      out: "weeks.xlsx",
    });
    expect(xlsx.code).toBe(0);
    const download = await commissioner.get(
      `/reports/caseload/download/by-week.xlsx?from=2026-09-07&to=${TODAY}`,
    );
    const written = xlsx.files.get("weeks.xlsx") as Buffer;
    expect(Buffer.isBuffer(written)).toBe(true);
    expect(sheetOf(new Uint8Array(written))).toBe(sheetOf(new Uint8Array(download.rawPayload)));
    // 7 September to the Sunday after 23 November: 12 whole weeks, and the header.
    expect(sheetOf(new Uint8Array(written)).match(/<row /g)).toHaveLength(13);
  });

  it("without --table writes every table of the report, one file each, named by the table's id", async () => {
    const every = await run({ tenant: DEMO_TENANT_SLUG, report: "money", format: "csv", out: "money.csv" });
    expect(every.code).toBe(0);
    expect([...every.files.keys()]).toEqual([
      "money-by-stream.csv",
      "money-by-deployment.csv",
      "money-by-setting.csv",
      "money-by-category.csv",
      "money-surplus.csv",
      "money-contributions.csv",
    ]);
    expect(every.out).toHaveLength(6);
    // Without --from, the money report starts on the 1 April on or before today, as the page does.
    expect(every.out[0]).toContain("2026-04-01 to 2026-11-23");
    expect(fileFor("out", "xlsx", "by-team", true)).toBe("out-by-team.xlsx");
    expect(fileFor("caseload.xlsx", "xlsx", "by-team", false)).toBe("caseload.xlsx");
  });

  it("bad input: an unknown council, report, table or format and a bad period are each refused (exit 2) naming the option, and nothing is written", async () => {
    const base = { tenant: DEMO_TENANT_SLUG, report: "money", format: "csv", out: "x.csv" };
    const cases: [CommissionerOptions, string[]][] = [
      [{ ...base, tenant: "nowhere" }, ['--tenant: There is no council with the short name "nowhere".']],
      [
        { ...base, report: "spending" },
        ["--report: Give the report: one of caseload, money, outcomes, market"],
      ],
      [{ ...base, format: "pdf" }, ["--format: Give the format: csv or xlsx"]],
      [
        { ...base, report: "spending", format: "pdf" },
        [
          "--report: Give the report: one of caseload, money, outcomes, market",
          "--format: Give the format: csv or xlsx",
        ],
      ],
      [
        { ...base, table: "by-colour" },
        [
          '--table: The money report has no table "by-colour": give one of by-stream, by-deployment, by-setting, by-category, surplus, contributions',
        ],
      ],
      [
        { ...base, table: "By Stream" },
        [
          "--table: Give a table's id in lower case, for example by-stream (leave --table out for every table)",
        ],
      ],
      [
        { ...base, from: "2026-02-30" },
        ["--from: Give the start date as a real date written YYYY-MM-DD, for example 2026-04-01"],
      ],
      [
        { ...base, to: "23/11/2026" },
        ["--to: Give the end date as a real date written YYYY-MM-DD, for example 2026-04-01"],
      ],
      [
        { ...base, from: "2026-11-01", to: "2026-10-01" },
        ["--from: The start date must be on or before the end date"],
      ],
      [
        { ...base, from: "2025-01-01", to: "2026-11-01" },
        ["--from: A report covers at most 366 days: choose a later start date"],
      ],
      [{ ...base, out: " " }, ["--out: Give the file to write (--out)"]],
    ];
    for (const [options, messages] of cases) {
      const result = await run(options);
      expect(result.err, JSON.stringify(options)).toEqual(messages);
      expect(result.code).toBe(2);
      expect(result.files.size).toBe(0);
    }
  });

  it("--help says what each option takes, the reports and their default periods, and how tables are named", () => {
    const reports = buildProgram().commands.find((c) => c.name() === "reports")!;
    const command = reports.commands.find((c) => c.name() === "commissioner")!;
    let help = "";
    command.configureOutput({ writeOut: (text) => (help += text) });
    command.outputHelp(); // the options and the text added after them
    const all = help.replace(/\s+/g, " ");
    for (const words of [
      "--tenant <short-name>",
      "--report <report> the report: caseload, money, outcomes, market",
      "--table <id>",
      "--from <date>",
      "--to <date>",
      "--format <format> csv or xlsx",
      "--out <file>",
      "Without --from, money, outcomes and market start on the 1 April on or before --to",
      "--out money.csv writes money-by-stream.csv",
    ])
      expect(all).toContain(words);
  });
});
