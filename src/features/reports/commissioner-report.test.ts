import { describe, expect, it } from "vitest";
import { chartKey, tableChart } from "#/features/reports/commissioner-charts.ts";
import { financialYearStart, parseReportPeriod } from "#/features/reports/commissioner-period.ts";
import { formatCell, type ReportTable, tableCsv } from "#/features/reports/commissioner-report.ts";
import { ValidationError } from "#/platform/errors.ts";

const table: ReportTable = {
  id: "by-week",
  caption: "By week",
  columns: [
    { key: "week_start", label: "Week starting", kind: "date" },
    { key: "planned_pence", label: "Planned", kind: "pence" },
    { key: "requests", label: "Requests", kind: "count" },
  ],
  rows: [
    ["2026-11-16", 123_456, 3],
    ["2026-11-23", null, 0],
  ],
  chart: { kind: "lines", series: ["planned_pence", "requests"], label: "Number" },
};

const messages = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error.fieldErrors.map((f) => f.message);
    throw error;
  }
  return [];
};

describe("commissioner's report period, cells and downloads", () => {
  it("rule: the UK financial year starts on 1 April", () => {
    expect(financialYearStart("2026-04-01")).toBe("2026-04-01");
    expect(financialYearStart("2026-03-31")).toBe("2025-04-01");
    expect(financialYearStart("2026-11-23")).toBe("2026-04-01");
  });

  it("rule: a missing end is today; a missing start is 12 weeks back or the financial year's start", () => {
    expect(parseReportPeriod({}, "2026-11-23", "financial_year")).toEqual({
      from: "2026-04-01",
      to: "2026-11-23",
    });
    expect(parseReportPeriod({ from: "", to: " " }, "2026-11-23", "twelve_weeks")).toEqual({
      from: "2026-09-01",
      to: "2026-11-23",
    });
    expect(parseReportPeriod({ to: "2026-03-31" }, "2026-11-23", "financial_year")).toEqual({
      from: "2025-04-01",
      to: "2026-03-31",
    });
  });

  it("rule (Bad input): an unreal date, a start after the end, or more than 366 days is refused with what to fix", () => {
    expect(messages(() => parseReportPeriod({ from: "2026-02-29" }, "2026-11-23", "twelve_weeks"))).toEqual([
      "Give the start date as a real date written YYYY-MM-DD, for example 2026-04-01",
    ]);
    expect(messages(() => parseReportPeriod({ to: "23/11/2026" }, "2026-11-23", "twelve_weeks"))).toEqual([
      "Give the end date as a real date written YYYY-MM-DD, for example 2026-04-01",
    ]);
    expect(messages(() => parseReportPeriod({ from: "2026-11-24" }, "2026-11-23", "twelve_weeks"))).toEqual([
      "The start date must be on or before the end date",
    ]);
    // 2024-04-01 to 2025-04-01 is 366 days (a leap year): allowed; a day more is not.
    expect(
      parseReportPeriod({ from: "2024-04-01", to: "2025-04-01" }, "2026-11-23", "twelve_weeks").from,
    ).toBe("2024-04-01");
    expect(
      messages(() =>
        parseReportPeriod({ from: "2024-03-31", to: "2025-04-01" }, "2026-11-23", "twelve_weeks"),
      ),
    ).toEqual(["A report covers at most 366 days: choose a later start date"]);
  });

  it("rule: the page shows pounds, dates in words and 'Not recorded' for null; the CSV keeps whole pence and leaves null empty", () => {
    expect(formatCell(123_456, "pence")).toBe("£1,234.56");
    expect(formatCell("2026-11-16", "date")).toBe("16 November 2026");
    expect(formatCell(null, "pence")).toBe("Not recorded");
    expect(formatCell(null, "days")).toBe("None yet");
    expect(formatCell(null, "percent")).toBe("Not defined");
    expect(formatCell(8.46, "weeks")).toBe("8.5 weeks");
    expect(formatCell(1, "days")).toBe("1 day");
    expect(tableCsv(table)).toBe(
      "week_start,planned_pence,requests\r\n2026-11-16,123456,3\r\n2026-11-23,,0\r\n",
    );
  });

  it("rule: a chart is one image with a text alternative and no inline style (the CSP allows none), with a key in words", () => {
    const svg = tableChart(table)!;
    expect(svg).toMatch(/^<svg[^>]*role="img"/);
    expect(svg).toMatch(/aria-label="Line chart: By week\./);
    expect(svg).not.toContain("<style");
    expect(chartKey(table)).toBe("Key: Planned, blue line with circles; Requests, orange line with squares.");
    expect(tableChart({ ...table, rows: [] })).toBeNull();
    expect(tableChart({ ...table, chart: undefined })).toBeNull();
  });
});
