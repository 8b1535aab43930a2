import { z } from "zod";
import { addDays, daysBetween, isCalendarDate } from "#/platform/dates/calendar.ts";
import { ValidationError } from "#/platform/errors.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";

/**
 * The period a commissioner's report covers: `from` and `to` (YYYY-MM-DD, both included), at most a year and
 * a day apart. Pages, API and CLI give them as text; a missing end is today, a missing start is the report's
 * own default (12 weeks back for the caseload, the financial year's 1 April for the others).
 */

export const MAX_PERIOD_DAYS = 366;

const date = (what: string) =>
  z
    .string()
    .trim()
    .refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && isCalendarDate(s), {
      error: `Give the ${what} as a real date written YYYY-MM-DD, for example 2026-04-01`,
    });

const periodQuerySchema = z.object({
  from: date("start date").optional(),
  to: date("end date").optional(),
});

export type ReportPeriod = { from: string; to: string };
export type DefaultStart = "twelve_weeks" | "financial_year";

/** The 1 April on or before a date: the start of the UK financial year it falls in. */
export function financialYearStart(date: string): string {
  const year = Number(date.slice(0, 4));
  const april = `${year}-04-01`;
  return date >= april ? april : `${year - 1}-04-01`;
}

const blank = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** Reads ?from=&to= (blank means not given); a bad date, a start after the end or too long a period is refused. */
export function parseReportPeriod(query: unknown, today: string, defaultStart: DefaultStart): ReportPeriod {
  const raw = (query ?? {}) as Record<string, unknown>;
  const parsed = periodQuerySchema.safeParse({ from: blank(raw.from), to: blank(raw.to) });
  if (!parsed.success) throw new ValidationError(fieldErrorsFrom(parsed.error));
  const to = parsed.data.to ?? today;
  const from =
    parsed.data.from ??
    (defaultStart === "financial_year" ? financialYearStart(to) : addDays(to, -7 * 12 + 1));
  if (from > to) {
    throw new ValidationError([
      { path: "from", message: "The start date must be on or before the end date" },
    ]);
  }
  if (daysBetween(from, to) + 1 > MAX_PERIOD_DAYS) {
    throw new ValidationError([
      { path: "from", message: `A report covers at most ${MAX_PERIOD_DAYS} days: choose a later start date` },
    ]);
  }
  return { from, to };
}
