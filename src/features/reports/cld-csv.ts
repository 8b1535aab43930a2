import { compareCldRows } from "#/features/reports/cld-period.calc.ts";
import { cldPersonKey } from "#/features/reports/cld-person-key.calc.ts";
import {
  checkCldRow,
  cldFieldName,
  dqResult,
  type FieldQuality,
  failingFields,
  type QualityCount,
  summariseQuality,
} from "#/features/reports/cld-quality.calc.ts";
import { CLD_COLUMNS, type CldEvent, type CldRow, type CldRowSource } from "#/features/reports/cld-record.ts";
import { writeCsv } from "#/platform/csv/write.ts";
import type { CldRules } from "#/rules/registry.ts";

/**
 * The files of a CLD return, written from its events: the return itself (one row per event, the header the raw
 * field names of REPORTING.md §1.2 in order), and the data-quality report staff work through before sending it
 * (every failing field, by person and event, with what to fix), and its summary (counts per field and code).
 * Pure and repeatable: the events are put in one total order first, so the same events give the same bytes
 * whatever order they were read in. The return's file format is [UNCONFIRMED] (REPORTING.md §1.1): CSV here.
 */

/** An event that cannot be sent, and why (no person identifier: DHSC drops such rows). */
export type RejectedEvent = { readonly event: CldEvent; readonly reason: string };

export type CldFiles = {
  /** The return: only the events that can be sent. */
  readonly returnCsv: string;
  readonly qualityReportCsv: string;
  readonly qualitySummaryCsv: string;
  readonly sent: number;
  readonly rejected: readonly RejectedEvent[];
  /** Rows with at least one failing field (−1 or below). */
  readonly rowsFailing: number;
  readonly summary: readonly QualityCount[];
};

const compareSources = (a: CldRowSource, b: CldRowSource): number => {
  for (const key of ["personId", "kind", "id"] as const) {
    if (a[key] !== b[key]) return a[key] < b[key] ? -1 : 1;
  }
  return 0;
};

/** Events in one total order: by row (cld-period.calc.ts), then by the Upfront record they came from. */
export function sortCldEvents(events: readonly CldEvent[]): CldEvent[] {
  return [...events].sort((a, b) => compareCldRows(a.row, b.row) || compareSources(a.source, b.source));
}

/** The return's header: the CLD columns' raw names, in order. */
export const CLD_RETURN_HEADER: readonly string[] = CLD_COLUMNS.map(([, name]) => name);

/** One row's cells in column order (for a caller that streams a very large return a page at a time). */
export const cldReturnCells = (row: CldRow): (string | null)[] => CLD_COLUMNS.map(([field]) => row[field]);

/** The return file: the header, then one line per event in the stable order, blanks as empty cells. */
export function writeCldReturn(events: readonly CldEvent[]): string {
  return writeCsv(
    CLD_RETURN_HEADER,
    sortCldEvents(events).map(({ row }) => cldReturnCells(row)),
  );
}

export const QUALITY_REPORT_HEADER = [
  "LA Person Unique Identifier",
  "NHS Number",
  "Event Type",
  "Event Reference",
  "Event Start Date",
  "Upfront record",
  "Upfront person id",
  "Field",
  "DQ code",
  "Result",
  "Value",
  "What to fix",
] as const;

type Checked = { readonly event: CldEvent; readonly results: readonly FieldQuality[] };

function reportLines(checked: readonly Checked[], rejected: readonly RejectedEvent[]) {
  const lineFor = (event: CldEvent, rest: readonly (string | number | null)[]) => [
    event.row.laPersonUniqueIdentifier,
    event.row.nhsNumber,
    event.row.eventType,
    event.row.eventReference,
    event.row.eventStartDate,
    `${event.source.kind} ${event.source.id}`,
    event.source.personId,
    ...rest,
  ];
  const lines = checked.flatMap(({ event, results }) =>
    failingFields(results).map((f) =>
      lineFor(event, [cldFieldName(f.field), f.code, dqResult(f.code), f.value, f.message]),
    ),
  );
  // `rejected` is already in event order (buildCldFiles sorts before it splits).
  const rejectedLines = rejected.map(({ event, reason }) =>
    lineFor(event, ["Person identifier", null, "Not sent", null, reason]),
  );
  return [...rejectedLines, ...lines];
}

/** The summary file: counts per field and code, in file order, best code first. */
export function writeCldQualitySummary(summary: readonly QualityCount[]): string {
  return writeCsv(
    ["Field", "DQ code", "Result", "Count"],
    summary.map((s) => [cldFieldName(s.field), s.code, dqResult(s.code), s.count]),
  );
}

/**
 * Every file of the return from its events: an event with no person identifier (REPORTING.md §1.11) is kept out
 * of the return and listed first in the data-quality report with the reason; every other event is checked field
 * by field against the rules.
 */
export function buildCldFiles(events: readonly CldEvent[], rules: CldRules): CldFiles {
  const sent: CldEvent[] = [];
  const rejected: RejectedEvent[] = [];
  for (const event of sortCldEvents(events)) {
    const key = cldPersonKey({
      nhsNumber: event.row.nhsNumber,
      laCode: event.row.laCode,
      laPersonId: event.row.laPersonUniqueIdentifier,
    });
    if (key.ok) sent.push(event);
    else rejected.push({ event, reason: key.reason });
  }
  const checked = sent.map((event) => ({ event, results: checkCldRow(event.row, rules) }));
  const summary = summariseQuality(checked.map((c) => c.results));
  return {
    returnCsv: writeCldReturn(sent),
    qualityReportCsv: writeCsv(QUALITY_REPORT_HEADER, reportLines(checked, rejected)),
    qualitySummaryCsv: writeCldQualitySummary(summary),
    sent: sent.length,
    rejected,
    rowsFailing: checked.filter((c) => failingFields(c.results).length > 0).length,
    summary,
  };
}
