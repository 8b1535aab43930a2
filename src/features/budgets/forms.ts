import type { FieldError } from "#/platform/validation.ts";
// Read with the forms kit (platform/web/forms.ts); these boxes are read trimmed.
import { type FormBody, oneTrimmed as one } from "#/platform/web/forms.ts";
import { isCalendarDate } from "#/rules/index.ts";

/**
 * Form helpers for the budget pages (ending a budget, writing off money owed back): read a urlencoded body, a
 * GOV.UK date input (three boxes: name-day, name-month, name-year), and errors as the error summary wants them.
 */

export { type FormBody, one };
export type FormValues = Record<string, string>;

/** The three boxes as YYYY-MM-DD, or the error GOV.UK's date input pattern asks for. */
export function parseDateInput(
  body: FormBody,
  name: string,
  what: string,
): { ok: true; value: string } | { ok: false; error: FieldError } {
  const [day, month, year] = ["day", "month", "year"].map((p) => one(body, `${name}-${p}`)) as [
    string,
    string,
    string,
  ];
  const fail = (message: string) => ({ ok: false as const, error: { path: name, message } });
  const What = what.charAt(0).toUpperCase() + what.slice(1);
  if (day === "" && month === "" && year === "") return fail(`Enter ${what}`);
  const lacking = [day === "" && "day", month === "" && "month", year === "" && "year"].filter(Boolean);
  if (lacking.length > 0) return fail(`${What} must include a ${lacking.join(" and ")}`);
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year))
    return fail(`${What} must be a real date, like 31 3 2027`);
  const date = `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
  if (!isCalendarDate(date)) return fail(`${What} must be a real date`);
  return { ok: true, value: date };
}

export const dateValues = (name: string, date: string | undefined): FormValues => {
  const [y, m, d] = date && isCalendarDate(date) ? date.split("-") : ["", "", ""];
  return {
    [`${name}-day`]: d ? String(Number(d)) : "",
    [`${name}-month`]: m ? String(Number(m)) : "",
    [`${name}-year`]: y ?? "",
  };
};

export const dateValuesFrom = (body: FormBody, name: string): FormValues => ({
  [`${name}-day`]: one(body, `${name}-day`),
  [`${name}-month`]: one(body, `${name}-month`),
  [`${name}-year`]: one(body, `${name}-year`),
});
