import { describe, expect, it } from "vitest";
import {
  leastSquares,
  meanConfidenceInterval,
  percentile,
  SingularDesignError,
  sampleSd,
  studentTQuantile,
} from "#/features/calibration/statistics.calc.ts";

describe("statistics", () => {
  it("rule: least squares through the origin with one column is Σxy / Σx²", () => {
    // x = 1..4, y = 110, 180, 310, 400: Σxy = 3000, Σx² = 30, so β = 100.
    expect(leastSquares([[1], [2], [3], [4]], [110, 180, 310, 400])[0]).toBeCloseTo(100, 10);
  });

  it("rule: with two columns, least squares solves the normal equations XᵀXβ = Xᵀy", () => {
    // XᵀX = [[6, 3], [3, 3]], Xᵀy = [1530, 1200]: β = (110, 290) by Cramer's rule.
    const beta = leastSquares(
      [
        [1, 0],
        [0, 1],
        [1, 1],
        [2, 1],
      ],
      [110, 290, 400, 510],
    );
    expect(beta[0]).toBeCloseTo(110, 9);
    expect(beta[1]).toBeCloseTo(290, 9);
  });

  it("rule: a column that repeats the others (a singular design) is refused, naming the column", () => {
    const error = (() => {
      try {
        leastSquares(
          [
            [1, 2],
            [2, 4],
            [3, 6],
          ],
          [1, 2, 3],
        );
      } catch (e) {
        return e;
      }
    })() as SingularDesignError;
    expect(error).toBeInstanceOf(SingularDesignError);
    expect(error.column).toBe(1);
  });

  it("rule: Student's t quantiles match the published table (two-sided 95%)", () => {
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.7062, 3);
    expect(studentTQuantile(0.975, 5)).toBeCloseTo(2.5706, 4);
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.2281, 4);
    expect(studentTQuantile(0.975, 30)).toBeCloseTo(2.0423, 4);
    expect(studentTQuantile(0.975, 1000)).toBeCloseTo(1.9623, 4);
  });

  it("rule: percentiles interpolate between ranks (type 7); the SD divides by n − 1; the CI is mean ± t·sd/√n", () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([10, 20, 30, 40, 50], 90)).toBe(46);
    expect(sampleSd([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 12);
    const ci = meanConfidenceInterval([1, 2, 3, 4, 5])!;
    // mean 3, sd √2.5, t(0.975, 4) = 2.7764: half-width 1.9632.
    expect(ci.mean).toBe(3);
    expect(ci.high - 3).toBeCloseTo(1.9632, 3);
    expect(meanConfidenceInterval([1])).toBeNull();
  });
});
