import { describe, expect, it } from "vitest";
import { countOf, isAre, plural } from "#/platform/words.calc.ts";

describe("counts in sentences (issue 12)", () => {
  it("rule: the noun agrees with the count: one is singular, every other count (0 too) plural", () => {
    expect(countOf(1, "payment")).toBe("1 payment");
    expect(countOf(0, "payment")).toBe("0 payments");
    expect(countOf(2, "payment")).toBe("2 payments");
    expect(countOf(1, "person", "people")).toBe("1 person");
    expect(countOf(5, "person", "people")).toBe("5 people");
    expect(plural(1, "day")).toBe("day");
    expect(`${countOf(1, "payment")} ${isAre(1)} held`).toBe("1 payment is held");
    expect(`${countOf(3, "payment")} ${isAre(3)} held`).toBe("3 payments are held");
  });
});
