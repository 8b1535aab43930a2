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
