import type { PersonKey } from "#/features/reports/cld-person-key.calc.ts";
import { cldFieldName, type FieldQuality, failingFields } from "#/features/reports/cld-quality.calc.ts";
import { CLD_COLUMNS, CLD_FIELDS, type CldEvent, type CldField } from "#/features/reports/cld-record.ts";
import { writeCsv } from "#/platform/csv/write.ts";
import { dayBefore } from "#/platform/dates/calendar.ts";

/**
 * The two files of a Client Level Data return, from checked events: the return itself, and the data-quality
 * report listing every failing field by person and event, with what to fix. Rows are sorted on what they say
 * (person, event type, start, reference), never on the order they were read, so the same data gives the same
 * bytes.
 */

export type CheckedEvent = { event: CldEvent; quality: readonly FieldQuality[]; key: PersonKey };

export type CldFailure = {
  personId: string;
  personReference: string | null;
  personName: string;
  eventType: string | null;
  eventReference: string | null;
  /** The Upfront record the event came from, so staff can open it. */
  sourceKind: CldEvent["source"]["kind"];
  sourceId: string;
  /** The field (raw CLD name), or "Person identifier" when the row cannot be sent at all. */
  field: string;
  code: number;
  value: string | null;
  message: string;
};

const compare = (a: string | null, b: string | null) => (a ?? "").localeCompare(b ?? "", "en");

/** A fixed order: by person (local id), event type, start date, reference, then every field. */
export function compareCldEvents(a: CldEvent, b: CldEvent): number {
  for (const field of [
    "laPersonUniqueIdentifier",
    "eventType",
    "eventStartDate",
    "eventReference",
  ] as const) {
    const c = compare(a.row[field], b.row[field]);
    if (c !== 0) return c;
  }
  for (const field of CLD_FIELDS) {
    const c = compare(a.row[field], b.row[field]);
    if (c !== 0) return c;
  }
  return 0;
}

export function cldFailuresOf(checked: readonly CheckedEvent[]): CldFailure[] {
  const failures: CldFailure[] = [];
  for (const { event, quality, key } of [...checked].sort((a, b) => compareCldEvents(a.event, b.event))) {
    const base = {
      personId: event.source.personId,
      personReference: event.row.laPersonUniqueIdentifier,
      personName: [event.row.firstName, event.row.lastName].filter(Boolean).join(" "),
      eventType: event.row.eventType,
      eventReference: event.row.eventReference,
      sourceKind: event.source.kind,
      sourceId: event.source.id,
    };
    if (!key.ok)
      failures.push({ ...base, field: "Person identifier", code: -1, value: null, message: key.reason });
    for (const f of failingFields(quality)) {
      failures.push({
        ...base,
        field: cldFieldName(f.field),
        code: f.code,
        value: f.value,
        message: f.message ?? "",
      });
    }
  }
  return failures;
}

/** The return file: the rows that can be sent (a row with no person identifier cannot), in the fixed order. */
export function cldReturnCsv(checked: readonly CheckedEvent[]): string {
  const rows = checked
    .filter((c) => c.key.ok)
    .map((c) => c.event)
    .sort(compareCldEvents)
    .map((e) => CLD_FIELDS.map((field: CldField) => e.row[field]));
  return writeCsv(
    CLD_COLUMNS.map(([, name]) => name),
    rows,
  );
}

export const QUALITY_REPORT_HEADER = [
  "Person reference",
  "Person name",
  "Event type",
  "Event reference",
  "Field",
  "Data-quality code",
  "Value",
  "What to fix",
] as const;

export function cldQualityReportCsv(failures: readonly CldFailure[]): string {
  return writeCsv(
    QUALITY_REPORT_HEADER,
    failures.map((f) => [
      f.personReference,
      f.personName,
      f.eventType,
      f.eventReference,
      f.field,
      f.code,
      f.value,
      f.message,
    ]),
  );
}

/**
 * The period a page suggests: the 12 months to the end of the last quarter that has ended (quarters end on 31
 * March, 30 June, 30 September and 31 December), the rolling year a quarter's return covers.
 */
export function defaultCldPeriod(today: string): string {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const lastQuarterEndMonth = Math.floor((month - 1) / 3) * 3; // 0 means December of the year before
  const endYear = lastQuarterEndMonth === 0 ? year - 1 : year;
  const endMonth = lastQuarterEndMonth === 0 ? 12 : lastQuarterEndMonth;
  const end = dayBefore(
    `${endMonth === 12 ? endYear + 1 : endYear}-${String((endMonth % 12) + 1).padStart(2, "0")}-01`,
  );
  const start = `${endMonth === 12 ? endYear : endYear - 1}-${String((endMonth % 12) + 1).padStart(2, "0")}-01`;
  return `${start}..${end}`;
}
