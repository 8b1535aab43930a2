import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkNhsNumber, formatNhsNumber, nhsCheckDigit } from "#/features/people/nhs-number.calc.ts";

const nineDigits = fc
  .array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 })
  .map((d) => d.join(""));

describe("NHS number Modulus 11 check", () => {
  it("rule (issue 11): 943 476 5919 is a valid NHS number, written with or without spaces", () => {
    expect(checkNhsNumber("943 476 5919")).toEqual({ valid: true, nhsNumber: "9434765919" });
    expect(checkNhsNumber("9434765919")).toEqual({ valid: true, nhsNumber: "9434765919" });
    expect(checkNhsNumber("943-476-5919")).toEqual({ valid: true, nhsNumber: "9434765919" });
  });

  it("rule (issue 11): other known valid NHS numbers pass, including a check digit of 0 (sum remainder 0)", () => {
    // 401 023 2137: 4×10 + 0×9 + 1×8 + 0×7 + 2×6 + 3×5 + 2×4 + 1×3 + 3×2 = 92; 92 mod 11 = 4; 11 − 4 = 7.
    expect(checkNhsNumber("401 023 2137").valid).toBe(true);
    // 000 000 0000: sum 0, 11 − 0 = 11 → check digit 0.
    expect(nhsCheckDigit("000000000")).toBe(0);
    expect(checkNhsNumber("0000000000").valid).toBe(true);
  });

  it("rule (issue 11): a wrong check digit, the wrong length or letters are refused", () => {
    expect(checkNhsNumber("943 476 5918")).toEqual({ valid: false, reason: "check-digit" });
    expect(checkNhsNumber("943 476 591")).toEqual({ valid: false, reason: "length" });
    expect(checkNhsNumber("943 476 59199")).toEqual({ valid: false, reason: "length" });
    expect(checkNhsNumber("943 476 591X")).toEqual({ valid: false, reason: "length" });
  });

  it("rule (issue 11): a number whose sum calls for a check digit of 10 is never valid", () => {
    // 000 000 006: the ninth digit weighs 2, so the sum is 12; 12 mod 11 = 1; 11 − 1 = 10: no valid check digit.
    expect(nhsCheckDigit("000000006")).toBeNull();
    for (let d = 0; d <= 9; d++) expect(checkNhsNumber(`000000006${d}`).valid).toBe(false);
  });

  it("property (issue 11): appending the computed check digit always gives a valid number, any other digit never", () => {
    fc.assert(
      fc.property(nineDigits, fc.integer({ min: 0, max: 9 }), (nine, other) => {
        const check = nhsCheckDigit(nine);
        if (check === null) {
          expect(checkNhsNumber(`${nine}${other}`).valid).toBe(false);
          return;
        }
        expect(checkNhsNumber(`${nine}${check}`)).toEqual({ valid: true, nhsNumber: `${nine}${check}` });
        if (other !== check) expect(checkNhsNumber(`${nine}${other}`).valid).toBe(false);
      }),
    );
  });

  it("property (issue 11): changing any one digit of a valid number makes it invalid (Modulus 11 catches single errors)", () => {
    fc.assert(
      fc.property(
        nineDigits,
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        (nine, pos, bump) => {
          const check = nhsCheckDigit(nine);
          fc.pre(check !== null);
          const valid = `${nine}${check}`;
          const changed =
            valid.slice(0, pos) + String((Number(valid[pos]) + bump) % 10) + valid.slice(pos + 1);
          expect(checkNhsNumber(changed).valid).toBe(false);
        },
      ),
    );
  });

  it("property (issue 11): spaces do not change the answer, and the 3-3-4 format reads back", () => {
    fc.assert(
      fc.property(nineDigits, fc.integer({ min: 0, max: 9 }), (nine, last) => {
        const digits = `${nine}${last}`;
        expect(checkNhsNumber(formatNhsNumber(digits))).toEqual(checkNhsNumber(digits));
      }),
    );
  });
});
