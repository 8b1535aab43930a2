import { describe, expect, it } from "vitest";
import {
  financialYearOf,
  idFromName,
  prunePayerOrder,
  weeksLeftInFinancialYear,
} from "#/features/funding/settings.calc.ts";

describe("funding settings helpers", () => {
  it("rule: a council's financial year runs 1 April to 31 March; 31 March belongs to the year before", () => {
    expect(financialYearOf("2026-04-01")).toEqual({
      start: "2026-04-01",
      end: "2027-03-31",
      label: "2026 to 2027",
    });
    expect(financialYearOf("2027-03-31").start).toBe("2026-04-01");
    expect(financialYearOf("2027-01-15").label).toBe("2026 to 2027");
  });

  it("rule: the weeks left in the year count a part week as a week (never less than the payments that can fall)", () => {
    expect(weeksLeftInFinancialYear("2026-04-01")).toBe(53); // 365 days
    expect(weeksLeftInFinancialYear("2027-04-01")).toBe(53); // 366 days: 29 February 2028 is in it
    expect(weeksLeftInFinancialYear("2027-03-31")).toBe(1);
    expect(weeksLeftInFinancialYear("2027-03-25")).toBe(1); // 7 days
    expect(weeksLeftInFinancialYear("2027-03-24")).toBe(2); // 8 days
    expect(weeksLeftInFinancialYear("2026-11-23")).toBe(19); // 129 days
  });

  it("rule: a payer order keeps only streams that exist and may pay for the category; an emptied category goes", () => {
    const streams = [
      { id: "asc", categories: ["personal_care", "household"] },
      { id: "nhs", categories: ["health"] },
    ];
    expect(
      prunePayerOrder(streams, { personal_care: ["nhs", "asc"], household: ["gone"], health: ["nhs"] }),
    ).toEqual({
      payerOrder: { personal_care: ["asc"], health: ["nhs"] },
      removed: [
        { category: "personal_care", streamId: "nhs" },
        { category: "household", streamId: "gone" },
      ],
    });
  });

  it("rule: ids made from names are short, lower case, start with a letter and never clash", () => {
    const taken = new Set(["adult_social_care"]);
    expect(idFromName("Adult social care", new Set())).toBe("adult_social_care");
    expect(idFromName("Adult Social Care!", taken)).toBe("adult_social_care_2");
    expect(idFromName("2027 pilot fund", new Set(), "stream")).toBe("stream_2027_pilot_fund");
    expect(idFromName("Café fund", new Set())).toBe("cafe_fund");
    expect(idFromName("", new Set(), "level")).toBe("level");
    expect(idFromName("x".repeat(100), new Set()).length).toBeLessThanOrEqual(40);
  });
});
