import { describe, expect, it } from "vitest";
import { defaultLetterFormat } from "#/features/people/correspondence.calc.ts";

/** Accessible Information Standard (DCB1605), meet the need: the letter format a person's recorded needs call for. */
describe("defaultLetterFormat", () => {
  it("rule (AIS DCB1605): no needs recorded, or none that change the format, is standard print", () => {
    expect(defaultLetterFormat(null)).toBe("standard");
    expect(defaultLetterFormat([])).toBe("standard");
    expect(defaultLetterFormat(["bsl", "representative-copies"])).toBe("standard");
  });

  it("rule (AIS DCB1605): each format need gives its format; braille before Easy Read before large print", () => {
    expect(defaultLetterFormat(["large-print"])).toBe("large_print");
    expect(defaultLetterFormat(["easy-read"])).toBe("easy_read");
    expect(defaultLetterFormat(["large-print", "easy-read"])).toBe("easy_read");
    expect(defaultLetterFormat(["large-print", "easy-read", "braille"])).toBe("braille");
  });
});
