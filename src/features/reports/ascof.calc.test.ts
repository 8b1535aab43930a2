import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type AscofFigure, type AscofResult, computeAscof } from "#/features/reports/ascof.calc.ts";
import {
  COMMUNITY,
  carerRows,
  cldRow,
  DP,
  MANAGED_PB,
  NURSING,
  serviceUserRows,
  YEAR_2025_26,
} from "#/features/reports/ascof.fixture.ts";
import { roundedPercent } from "#/features/reports/ascof-common.calc.ts";
import { type AscofRules, rulesFor } from "#/rules/registry.ts";

// The method: DHSC-DASH ASCOF_measures/Create_ASCOF_3D_2425_Onwards.sql and Create_ASCOF_2E_2425_Onwards.sql
// (REPORTING.md §1.14, §6.5–6.6), as the rule data rulesFor("england", …).ascof holds it.
const rules = rulesFor("england", YEAR_2025_26.end).ascof.rules as AscofRules;

function find(result: AscofResult, measure: AscofFigure["measure"], group: AscofFigure["group"]) {
  const found = result.figures.find((f) => f.measure === measure && f.group === group);
  if (!found) throw new Error(`no figure ${measure} ${group}`);
  return found;
}

const IVY = "E06000099_IVY-1";

describe("ASCOF 3D clients (3D1a, 3D2a): long-term community clients at the 31 March snapshot", () => {
  const result = computeAscof([...serviceUserRows(), ...carerRows()], YEAR_2025_26, rules);

  it("places each person at their highest setting and counts only Community (DHSC 3D hierarchy)", () => {
    // Ann 9000000001: nursing + community DP → Nursing (rank 1), not in the denominator.
    // Bill …02: community DP → rank 3.  Cath …03: managed PB → 4.  Dev …04: commissioned → 5.
    // Eve …05: community, blank mechanism, component not DP → unknown (6).  Fred …06: prison → 8, not Community.
    // Gail …07: community ended 31 Jan 2026, before the snapshot → not a client at the snapshot.
    // Hal …08: two community services, commissioned + component "Direct payment" → forced DP (3).
    // Ivy (no NHS number, LA id IVY-1): managed PB (4), no birth date → unknown age, total only.
    // Jo …10: aged 17 → left out.  Ken …11: died 15 Feb 2026, before the snapshot → out.
    // Lin …12: service starts 10 Apr 2026, after the snapshot → out.  Nia …14: residential + community PB → Residential (2).
    // Oli …15: two community managed-PB services → 4.  A row with neither NHS number nor LA id: dropped.
    const ranks = Object.fromEntries(result.clients.map((c) => [c.person, c.rung.rank]));
    expect(ranks).toEqual({
      "9000000001": 1,
      "9000000002": 3,
      "9000000003": 4,
      "9000000004": 5,
      "9000000005": 6,
      "9000000006": 8,
      "9000000008": 3,
      [IVY]: 4,
      "9000000014": 2,
      "9000000015": 4,
    });
    expect(result.rowsWithoutPerson).toBe(1);
    expect(result.clientsWithUnknownMechanism).toBe(1); // Eve
  });

  it("3D1a total = DP or managed PB / Community = {Bill, Cath, Hal, Ivy, Oli} / 7 = 71.4%", () => {
    // Community: Bill, Cath, Dev, Eve, Hal, Ivy, Oli = 7. 5/7 = 71.428… → 71.4.
    const f = find(result, "3D1a", "total");
    expect([f.numerator, f.denominator, f.percent]).toEqual([5, 7, 71.4]);
    expect(f.numeratorPersons).toEqual(["9000000002", "9000000003", "9000000008", "9000000015", IVY]);
    expect(f.denominatorPersons).toHaveLength(7);
  });

  it("3D2a total = DP only / Community = {Bill, Hal} / 7 = 28.6%; the component makes Hal's a DP", () => {
    // 2/7 = 28.571… → 28.6.
    const f = find(result, "3D2a", "total");
    expect([f.numerator, f.denominator, f.percent]).toEqual([2, 7, 28.6]);
    expect(f.numeratorPersons).toEqual(["9000000002", "9000000008"]);
  });

  it("splits 18–64 and 65+ by age at the snapshot; unknown ages are in the total only", () => {
    // 18–64: Bill 40 (DP), Dev 30 (commissioned), Hal 45 (DP), Oli 60 (PB) → 1a 3/4 = 75.0, 2a 2/4 = 50.0.
    // 65+: Cath 71 (PB), Eve 80 (unknown) → 1a 1/2 = 50.0, 2a 0/2 = 0.0.
    expect(pick(find(result, "3D1a", "18 to 64"))).toEqual([3, 4, 75]);
    expect(pick(find(result, "3D2a", "18 to 64"))).toEqual([2, 4, 50]);
    expect(pick(find(result, "3D1a", "65 and above"))).toEqual([1, 2, 50]);
    expect(pick(find(result, "3D2a", "65 and above"))).toEqual([0, 2, 0]);
  });
});

describe("ASCOF 3D carers (3D1b, 3D2b): carers supported in the year", () => {
  const result = computeAscof([...serviceUserRows(), ...carerRows()], YEAR_2025_26, rules);

  it("ranks each carer's support DP > managed PB > commissioned > unknown > information > none", () => {
    // Pat: direct-to-carer DP in year.  Quin: an assessment (no direct support) and a managed-PB service → PB.
    // Rae: commissioned, open since 2024.  Sam: an invalid mechanism → unknown, not in the denominator.
    // Tia: an assessment ending in information and advice → not in the denominator.
    // Uma: a DP that ended 15 Mar 2025, before the year, and support involving the cared-for person → none.
    // Vic: known by association, component "Direct payment" with a commissioned mechanism → DP.
    const kinds = Object.fromEntries(result.carers.map((c) => [c.person, c.kind]));
    expect(kinds).toEqual({
      "9100000001": "directPayment",
      "9100000002": "managedPersonalBudget",
      "9100000003": "commissionedSupport",
      "9100000004": "unknownMechanism",
      "9100000005": "informationAndAdvice",
      "9100000006": "noDirectSupport",
      "9100000007": "directPayment",
    });
    expect(result.carersWithUnknownMechanism).toBe(1);
  });

  it("3D1b = {Pat, Quin, Vic} / {Pat, Quin, Rae, Vic} = 75.0%; 3D2b = {Pat, Vic} / 4 = 50.0%", () => {
    expect(pick(find(result, "3D1b", "total"))).toEqual([3, 4, 75]);
    expect(pick(find(result, "3D2b", "total"))).toEqual([2, 4, 50]);
    expect(find(result, "3D2b", "total").numeratorPersons).toEqual(["9100000001", "9100000007"]);
  });

  it("splits carers by age at the year end: 18–64 Pat 56, Rae 40; 65+ Quin 70, Vic 70", () => {
    expect(pick(find(result, "3D1b", "18 to 64"))).toEqual([1, 2, 50]);
    expect(pick(find(result, "3D2b", "18 to 64"))).toEqual([1, 2, 50]);
    expect(pick(find(result, "3D1b", "65 and above"))).toEqual([2, 2, 100]);
    expect(pick(find(result, "3D2b", "65 and above"))).toEqual([1, 2, 50]);
  });
});

describe("ASCOF 2E: people in long-term support in the year living in their home or with family", () => {
  const result = computeAscof([...serviceUserRows(), ...carerRows()], YEAR_2025_26, rules);
  const records = Object.fromEntries(result.accommodation.map((r) => [r.person, r]));

  it("takes the latest known status; a tie between two statuses is Unknown; Unknown is not settled", () => {
    // Hal: "Tenant: Private landlord" on the 2024 service, "Staying … as a short term guest" on the later one
    // (both open) → the later start wins → not settled.  Oli: two open services started the same day with
    // different statuses → Unknown.  Eve: "Unknown" written → not settled.
    expect(records["9000000008"]?.accommodationStatus).toBe(
      "Staying with family or friends as a short term guest",
    );
    expect(records["9000000015"]?.accommodationStatus).toBe("Unknown");
    expect(records["9000000005"]?.settled).toBe(false);
    expect(records["9000000002"]?.settled).toBe(true);
  });

  it("ages each person at the end of their latest service in the year, capped at 31 March", () => {
    // Gail, born Feb 1961 (proxy 1 Feb 1961): her service ended 31 Jan 2026 → 23,740 days / 365.25 = 64.99 → 64,
    // so 18–64 (she would be 65 at 31 March). Ken died 15 Feb 2026: his service ends then; he is in 2E, not in 3D.
    expect(records["9000000007"]?.ageBand).toBe("18 to 64");
    expect(records["9000000011"]?.age).toBe(75);
    expect(records["9000000012"]).toBeUndefined(); // Lin's service starts after the year
    expect(records["9000000010"]).toBeUndefined(); // Jo is 17
    expect(records[IVY]?.ageBand).toBe("unknown"); // no birth date: in no band, so in no 2E figure
  });

  it("2E by age: 18–64 2/6 = 33.3%, 65+ 2/5 = 40.0%, both 4/11 = 36.4%", () => {
    // 18–64: Bill (owner occupier ✓), Dev (supported accommodation ✓), Fred (prison ✗), Gail (rough sleeper ✗),
    //        Hal (short-term guest ✗), Oli (Unknown ✗) → 2/6 = 33.33… → 33.3.
    // 65+:   Ann (nursing home ✗), Cath (private tenant ✓), Eve (Unknown ✗), Ken (sheltered ✓), Nia (care home ✗)
    //        → 2/5 = 40.0.  Both: 4/11 = 36.36… → 36.4.
    expect(pick(find(result, "2E", "18 to 64"))).toEqual([2, 6, 33.3]);
    expect(pick(find(result, "2E", "65 and above"))).toEqual([2, 5, 40]);
    expect(pick(find(result, "2E", "total"))).toEqual([4, 11, 36.4]);
    expect(find(result, "2E", "total").numeratorPersons).toEqual([
      "9000000002",
      "9000000003",
      "9000000004",
      "9000000011",
    ]);
  });

  it("2E learning disability, 18–64: Dev (settled) and Fred (prison) → 1/2 = 50.0%, PSR matched in either spelling", () => {
    expect(pick(find(result, "2E LD", "18 to 64"))).toEqual([1, 2, 50]);
  });
});

describe("ASCOF edge rules", () => {
  it("reads Release 1 spellings the same (DHSC's comparisons ignore case)", () => {
    const row = cldRow(
      { nhs: "9200000001", dob: "1970-01-01", accommodation: "Tenant: Private landlord" },
      {
        clientType: "Service User",
        serviceType: "LONG TERM SUPPORT: COMMUNITY",
        deliveryMechanism: "Direct Payment",
      },
    );
    const result = computeAscof([{ ...row, eventStartDate: "2025-01-01" }], YEAR_2025_26, rules);
    expect(pick(find(result, "3D2a", "total"))).toEqual([1, 1, 100]);
  });

  it("a death inside an open service ends it; a death after the snapshot does not", () => {
    const person = { nhs: "9200000002", dob: "1950-01-01", accommodation: "Tenant: Private landlord" };
    const open = { serviceType: COMMUNITY, deliveryMechanism: DP, eventStartDate: "2025-01-01" };
    const diesAfter = computeAscof(
      [cldRow(person, { ...open, dateOfDeath: "2026-04-02" })],
      YEAR_2025_26,
      rules,
    );
    expect(find(diesAfter, "3D2a", "total").denominator).toBe(1);
    const diesOnSnapshot = computeAscof(
      [cldRow(person, { ...open, dateOfDeath: "2026-03-31" })],
      YEAR_2025_26,
      rules,
    );
    expect(find(diesOnSnapshot, "3D2a", "total").denominator).toBe(1); // DHSC: death on or after the snapshot
    const diesBefore = computeAscof(
      [cldRow(person, { ...open, dateOfDeath: "2026-03-30" })],
      YEAR_2025_26,
      rules,
    );
    expect(find(diesBefore, "3D2a", "total").denominator).toBe(0);
    expect(find(diesBefore, "3D2a", "total").percent).toBeNull();
  });

  it("a nursing service outranks a direct payment, whatever its own mechanism says", () => {
    const person = { nhs: "9200000003", dob: "1950-01-01" };
    const rows = [
      cldRow(person, { serviceType: NURSING, deliveryMechanism: DP, eventStartDate: "2025-06-01" }),
      cldRow(person, { serviceType: COMMUNITY, deliveryMechanism: MANAGED_PB, eventStartDate: "2025-06-01" }),
    ];
    const result = computeAscof(rows, YEAR_2025_26, rules);
    expect(result.clients.map((c) => c.rung.rank)).toEqual([1]);
  });

  it("rejects a period that ends before it starts", () => {
    expect(() => computeAscof([], { start: "2026-04-01", end: "2026-03-31" }, rules)).toThrow(/later date/);
  });

  it("has no CLD-based ASCOF before 2024-25", () => {
    expect(rulesFor("england", "2024-03-31").ascof.rules).toBeUndefined();
  });
});

describe("person id (REPORTING.md §1.11) and rounding as published (DHSC ROUND(…, 1))", () => {
  it("counts people by the combined id: the NHS number, else LA code + _ + LA id (so a row missing the NHS number is someone else)", () => {
    const open = { serviceType: COMMUNITY, eventStartDate: "2025-01-01" };
    const rows = [
      cldRow({ nhs: "9300000001", laId: "X1", dob: "1970-01-01" }, { ...open, deliveryMechanism: DP }),
      cldRow(
        { nhs: "9300000001", laId: "X1", dob: "1970-01-01" },
        { ...open, deliveryMechanism: MANAGED_PB },
      ),
      cldRow({ nhs: " ", laId: "X1", dob: "1970-01-01" }, { ...open, deliveryMechanism: MANAGED_PB }),
    ];
    const f = find(computeAscof(rows, YEAR_2025_26, rules), "3D2a", "total");
    expect(f.denominatorPersons).toEqual(["9300000001", "E06000099_X1"]);
    expect(f.numeratorPersons).toEqual(["9300000001"]);
  });

  it("rounds half up to one place", () => {
    expect(roundedPercent(1, 3, 1)).toBe(33.3);
    expect(roundedPercent(2, 3, 1)).toBe(66.7);
    expect(roundedPercent(1, 16, 1)).toBe(6.3); // 6.25
    expect(roundedPercent(1, 8, 1)).toBe(12.5);
    expect(roundedPercent(0, 0, 1)).toBeNull();
  });

  it("always lies within 0–100 and within 0.05 of the exact ratio", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.nat(), (denominator, n) => {
        const numerator = n % (denominator + 1);
        const percent = roundedPercent(numerator, denominator, 1) as number;
        expect(percent).toBeGreaterThanOrEqual(0);
        expect(percent).toBeLessThanOrEqual(100);
        expect(Math.abs(percent - (100 * numerator) / denominator)).toBeLessThanOrEqual(0.05 + 1e-9);
      }),
    );
  });

  it("gives the same figures whatever order the rows come in; numerators never exceed denominators", () => {
    const rows = [...serviceUserRows(), ...carerRows()];
    const figures = computeAscof(rows, YEAR_2025_26, rules).figures;
    fc.assert(
      fc.property(fc.shuffledSubarray(rows, { minLength: rows.length }), (shuffled) => {
        expect(computeAscof(shuffled, YEAR_2025_26, rules).figures).toEqual(figures);
      }),
      { numRuns: 30 },
    );
    for (const f of figures) expect(f.numerator).toBeLessThanOrEqual(f.denominator);
  });
});

function pick(f: AscofFigure): [number, number, number | null] {
  return [f.numerator, f.denominator, f.percent];
}
