/** The units a support is counted in (a plan line, a directory price). */
export const UNITS = ["hour", "session", "visit", "day", "night", "week", "item"] as const;
export type Unit = (typeof UNITS)[number];
/** Units a week are kept as exact hundredths: 10.25 hours is 1025. */
export const UNITS_SCALE = 100;
