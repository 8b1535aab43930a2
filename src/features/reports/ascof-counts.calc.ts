import { type AscofPeriod, computeAscof } from "#/features/reports/ascof.calc.ts";
import { type AscofFigure, roundedPercent } from "#/features/reports/ascof-common.calc.ts";
import type { CldRow } from "#/features/reports/cld-record.ts";
import type { AscofRules } from "#/rules/registry.ts";

/**
 * ASCOF 3D and 2E a page of people at a time (issue 15: the measures page at a million people). Every ASCOF
 * count is a count of people, and everything that places a person (the client snapshot, the setting hierarchy,
 * the carer's highest support, the latest accommodation, de-duplication by the combined person id) looks only at
 * that person's own rows. So when each person's rows are all in one page, the counts of the pages add up to the
 * counts of the whole year, and a percentage is worked out once, at the end, from the added counts. Pure: counts
 * in, counts out. A page is counted by computeAscof itself (ascof.calc.ts), so there is one method, not two.
 */

/** One figure's people counted: additive over pages that never split a person. */
export type AscofCount = Pick<AscofFigure, "measure" | "group" | "numerator" | "denominator">;

export type AscofCounts = {
  /** CLD rows counted (the rows the return sends). */
  readonly rows: number;
  /** Every figure ASCOF publishes, in computeAscof's order. */
  readonly figures: readonly AscofCount[];
  readonly clientsWithUnknownMechanism: number;
  readonly carersWithUnknownMechanism: number;
  readonly rowsWithoutPerson: number;
};

/** What the measures page shows: each figure's counts and percentage, without the people behind it. */
export type AscofSummary = {
  readonly period: AscofPeriod;
  readonly rulesId: string;
  readonly figures: readonly Omit<AscofFigure, "numeratorPersons" | "denominatorPersons">[];
  readonly clientsWithUnknownMechanism: number;
  readonly carersWithUnknownMechanism: number;
  readonly rowsWithoutPerson: number;
};

/** The counts of one page of rows. The page must hold every row of each person in it. */
export function ascofCountsOf(rows: readonly CldRow[], period: AscofPeriod, rules: AscofRules): AscofCounts {
  const result = computeAscof(rows, period, rules);
  return {
    rows: rows.length,
    figures: result.figures.map(({ measure, group, numerator, denominator }) => ({
      measure,
      group,
      numerator,
      denominator,
    })),
    clientsWithUnknownMechanism: result.clientsWithUnknownMechanism,
    carersWithUnknownMechanism: result.carersWithUnknownMechanism,
    rowsWithoutPerson: result.rowsWithoutPerson,
  };
}

/** Nothing counted yet: every figure at nought (the counts of no rows). */
export function noAscofCounts(period: AscofPeriod, rules: AscofRules): AscofCounts {
  return ascofCountsOf([], period, rules);
}

const keyOf = (c: AscofCount) => `${c.measure}|${c.group}`;

/** Two pages' counts added, figure by figure (matched by measure and group, in the first one's order). */
export function addAscofCounts(a: AscofCounts, b: AscofCounts): AscofCounts {
  const other = new Map(b.figures.map((f) => [keyOf(f), f]));
  const figures = a.figures.map((f) => {
    const more = other.get(keyOf(f));
    other.delete(keyOf(f));
    return more
      ? { ...f, numerator: f.numerator + more.numerator, denominator: f.denominator + more.denominator }
      : f;
  });
  return {
    rows: a.rows + b.rows,
    figures: [...figures, ...other.values()],
    clientsWithUnknownMechanism: a.clientsWithUnknownMechanism + b.clientsWithUnknownMechanism,
    carersWithUnknownMechanism: a.carersWithUnknownMechanism + b.carersWithUnknownMechanism,
    rowsWithoutPerson: a.rowsWithoutPerson + b.rowsWithoutPerson,
  };
}

/** The figures from the added counts: each percentage rounded once, from the whole year's counts. */
export function ascofSummaryOf(counts: AscofCounts, period: AscofPeriod, rules: AscofRules): AscofSummary {
  return {
    period,
    rulesId: rules.id,
    figures: counts.figures.map((f) => ({
      ...f,
      percent: roundedPercent(f.numerator, f.denominator, rules.percentDecimals),
    })),
    clientsWithUnknownMechanism: counts.clientsWithUnknownMechanism,
    carersWithUnknownMechanism: counts.carersWithUnknownMechanism,
    rowsWithoutPerson: counts.rowsWithoutPerson,
  };
}
