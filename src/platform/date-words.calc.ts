/**
 * Dates in words, as GOV.UK writes them ("14 January 2026"), from calendar dates written YYYY-MM-DD. Pure and
 * free of time zones: a calendar date is a day, not an instant. (Pages use the `date` filter in
 * platform/web/views.ts, which also takes instants; calcs and services that write sentences use this.)
 */

export const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

/** The parts of a YYYY-MM-DD date, the month by name; anything else is a programming error. */
export function dateParts(iso: string): { year: number; month: string; day: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const month = m ? MONTH_NAMES[Number(m[2]) - 1] : undefined;
  if (!m || !month) throw new RangeError(`Expected a date as YYYY-MM-DD, got ${iso}`);
  return { year: Number(m[1]), month, day: Number(m[3]) };
}

/** "14 January 2026". */
export function dateInWords(iso: string): string {
  const d = dateParts(iso);
  return `${d.day} ${d.month} ${d.year}`;
}
