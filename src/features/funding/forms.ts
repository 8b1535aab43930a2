import { typedPoundsToPence } from "#/platform/money/parse.ts";
// Read with the forms kit (platform/web/forms.ts); this feature's boxes are read trimmed.
import { type FormBody, manyTrimmed as many, oneTrimmed as one } from "#/platform/web/forms.ts";
import { isCalendarDate } from "#/rules/index.ts";

/** Reading the funding settings' GOV.UK forms: values, money in pounds, percentages and dates (day, month, year). */

export { type FormBody, many, one };

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** "£1,234.50", "16.5" or "16" as whole pence. */
export function parsePounds(text: string, what: string): Parsed<number> {
  const pence = typedPoundsToPence(text, 11);
  if (pence === undefined) return { ok: false, message: `Enter ${what} in pounds, like 1500 or 1,500.50` };
  return { ok: true, value: pence };
}

/** "10", "12.5" or "12.5%" as a number. */
export function parsePercent(text: string, what: string): Parsed<number> {
  const cleaned = text.replace(/%$/, "").trim();
  if (!/^\d{1,4}(\.\d{1,2})?$/.test(cleaned))
    return { ok: false, message: `Enter ${what} as a percentage, like 10 or 12.5` };
  return { ok: true, value: Number(cleaned) };
}

/** Pence as pounds to type: 150000 → "1500", 150050 → "1500.50". */
export const poundsText = (pence: number | undefined): string =>
  pence === undefined ? "" : pence % 100 === 0 ? String(pence / 100) : (pence / 100).toFixed(2);

/** A GOV.UK date input (name-day, name-month, name-year) as YYYY-MM-DD. */
export function parseDateInput(body: FormBody, name: string, what: string): Parsed<string> {
  const day = one(body, `${name}-day`);
  const month = one(body, `${name}-month`);
  const year = one(body, `${name}-year`);
  if (day === "" && month === "" && year === "") return { ok: false, message: `Enter ${what}` };
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) {
    return {
      ok: false,
      message: `${what.charAt(0).toUpperCase()}${what.slice(1)} must be a real date, like 1 4 2027`,
    };
  }
  const date = `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
  if (!isCalendarDate(date)) {
    return {
      ok: false,
      message: `${what.charAt(0).toUpperCase()}${what.slice(1)} must be a real date, like 1 4 2027`,
    };
  }
  return { ok: true, value: date };
}
