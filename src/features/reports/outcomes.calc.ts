import { AGE_BANDS } from "#/features/calibration/calibration-report.calc.ts";

/**
 * The commissioner's outcomes report: how people rated their own outcomes at review (met, partly met, not met),
 * counted once per outcome per review, by outcome area, age band and primary support reason. Pure.
 *
 * An outcome's area is the support category of the plan's supports that serve it (an outcome served by personal
 * care and by transport counts in both areas, so the areas may add up to more than the ratings); an outcome no
 * support in the plan serves counts under "No support in the plan". Age is in whole years on the day of the review.
 */

export const RATINGS = ["met", "partly_met", "not_met"] as const;
export type Rating = (typeof RATINGS)[number];
export const RATING_LABELS: Record<Rating, string> = {
  met: "Met",
  partly_met: "Partly met",
  not_met: "Not met",
};

export const NO_SUPPORT_AREA = "no_support";
export const UNDER_18 = "under-18";
export const NOT_RECORDED = "not_recorded";

/** One outcome rated at one review, with what it is grouped by. */
export type RatedOutcome = {
  rating: string;
  /** Support categories serving the outcome ([] when none). */
  areas: readonly string[];
  dateOfBirth: string;
  reviewedOn: string;
  primarySupportReason: string | null;
};

export type RatingCounts = Record<Rating, number> & { total: number; metPercent: number | null };
export type OutcomeGroupRow = { key: string } & RatingCounts;
export type OutcomesReport = {
  totals: RatingCounts;
  byArea: OutcomeGroupRow[];
  byAgeBand: OutcomeGroupRow[];
  byPrimarySupportReason: OutcomeGroupRow[];
};

/** Whole years from a date of birth to a date. */
export function ageOn(dateOfBirth: string, date: string): number {
  const [by, bm, bd] = dateOfBirth.split("-").map(Number) as [number, number, number];
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

export function ageBandId(age: number): string {
  return AGE_BANDS.find((b) => b.from <= age && age <= b.to)?.id ?? UNDER_18;
}

const isRating = (r: string): r is Rating => (RATINGS as readonly string[]).includes(r);

function counts(): RatingCounts {
  return { met: 0, partly_met: 0, not_met: 0, total: 0, metPercent: null };
}

function add(c: RatingCounts, rating: Rating) {
  c[rating] += 1;
  c.total += 1;
  c.metPercent = Math.round((c.met / c.total) * 1000) / 10;
}

class Tally {
  readonly rows = new Map<string, OutcomeGroupRow>();
  constructor(keys: readonly string[]) {
    for (const key of keys) this.rows.set(key, { key, ...counts() });
  }
  add(key: string, rating: Rating) {
    let row = this.rows.get(key);
    if (!row) {
      row = { key, ...counts() };
      this.rows.set(key, row);
    }
    add(row, rating);
  }
  list(): OutcomeGroupRow[] {
    return [...this.rows.values()];
  }
}

export function outcomesReport(rated: readonly RatedOutcome[]): OutcomesReport {
  const totals = counts();
  const byArea = new Tally([]);
  const byAgeBand = new Tally([...AGE_BANDS.map((b) => b.id)]);
  const byPsr = new Tally([]);
  for (const o of rated) {
    if (!isRating(o.rating)) continue;
    add(totals, o.rating);
    for (const area of o.areas.length > 0 ? [...new Set(o.areas)] : [NO_SUPPORT_AREA])
      byArea.add(area, o.rating);
    byAgeBand.add(ageBandId(ageOn(o.dateOfBirth, o.reviewedOn)), o.rating);
    byPsr.add(o.primarySupportReason ?? NOT_RECORDED, o.rating);
  }
  const byKey = (a: OutcomeGroupRow, b: OutcomeGroupRow) => a.key.localeCompare(b.key);
  return {
    totals,
    byArea: byArea.list().sort(byKey),
    byAgeBand: byAgeBand.list(),
    byPrimarySupportReason: byPsr.list().sort(byKey),
  };
}
