import { describe, expect, it } from "vitest";
import { typedPounds, typedPoundsToPence } from "#/platform/money/parse.ts";

describe("pounds typed into a form box", () => {
  it("rule: a leading £, commas and trailing spaces are dropped; pounds and up to two decimal places become whole pence", () => {
    expect(typedPounds("£1,234.50 ")).toBe("1234.50");
    expect(typedPoundsToPence("£1,234.50", 9)).toBe(123_450);
    expect(typedPoundsToPence("16.5", 9)).toBe(1650);
    expect(typedPoundsToPence("16", 9)).toBe(1600);
  });

  it("rule: a negative amount, three decimal places, or more digits of pounds than the form allows is not an amount", () => {
    expect(typedPoundsToPence("-3", 9)).toBeUndefined();
    expect(typedPoundsToPence("1.234", 9)).toBeUndefined();
    expect(typedPoundsToPence("1234567890", 9)).toBeUndefined();
    expect(typedPoundsToPence("1234567890", 11)).toBe(123_456_789_000);
    expect(typedPoundsToPence("", 9)).toBeUndefined();
  });
});
