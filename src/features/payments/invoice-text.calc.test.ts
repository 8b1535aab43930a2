import { describe, expect, it } from "vitest";
import { cycleText, dateText } from "#/features/payments/invoice-text.calc.ts";

describe("cycleText", () => {
  it("names the month and year once when the cycle stays inside one month", () => {
    expect(cycleText("2026-12-01", "2026-12-28")).toBe("1 to 28 December 2026");
  });

  it("names both months when the cycle crosses a month", () => {
    expect(cycleText("2026-01-12", "2026-02-08")).toBe("12 January to 8 February 2026");
  });

  it("names both years when the cycle crosses the new year", () => {
    expect(cycleText("2026-12-14", "2027-01-10")).toBe("14 December 2026 to 10 January 2027");
  });

  it("a one-day cycle is one date", () => {
    expect(cycleText("2026-03-09", "2026-03-09")).toBe("9 March 2026");
  });

  it("refuses text that is not a date", () => {
    expect(() => cycleText("2026-3-9", "2026-03-10")).toThrow(RangeError);
  });
});

describe("dateText", () => {
  it("writes a date as GOV.UK does, without a leading zero", () => {
    expect(dateText("2026-01-04")).toBe("4 January 2026");
  });
});
