import * as calendar from "#/platform/dates/calendar.ts";
import {
  BANK_HOLIDAY_REGIONS,
  type BankHoliday,
  type BankHolidayRegion,
  type BankHolidayTable,
  bacsCycleRules,
  HOLIDAY_TITLES,
  ukBankHolidays,
} from "#/rules/registry.ts";

/**
 * Banking days and pay dates. Pure: dates in (YYYY-MM-DD, calendar days, no time zones), dates out.
 *
 * A banking day is a Monday to Friday that is not a bank holiday in the region (rules/uk/bank-holidays.ts, a
 * bundled, dated table; a date outside the table's years is refused, never guessed).
 *
 * Bacs three-day cycle (Bacs, "How Bacs works"; Standard 18 UHL1 "processing day"): a file is sent on the input
 * day (day 1), Bacs processes it on the processing day (day 2, the date written in the file), and the money is in
 * the payee's account on the entry day (day 3). Each is a Bacs processing day: a banking day in England and Wales
 * (*check*: Bacs publishes its non-processing days; they have matched the England and Wales bank holidays).
 */

export class PayDateError extends RangeError {
  override name = "PayDateError";
}

function check(date: string, what: string): void {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date))
    throw new PayDateError(`${what} must be written YYYY-MM-DD, got "${date}"`);
  const parsed = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date)
    throw new PayDateError(`${what} must be a real date, got "${date}"`);
}

/** Days since 1970-01-01 (UTC calendar arithmetic; no clock, no time zone). */
// The arithmetic is platform/dates/calendar.ts; these check the dates first, so a date that is not real is refused
// with a PayDateError (which callers catch and explain), never computed with.
export function dayNumber(date: string): number {
  check(date, "The date");
  return calendar.dayNumber(date);
}

export function addDays(date: string, days: number): string {
  check(date, "The date");
  return calendar.addDays(date, days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  check(from, "The date");
  check(to, "The date");
  return calendar.daysBetween(from, to);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: string): number {
  check(date, "The date");
  return calendar.weekday(date);
}

export const isWeekend = (date: string): boolean => weekday(date) === 0 || weekday(date) === 6;

const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const ymd = (y: number, m: number, d: number) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`;

/** Bacs's " YYDDD": a space, the last two digits of the year, and the day of the year (001–366). */
export function bacsJulianDate(date: string): string {
  const year = Number(date.slice(0, 4));
  const dayOfYear = dayNumber(date) - dayNumber(ymd(year, 1, 1)) + 1;
  return ` ${pad(year % 100)}${pad(dayOfYear, 3)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// The statutory rules, used to check the table (and to write its future years), never to answer at run time.

/** Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const hh = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - hh - k) % 7;
  const m = Math.floor((a + 11 * hh + 22 * l) / 451);
  const month = Math.floor((hh + l - 7 * m + 114) / 31);
  const day = ((hh + l - 7 * m + 114) % 31) + 1;
  return ymd(year, month, day);
}

/** The first Monday on or after a date. */
const mondayOnOrAfter = (date: string) => addDays(date, (8 - weekday(date)) % 7);
/** The last Monday on or before a date. */
const mondayOnOrBefore = (date: string) => addDays(date, -((weekday(date) + 6) % 7));

/**
 * The bank holidays the statutory rules give for a year and region. Holidays on fixed weekdays are placed first;
 * a fixed-date holiday on a weekend then moves to the next weekday not already a holiday (so Christmas on a
 * Sunday moves to Tuesday 27th when Boxing Day is Monday 26th, as GOV.UK lists it).
 */
export function statutoryBankHolidays(year: number, region: BankHolidayRegion): BankHoliday[] {
  const T = HOLIDAY_TITLES;
  const easter = easterSunday(year);
  const fixed: [string, string][] = [[ymd(year, 1, 1), T.newYear]];
  if (region === "scotland") fixed.push([ymd(year, 1, 2), T.secondJanuary]);
  if (region === "northern-ireland") fixed.push([ymd(year, 3, 17), T.stPatrick], [ymd(year, 7, 12), T.boyne]);
  if (region === "scotland") fixed.push([ymd(year, 11, 30), T.stAndrew]);
  fixed.push([ymd(year, 12, 25), T.christmas], [ymd(year, 12, 26), T.boxing]);

  const moving: BankHoliday[] = [
    { date: addDays(easter, -2), title: T.goodFriday, substitute: false },
    { date: mondayOnOrAfter(ymd(year, 5, 1)), title: T.earlyMay, substitute: false },
    { date: mondayOnOrBefore(ymd(year, 5, 31)), title: T.spring, substitute: false },
    {
      date: region === "scotland" ? mondayOnOrAfter(ymd(year, 8, 1)) : mondayOnOrBefore(ymd(year, 8, 31)),
      title: T.summer,
      substitute: false,
    },
  ];
  if (region !== "scotland")
    moving.push({ date: addDays(easter, 1), title: T.easterMonday, substitute: false });

  const result: BankHoliday[] = [...moving];
  const taken = new Set(result.map((x) => x.date));
  for (const [date, title] of fixed) {
    if (!isWeekend(date)) {
      result.push({ date, title, substitute: false });
      taken.add(date);
    }
  }
  for (const [date, title] of fixed) {
    if (!isWeekend(date)) continue;
    let substitute = addDays(date, 1);
    while (isWeekend(substitute) || taken.has(substitute)) substitute = addDays(substitute, 1);
    result.push({ date: substitute, title, substitute: true });
    taken.add(substitute);
  }
  return result.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------------------------
// Banking days, from the bundled table.

export function isBankHolidayRegion(value: string): value is BankHolidayRegion {
  return (BANK_HOLIDAY_REGIONS as readonly string[]).includes(value);
}

/** The table's holidays for a year; refuses a year the table does not cover. */
export function bankHolidaysIn(
  region: BankHolidayRegion,
  year: number,
  table: BankHolidayTable = ukBankHolidays,
): readonly BankHoliday[] {
  const entry = table.regions[region][year];
  if (!entry)
    throw new PayDateError(
      `The bank holiday table covers ${table.firstYear} to ${table.lastYear}; ${year} is not in it. Add that year to rules/uk/bank-holidays.ts from https://www.gov.uk/bank-holidays.json`,
    );
  return entry.holidays;
}

export function isBankHoliday(date: string, region: BankHolidayRegion, table?: BankHolidayTable): boolean {
  check(date, "The date");
  return bankHolidaysIn(region, Number(date.slice(0, 4)), table).some((x) => x.date === date);
}

export function isBankingDay(date: string, region: BankHolidayRegion, table?: BankHolidayTable): boolean {
  return !isWeekend(date) && !isBankHoliday(date, region, table);
}

/** The date itself if it is a banking day, else the next one. */
export function bankingDayOnOrAfter(
  date: string,
  region: BankHolidayRegion,
  table?: BankHolidayTable,
): string {
  let d = date;
  while (!isBankingDay(d, region, table)) d = addDays(d, 1);
  return d;
}

/** The date itself if it is a banking day, else the one before. */
export function bankingDayOnOrBefore(
  date: string,
  region: BankHolidayRegion,
  table?: BankHolidayTable,
): string {
  let d = date;
  while (!isBankingDay(d, region, table)) d = addDays(d, -1);
  return d;
}

/** `count` banking days after (positive) or before (negative) a date, not counting the date itself. */
export function addBankingDays(
  date: string,
  count: number,
  region: BankHolidayRegion,
  table?: BankHolidayTable,
): string {
  if (!Number.isSafeInteger(count))
    throw new PayDateError(`The number of banking days must be whole, got ${count}`);
  const step = count < 0 ? -1 : 1;
  let d = date;
  for (let left = Math.abs(count); left > 0; ) {
    d = addDays(d, step);
    if (isBankingDay(d, region, table)) left--;
  }
  return d;
}

/** Bacs runs on England and Wales banking days (see the header comment). */
export const BACS_CALENDAR: BankHolidayRegion = "england-and-wales";

export type BacsCycle = {
  /** Day 1: the file must reach Bacs by the end of this day. */
  readonly inputDay: string;
  /** Day 2: the date written in the file (UHL1), " YYDDD". */
  readonly processingDay: string;
  /** Day 3: the money is in the payee's account. */
  readonly entryDay: string;
};

/**
 * The Bacs cycle that pays on (or as near as allowed to) a due date. When the due date is not a Bacs day,
 * `whenNotBankingDay` says whether the money arrives on the banking day before it (so nobody is paid late) or
 * after it.
 */
export function bacsCycleForDueDate(
  dueDate: string,
  whenNotBankingDay: "before" | "after" = "before",
  table?: BankHolidayTable,
): BacsCycle {
  check(dueDate, "The due date");
  const entryDay =
    whenNotBankingDay === "before"
      ? bankingDayOnOrBefore(dueDate, BACS_CALENDAR, table)
      : bankingDayOnOrAfter(dueDate, BACS_CALENDAR, table);
  const processingDay = addBankingDays(entryDay, -1, BACS_CALENDAR, table);
  const inputDay = addBankingDays(processingDay, -1, BACS_CALENDAR, table);
  return { inputDay, processingDay, entryDay };
}

/** The Bacs cycle for a file sent on a given input day (a banking day, or the next one). */
export function bacsCycleFromInputDay(inputDay: string, table?: BankHolidayTable): BacsCycle {
  check(inputDay, "The input day");
  const day1 = bankingDayOnOrAfter(inputDay, BACS_CALENDAR, table);
  const processingDay = addBankingDays(day1, 1, BACS_CALENDAR, table);
  return { inputDay: day1, processingDay, entryDay: addBankingDays(processingDay, 1, BACS_CALENDAR, table) };
}

/**
 * The earliest pay date a payment run prepared today can meet: its file is sent today (or on the next Bacs
 * processing day) and the money arrives the rule's number of processing days later (rules/uk/bacs18-layout.ts
 * bacsCycleRules, the three-day cycle), moved on to a banking day of the council's region when it is not one.
 */
export function earliestPayDate(today: string, region: BankHolidayRegion, table?: BankHolidayTable): string {
  check(today, "Today");
  const inputDay = bankingDayOnOrAfter(today, BACS_CALENDAR, table);
  const entryDay = addBankingDays(inputDay, bacsCycleRules.leadProcessingDays, BACS_CALENDAR, table);
  return bankingDayOnOrAfter(entryDay, region, table);
}
