/**
 * Small-number suppression for the public fairness dashboard. A table of groups (one way of splitting the same
 * people: by age, by sex…) is published with its total, so hiding one small group is not enough: the total
 * minus the groups shown would give it back. So:
 *   - primary: a group of fewer than `fewerThan` people is hidden;
 *   - secondary: while exactly one group is hidden, or the hidden groups together hold fewer than `fewerThan`
 *     people (or only one each), the next-smallest group shown is hidden too (ties: the later one in the
 *     table), so the total reveals only a combined figure that is itself not small;
 *   - the total is hidden when it is itself small, and then every group with it.
 * Pure. Works on counts; the caller hides every figure of a hidden group (its mean too: a mean times its count
 * is a sum, and sums subtract just as counts do).
 */

export type Suppression = {
  /** Whether each group's figures are hidden, in the order given. */
  readonly hidden: readonly boolean[];
  /** Whether the total is hidden (it is small). */
  readonly totalHidden: boolean;
};

export function suppress(counts: readonly number[], fewerThan: number): Suppression {
  const total = counts.reduce((s, n) => s + n, 0);
  if (total < fewerThan) return { hidden: counts.map(() => true), totalHidden: true };
  const hidden = counts.map((n) => n > 0 && n < fewerThan);
  const hiddenSum = () => counts.reduce((s, n, i) => s + (hidden[i] ? n : 0), 0);
  const hiddenCount = () => hidden.filter(Boolean).length;
  // Each hidden group is known to hold at least one person, so k hidden groups holding k people in all would
  // each be known to hold one: that is also not enough.
  const exposed = () =>
    hiddenCount() > 0 && (hiddenCount() === 1 || hiddenSum() < fewerThan || hiddenSum() <= hiddenCount());
  while (exposed()) {
    const next = nextSmallestShown(counts, hidden);
    if (next === undefined) break; // every group is hidden; the total is not small, so it stands alone
    hidden[next] = true;
  }
  return { hidden, totalHidden: false };
}

/** The shown group with the fewest people (zero-people groups show nothing, so they are passed over). */
function nextSmallestShown(counts: readonly number[], hidden: readonly boolean[]): number | undefined {
  let best: number | undefined;
  counts.forEach((n, i) => {
    if (hidden[i] || n === 0) return;
    if (best === undefined || n <= counts[best]!) best = i;
  });
  return best;
}
