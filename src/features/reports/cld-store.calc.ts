import {
  type CldFacts,
  type CldLookups,
  choiceAt,
  type DatedChoice,
  deriveCldEvents,
  fundingStatusChoices,
  primarySupportReasonChoices,
} from "#/features/reports/cld-events.calc.ts";
import { compareCldRows, withDeathAsEnd } from "#/features/reports/cld-period.calc.ts";
import { cldAge, cldPersonKey } from "#/features/reports/cld-person-key.calc.ts";
import {
  checkCldFields,
  checkCldRow,
  cldFieldName,
  DQ,
  type DqCode,
  dqResult,
  type QualityCount,
} from "#/features/reports/cld-quality.calc.ts";
import {
  blankCldRow,
  CLD_COLUMNS,
  CLD_FIELDS,
  type CldField,
  type CldRow,
  type CldRowSource,
} from "#/features/reports/cld-record.ts";
import { spreadsheetSafe } from "#/platform/csv/write.ts";
import { isCalendarDate } from "#/platform/dates/calendar.ts";
import type { CldRules } from "#/rules/registry.ts";

/**
 * The rows of the CLD events table (migrations/0029_cld_events.sql) and the export from them, pure.
 *
 * A stored row is the return's row derived by the one derivation (cld-events.calc.ts, with the date of death as
 * its end, cld-period.calc.ts), split into what the requested period cannot change — the cells written as CSV,
 * every other field's data-quality result — and what it can: the period's two columns, the primary support
 * reason and the client funding status in force at the period's end (kept as their dated choices), and the checks
 * that read those or the period's end (employment status reads the age at the period's end). An export puts the
 * two together row by row, so it writes the same bytes as the return worked out in memory (cld-csv.ts).
 */

/** The fields an export works out for its period; every other field is stored as it will be written. */
export const PERIOD_FIELDS = [
  "reportingPeriodStartDate",
  "reportingPeriodEndDate",
  "primarySupportReason",
  "employmentStatus",
  "clientFundingStatus",
] as const satisfies readonly CldField[];

/** The cells whose value depends on the period (employment status's value does not; only its check does). */
const PERIOD_CELLS: ReadonlySet<CldField> = new Set([
  "reportingPeriodStartDate",
  "reportingPeriodEndDate",
  "primarySupportReason",
  "clientFundingStatus",
]);
const PERIOD_FIELD_SET: ReadonlySet<CldField> = new Set(PERIOD_FIELDS);
const FIELD_INDEX = new Map(CLD_FIELDS.map((f, i) => [f, i]));

/** A derivation's period for the stored rows: its own columns and choices are replaced on export. */
const REFERENCE_PERIOD = { start: "0001-01-01", end: "9999-12-31" };

/** One cell as the return's CSV writer (platform/csv/write.ts) writes it; cld-store.calc.test.ts checks they agree. */
export function csvCell(value: string | null): string {
  if (value === null) return "";
  const safe = spreadsheetSafe(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** A failing field kept with the row: its index in file order, code, value and what to fix. */
type StoredFailure = readonly [field: number, code: number, value: string | null, message: string];

/** The JSON document in cld_events.payload. */
export type CldPayload = {
  /** The runs of cells between the period's cells, each written as CSV (comma-joined). */
  readonly r: readonly string[];
  /** The primary support reason's dated choices. */
  readonly p: readonly DatedChoice[];
  /** The client funding status's dated choices (one undated choice when the event's own). */
  readonly f: readonly DatedChoice[];
  /** What the period's checks read besides the period: client type, event type, assessment type, birth, employment. */
  readonly d: readonly [string | null, string | null, string | null, string | null, string | null];
  /** The failing fields the period cannot change, in file order. */
  readonly q: readonly StoredFailure[];
  /** One character per field for the summary: its code, "_" when not counted, "." when worked out on export. */
  readonly c: string;
  /** The person's name, for the page's list of failures. */
  readonly n: string;
  /** Why the row cannot be sent (no person identifier), when it cannot. */
  readonly x?: string;
};

/** A row of cld_events as written. */
export type StoredCldRow = {
  readonly source: CldRowSource;
  readonly part: number;
  readonly sort: readonly (string | null)[];
  readonly startsOn: string | null;
  readonly endsOn: string | null;
  readonly placeable: boolean;
  readonly service: boolean;
  readonly sendable: boolean;
  readonly payload: CldPayload;
};

/** The file's first six sort fields (cld-period.calc.ts SORT_FIRST), kept as columns the database orders by. */
export const SORT_COLUMNS = [
  "laPersonUniqueIdentifier",
  "nhsNumber",
  "eventStartDate",
  "eventType",
  "eventReference",
  "eventEndDate",
] as const satisfies readonly CldField[];

const CODE_BASE = 72; // "H" is 0: codes −7…1 are "A"…"I".
const codeChar = (code: number) => String.fromCharCode(CODE_BASE + code);

function runsOf(row: CldRow): string[] {
  const runs: string[] = [];
  let run: string[] = [];
  for (const field of CLD_FIELDS) {
    if (PERIOD_CELLS.has(field)) {
      if (run.length > 0) runs.push(run.join(","));
      run = [];
    } else {
      run.push(csvCell(row[field]));
    }
  }
  if (run.length > 0) runs.push(run.join(","));
  return runs;
}

const blank = (value: string | null) => value === null || value.trim() === "";

/** The in-period test's inputs (cld-period.calc.ts eventInPeriod): real dates only. */
function periodDates(row: CldRow, rules: CldRules) {
  const start = row.eventStartDate;
  const end = blank(row.eventEndDate) ? null : row.eventEndDate;
  const placeable = !blank(start) && isCalendarDate(start!) && (end === null || isCalendarDate(end));
  const type = (row.eventType ?? "").trim().toLowerCase();
  return {
    startsOn: placeable ? start! : null,
    endsOn: placeable ? end : null,
    placeable,
    service: rules.quality.eventTypePrefixes.service.some((p) => type.startsWith(p.toLowerCase())),
  };
}

/**
 * Every CLD row of these people, for the table: derived as the return derives them, each with what the period
 * cannot change worked out once. A service's or review's funding status is the person's (the financial
 * assessment in force at the period's end, as cld-events.calc.ts gives it); a financial assessment's is its own.
 */
export function storedCldRows(facts: CldFacts, lookups: CldLookups, rules: CldRules): StoredCldRow[] {
  const psr = new Map<string, DatedChoice[]>();
  const funding = new Map<string, DatedChoice[]>();
  for (const [personId, list] of groupBy(facts.assessments)) {
    psr.set(personId, primarySupportReasonChoices(list, lookups));
  }
  for (const [personId, list] of groupBy(facts.financialAssessments)) {
    funding.set(personId, fundingStatusChoices(list, lookups));
  }
  const parts = new Map<string, number>();
  return deriveCldEvents(facts, lookups, REFERENCE_PERIOD).map((event) => {
    const row = withDeathAsEnd(event.row);
    const key = `${event.source.kind}\u0000${event.source.id}`;
    const part = parts.get(key) ?? 0;
    parts.set(key, part + 1);
    const personsFunding = event.source.kind === "budget_line" || event.source.kind === "review";
    return storedRow(
      row,
      event.source,
      part,
      psr.get(event.source.personId) ?? [],
      personsFunding ? (funding.get(event.source.personId) ?? []) : [["", row.clientFundingStatus]],
      rules,
    );
  });
}

function groupBy<T extends { personId: string }>(rows: readonly T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const list = map.get(row.personId);
    if (list) list.push(row);
    else map.set(row.personId, [row]);
  }
  return map;
}

function storedRow(
  row: CldRow,
  source: CldRowSource,
  part: number,
  psr: readonly DatedChoice[],
  funding: readonly DatedChoice[],
  rules: CldRules,
): StoredCldRow {
  const key = cldPersonKey({
    nhsNumber: row.nhsNumber,
    laCode: row.laCode,
    laPersonId: row.laPersonUniqueIdentifier,
  });
  const results = key.ok ? checkCldRow(row, rules) : [];
  const q: StoredFailure[] = [];
  let c = "";
  for (const r of results) {
    if (PERIOD_FIELD_SET.has(r.field)) c += ".";
    else if (!r.applicable && r.code === DQ.BLANK_NOT_MANDATORY) c += "_";
    else c += codeChar(r.code);
    if (r.code < 0 && !PERIOD_FIELD_SET.has(r.field)) {
      q.push([FIELD_INDEX.get(r.field)!, r.code, r.value, r.message ?? ""]);
    }
  }
  return {
    source,
    part,
    sort: SORT_COLUMNS.map((f) => row[f]),
    ...periodDates(row, rules),
    sendable: key.ok,
    payload: {
      r: runsOf(row),
      p: psr,
      f: funding,
      d: [row.clientType, row.eventType, row.assessmentType, row.dateOfBirth, row.employmentStatus],
      q,
      c,
      n: [row.firstName, row.lastName].filter(Boolean).join(" "),
      ...(key.ok ? {} : { x: key.reason }),
    },
  };
}

// ---- export -----------------------------------------------------------------------------------------------------

/** A row read back for an export: its source and sort fields, whether it can be sent, and its payload. */
export type ReadCldRow = {
  readonly source: CldRowSource;
  readonly sort: readonly (string | null)[];
  readonly sendable: boolean;
  readonly payload: CldPayload;
};

/** A row put together for a period: the return's line, and its failing fields in file order. */
export type ExportedRow = {
  readonly line: string;
  readonly failures: readonly StoredFailure[];
  /** The period's fields' codes (PERIOD_FIELDS order), for the summary; null when not counted. */
  readonly periodCodes: readonly (number | null)[];
};

const TEMPLATE = blankCldRow();

type PeriodResult = {
  readonly periodCodes: readonly (number | null)[];
  readonly failures: readonly StoredFailure[];
};

/**
 * The checks a period makes on a row (PERIOD_FIELDS), for one export: the same inputs give the same results, and
 * few rows differ in them (client type, event and assessment type, date of birth, employment status, and the
 * primary support reason and funding status in force), so each is worked out once (at most LIMIT kept).
 */
export type PeriodChecks = {
  readonly period: { readonly start: string; readonly end: string };
  /** The period's two cells as written. */
  readonly periodCells: string;
  check(payload: CldPayload, psr: string | null, funding: string | null): PeriodResult;
};

const CHECKS_KEPT = 50_000;

export function periodChecks(period: { start: string; end: string }, rules: CldRules): PeriodChecks {
  let kept = new Map<string, PeriodResult>();
  let ages = new Map<string | null, number | null>();
  const ageOf = (birth: string | null) => {
    let age = ages.get(birth);
    if (age === undefined) {
      age = cldAge(birth, period.end, rules.quality.daysPerYear);
      if (ages.size >= CHECKS_KEPT) ages = new Map();
      ages.set(birth, age);
    }
    return age;
  };
  return {
    period,
    periodCells: `${csvCell(period.start)},${csvCell(period.end)}`,
    check(payload, psr, funding) {
      // The checks read the date of birth only as the age at the period's end (rowFacts): key on that.
      const [c, e, a, birth, employment] = payload.d;
      const key = [c, e, a, ageOf(birth), employment, psr, funding]
        .map((v) => (v === null ? "\u0000" : v))
        .join("\u0001");
      const known = kept.get(key);
      if (known) return known;
      const [clientType, eventType, assessmentType, dateOfBirth, employmentStatus] = payload.d;
      const row: CldRow = {
        ...TEMPLATE,
        clientType,
        eventType,
        assessmentType,
        dateOfBirth,
        employmentStatus,
        reportingPeriodStartDate: period.start,
        reportingPeriodEndDate: period.end,
        primarySupportReason: psr,
        clientFundingStatus: funding,
      };
      const checked = checkCldFields(row, rules, PERIOD_FIELDS);
      const result = {
        periodCodes: checked.map((r) => (!r.applicable && r.code === DQ.BLANK_NOT_MANDATORY ? null : r.code)),
        failures: checked
          .filter((r) => r.code < 0)
          .map((r): StoredFailure => [FIELD_INDEX.get(r.field)!, r.code, r.value, r.message ?? ""]),
      };
      if (kept.size >= CHECKS_KEPT) kept = new Map();
      kept.set(key, result);
      return result;
    },
  };
}

/** The period's values and checks for one row, put together with what was stored. */
export function exportRow(
  payload: CldPayload,
  period: { start: string; end: string },
  checks: PeriodChecks,
): ExportedRow {
  const psr = choiceAt(payload.p, period.end);
  const funding = choiceAt(payload.f, period.end);
  const { periodCodes, failures: periodFailures } = checks.check(payload, psr, funding);
  const failures =
    periodFailures.length === 0 ? payload.q : [...payload.q, ...periodFailures].sort((a, b) => a[0] - b[0]);
  const [run0, run1, run2, run3] = payload.r;
  const line = `${run0},${checks.periodCells},${run1},${csvCell(psr)},${run2},${csvCell(funding)},${run3}\r\n`;
  return { line, failures, periodCodes };
}

/**
 * The data-quality report's first seven cells for a row (cld-csv.ts reportLines): the person's reference and NHS
 * number, the event's type, reference and start, and the Upfront record and person it came from.
 */
function reportCells(row: ReadCldRow): string {
  const [person, nhs, start, type, reference] = row.sort;
  const cells = [
    person,
    nhs,
    type,
    reference,
    start,
    `${row.source.kind} ${row.source.id}`,
    row.source.personId,
  ];
  return cells.map((c) => csvCell(c ?? null)).join(",");
}

/** The data-quality report's line for one failing field of a row. */
export function qualityLine(row: ReadCldRow, failure: StoredFailure): string {
  const [field, code, value, message] = failure;
  const name = cldFieldName(CLD_FIELDS[field]!);
  return `${reportCells(row)},${csvCell(name)},${code},${csvCell(dqResult(code))},${csvCell(value)},${csvCell(message)}\r\n`;
}

/** The data-quality report's line for a row that cannot be sent. */
export function notSentLine(row: ReadCldRow): string {
  return `${reportCells(row)},Person identifier,,Not sent,,${csvCell(row.payload.x ?? "")}\r\n`;
}

/**
 * The payload as stored: its small parts as JSON (with the runs' lengths), a line break, then the runs' CSV text
 * one after the other. JSON never holds a raw line break, so the first one ends it; an export then parses only
 * the small part, and takes the runs (most of the bytes) as they are.
 */
export function encodePayload(payload: CldPayload): string {
  const { r, ...rest } = payload;
  return `${JSON.stringify({ ...rest, l: r.map((run) => run.length) })}\n${r.join("")}`;
}

export function decodePayload(text: string): CldPayload {
  const cut = text.indexOf("\n");
  const { l, ...rest } = JSON.parse(text.slice(0, cut)) as Omit<CldPayload, "r"> & { l: number[] };
  const r: string[] = [];
  let at = cut + 1;
  for (const length of l) {
    r.push(text.slice(at, at + length));
    at += length;
  }
  return { ...rest, r };
}

/** Running counts per field and code, as summariseQuality (cld-quality.calc.ts) gives them. */
export class QualityCounter {
  readonly #counts = new Float64Array(CLD_FIELDS.length * 16);
  /** Rows have few distinct patterns of codes: each pattern is counted, and spread over the fields at the end. */
  readonly #patterns = new Map<string, number>();
  readonly #periodPatterns = new Map<readonly (number | null)[], number>();

  add(payload: CldPayload, periodCodes: readonly (number | null)[]): void {
    this.#patterns.set(payload.c, (this.#patterns.get(payload.c) ?? 0) + 1);
    // periodChecks hands out one array per distinct result, so the array itself is the key.
    this.#periodPatterns.set(periodCodes, (this.#periodPatterns.get(periodCodes) ?? 0) + 1);
    // Bounded however varied the rows: spread and start again.
    if (this.#patterns.size + this.#periodPatterns.size > 100_000) this.#spread();
  }

  #spread(): void {
    for (const [c, times] of this.#patterns) {
      for (let i = 0; i < c.length; i++) {
        const ch = c.charCodeAt(i);
        if (ch >= 65 && ch <= 73) this.#counts[i * 16 + ch - 65]! += times;
      }
    }
    for (const [periodCodes, times] of this.#periodPatterns) {
      PERIOD_FIELDS.forEach((field, j) => {
        const code = periodCodes[j];
        if (code !== null && code !== undefined)
          this.#counts[FIELD_INDEX.get(field)! * 16 + code + 7]! += times;
      });
    }
    this.#patterns.clear();
    this.#periodPatterns.clear();
  }

  summary(): QualityCount[] {
    this.#spread();
    const out: QualityCount[] = [];
    CLD_COLUMNS.forEach(([field], i) => {
      for (let slot = 8; slot >= 0; slot--) {
        const count = this.#counts[i * 16 + slot]!;
        if (count > 0) out.push({ field, code: (slot - 7) as DqCode, count });
      }
    });
    return out;
  }
}

/**
 * Rows whose six sort fields are equal, in the return's full order (every field, then the record they came
 * from). Such ties are rare (two people with the same reference and NHS number and the same event); the rest
 * of a tied row is compared as written.
 */
export function sortTiedRows<T extends ReadCldRow>(rows: readonly T[], cellsOf: (row: T) => CldRow): T[] {
  const source = (s: CldRowSource) => `${s.personId}\u0000${s.kind}\u0000${s.id}`;
  return [...rows].sort((a, b) => {
    const byRow = compareCldRows(cellsOf(a), cellsOf(b));
    if (byRow !== 0) return byRow;
    const sa = source(a.source);
    const sb = source(b.source);
    return sa < sb ? -1 : sa > sb ? 1 : 0;
  });
}
