import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pence } from "#/platform/money/pence.ts";
import {
  annualToFourWeekly,
  annualToWeekly,
  convertPeriod,
  fourWeeklyToAnnual,
  fourWeeklyToWeekly,
  weeklyToAnnual,
  weeklyToFourWeekly,
} from "#/platform/money/periods.ts";

describe("period conversion (house rule: one place, rounding stated)", () => {
  it("annual is weekly × 52 and 4-weekly is weekly × 4, exactly", () => {
    expect(weeklyToAnnual(pence(12345))).toBe(641940);
    expect(weeklyToFourWeekly(pence(12345))).toBe(49380);
    expect(fourWeeklyToAnnual(pence(49380))).toBe(641940);
  });

  it("weekly from annual is annual ÷ 52 rounded to the penny, halves up", () => {
    expect(annualToWeekly(pence(10000))).toBe(192); // 192.307…
    expect(annualToWeekly(pence(26))).toBe(1); // 0.5 → 1
    expect(annualToWeekly(pence(641940))).toBe(12345);
  });

  it("4-weekly from annual is annual ÷ 13, weekly from 4-weekly is ÷ 4, rounded the same way", () => {
    expect(annualToFourWeekly(pence(10000))).toBe(769); // 769.23…
    expect(fourWeeklyToWeekly(pence(10002))).toBe(2501); // 2500.5 → 2501
  });

  it("weekly → any period → weekly returns the same weekly amount (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.constantFrom("four_weekly", "annual"), (w, period) => {
        const weekly = pence(w);
        expect(convertPeriod(convertPeriod(weekly, "weekly", period), period, "weekly")).toBe(weekly);
      }),
    );
  });
});
