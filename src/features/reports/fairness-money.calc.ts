import { mean, meanConfidenceInterval } from "#/features/calibration/statistics.calc.ts";
import type { FairnessBudget, FairnessSettings, Quarter } from "#/features/reports/fairness-data.calc.ts";
import { inPricesOf, lastUpliftBy } from "#/features/reports/fairness-prices.calc.ts";
import { protect } from "#/features/reports/fairness-protect.calc.ts";
import { snapshotOf } from "#/features/reports/fairness-quarters.calc.ts";
import { suppress } from "#/features/reports/fairness-suppression.calc.ts";
import { type Pence, pence, roundedDivide } from "#/platform/money/pence.ts";

/**
 * "Cover for cuts?" and spend over time, for the public fairness dashboard. Pure.
 *
 * Cover for cuts: for each person whose live budget's plan replaced a council-arranged package, the budget
 * against that package's weekly cost brought into the same day's prices with the price index (each yearly rise
 * between the package's date and the day the figures are taken). The mean of the differences, with its 95%
 * confidence interval (Student's t, paired: one difference per person), and how many got less, the same, more.
 *
 * Spend: what the personal budgets live in the quarter pay for long-term support, each weekly amount for the days
 * it was live in the quarter (to today, for the quarter still running), summed, then divided by 7 and rounded
 * to the penny once; the number of people with a budget live on any of those days; and the spend per person.
 */

const whole = (x: number): Pence => pence(Math.sign(x) * Math.round(Math.abs(x)) || 0);

export type CoverForCuts = {
  /** True when fewer people than the setting had a package replaced: nothing else is shown. */
  readonly hidden: boolean;
  readonly people: number | null;
  readonly meanBudgetPence: Pence | null;
  /** The replaced packages' mean weekly cost, in the prices of the day the figures are taken. */
  readonly meanPreviousPence: Pence | null;
  /** Budget − previous package: negative when budgets are lower. */
  readonly meanDifferencePence: Pence | null;
  readonly ciLowPence: Pence | null;
  readonly ciHighPence: Pence | null;
  /** How many got less, the same, more than their package; each null where hidden. */
  readonly less: number | null;
  readonly same: number | null;
  readonly more: number | null;
  readonly verdict: "lower" | "higher" | "no_clear_difference" | null;
  /** The last price rise the index has by the day: prices after it are held. */
  readonly pricesFrom: string | null;
};

export function coverForCuts(
  live: readonly FairnessBudget[],
  snapshot: string,
  settings: FairnessSettings,
): CoverForCuts {
  const pairs = live.flatMap((b) =>
    b.previousPackage && b.previousPackage.date <= snapshot
      ? [
          {
            budget: b.weeklyPence,
            previous: inPricesOf(
              settings.priceIndex,
              pence(b.previousPackage.weeklyPence),
              b.previousPackage.date,
              snapshot,
            ),
          },
        ]
      : [],
  );
  const pricesFrom = lastUpliftBy(settings.priceIndex, snapshot)?.from ?? null;
  if (pairs.length < settings.suppressFewerThan) {
    return {
      hidden: true,
      people: null,
      meanBudgetPence: null,
      meanPreviousPence: null,
      meanDifferencePence: null,
      ciLowPence: null,
      ciHighPence: null,
      less: null,
      same: null,
      more: null,
      verdict: null,
      pricesFrom,
    };
  }
  const differences = pairs.map((p) => p.budget - p.previous);
  const ci = meanConfidenceInterval(differences, 0.95);
  const counts = [
    differences.filter((d) => d < 0).length,
    differences.filter((d) => d === 0).length,
    differences.filter((d) => d > 0).length,
  ];
  const { hidden } = suppress(counts, settings.suppressFewerThan);
  const shown = (i: number) => (hidden[i] ? null : counts[i]!);
  const verdict = !ci ? null : ci.high < 0 ? "lower" : ci.low > 0 ? "higher" : "no_clear_difference";
  return {
    hidden: false,
    people: pairs.length,
    meanBudgetPence: whole(mean(pairs.map((p) => p.budget))),
    meanPreviousPence: whole(mean(pairs.map((p) => p.previous))),
    meanDifferencePence: whole(mean(differences)),
    ciLowPence: ci ? whole(ci.low) : null,
    ciHighPence: ci ? whole(ci.high) : null,
    less: shown(0),
    same: shown(1),
    more: shown(2),
    verdict,
    pricesFrom,
  };
}

export type Spend = {
  readonly hidden: boolean;
  readonly people: number | null;
  readonly totalPence: Pence | null;
  readonly perPersonPence: Pence | null;
  /** The last day counted: the quarter's end, or today for the quarter still running. */
  readonly to: string;
};

/** Spend over the quarters shown, together: people supported in any of them, and the quarters' totals added. */
export type SpendOverTime = Spend & { readonly from: string };

/** A quarter's spend before anything is hidden: who it was on, and the total rounded once. */
export type RawSpend = {
  readonly personIds: ReadonlySet<string>;
  readonly totalPence: Pence;
  readonly to: string;
};

const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

export function rawSpendIn(quarter: Quarter, today: string, budgets: readonly FairnessBudget[]): RawSpend {
  const to = snapshotOf(quarter, today);
  let weeklyTimesDays = 0;
  const personIds = new Set<string>();
  for (const b of budgets) {
    const from = Math.max(dayNumber(b.startDate), dayNumber(quarter.start));
    const until = Math.min(
      b.endDate === null ? Number.POSITIVE_INFINITY : dayNumber(b.endDate),
      dayNumber(to),
    );
    const days = until - from + 1;
    if (days <= 0) continue;
    weeklyTimesDays += b.weeklyPence * days;
    personIds.add(b.personId);
  }
  return { personIds, totalPence: pence(roundedDivide(weeklyTimesDays, 7)), to };
}

function shown(raw: RawSpend, hidden: boolean): Spend {
  const people = raw.personIds.size;
  if (hidden) return { hidden, people: null, totalPence: null, perPersonPence: null, to: raw.to };
  const perPersonPence = people === 0 ? null : pence(roundedDivide(raw.totalPence, people));
  return { hidden, people, totalPence: raw.totalPence, perPersonPence, to: raw.to };
}

/** One quarter's spend, hidden when it is about fewer people than the setting. */
export function spendIn(
  quarter: Quarter,
  today: string,
  budgets: readonly FairnessBudget[],
  fewerThan: number,
): Spend {
  const raw = rawSpendIn(quarter, today, budgets);
  return shown(raw, raw.personIds.size < fewerThan);
}

/**
 * The quarters' spend and their total over time. The total over time is the quarters' totals added, so a
 * quarter hidden for its few people would be the total less the others shown: the quarters and the total are
 * one relation, protected together (fairness-protect.calc.ts): the total over time is hidden too.
 */
export function spendOverTime(
  quarters: readonly RawSpend[],
  from: string,
  fewerThan: number,
): { quarters: Spend[]; overTime: SpendOverTime } {
  const everyone = new Set(quarters.flatMap((q) => [...q.personIds]));
  const total: RawSpend = {
    personIds: everyone,
    totalPence: pence(quarters.reduce((s, q) => s + q.totalPence, 0)),
    to: quarters.at(-1)?.to ?? from,
  };
  const sizes = [everyone.size, ...quarters.map((q) => q.personIds.size)];
  // The total over time is hidden before another quarter is: the quarters are what the page is about.
  const relation = { total: 0, parts: quarters.map((_, i) => i + 1) };
  const hidden = protect(sizes, [relation], fewerThan, { preferred: [0] });
  // The same people are in many quarters, so hidden quarters' sizes do not add up: two quarters of the same 6
  // people are still about 6. Any hidden quarter hides the total over time, whatever the sizes say.
  const totalHidden = hidden.some(Boolean);
  return {
    quarters: quarters.map((q, i) => shown(q, hidden[i + 1]!)),
    overTime: { ...shown(total, totalHidden), from },
  };
}
