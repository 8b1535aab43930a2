import { compareCldRows } from "#/features/reports/cld-period.calc.ts";
import { cldPersonKey } from "#/features/reports/cld-person-key.calc.ts";
import { checkCldRow, cldFieldName, failingFields } from "#/features/reports/cld-quality.calc.ts";
import type { CldEvent } from "#/features/reports/cld-record.ts";
import { dayBefore } from "#/platform/dates/calendar.ts";
import type { CldRules } from "#/rules/registry.ts";

/**
 * What the Client Level Data page lists: every failing field by person and event (the same findings as the
 * data-quality report that cld-csv.ts writes, in the same order: rows that cannot be sent first), and the period
 * the page suggests.
 */

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
  code: number | null;
  value: string | null;
  message: string;
};

/** cld-csv.ts's order (rows, then the record they came from), so the page lists what the report does. */
function sortedEvents(events: readonly CldEvent[]): CldEvent[] {
  const source = (e: CldEvent) => `${e.source.personId}\u0000${e.source.kind}\u0000${e.source.id}`;
  return [...events].sort(
    (a, b) => compareCldRows(a.row, b.row) || (source(a) < source(b) ? -1 : source(a) > source(b) ? 1 : 0),
  );
}

/** The first `limit` failures (a page lists so many; the data-quality report lists them all). */
export function cldFailuresOf(events: readonly CldEvent[], rules: CldRules, limit = Infinity): CldFailure[] {
  const rejected: CldFailure[] = [];
  const failing: CldFailure[] = [];
  for (const event of sortedEvents(events)) {
    if (rejected.length + failing.length >= limit) break;
    const base = {
      personId: event.source.personId,
      personReference: event.row.laPersonUniqueIdentifier,
      personName: [event.row.firstName, event.row.lastName].filter(Boolean).join(" "),
      eventType: event.row.eventType,
      eventReference: event.row.eventReference,
      sourceKind: event.source.kind,
      sourceId: event.source.id,
    };
    const key = cldPersonKey({
      nhsNumber: event.row.nhsNumber,
      laCode: event.row.laCode,
      laPersonId: event.row.laPersonUniqueIdentifier,
    });
    if (!key.ok) {
      rejected.push({ ...base, field: "Person identifier", code: null, value: null, message: key.reason });
      continue;
    }
    for (const f of failingFields(checkCldRow(event.row, rules))) {
      failing.push({
        ...base,
        field: cldFieldName(f.field),
        code: f.code,
        value: f.value,
        message: f.message ?? "",
      });
    }
  }
  return [...rejected, ...failing].slice(0, limit);
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
