import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addPence, formatPounds, pence, roundedDivide, scalePence } from "#/platform/money/pence.ts";

describe("pence (house rule: money is integer pence)", () => {
  it("accepts whole numbers of pence", () => {
    expect(pence(123456)).toBe(123456);
    expect(pence(-5)).toBe(-5);
  });

  it("rejects fractions, NaN, infinities and unsafe integers", () => {
    expect(() => pence(1.5)).toThrow(RangeError);
    expect(() => pence(Number.NaN)).toThrow(RangeError);
    expect(() => pence(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => pence(2 ** 53)).toThrow(RangeError);
  });

  it("adds amounts", () => {
    expect(addPence(pence(150), pence(275), pence(-25))).toBe(400);
    expect(addPence()).toBe(0);
  });
});

describe("formatPounds", () => {
  it.each([
    [0, "£0.00"],
    [5, "£0.05"],
    [123456, "£1,234.56"],
    [100000000, "£1,000,000.00"],
    [-123456, "-£1,234.56"],
    [-0, "£0.00"],
  ])("%d pence is %s", (p, text) => {
    expect(formatPounds(pence(p))).toBe(text);
  });
});

describe("rounding: nearest penny, halves away from zero", () => {
  it("rounds halves up for positive amounts and down for negative ones", () => {
    expect(roundedDivide(5, 2)).toBe(3);
    expect(roundedDivide(7, 2)).toBe(4);
    expect(roundedDivide(-5, 2)).toBe(-3);
    expect(roundedDivide(10000, 52)).toBe(192); // 192.307…
    expect(roundedDivide(26, 52)).toBe(1); // exactly 0.5
    expect(roundedDivide(25, 52)).toBe(0); // 0.48…
  });

  it("scales exactly even when the product passes 2^53", () => {
    // 9e15 × 3 overflows a double's exact range; BigInt keeps it exact: 27e15 / 10 = 2.7e15.
    expect(scalePence(pence(9_000_000_000_000_000), 3, 10)).toBe(2_700_000_000_000_000);
    expect(scalePence(pence(12345), 10, 100)).toBe(1235); // 1234.5 → 1235
  });

  it("matches the rounding of the exact quotient (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 1, max: 100000 }), (n, d) => {
        const q = roundedDivide(n, d);
        // |n/d - q| <= 1/2, and on an exact half the result is further from zero.
        expect(Math.abs(2 * (n - q * d))).toBeLessThanOrEqual(d);
        if (Math.abs(2 * (n - q * d)) === d) expect(Math.abs(q * d)).toBeGreaterThan(Math.abs(n));
      }),
    );
  });
});
