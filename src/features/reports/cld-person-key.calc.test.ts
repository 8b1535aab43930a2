import { describe, expect, it } from "vitest";
import { cldAge, cldPersonKey } from "#/features/reports/cld-person-key.calc.ts";

// REPORTING.md §1.11 and §6.2; DHSC-DASH GetDerivedFields: traced NHS number, else NHS number, else LA code + "_" +
// LA person id; rows with none are dropped.
describe("the CLD person identifier (DHSC-DASH GetDerivedFields)", () => {
  it("takes the traced NHS number first", () => {
    expect(
      cldPersonKey({
        tracedNhsNumber: "4010232137",
        nhsNumber: "9434765919",
        laCode: "E08000012",
        laPersonId: "P1",
      }),
    ).toEqual({ ok: true, key: "4010232137", basis: "traced-nhs-number" });
  });

  it("then the NHS number the council holds", () => {
    expect(
      cldPersonKey({ tracedNhsNumber: null, nhsNumber: "9434765919", laCode: "E08000012", laPersonId: "P1" }),
    ).toEqual({ ok: true, key: "9434765919", basis: "nhs-number" });
  });

  it("then the council's code and its own person id, joined with an underscore", () => {
    expect(cldPersonKey({ nhsNumber: "  ", laCode: "E08000012", laPersonId: "P1" })).toEqual({
      ok: true,
      key: "E08000012_P1",
      basis: "la-id",
    });
  });

  it("rejects a row with no identifier and says what to record", () => {
    const none = cldPersonKey({ nhsNumber: null, laCode: "E08000012", laPersonId: null });
    expect(none.ok).toBe(false);
    expect(!none.ok && none.reason).toBe(
      "This row cannot be sent: the person has no NHS number, and the person's local id is missing. Record the person's NHS number, or set the council's LA code and the person's local id",
    );
    const noCode = cldPersonKey({ nhsNumber: null, laCode: null, laPersonId: "P1" });
    expect(!noCode.ok && noCode.reason).toContain("the council's LA code is missing");
  });
});

describe("age for CLD: FLOOR(days / 365.25) (REPORTING.md §1.11, both repos)", () => {
  it("counts whole years by days over 365.25, not by birthdays", () => {
    // 2009-03-30 → 2027-03-31: 6,575 days / 365.25 = 18.001; 2009-03-31: 6,574 days = 17.998.
    expect(cldAge("2009-03-30", "2027-03-31", 365.25)).toBe(18);
    expect(cldAge("2009-03-31", "2027-03-31", 365.25)).toBe(17);
  });

  it("is null when a date is missing or not a real date", () => {
    expect(cldAge(null, "2027-03-31", 365.25)).toBeNull();
    expect(cldAge("1980-02-30", "2027-03-31", 365.25)).toBeNull();
    expect(cldAge("1980-02-01", null, 365.25)).toBeNull();
  });
});
