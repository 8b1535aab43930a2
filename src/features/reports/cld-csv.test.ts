import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildCldFiles,
  CLD_RETURN_HEADER,
  QUALITY_REPORT_HEADER,
  writeCldReturn,
} from "#/features/reports/cld-csv.ts";
import { CLD_COLUMNS, type CldEvent, type CldRowSource } from "#/features/reports/cld-record.ts";
import { cldRow } from "#/features/reports/cld-rows.fixture.ts";
import { rulesFor } from "#/rules/registry.ts";

const rules = rulesFor("england", "2027-03-31").cld.rules!;
const source = (id: string, kind: CldRowSource["kind"] = "budget_line"): CldRowSource => ({
  personId: "p1",
  kind,
  id,
});
const read = (csv: string): string[][] => parse(csv, { relax_column_count: true });

const events: CldEvent[] = [
  { row: cldRow("service"), source: source("b1") },
  { row: cldRow("request", { requestRouteOfAccess: null }), source: source("r1", "referral") },
  {
    row: cldRow("assessment", { ethnicity: "White: English, Welsh, Scottish, Northern Irish or British" }),
    source: source("a1", "assessment"),
  },
  {
    row: cldRow("review", { laPersonUniqueIdentifier: "P0002", nhsNumber: "9434765918" }),
    source: source("v1", "review"),
  },
  { row: cldRow("service", { laPersonUniqueIdentifier: null, nhsNumber: null }), source: source("b9") },
];

describe("the CLD return file (REPORTING.md §1.2 column order; format [UNCONFIRMED])", () => {
  it("has the raw field names as its header, in order, and one CRLF line per event", () => {
    const csv = writeCldReturn(events.slice(0, 1));
    const [header, line] = read(csv);
    expect(header).toEqual(CLD_COLUMNS.map(([, name]) => name));
    expect(CLD_RETURN_HEADER).toHaveLength(50);
    expect(csv.split("\r\n")[0]).toBe(CLD_RETURN_HEADER.join(","));
    expect(line![CLD_RETURN_HEADER.indexOf("Unit Cost")]).toBe("24.50");
    expect(line![CLD_RETURN_HEADER.indexOf("Event End Date")]).toBe("");
    expect(csv.endsWith("\r\n")).toBe(true);
  });

  it("quotes a value holding a comma, so it stays one cell", () => {
    const csv = writeCldReturn([events[2]!]);
    expect(csv).toContain('"White: English, Welsh, Scottish, Northern Irish or British"');
    expect(read(csv)[1]![CLD_RETURN_HEADER.indexOf("Ethnicity")]).toBe(
      "White: English, Welsh, Scottish, Northern Irish or British",
    );
  });

  it("gives the same bytes for the same events in any order (fast-check)", () => {
    const expected = buildCldFiles(events, rules);
    fc.assert(
      fc.property(fc.shuffledSubarray(events, { minLength: events.length }), (shuffled) => {
        const files = buildCldFiles(shuffled, rules);
        expect(files.returnCsv).toBe(expected.returnCsv);
        expect(files.qualityReportCsv).toBe(expected.qualityReportCsv);
        expect(files.qualitySummaryCsv).toBe(expected.qualitySummaryCsv);
      }),
    );
  });
});

describe("the data-quality report: every failing field by person and event, with what to fix", () => {
  const files = buildCldFiles(events, rules);
  const report = read(files.qualityReportCsv);

  it("keeps an event with no person identifier out of the return and lists it first, with the reason (§1.11)", () => {
    expect(files.sent).toBe(4);
    expect(files.rejected.map((r) => r.event.source.id)).toEqual(["b9"]);
    expect(read(files.returnCsv)).toHaveLength(5);
    expect(report[0]).toEqual([...QUALITY_REPORT_HEADER]);
    expect(report[1]!.slice(5, 10)).toEqual(["budget_line b9", "p1", "Person identifier", "", "Not sent"]);
    expect(report[1]![11]).toMatch(/no NHS number/);
  });

  it("lists each failing field with its code, result, value and message", () => {
    expect(report.slice(2)).toEqual([
      [
        "P0001",
        "9434765919",
        "Request",
        "R1",
        "2026-05-01",
        "referral r1",
        "p1",
        "Request: Route of Access",
        "-1",
        "Failed: Blank (Mandatory)",
        "",
        "Request: Route of Access is blank: it is mandatory on request events",
      ],
      [
        "P0002",
        "9434765918",
        "Review",
        "V1",
        "2026-12-01",
        "review v1",
        "p1",
        "NHS Number",
        "-4",
        "Failed: Invalid",
        "9434765918",
        expect.stringContaining("check digit"),
      ],
    ]);
    expect(files.rowsFailing).toBe(2);
  });

  it("summarises counts per field and code", () => {
    const summary = read(files.qualitySummaryCsv);
    expect(summary[0]).toEqual(["Field", "DQ code", "Result", "Count"]);
    expect(summary).toContainEqual(["NHS Number", "1", "Passed: Valid", "3"]);
    expect(summary).toContainEqual(["NHS Number", "-4", "Failed: Invalid", "1"]);
    expect(summary).toContainEqual(["Request: Route of Access", "-1", "Failed: Blank (Mandatory)", "1"]);
  });
});
