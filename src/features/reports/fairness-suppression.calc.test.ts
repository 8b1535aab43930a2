import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { suppress } from "#/features/reports/fairness-suppression.calc.ts";

/**
 * Small-number suppression on the public fairness dashboard (fairness-suppression.calc.ts): a group of fewer
 * people than the setting is hidden, and secondary suppression stops the published total giving it back.
 */

/**
 * What someone reading the table can work out about each hidden group: every group listed holds at least one
 * person, and the hidden ones hold the total minus the groups shown. A hidden group is recoverable when only
 * one value fits: k hidden groups summing to S allow each 1 … S − (k − 1).
 */
function recoverable(counts: readonly number[], hidden: readonly boolean[]): boolean {
  const total = counts.reduce((s, n) => s + n, 0);
  const shown = counts.reduce((s, n, i) => s + (hidden[i] ? 0 : n), 0);
  const k = hidden.filter(Boolean).length;
  if (k === 0) return false;
  const largestPossible = total - shown - (k - 1);
  return largestPossible === 1 || k === 1;
}

const groups = fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 12 });
const threshold = fc.integer({ min: 2, max: 20 });

describe("small-number suppression", () => {
  it("hides a group of fewer than the setting, and the next-smallest so the total cannot give it back", () => {
    // 3 people is below 10: hidden. Alone it is total − 12 − 40, so the 12 (the next smallest) goes too.
    expect(suppress([12, 3, 40], 10)).toEqual({ hidden: [true, true, false], totalHidden: false });
  });

  it("keeps hiding while the hidden groups together are still small", () => {
    // 2 and 3 hidden hold 5 people: still fewer than 10, so the 11 goes too.
    expect(suppress([2, 3, 11, 30], 10)).toEqual({ hidden: [true, true, true, false], totalHidden: false });
  });

  it("hides nothing when every group is at or above the setting", () => {
    expect(suppress([10, 25], 10)).toEqual({ hidden: [false, false], totalHidden: false });
  });

  it("hides the total, and every group, when the total itself is small", () => {
    expect(suppress([4, 5], 10)).toEqual({ hidden: [true, true], totalHidden: true });
  });

  it("property: every group shown holds at least the setting's number of people", () => {
    fc.assert(
      fc.property(groups, threshold, (counts, fewerThan) => {
        const { hidden } = suppress(counts, fewerThan);
        counts.forEach((n, i) => {
          if (!hidden[i]) expect(n).toBeGreaterThanOrEqual(fewerThan);
        });
      }),
    );
  });

  it("property: no hidden group can be worked out from the total and the groups shown", () => {
    fc.assert(
      fc.property(groups, threshold, (counts, fewerThan) => {
        const { hidden, totalHidden } = suppress(counts, fewerThan);
        if (totalHidden) return; // nothing is published
        expect(recoverable(counts, hidden)).toBe(false);
        const hiddenSum = counts.reduce((s, n, i) => s + (hidden[i] ? n : 0), 0);
        if (hidden.some(Boolean)) expect(hiddenSum).toBeGreaterThanOrEqual(fewerThan);
      }),
    );
  });

  it("property: the total is hidden exactly when it is below the setting", () => {
    fc.assert(
      fc.property(groups, threshold, (counts, fewerThan) => {
        const total = counts.reduce((s, n) => s + n, 0);
        expect(suppress(counts, fewerThan).totalHidden).toBe(total < fewerThan);
      }),
    );
  });
});
