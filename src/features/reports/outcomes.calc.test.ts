import { describe, expect, it } from "vitest";
import {
  ageBandId,
  ageOn,
  NO_SUPPORT_AREA,
  NOT_RECORDED,
  outcomesReport,
  type RatedOutcome,
} from "#/features/reports/outcomes.calc.ts";

const rated = (over: Partial<RatedOutcome>): RatedOutcome => ({
  rating: "met",
  areas: ["personal_care"],
  dateOfBirth: "1950-06-15",
  reviewedOn: "2026-10-01",
  primarySupportReason: "physical_personal_care",
  ...over,
});

describe("outcomes report (commissioner's reports)", () => {
  it("rule: age is whole years on the day of the review; the bands are the calibration report's", () => {
    expect(ageOn("1950-06-15", "2026-06-14")).toBe(75);
    expect(ageOn("1950-06-15", "2026-06-15")).toBe(76);
    expect(ageBandId(75)).toBe("75-84");
    expect(ageBandId(64)).toBe("45-64");
    expect(ageBandId(17)).toBe("under-18");
  });

  it("rule: each rated outcome counts once in total, in each area its supports serve, and once by age and reason", () => {
    const report = outcomesReport([
      rated({ rating: "met", areas: ["personal_care", "transport", "transport"] }),
      rated({ rating: "not_met", areas: [], dateOfBirth: "1990-01-01" }),
      rated({ rating: "partly_met", areas: ["transport"], primarySupportReason: null }),
      rated({ rating: "no_such_rating" }), // an unreadable rating is left out
    ]);
    expect(report.totals).toEqual({ met: 1, partly_met: 1, not_met: 1, total: 3, metPercent: 33.3 });
    expect(report.byArea.map((r) => [r.key, r.met, r.partly_met, r.not_met, r.total])).toEqual([
      [NO_SUPPORT_AREA, 0, 0, 1, 1],
      ["personal_care", 1, 0, 0, 1],
      ["transport", 1, 1, 0, 2],
    ]);
    const bands = Object.fromEntries(report.byAgeBand.map((r) => [r.key, r.total]));
    expect(bands).toMatchObject({ "25-44": 1, "75-84": 2, "18-24": 0 });
    expect(report.byPrimarySupportReason.map((r) => [r.key, r.total])).toEqual([
      [NOT_RECORDED, 1],
      ["physical_personal_care", 2],
    ]);
    expect(report.byArea.find((r) => r.key === "transport")!.metPercent).toBe(50);
  });

  it("rule: with no ratings the share met is not defined, not zero", () => {
    const report = outcomesReport([]);
    expect(report.totals.metPercent).toBeNull();
    expect(report.byAgeBand.every((r) => r.total === 0 && r.metPercent === null)).toBe(true);
  });
});
