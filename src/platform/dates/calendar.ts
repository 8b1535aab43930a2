/**
 * Calendar arithmetic on dates written YYYY-MM-DD: calendar days in UTC, no clock and no time zone, so the same
 * inputs give the same dates on any server. Pure.
 *
 * Written here once (it was copied into six features). Not a date library: Temporal's PlainDate is what this is,
 * but Node 24 does not ship it, and date-fns works on local-time Date objects, which is the bug this avoids. The
 * functions assume a valid date; callers that take dates from outside check them with `isCalendarDate` first (or
 * their own checks that name the field).
 */

const DAY_MS = 86_400_000;

const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * True for a real calendar date written YYYY-MM-DD. By arithmetic, not a Date: reports check millions of dates
 * (the CLD return of a large council), where making a Date and its ISO string for each was the slow part.
 */
export function isCalendarDate(value: string): boolean {
  if (!DATE_SHAPE.test(value)) return false;
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Days since 1970-01-01. */
export function dayNumber(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / DAY_MS;
}

/** The date of a day number (days since 1970-01-01). */
export function fromDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The date `days` days after `date` (days may be negative). */
export function addDays(date: string, days: number): string {
  return fromDayNumber(dayNumber(date) + days);
}

/** The day before a date: the end date of something replaced from that date. */
export function dayBefore(date: string): string {
  return addDays(date, -1);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round(dayNumber(to) - dayNumber(from));
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: string): number {
  return new Date(dayNumber(date) * DAY_MS).getUTCDay();
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in a month (1 = January). */
export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/**
 * The date `months` months after `date` by the corresponding date rule: the same day of the month, or the last
 * day of the month when it has no such day (31 August + 6 months = 28 February, or 29 in a leap year). Months may
 * be negative; `months` must be a whole number.
 */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return `${pad(year, 4)}-${pad(month)}-${pad(Math.min(d, daysInMonth(year, month)))}`;
}
