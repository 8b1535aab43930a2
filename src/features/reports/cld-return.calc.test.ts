import { describe, expect, it } from "vitest";
import { cldFailuresOf, defaultCldPeriod } from "#/features/reports/cld-return.calc.ts";
import { rulesFor } from "#/rules/registry.ts";
import { cldRow } from "./cld-rows.fixture.ts";

describe("the Client Level Data page's working (issue 15)", () => {
  it("suggests the rolling 12 months to the end of the last quarter that has ended", () => {
    expect(
      ["2026-11-23", "2026-10-01", "2026-09-30", "2027-01-02", "2026-04-01", "2026-03-31"].map(
        defaultCldPeriod,
      ),
    ).toEqual([
      "2025-10-01..2026-09-30",
      "2025-10-01..2026-09-30",
      "2025-07-01..2026-06-30",
      "2026-01-01..2026-12-31",
      "2025-04-01..2026-03-31",
      "2025-01-01..2025-12-31",
    ]);
  });

  it("lists each failing field by person and event, rows that cannot be sent first (REPORTING.md §1.11)", () => {
    const rules = rulesFor("england", "2027-03-31").cld.rules!;
    const good = cldRow("service");
    const blankEthnicity = { ...cldRow("service"), ethnicity: null, eventReference: "E-2" };
    const noIdentifier = { ...cldRow("review"), nhsNumber: null, laCode: null, eventReference: "E-3" };
    const source = (id: string) => ({ personId: "p-1", kind: "budget_line" as const, id });
    const failures = cldFailuresOf(
      [
        { row: good, source: source("1") },
        { row: blankEthnicity, source: source("2") },
        { row: noIdentifier, source: source("3") },
      ],
      rules,
    );
    expect(failures.map((f) => [f.eventReference, f.field, f.code])).toEqual([
      ["E-3", "Person identifier", null],
      ["E-2", "Ethnicity", -1],
    ]);
    expect(failures[1]!.message).toContain("Ethnicity is blank");
    // A page lists only the first few; the report has them all.
    const events = [
      { row: blankEthnicity, source: source("2") },
      { row: noIdentifier, source: source("3") },
    ];
    expect(cldFailuresOf(events, rules, 1).map((f) => f.eventReference)).toEqual(["E-3"]);
  });
});
