import { type Pence, pence, roundedDivide } from "#/platform/money/pence.ts";

/**
 * Weekly ↔ 4-weekly ↔ annual conversion, in one place.
 *
 * Convention: a budget year is 52 weeks, which is 13 four-weekly periods (364 days). We do not use
 * 52.18 weeks (365.25 days): councils set and publish weekly rates and pay 4-weekly in advance, so
 * the weekly amount is the source of truth and a year is stated as 52 of them. A payment run for a
 * real calendar year (which may hold 53 weekly or 14 four-weekly cycles) counts its actual cycles.
 *
 * Rounding: converting to a longer period multiplies, so it is exact. Converting to a shorter period
 * divides and rounds to the nearest penny, halves rounded up (away from zero), e.g. £100.00 a year is
 * 10000 / 52 = 192.307… → £1.92 a week. So annual → weekly → annual need not return the same annual
 * figure; always store the weekly amount and derive the others from it.
 */
export const WEEKS_PER_YEAR = 52;
export const WEEKS_PER_FOUR_WEEKS = 4;
export const FOUR_WEEK_PERIODS_PER_YEAR = 13;

export const PERIODS = ["weekly", "four_weekly", "annual"] as const;
export type Period = (typeof PERIODS)[number];

const WEEKS_IN: Record<Period, number> = {
  weekly: 1,
  four_weekly: WEEKS_PER_FOUR_WEEKS,
  annual: WEEKS_PER_YEAR,
};

/** Converts an amount for one period into the amount for another, rounding as stated above. */
export function convertPeriod(amount: Pence, from: Period, to: Period): Pence {
  const fromWeeks = WEEKS_IN[from];
  const toWeeks = WEEKS_IN[to];
  if (toWeeks >= fromWeeks) {
    // Longer (or same) period: exact, because the week counts divide evenly (1, 4, 52).
    return pence(amount * (toWeeks / fromWeeks));
  }
  return pence(roundedDivide(amount * toWeeks, fromWeeks));
}

export const weeklyToAnnual = (weekly: Pence): Pence => convertPeriod(weekly, "weekly", "annual");
export const annualToWeekly = (annual: Pence): Pence => convertPeriod(annual, "annual", "weekly");
export const weeklyToFourWeekly = (weekly: Pence): Pence => convertPeriod(weekly, "weekly", "four_weekly");
export const fourWeeklyToWeekly = (fourWeekly: Pence): Pence =>
  convertPeriod(fourWeekly, "four_weekly", "weekly");
export const fourWeeklyToAnnual = (fourWeekly: Pence): Pence =>
  convertPeriod(fourWeekly, "four_weekly", "annual");
export const annualToFourWeekly = (annual: Pence): Pence => convertPeriod(annual, "annual", "four_weekly");

/** How often an amount is paid, as forms ask it. A calendar month is 12 ÷ 52 of a year's weeks. */
export const FREQUENCIES = ["week", "two_weeks", "four_weeks", "month", "year"] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/** An amount paid `per` times in `weeks` weeks: weekly = amount × per ÷ weeks. */
const WEEKS_PER: Record<Frequency, { weeks: number; per: number }> = {
  week: { weeks: 1, per: 1 },
  two_weeks: { weeks: 2, per: 1 },
  four_weeks: { weeks: WEEKS_PER_FOUR_WEEKS, per: 1 },
  month: { weeks: WEEKS_PER_YEAR, per: 12 },
  year: { weeks: WEEKS_PER_YEAR, per: 1 },
};

const floorDiv = (a: number, b: number) => (a - (a % b)) / b;

/**
 * An amount in whole pence (0 or more) paid at a frequency, as whole pence a week. Rounded to the nearest penny
 * (halves up) unless the caller must round in someone's favour: "down" or "up".
 */
export function weeklyFrom(
  amountPence: number,
  frequency: Frequency,
  rounding: "nearest" | "down" | "up" = "nearest",
): number {
  const { weeks, per } = WEEKS_PER[frequency];
  const numerator = amountPence * per;
  if (rounding === "nearest") return roundedDivide(numerator, weeks);
  return rounding === "up" ? floorDiv(numerator + weeks - 1, weeks) : floorDiv(numerator, weeks);
}

/** The most that may be given at a frequency for an amount of at most `maxWeeklyPence` a week. */
export function mostAt(maxWeeklyPence: number, frequency: Frequency): number {
  const { weeks, per } = WEEKS_PER[frequency];
  return floorDiv(maxWeeklyPence * weeks, per);
}
