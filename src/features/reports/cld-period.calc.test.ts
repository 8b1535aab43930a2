import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compareCldRows,
  eventInPeriod,
  eventsInPeriod,
  parseCldPeriod,
  sortByCldRow,
  withDeathAsEnd,
} from "#/features/reports/cld-period.calc.ts";
import { cldRow } from "#/features/reports/cld-rows.fixture.ts";
import { cldRulesFrom, rulesFor } from "#/rules/registry.ts";

const rulesOn = (date: string) => rulesFor("england", date).cld.rules;
const rules = rulesOn("2027-03-31")!;
const parse = (text: string) => parseCldPeriod(text, rulesOn, cldRulesFrom());
const PERIOD = { start: "2026-04-01", end: "2027-03-31" };

describe("parsing the reporting period (a rolling 12 months, REPORTING.md §1.1)", () => {
  it("reads first..last day", () => {
    expect(parse("2026-04-01..2027-03-31")).toEqual({ ok: true, period: PERIOD });
    expect(parse(" 2026-07-01 .. 2027-06-30 ")).toEqual({
      ok: true,
      period: { start: "2026-07-01", end: "2027-06-30" },
    });
    expect(parse("2026-05-01..2026-05-01")).toEqual({
      ok: true,
      period: { start: "2026-05-01", end: "2026-05-01" },
    });
  });

  it("says how to write a malformed period", () => {
    for (const text of ["2026-04-01", "2026-04-01/2027-03-31", "", "Q1"]) {
      const result = parse(text);
      expect(result.ok, text).toBe(false);
      expect(!result.ok && result.error, text).toContain("like 2026-04-01..2027-03-31");
    }
  });

  it("names a date that is not real", () => {
    expect(parse("2026-02-30..2027-01-31")).toEqual({
      ok: false,
      error:
        'The period\'s start, "2026-02-30", is not a real date: write dates as yyyy-mm-dd, like 2026-04-01..2027-03-31',
    });
    expect(parse("2026-04-01..31/03/2027")).toMatchObject({
      ok: false,
      error: expect.stringContaining("end"),
    });
  });

  it("refuses an end before the start", () => {
    expect(parse("2027-03-31..2026-04-01")).toEqual({
      ok: false,
      error: "The period ends (2026-04-01) before it starts (2027-03-31): give the start date first",
    });
  });

  it("refuses a period over 12 months, naming the latest end (the rule's maxMonths)", () => {
    expect(rules.reportingPeriod.maxMonths).toBe(12);
    expect(parse("2026-04-01..2027-04-01")).toEqual({
      ok: false,
      error:
        "The period 2026-04-01..2027-04-01 is longer than 12 months: the return covers a rolling 12 months, so end it by 2027-03-31",
    });
    // Across a leap day: 1 March 2028 + 12 months is 1 March 2029, so the period ends by 28 February 2029.
    expect(parse("2028-03-01..2029-02-28").ok).toBe(true);
    expect(parse("2028-03-01..2029-03-01").ok).toBe(false);
    expect(parse("2027-03-01..2028-02-29").ok).toBe(true);
  });

  it("refuses a period with no CLD rules: before Release 2 (the pack's [UNCONFIRMED] start)", () => {
    const result = parse("2024-04-01..2025-03-31");
    expect(result).toEqual({
      ok: false,
      error: `There is no Client Level Data return for a period ending 2025-03-31: the rules Upfront has start on ${cldRulesFrom()}, and the return is for councils in England only`,
    });
  });
});

describe("which events fall in the period (DHSC-DASH 4-event-filtering.md; REPORTING.md §6.3)", () => {
  const inPeriod = (event: Parameters<typeof cldRow>[0], start: string, end: string | null) =>
    eventInPeriod(cldRow(event, { eventStartDate: start, eventEndDate: end }), PERIOD, rules);

  it("a request, assessment or review must start by the period end and end inside the period", () => {
    for (const event of ["request", "assessment", "review"] as const) {
      expect(inPeriod(event, "2026-03-01", "2026-04-01"), event).toBe(true);
      expect(inPeriod(event, "2027-03-31", "2027-03-31"), event).toBe(true);
      expect(inPeriod(event, "2026-03-01", "2026-03-31"), event).toBe(false);
      expect(inPeriod(event, "2027-03-01", "2027-04-01"), event).toBe(false);
      expect(inPeriod(event, "2026-05-01", null), event).toBe(false);
    }
  });

  it("a service must start by the period end and be open or end on or after the period start", () => {
    expect(inPeriod("service", "2020-01-01", null)).toBe(true);
    expect(inPeriod("service", "2020-01-01", "2026-04-01")).toBe(true);
    expect(inPeriod("service", "2020-01-01", "2026-03-31")).toBe(false);
    expect(inPeriod("service", "2027-03-31", null)).toBe(true);
    expect(inPeriod("service", "2027-04-01", null)).toBe(false);
    expect(inPeriod("service", "2026-06-01", "2028-01-01")).toBe(true);
  });

  it("a row without a real start date is in no period", () => {
    expect(inPeriod("service", "", null)).toBe(false);
    expect(eventInPeriod(cldRow("service", { eventStartDate: null }), PERIOD, rules)).toBe(false);
  });

  it("a date of death inside the event replaces its end date; one after the end or before the start does not", () => {
    const open = cldRow("service", {
      eventStartDate: "2025-01-01",
      eventEndDate: null,
      dateOfDeath: "2026-02-01",
    });
    expect(withDeathAsEnd(open).eventEndDate).toBe("2026-02-01");
    expect(eventInPeriod(withDeathAsEnd(open), PERIOD, rules)).toBe(false);
    const ended = cldRow("review", { eventStartDate: "2026-05-01", eventEndDate: "2026-06-01" });
    expect(withDeathAsEnd({ ...ended, dateOfDeath: "2026-05-15" }).eventEndDate).toBe("2026-05-15");
    expect(withDeathAsEnd({ ...ended, dateOfDeath: "2026-07-01" }).eventEndDate).toBe("2026-06-01");
    expect(withDeathAsEnd({ ...ended, dateOfDeath: "2026-04-01" }).eventEndDate).toBe("2026-06-01");
  });

  it("filters events, keeping their sources and correcting their end dates", () => {
    const source = { personId: "p1", kind: "budget_line" as const, id: "b1" };
    const events = [
      { row: cldRow("service", { eventStartDate: "2025-01-01", dateOfDeath: "2026-08-01" }), source },
      { row: cldRow("service", { eventStartDate: "2025-01-01", dateOfDeath: "2026-01-01" }), source },
      { row: cldRow("request"), source },
    ];
    const kept = eventsInPeriod(events, PERIOD, rules);
    expect(kept.map((e) => e.row.eventEndDate)).toEqual(["2026-08-01", "2026-05-03"]);
    expect(kept[1]).toBe(events[2]);
    expect(kept[0]!.source).toBe(source);
  });
});

describe("a stable order of rows", () => {
  it("orders by person, then start date, then event type and reference", () => {
    const rows = [
      cldRow("review", { laPersonUniqueIdentifier: "P2" }),
      cldRow("service"),
      cldRow("request"),
      cldRow("assessment"),
      cldRow("financial"),
    ];
    const sorted = sortByCldRow(rows, (r) => r);
    expect(sorted.map((r) => [r.laPersonUniqueIdentifier, r.eventReference])).toEqual([
      ["P0001", "R1"],
      ["P0001", "A1"],
      ["P0001", "F1"],
      ["P0001", "S1"],
      ["P2", "V1"],
    ]);
  });

  it("gives one order whatever the input order (fast-check)", () => {
    const rows = ["request", "assessment", "financial", "service", "review"].flatMap((e) => [
      cldRow(e as "request", {}),
      cldRow(e as "request", { eventStartDate: "2026-04-02" }),
      cldRow(e as "request", { nhsNumber: null }),
    ]);
    const expected = sortByCldRow(rows, (r) => r);
    fc.assert(
      fc.property(fc.shuffledSubarray(rows, { minLength: rows.length }), (shuffled) => {
        expect(sortByCldRow(shuffled, (r) => r)).toEqual(expected);
      }),
    );
    expect(compareCldRows(rows[0]!, { ...rows[0]! })).toBe(0);
  });
});
