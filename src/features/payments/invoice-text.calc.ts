import { dateInWords, dateParts } from "#/platform/date-words.calc.ts";

/**
 * Words for contribution invoices, as a person reads them: the cycle an invoice is for written the short way a
 * letter would ("1 to 28 December 2026"), repeating the month or year only when it changes; a date as GOV.UK
 * writes it ("14 January 2026").
 */

const parts = dateParts;

/** "14 January 2026". */
export const dateText = dateInWords;

/** "1 to 28 December 2026", "12 January to 8 February 2026", "14 December 2026 to 10 January 2027". */
export function cycleText(start: string, end: string): string {
  const a = parts(start);
  const b = parts(end);
  const last = `${b.day} ${b.month} ${b.year}`;
  if (start === end) return last;
  if (a.year !== b.year) return `${a.day} ${a.month} ${a.year} to ${last}`;
  if (a.month !== b.month) return `${a.day} ${a.month} to ${last}`;
  return `${a.day} to ${last}`;
}
