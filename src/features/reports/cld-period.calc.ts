import { CLD_FIELDS, type CldRow } from "#/features/reports/cld-record.ts";
import { addMonths, dayBefore, isCalendarDate } from "#/platform/dates/calendar.ts";
import type { CldRules } from "#/rules/registry.ts";

/**
 * The CLD reporting period and which events fall in it. The return covers a rolling 12 months, sent every
 * quarter (REPORTING.md §1.1); an event is in the period by DHSC's filter (REPORTING.md §1.12, §6.3; DHSC-DASH
 * Main_tables/docs/methodology/4-event-filtering.md): a request, assessment or review that starts by the period
 * end and ends within the period; a service that starts by the period end and is still open or ends on or after
 * the period start. A date of death inside an event is its end.
 */

export type CldPeriod = { readonly start: string; readonly end: string };
export type PeriodResult =
  | { readonly ok: true; readonly period: CldPeriod }
  | { readonly ok: false; readonly error: string };

const EXAMPLE = "2026-04-01..2027-03-31";

/**
 * "2026-04-01..2027-03-31" → the period, checked: two real dates, the end not before the start, no longer than
 * the rules allow (rulesOn gives the CLD rules in force on a date; undefined before the first, or outside
 * England), and the rules in force at the period end.
 */
export function parseCldPeriod(
  text: string,
  rulesOn: (date: string) => CldRules | undefined,
  rulesFrom: string,
): PeriodResult {
  const match = /^\s*(\S+?)\s*\.\.\s*(\S+?)\s*$/.exec(text);
  if (!match) {
    return { ok: false, error: `"${text}" is not a period: write the first and last days, like ${EXAMPLE}` };
  }
  const [, start, end] = match as unknown as [string, string, string];
  for (const [which, date] of [
    ["start", start],
    ["end", end],
  ] as const) {
    if (!isCalendarDate(date)) {
      return {
        ok: false,
        error: `The period's ${which}, "${date}", is not a real date: write dates as yyyy-mm-dd, like ${EXAMPLE}`,
      };
    }
  }
  if (end < start) {
    return {
      ok: false,
      error: `The period ends (${end}) before it starts (${start}): give the start date first`,
    };
  }
  const rules = rulesOn(end);
  if (!rules) {
    return {
      ok: false,
      error: `There is no Client Level Data return for a period ending ${end}: the rules Upfront has start on ${rulesFrom}, and the return is for councils in England only`,
    };
  }
  const months = rules.reportingPeriod.maxMonths;
  const latestEnd = dayBefore(addMonths(start, months));
  if (end > latestEnd) {
    return {
      ok: false,
      error: `The period ${start}..${end} is longer than ${months} months: the return covers a rolling ${months} months, so end it by ${latestEnd}`,
    };
  }
  return { ok: true, period: { start, end } };
}

const blank = (value: string | null): boolean => value === null || value.trim() === "";
const startsWithAny = (value: string | null, prefixes: readonly string[]) =>
  prefixes.some((p) => (value ?? "").trim().toLowerCase().startsWith(p.toLowerCase()));

/**
 * The row with a date of death that falls inside the event as its end date: between start and end, or after
 * the start of an open event (REPORTING.md §1.12, both repos). A death after the event ended changes nothing.
 */
export function withDeathAsEnd(row: CldRow): CldRow {
  const { dateOfDeath: death, eventStartDate: start, eventEndDate: end } = row;
  if (blank(death) || !isCalendarDate(death!) || blank(start) || !isCalendarDate(start!)) return row;
  const endDate = blank(end) ? null : end!;
  if (death! < start!) return row;
  if (endDate !== null && isCalendarDate(endDate) && death! >= endDate) return row;
  return { ...row, eventEndDate: death };
}

/**
 * Whether a row's event falls in the period (its end date already corrected for a death). A row without a real
 * start date cannot be placed, so it is not in any period; DHSC's filter cannot place it either.
 */
export function eventInPeriod(row: CldRow, period: CldPeriod, rules: CldRules): boolean {
  const start = row.eventStartDate;
  if (blank(start) || !isCalendarDate(start!) || start! > period.end) return false;
  const end = blank(row.eventEndDate) ? null : row.eventEndDate!;
  if (end !== null && !isCalendarDate(end)) return false;
  if (startsWithAny(row.eventType, rules.quality.eventTypePrefixes.service)) {
    return end === null || end >= period.start;
  }
  return end !== null && period.start <= end && end <= period.end;
}

/** The events (CldEvent, or anything carrying a row) that fall in the period, each row with its death-corrected end date. */
export function eventsInPeriod<T extends { readonly row: CldRow }>(
  items: readonly T[],
  period: CldPeriod,
  rules: CldRules,
): T[] {
  const kept: T[] = [];
  for (const item of items) {
    const row = withDeathAsEnd(item.row);
    if (eventInPeriod(row, period, rules)) kept.push(row === item.row ? item : { ...item, row });
  }
  return kept;
}

/** Fields compared first, so the file reads person by person, event by event in date order. */
const SORT_FIRST = [
  "laPersonUniqueIdentifier",
  "nhsNumber",
  "eventStartDate",
  "eventType",
  "eventReference",
  "eventEndDate",
] as const;
const SORT_ORDER = [
  ...SORT_FIRST,
  ...CLD_FIELDS.filter((f) => !(SORT_FIRST as readonly string[]).includes(f)),
];

/** Blank first, then by UTF-16 code units: the same on every machine, whatever the locale. */
function compareCells(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

/** Orders two rows by every field, so rows that compare equal are identical and any input order gives one output. */
export function compareCldRows(a: CldRow, b: CldRow): number {
  for (const field of SORT_ORDER) {
    const c = compareCells(a[field], b[field]);
    if (c !== 0) return c;
  }
  return 0;
}

/** The items sorted by their rows (a new array): the same data gives the same order, whatever order it came in. */
export function sortByCldRow<T>(items: readonly T[], rowOf: (item: T) => CldRow): T[] {
  return [...items].sort((x, y) => compareCldRows(rowOf(x), rowOf(y)));
}
