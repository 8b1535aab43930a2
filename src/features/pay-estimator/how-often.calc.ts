import { WEEKS_PER_FOUR_WEEKS, WEEKS_PER_YEAR } from "#/platform/money/periods.ts";

/**
 * How often an amount a person types is paid: a week, every 4 weeks, a month or a year, and its weekly amount.
 * Pure, integer arithmetic only. A year is 52 weeks (as platform/money/periods.ts states), so:
 * - every 4 weeks: ÷ 4
 * - a month: × 12 ÷ 52
 * - a year: ÷ 52
 * Unlike periods.ts (which rounds to the nearest penny), a weekly amount here is rounded in the person's favour,
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

/** Weeks in each period, as a fraction (weeks / per): a month is 52/12 weeks. */
const WEEKS: Record<HowOften, { weeks: number; per: number }> = {
  week: { weeks: 1, per: 1 },
  "4weeks": { weeks: WEEKS_PER_FOUR_WEEKS, per: 1 },
  month: { weeks: WEEKS_PER_YEAR, per: 12 },
  year: { weeks: WEEKS_PER_YEAR, per: 1 },
};

/** Which way a weekly amount is rounded: in the person's favour for what it is. */
export type AmountKind = "income" | "cost" | "care";

const floorDiv = (a: number, b: number) => (a - (a % b)) / b;

/** The weekly amount, in whole pence, of an amount in whole pence paid `often`. */
export function weeklyPence(amountPence: number, often: HowOften, kind: AmountKind): number {
  if (!Number.isSafeInteger(amountPence) || amountPence < 0)
    throw new RangeError("An amount must be a whole number of pence, 0 or more");
  const { weeks, per } = WEEKS[often];
  const numerator = amountPence * per;
  return kind === "cost" ? floorDiv(numerator + weeks - 1, weeks) : floorDiv(numerator, weeks);
}

/** The most that may be entered `often` for a weekly amount of at most `maxWeeklyPence`. */
export function maxFor(maxWeeklyPence: number, often: HowOften): number {
  const { weeks, per } = WEEKS[often];
  return floorDiv(maxWeeklyPence * weeks, per);
}
