import { writeCsv } from "#/platform/csv/write.ts";
import { dateInWords } from "#/platform/date-words.calc.ts";
import { formatPounds, pence } from "#/platform/money/pence.ts";
import { writeXlsx } from "#/platform/xlsx/write.ts";

/**
 * A commissioner's report as data: headline figures, notes saying how each figure is worked out, and tables.
 * The page shows each table (with its chart beside it), the CSV and XLSX downloads hold the same rows, and the
 * API returns the same object: one set of figures, four ways to read it. Money is whole pence throughout; the
 * page shows pounds, the downloads and the API whole pence (columns whose key ends in _pence).
 */

export const COMMISSIONER_REPORTS = [
  {
    id: "caseload",
    title: "Caseload flow",
    description:
      "Requests, assessments, eligibility, plans agreed, budgets started and reviews, by week and by team; reviews overdue; the wait from a request to the first payment.",
  },
  {
    id: "money",
    title: "Money",
    description:
      "Allocated, planned, paid and spent by funding stream, deployment, setting and support category; surplus held in weeks of budget; contributions due and paid.",
  },
  {
    id: "outcomes",
    title: "Outcomes",
    description:
      "How people rated their own outcomes at review, by outcome area, age band and primary support reason.",
  },
  {
    id: "market",
    title: "Market gaps",
    description:
      "Supports that plans asked for but the directory could not supply, by category and area; underspends because support was hard to find.",
  },
] as const;
export type CommissionerReportId = (typeof COMMISSIONER_REPORTS)[number]["id"];

export type ColumnKind = "text" | "date" | "count" | "pence" | "days" | "weeks" | "percent";
export type ReportColumn = { key: string; label: string; kind: ColumnKind };
export type ReportCell = string | number | null;

/** How a table is drawn: lines over time (the first column is the date), or bars by the first column. */
export type ChartSpec = { kind: "lines" | "bars"; series: string[]; label: string };

export type ReportTable = {
  id: string;
  caption: string;
  columns: ReportColumn[];
  rows: ReportCell[][];
  chart?: ChartSpec;
};

export type CommissionerReport = {
  id: CommissionerReportId;
  title: string;
  from: string;
  to: string;
  summary: { label: string; value: ReportCell; kind: ColumnKind }[];
  /** How the figures are worked out, in plain words (shown on the page, returned by the API). */
  notes: string[];
  tables: ReportTable[];
};

/** A cell as the page shows it. */
export function formatCell(value: ReportCell, kind: ColumnKind): string {
  // Null is a figure with nothing behind it: a wait no one has finished yet, a share or a ratio of nothing, or
  // something not recorded at that level.
  if (value === null)
    return kind === "days"
      ? "None yet"
      : kind === "percent" || kind === "weeks"
        ? "Not defined"
        : "Not recorded";
  if (typeof value === "string") return kind === "date" ? dateInWords(value) : value;
  switch (kind) {
    case "pence":
      return formatPounds(pence(value));
    case "days":
      return `${value} ${value === 1 ? "day" : "days"}`;
    case "weeks":
      return `${value.toFixed(1)} weeks`;
    case "percent":
      return `${value.toFixed(1)}%`;
    default:
      return value.toLocaleString("en-GB");
  }
}

export function findTable(report: CommissionerReport, tableId: string): ReportTable | undefined {
  return report.tables.find((t) => t.id === tableId);
}

/** The table as CSV: the column keys as the header, whole pence, numbers unformatted. */
export function tableCsv(table: ReportTable): string {
  return writeCsv(
    table.columns.map((c) => c.key),
    table.rows,
  );
}

/** The same rows as a one-sheet spreadsheet. */
export function tableXlsx(table: ReportTable): Promise<Buffer> {
  return writeXlsx(
    table.caption,
    table.columns.map((c) => c.key),
    table.rows,
  );
}
