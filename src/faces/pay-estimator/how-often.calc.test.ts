import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HOW_OFTEN, maxFor, weeklyPence } from "#/faces/pay-estimator/how-often.calc.ts";

describe("amounts a week, every 4 weeks, a month or a year, as weekly pence (52-week year, integer arithmetic)", () => {
  it("a weekly amount stays exactly as entered, whatever it is", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.constantFrom("income", "cost", "care"), (p, kind) => {
        expect(weeklyPence(p, "week", kind)).toBe(p);
      }),
    );
  });

  it("every 4 weeks is ÷ 4; a month is × 12 ÷ 52; a year is ÷ 52", () => {
    expect(weeklyPence(52_000, "4weeks", "income")).toBe(13_000);
    expect(weeklyPence(52_000, "month", "income")).toBe(12_000); // £520 a month is £120 a week
    expect(weeklyPence(52_000, "year", "income")).toBe(1_000);
  });

  it("income is rounded down to the penny, costs (housing, extra costs) up, the cost of care down", () => {
    // £100.00 a month × 12 ÷ 52 = 2307.69… pence
    expect(weeklyPence(10_000, "month", "income")).toBe(2307);
    expect(weeklyPence(10_000, "month", "cost")).toBe(2308);
    expect(weeklyPence(10_000, "month", "care")).toBe(2307);
    // £1.00 a year is 1.92… pence a week; £0.03 every 4 weeks is 0.75 pence
    expect(weeklyPence(100, "year", "income")).toBe(1);
    expect(weeklyPence(100, "year", "cost")).toBe(2);
    expect(weeklyPence(3, "4weeks", "cost")).toBe(1);
    expect(weeklyPence(3, "4weeks", "care")).toBe(0);
  });

  it("a month (52-week year): £X a month is floor(X × 12 ÷ 52) pence a week as income, and the ceiling as a cost", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e11 }), (p) => {
        const exact = BigInt(p) * 12n;
        expect(BigInt(weeklyPence(p, "month", "income"))).toBe(exact / 52n);
        expect(BigInt(weeklyPence(p, "month", "cost"))).toBe((exact + 51n) / 52n);
      }),
    );
  });

  it("rounding is never more than a penny, and always in the person's favour (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e11 }), fc.constantFrom(...HOW_OFTEN), (p, often) => {
        const [weeks, per] = { week: [1, 1], "4weeks": [4, 1], month: [52, 12], year: [52, 1] }[often] as [
          number,
          number,
        ];
        const down = weeklyPence(p, often, "income");
        const up = weeklyPence(p, often, "cost");
        // down × weeks ≤ p × per ≤ up × weeks, and up − down ≤ 1
        expect(down * weeks).toBeLessThanOrEqual(p * per);
        expect(up * weeks).toBeGreaterThanOrEqual(p * per);
        expect(up - down).toBeLessThanOrEqual(1);
        expect(weeklyPence(p, often, "care")).toBe(down);
      }),
    );
  });

  it("the most that may be entered for each period is the weekly maximum over that period", () => {
    expect(maxFor(2_500_000, "week")).toBe(2_500_000);
    expect(maxFor(2_500_000, "4weeks")).toBe(10_000_000);
    expect(maxFor(2_500_000, "month")).toBe(10_833_333);
    expect(maxFor(2_500_000, "year")).toBe(130_000_000);
    for (const often of HOW_OFTEN)
      expect(weeklyPence(maxFor(2_500_000, often), often, "cost")).toBeLessThanOrEqual(2_500_000);
  });

  it("refuses amounts that are not whole pence", () => {
    expect(() => weeklyPence(1.5, "week", "income")).toThrow(RangeError);
    expect(() => weeklyPence(-1, "week", "income")).toThrow(RangeError);
  });
});
