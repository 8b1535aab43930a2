import { describe, expect, it } from "vitest";
import { dateInWords, dateParts } from "#/platform/date-words.calc.ts";

describe("dates in words (GOV.UK style: 14 January 2026)", () => {
  it("writes the day without a leading zero and the month by name", () => {
    expect(dateInWords("2026-01-04")).toBe("4 January 2026");
    expect(dateInWords("2028-02-29")).toBe("29 February 2028");
    expect(dateInWords("2026-12-31")).toBe("31 December 2026");
  });
  it("refuses anything that is not YYYY-MM-DD, rather than writing nonsense", () => {
    expect(() => dateParts("2026-13-01")).toThrow(RangeError);
    expect(() => dateParts("6 December 2026")).toThrow(RangeError);
  });
});
