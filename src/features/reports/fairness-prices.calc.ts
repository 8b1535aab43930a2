import type { Pence } from "#/platform/money/pence.ts";
import { pence } from "#/platform/money/pence.ts";
import type { PriceIndex, PriceUplift } from "#/rules/fairness-types.ts";

/**
 * Bringing an amount from one date's prices into another's with a dated price index of yearly uplifts: every
 * uplift that starts after the first date and on or before the second applies, one after another. Exact: each
 * rise is a whole number of tenths of a percent, so the product is a fraction of whole numbers (BigInt), and the
 * pence are rounded once, halves up. A later date gives the same amount when no uplift falls between.
 */

/** The uplifts between the two dates (after `from`, on or before `to`), oldest first. */
export function upliftsBetween(index: PriceIndex, from: string, to: string): PriceUplift[] {
  return index.uplifts.filter((u) => from < u.from && u.from <= to);
}

/** Tenths of a percent, checked: the index is data, and a figure with more decimals would be rounded silently. */
function tenths(percent: number): bigint {
  const t = Math.round(percent * 10);
  if (Math.abs(t - percent * 10) > 1e-9) {
    throw new RangeError(`A price index rise must have at most one decimal place, not ${percent}`);
  }
  return BigInt(t);
}

/** `amount` (whole pence, not negative) at `from`'s prices, in `to`'s prices. */
export function inPricesOf(index: PriceIndex, amount: Pence, from: string, to: string): Pence {
  if (!Number.isInteger(amount) || amount < 0)
    throw new RangeError("An amount must be whole pence, not negative");
  let numerator = BigInt(amount);
  let denominator = 1n;
  for (const u of upliftsBetween(index, from, to)) {
    numerator *= 1000n + tenths(u.percent);
    denominator *= 1000n;
  }
  // Halves up: floor((2n + d) / 2d).
  return pence(Number((2n * numerator + denominator) / (2n * denominator)));
}

/** The last uplift the index holds on or before `date`, or undefined: the page says prices are held after it. */
export function lastUpliftBy(index: PriceIndex, date: string): PriceUplift | undefined {
  return index.uplifts.filter((u) => u.from <= date).at(-1);
}
