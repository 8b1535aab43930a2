import { describe, expect, it } from "vitest";
import {
  type MarketSupport,
  marketReport,
  NO_POSTCODE,
  outwardCode,
  supplyOf,
} from "#/features/reports/market.calc.ts";

const directory = { providerIds: new Set(["p-care", "p-pa"]), activeServiceIds: new Set(["s-home-care"]) };
const support = (over: Partial<MarketSupport>): MarketSupport => ({
  category: "personal_care",
  source: "provider",
  providerId: "p-care",
  serviceId: "s-home-care",
  named: true,
  weeklyPence: 10_000,
  ...over,
});

describe("market gaps (commissioner's reports)", () => {
  it("rule: the postcode district is the outward code, the part before the inward code's three characters", () => {
    expect(outwardCode("SW1A 1AA")).toBe("SW1A");
    expect(outwardCode("m1 1ae")).toBe("M1");
    expect(outwardCode("B338TH")).toBe("B33");
    expect(outwardCode(null)).toBe(NO_POSTCODE);
    expect(outwardCode("nonsense postcode")).toBe(NO_POSTCODE);
  });

  it("rule: a support is from the directory only when its provider is listed and its named service is active", () => {
    expect(supplyOf(support({}), directory)).toBe("directory");
    expect(supplyOf(support({ serviceId: null }), directory)).toBe("directory");
    expect(supplyOf(support({ serviceId: "s-closed" }), directory)).toBe("outside");
    expect(supplyOf(support({ providerId: "p-gone" }), directory)).toBe("outside");
    expect(
      supplyOf(support({ source: "personal_assistant", providerId: "p-pa", serviceId: null }), directory),
    ).toBe("directory");
    expect(
      supplyOf(support({ source: "personal_assistant", providerId: null, serviceId: null }), directory),
    ).toBe("outside");
    expect(
      supplyOf(
        support({ source: "personal_assistant", providerId: null, serviceId: null, named: false }),
        directory,
      ),
    ).toBe("no_provider");
    expect(supplyOf(support({ source: "self_arranged", providerId: null, serviceId: null }), directory)).toBe(
      "outside",
    );
    expect(supplyOf(support({ source: "pooled", providerId: null, serviceId: null }), directory)).toBe(
      "outside",
    );
    expect(
      supplyOf(support({ source: "universal", providerId: null, serviceId: null }), directory),
    ).toBeNull();
  });

  it("rule: counts by category and by area, with the weekly cost of the gap, by hand", () => {
    const report = marketReport(
      [
        {
          postcode: "M1 1AE",
          supports: [
            support({}),
            support({
              source: "self_arranged",
              providerId: null,
              serviceId: null,
              category: "transport",
              weeklyPence: 2_500,
            }),
            support({ source: "universal", providerId: null, serviceId: null, category: "community_access" }),
          ],
        },
        {
          postcode: "M1 2BB",
          supports: [
            support({
              source: "personal_assistant",
              providerId: null,
              serviceId: null,
              named: false,
              weeklyPence: 30_000,
            }),
          ],
        },
        { postcode: null, supports: [support({ category: "transport" })] },
      ],
      directory,
      ["hard_to_find", null, "hard_to_find", "not_needed"],
    );
    expect(report.totals).toMatchObject({
      directory: 2,
      outside: 1,
      no_provider: 1,
      gapWeeklyPence: 32_500,
      gapPercent: 50,
    });
    expect(
      report.byCategory.map((r) => [r.key, r.directory, r.outside, r.no_provider, r.gapWeeklyPence]),
    ).toEqual([
      ["personal_care", 1, 0, 1, 30_000],
      ["transport", 1, 1, 0, 2_500],
    ]);
    expect(report.byArea.map((r) => [r.key, r.directory, r.outside, r.no_provider])).toEqual([
      ["M1", 1, 1, 1],
      [NO_POSTCODE, 1, 0, 0],
    ]);
    expect(report.underspends).toEqual([
      { reason: "hard_to_find", reviews: 2 },
      { reason: "not_needed", reviews: 1 },
    ]);
  });
});
