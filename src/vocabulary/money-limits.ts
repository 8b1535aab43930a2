/** Limits on amounts typed into plans and settings: beyond them a figure is almost certainly a typing mistake. */

/** The largest unit cost we accept: more is almost certainly pounds typed as pence, or a yearly figure. */
export const MAX_UNIT_COST_PENCE = 2_500_000; // £25,000
/** The largest one-off cost we accept. */
export const MAX_ONE_OFF_PENCE = 100_000_000; // £1,000,000
/** Units a week are hundredths at most (a quarter of an hour is 0.25: UNITS_SCALE), and at most the hours in a week. */
export const MAX_UNITS_PER_WEEK = 168;
