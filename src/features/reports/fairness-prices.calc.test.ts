import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inPricesOf, lastUpliftBy, upliftsBetween } from "#/features/reports/fairness-prices.calc.ts";
import { pence } from "#/platform/money/pence.ts";
import type { PriceIndex } from "#/rules/fairness-types.ts";
import { rulesFor } from "#/rules/registry.ts";

/** Bringing a replaced package into the budget's year's prices (fairness-prices.calc.ts). */

const source = { title: "test", url: "https://example.test" };
const index: PriceIndex = {
  id: "test",
  name: "Test index",
  description: "",
  uplifts: [
    { from: "2024-04-01", percent: 3.8, source },
    { from: "2025-04-01", percent: 3.4, source },
  ],
};

describe("prices brought forward with a dated index", () => {
  it("applies each April rise after the package's date and on or before the budget's", () => {
    // £100.00 in March 2024 → × 1.038 (April 2024) × 1.034 (April 2025) = £107.3292 → £107.33.
    expect(inPricesOf(index, pence(10_000), "2024-03-15", "2025-06-30")).toBe(10_733);
    // After April 2024's rise: only April 2025's: £100 × 1.034.
    expect(inPricesOf(index, pence(10_000), "2024-04-01", "2025-06-30")).toBe(10_340);
    expect(upliftsBetween(index, "2024-04-01", "2025-04-01").map((u) => u.from)).toEqual(["2025-04-01"]);
  });

  it("rounds once, halves up", () => {
    // 50p × 1.038 = 51.9p → 52p; 25p × 1.034 = 25.85p → 26p.
    expect(inPricesOf(index, pence(50), "2024-01-01", "2024-12-31")).toBe(52);
    expect(inPricesOf(index, pence(25), "2024-06-01", "2025-06-01")).toBe(26);
  });

  it("says which rise the prices stop at", () => {
    expect(lastUpliftBy(index, "2026-12-01")?.from).toBe("2025-04-01");
    expect(lastUpliftBy(index, "2020-01-01")).toBeUndefined();
  });

  it("England's index is ONS CPIH to March, with its sources (rules/england/fairness-rules.ts)", () => {
    const rules = rulesFor("england", "2026-12-07").fairness.rules;
    expect(rules.priceIndex.uplifts.find((u) => u.from === "2022-04-01")?.percent).toBe(6.2);
    for (const u of rules.priceIndex.uplifts) expect(u.source.url).toMatch(/^https:\/\/www\.ons\.gov\.uk\//);
    expect(rules.suppressFewerThan).toBe(10);
  });

  it("property: prices never fall with a rising index, and the same day changes nothing", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), (amount) => {
        const later = inPricesOf(index, pence(amount), "2023-01-01", "2026-01-01");
        expect(later).toBeGreaterThanOrEqual(amount);
        expect(inPricesOf(index, pence(amount), "2024-05-01", "2024-05-01")).toBe(amount);
      }),
    );
  });
});
