import { describe, expect, it } from "vitest";
import {
  allPersonFieldLists,
  englandPersonFieldsCldR2,
  labelForCode,
  PersonFieldListsNotFoundError,
  personFieldListsFor,
} from "#/rules/england/person-fields.ts";

const lists = englandPersonFieldsCldR2;
const LIST_NAMES = [
  "sex",
  "ethnicity",
  "accommodationStatus",
  "employmentStatus",
  "hasUnpaidCarer",
  "communicationNeeds",
] as const;

describe("person field lists (CLD Release 2)", () => {
  it("rule (issue 11): the lists are chosen by date, and none exist before Release 2", () => {
    expect(personFieldListsFor("2026-11-23").id).toBe("england-person-fields-cld-r2");
    expect(personFieldListsFor(lists.validFrom)).toBe(lists);
    expect(() => personFieldListsFor("2025-09-30")).toThrow(PersonFieldListsNotFoundError);
  });

  it("rule (issue 11): ethnicity is the R2 list of 19 values and 2 'No data' answers (refused; not known)", () => {
    const ethnicity = lists.ethnicity.options;
    expect(ethnicity).toHaveLength(21);
    expect(ethnicity.filter((o) => o.group === "No data").map((o) => o.code)).toEqual([
      "declined",
      "not-known",
    ]);
    expect(ethnicity.find((o) => o.code === "white-roma")?.label).toBe("Roma");
  });

  it("rule (issue 11): accommodation status has 20 values; the first 9 are settled (ASCOF 2E), Unknown is not", () => {
    const options = lists.accommodationStatus.options;
    expect(options).toHaveLength(20);
    expect(options.slice(0, 9).every((o) => o.settled)).toBe(true);
    expect(options.slice(9).some((o) => o.settled)).toBe(false);
    expect(options.at(-1)).toMatchObject({ code: "not-known", label: "Unknown" });
  });

  it("rule (issue 11): employment status is the 6 R2 values and Not known; sex follows the NHS Data Dictionary", () => {
    expect(lists.employmentStatus.options.map((o) => o.code).at(-1)).toBe("not-known");
    expect(lists.employmentStatus.options).toHaveLength(7);
    expect(lists.sex.source.title).toMatch(/NHS Data Dictionary/);
    expect(lists.sex.options.map((o) => o.code)).toEqual(["male", "female", "indeterminate", "not-known"]);
  });

  it("rule (issue 11): every list names its source; the CLD lists keep REPORTING.md's [UNCONFIRMED] marks", () => {
    for (const name of LIST_NAMES) {
      expect(lists[name].source.url, name).toMatch(/^https:\/\//);
    }
    for (const name of ["ethnicity", "accommodationStatus", "employmentStatus", "hasUnpaidCarer"] as const) {
      expect(lists[name].source.note, name).toContain("[UNCONFIRMED]");
    }
  });

  it("rule (issue 11): codes are unique within each list and never change meaning between versions", () => {
    for (const pack of allPersonFieldLists()) {
      for (const name of LIST_NAMES) {
        const codes = pack[name].options.map((o) => o.code);
        expect(new Set(codes).size, `${pack.id} ${name}`).toBe(codes.length);
        for (const code of codes) expect(code).toMatch(/^[a-z0-9-]{1,40}$/);
      }
    }
    expect(labelForCode("ethnicity", "asian-indian")).toBe("Asian or Asian British: Indian");
  });
});
