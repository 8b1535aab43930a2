import { type Frequency, mostAt, weeklyFrom } from "#/platform/money/periods.ts";

/**
 * How often an amount a person types is paid: a week, every 4 weeks, a month or a year, and its weekly amount.
 * Pure, integer arithmetic only. A year is 52 weeks (as platform/money/periods.ts states), so:
 * - every 4 weeks: ÷ 4
 * - a month: × 12 ÷ 52
 * - a year: ÷ 52
 * The conversion is platform/money/periods.ts's; unlike its default (the nearest penny), a weekly amount here is
 * rounded in the person's favour,
 * because it is their estimate of what they pay: income down to the penny, a cost they can have taken off their
 * income (housing, extra costs) up, and the cost of their care down (the charge is never more than the cost).
 */

export const HOW_OFTEN = ["week", "4weeks", "month", "year"] as const;
export type HowOften = (typeof HOW_OFTEN)[number];

export const isHowOften = (value: string): value is HowOften =>
  (HOW_OFTEN as readonly string[]).includes(value);

/** As the form's choice and "Check your answers" say it: "£520.00 a month". */
export const HOW_OFTEN_WORDS: Record<HowOften, string> = {
  week: "a week",
  "4weeks": "every 4 weeks",
  month: "a month",
  year: "a year",
};

/** The form's choices, as the platform's frequencies. */
const FREQUENCY: Record<HowOften, Frequency> = {
  week: "week",
  "4weeks": "four_weeks",
  month: "month",
  year: "year",
};

/** Which way a weekly amount is rounded: in the person's favour for what it is. */
export type AmountKind = "income" | "cost" | "care";

/** The weekly amount, in whole pence, of an amount in whole pence paid `often`. */
export function weeklyPence(amountPence: number, often: HowOften, kind: AmountKind): number {
  if (!Number.isSafeInteger(amountPence) || amountPence < 0)
    throw new RangeError("An amount must be a whole number of pence, 0 or more");
  return weeklyFrom(amountPence, FREQUENCY[often], kind === "cost" ? "up" : "down");
}

/** The most that may be entered `often` for a weekly amount of at most `maxWeeklyPence`. */
export function maxFor(maxWeeklyPence: number, often: HowOften): number {
  return mostAt(maxWeeklyPence, FREQUENCY[often]);
}
