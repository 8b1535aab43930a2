import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type AscofResult, computeAscof } from "#/features/reports/ascof.calc.ts";
import {
  COMMISSIONED,
  COMMUNITY,
  carerRows,
  cldRow,
  DIRECT_TO_CARER,
  DP,
  INVOLVING_CARED_FOR,
  MANAGED_PB,
  NURSING,
  PRISON,
  RESIDENTIAL,
  serviceUserRows,
  YEAR_2025_26,
} from "#/features/reports/ascof.fixture.ts";
import {
  type AscofSummary,
  addAscofCounts,
  ascofCountsOf,
  ascofSummaryOf,
  noAscofCounts,
} from "#/features/reports/ascof-counts.calc.ts";
import { cldPersonKey } from "#/features/reports/cld-person-key.calc.ts";
import type { CldRow } from "#/features/reports/cld-record.ts";
import { type AscofRules, rulesFor } from "#/rules/registry.ts";

/**
 * Issue 15, the measures page at a million people: ASCOF 3D and 2E (DHSC-DASH Create_ASCOF_3D_2425_Onwards.sql,
 * Create_ASCOF_2E_2425_Onwards.sql; REPORTING.md §1.14, §6.5–6.6) count people, and place each person from their
 * own rows only, so counting pages that never split a person and adding the counts gives the whole year's
 * figures, percentages rounded once at the end. Checked on the hand-built population (ascof.fixture.ts) and on
 * random populations cut into random pages.
 */

const rules = rulesFor("england", YEAR_2025_26.end).ascof.rules as AscofRules;

/** Each person's rows together, people in the order first seen; a row with no person id is a group of its own. */
function people(rows: readonly CldRow[]): CldRow[][] {
  const groups = new Map<string, CldRow[]>();
  rows.forEach((row, i) => {
    const key = cldPersonKey({
      nhsNumber: row.nhsNumber,
      laCode: row.laCode,
      laPersonId: row.laPersonUniqueIdentifier,
    });
    const id = key.ok ? key.key : `no person ${i}`;
    groups.set(id, [...(groups.get(id) ?? []), row]);
  });
  return [...groups.values()];
}

/** The figures from pages of people, cut after each index in `cuts`. */
function byPages(groups: readonly CldRow[][], cuts: readonly number[]): AscofSummary {
  let counts = noAscofCounts(YEAR_2025_26, rules);
  let from = 0;
  for (const to of [...new Set(cuts)].sort((a, b) => a - b).concat(groups.length)) {
    if (to <= from) continue;
    counts = addAscofCounts(counts, ascofCountsOf(groups.slice(from, to).flat(), YEAR_2025_26, rules));
    from = to;
  }
  return ascofSummaryOf(counts, YEAR_2025_26, rules);
}

const everyPage = (groups: readonly CldRow[][], size: number) =>
  Array.from({ length: Math.ceil(groups.length / size) }, (_, i) => i * size);

/** What the page shows of the whole-rows result: every figure's counts and percentage, and the notes' counts. */
function shown(result: AscofResult | AscofSummary): AscofSummary {
  return {
    period: result.period,
    rulesId: result.rulesId,
    figures: result.figures.map(({ measure, group, numerator, denominator, percent }) => ({
      measure,
      group,
      numerator,
      denominator,
      percent,
    })),
    clientsWithUnknownMechanism: result.clientsWithUnknownMechanism,
    carersWithUnknownMechanism: result.carersWithUnknownMechanism,
    rowsWithoutPerson: result.rowsWithoutPerson,
  };
}

describe("ASCOF counted page by page (issue 15: bounded memory)", () => {
  const rows = [...serviceUserRows(), ...carerRows()];
  const whole = shown(computeAscof(rows, YEAR_2025_26, rules));
  const groups = people(rows);

  it("the hand-built population: pages of 1, 7 and everyone give the whole-rows figures exactly", () => {
    expect(groups.length).toBeGreaterThan(7);
    for (const size of [1, 7, groups.length]) {
      expect(shown(byPages(groups, everyPage(groups, size))), `pages of ${size}`).toEqual(whole);
    }
    // The comparison is not empty: the fixture's figures are worked out by hand in ascof.calc.test.ts.
    expect(whole.figures).toHaveLength(16);
    expect(whole.figures.find((f) => f.measure === "3D1a" && f.group === "total")).toMatchObject({
      numerator: 5,
      denominator: 7,
      percent: 71.4,
    });
    expect(whole.rowsWithoutPerson).toBe(1);
  });

  it("no pages at all: every figure is nought out of nought, with no percentage", () => {
    const none = ascofSummaryOf(noAscofCounts(YEAR_2025_26, rules), YEAR_2025_26, rules);
    expect(none.figures).toHaveLength(16);
    for (const f of none.figures) expect([f.numerator, f.denominator, f.percent]).toEqual([0, 0, null]);
  });

  it("adding counts: percentages are rounded once from the totals, not averaged from the pages", () => {
    // One page with 1 of 3 (33.3%) and one with 1 of 1 (100%): the year is 2 of 4, 50.0%.
    const one = (nhs: string, mechanism: string) =>
      cldRow(
        { nhs, dob: "1970-01-01" },
        { serviceType: COMMUNITY, deliveryMechanism: mechanism, eventStartDate: "2025-01-01" },
      );
    const first = ascofCountsOf(
      [one("9500000001", DP), one("9500000002", COMMISSIONED), one("9500000003", COMMISSIONED)],
      YEAR_2025_26,
      rules,
    );
    const second = ascofCountsOf([one("9500000004", DP)], YEAR_2025_26, rules);
    const year = ascofSummaryOf(addAscofCounts(first, second), YEAR_2025_26, rules);
    expect(year.figures.find((f) => f.measure === "3D2a" && f.group === "total")).toMatchObject({
      numerator: 2,
      denominator: 4,
      percent: 50,
    });
  });

  it("property: random populations cut into random person-aligned pages give the whole year's counts", () => {
    fc.assert(
      fc.property(population(), fc.array(fc.nat({ max: 60 }), { maxLength: 12 }), (rows, cuts) => {
        const groups = people(rows);
        expect(byPages(groups, cuts)).toEqual(shown(computeAscof(rows, YEAR_2025_26, rules)));
      }),
      { numRuns: 150 },
    );
  });
});

/** A random population: people each with a few events of any kind the measures look at, dates around the year. */
function population(): fc.Arbitrary<CldRow[]> {
  const date = fc.constantFrom(
    null,
    "2023-06-01",
    "2025-03-31",
    "2025-04-01",
    "2025-09-15",
    "2026-02-15",
    "2026-03-31",
    "2026-04-01",
  );
  const event = fc.record({
    eventType: fc.constantFrom("Service", "Assessment", "Review", "Request for support"),
    clientType: fc.constantFrom("Service user", "Unpaid carer", "Service user"),
    serviceType: fc.constantFrom(
      COMMUNITY,
      NURSING,
      RESIDENTIAL,
      PRISON,
      DIRECT_TO_CARER,
      INVOLVING_CARED_FOR,
      null,
    ),
    deliveryMechanism: fc.constantFrom(DP, MANAGED_PB, COMMISSIONED, null, "Something else"),
    serviceComponent: fc.constantFrom("Direct payment", "Home support or domiciliary care", null),
    eventOutcome: fc.constantFrom(null, rules.carers.informationAndAdviceOutcome, "No services provided"),
    eventStartDate: date,
    eventEndDate: date,
    accommodationStatus: fc.constantFrom(
      null,
      "Owner occupier or shared ownership scheme",
      "Tenant: Private landlord",
      "Registered nursing home",
      "Unknown",
    ),
    primarySupportReason: fc.constantFrom(
      rules.learningDisabilityPrimarySupportReason,
      "Physical support: Personal care support",
    ),
  });
  const person = fc.record({
    nhs: fc.option(fc.constant("nhs"), { nil: null }),
    laId: fc.option(fc.constant("la"), { nil: undefined }),
    dob: fc.constantFrom(null, "1940-05-20", "1960-04-01", "1990-12-31", "2008-06-01"),
    death: fc.constantFrom(null, null, "2025-01-01", "2025-10-10", "2026-06-01"),
    events: fc.array(event, { minLength: 1, maxLength: 4 }),
  });
  return fc.array(person, { maxLength: 40 }).map((list) =>
    list.flatMap((p, i) => {
      // Distinct ids (or none at all: rows ASCOF cannot count), as a council's people have.
      const who = {
        nhs: p.nhs && `${9_600_000_000 + i}`,
        ...(p.laId ? { laId: `LA-${i}` } : {}),
        dob: p.dob,
      };
      return p.events.map((e) => cldRow(who, { ...e, dateOfDeath: p.death }));
    }),
  );
}
