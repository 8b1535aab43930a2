import { isCalendarDate } from "#/platform/dates/calendar.ts";
import { oneTrimmed } from "#/platform/web/forms.ts";
/**
 * GOV.UK date inputs (platform/web/views/_date.njk `dateField`): a date typed in three boxes, name-day,
 * name-month and name-year, read back as YYYY-MM-DD, or what is wrong with it in words. Pure. Used by every
 * feature's pages (charging and payments); the API and the command line take dates as YYYY-MM-DD.
 */

export type DateFormBody = Record<string, unknown>;

// The three boxes are read trimmed, with the forms kit.
const one = oneTrimmed;

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A GOV.UK date input (name-day, name-month, name-year) → YYYY-MM-DD (undefined when all empty), or what is wrong. */
export function parseDateInput(
  body: DateFormBody,
  name: string,
  what: string,
): { ok: true; date: string | undefined } | { ok: false; message: string } {
  const day = one(body, `${name}-day`);
  const month = one(body, `${name}-month`);
  const year = one(body, `${name}-year`);
  if (day === "" && month === "" && year === "") return { ok: true, date: undefined };
  if (day === "" || month === "" || year === "") {
    const lacking = [day === "" && "day", month === "" && "month", year === "" && "year"].filter(Boolean);
    return { ok: false, message: `${capitalise(what)} must include a ${lacking.join(" and ")}` };
  }
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) {
    return { ok: false, message: `${capitalise(what)} must be a real date, like 1 4 2026` };
  }
  const date = `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
  if (!isCalendarDate(date)) return { ok: false, message: `${capitalise(what)} must be a real date` };
  return { ok: true, date };
}

/** The boxes' values for a YYYY-MM-DD date (to fill a form from a stored date). */
export function dateValues(name: string, date: string | undefined): Record<string, string> {
  if (!date) return {};
  const [y, m, d] = date.split("-");
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y! };
}

/** The boxes' values as posted (to show the form again with what was typed). */
export function dateFieldValues(body: DateFormBody, name: string): Record<string, string> {
  return {
    [`${name}-day`]: one(body, `${name}-day`),
    [`${name}-month`]: one(body, `${name}-month`),
    [`${name}-year`]: one(body, `${name}-year`),
  };
}
