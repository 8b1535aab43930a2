import { describe, expect, it } from "vitest";
import {
  allChargingRules,
  type ChargingFigure,
  ChargingRulesNotFoundError,
  chargingRulesFor,
  coveredDates,
  MIG_COMPONENTS,
} from "#/rules/charging.ts";

/**
 * The charging rule packs: chosen by date, never "now"; contiguous; and every figure either confirmed from an
 * official source (with its URL) or unsupported with a reason — never a bare number.
 */

const figuresOf = (pack: ReturnType<typeof allChargingRules>[number]): ChargingFigure[] => [
  ...(pack.capital.lowerLimit ? [pack.capital.lowerLimit] : []),
  pack.capital.upperLimit,
  ...(pack.minimumIncome.kind === "mig"
    ? MIG_COMPONENTS.map(
        (c) => (pack.minimumIncome as { amounts: Record<string, ChargingFigure> }).amounts[c]!,
      )
    : []),
  pack.savingsCreditDisregard.single,
  pack.savingsCreditDisregard.couple,
  ...(pack.weeklyMaximumCharge ? [pack.weeklyMaximumCharge] : []),
  ...(pack.personalExpensesAllowance ? [pack.personalExpensesAllowance] : []),
];

describe("charging rule packs", () => {
  it("choose England's pack by the date: financial years 2024-25, 2025-26 and 2026-27", () => {
    expect(chargingRulesFor("england", "2024-04-01").id).toBe("england-charging-2024-25");
    expect(chargingRulesFor("england", "2025-03-31").id).toBe("england-charging-2024-25");
    expect(chargingRulesFor("england", "2025-04-01").id).toBe("england-charging-2025-26");
    expect(chargingRulesFor("england", "2027-03-31").id).toBe("england-charging-2026-27");
  });

  it("refuse an uncovered date, listing the covered dates", () => {
    expect(() => chargingRulesFor("england", "2024-03-31")).toThrow(
      "There are no england charging rules for 2024-03-31. The covered dates are 2024-04-01 to 2027-03-31",
    );
    expect(() => chargingRulesFor("wales", "2026-04-01")).toThrow(/2024-04-01 to 2026-03-31/);
    expect(coveredDates("scotland")).toBe("2019-04-01 to (no end date yet)");
  });

  it("refuse an unknown jurisdiction or an unreal date, naming the field", () => {
    for (const [jurisdiction, date, field] of [
      ["narnia", "2025-01-01", "jurisdiction"],
      ["england", "2025-02-29", "date"],
    ] as const) {
      try {
        chargingRulesFor(jurisdiction, date);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(ChargingRulesNotFoundError);
        expect((error as ChargingRulesNotFoundError).field).toBe(field);
      }
    }
  });

  it("do not overlap within a jurisdiction", () => {
    for (const jurisdiction of ["england", "wales", "scotland"] as const) {
      const packs = allChargingRules().filter((p) => p.jurisdiction === jurisdiction);
      for (let i = 1; i < packs.length; i++) expect(packs[i - 1]!.validTo! < packs[i]!.validFrom).toBe(true);
    }
  });

  it("rely only on confirmed figures with an official source; everything else says why it is unsupported", () => {
    for (const pack of allChargingRules()) {
      for (const figure of figuresOf(pack)) {
        if (figure.status === "confirmed") {
          expect(figure.source.basis).toBe("official");
          expect(figure.source.url).toMatch(/^https:\/\//);
          expect(Number.isSafeInteger(figure.pence)).toBe(true);
        } else {
          expect(figure.reason.length).toBeGreaterThan(20);
          if (figure.unconfirmed) expect(figure.unconfirmed.source.basis).toBe("secondary");
        }
      }
    }
  });

  it("England 2024-25: capital limits confirmed from the circular; MIG amounts unsupported (the copy read ends before the table)", () => {
    const pack = chargingRulesFor("england", "2024-06-01");
    expect(pack.capital.lowerLimit).toMatchObject({ status: "confirmed", pence: 1_425_000 });
    expect(pack.capital.upperLimit).toMatchObject({ status: "confirmed", pence: 2_325_000 });
    expect(pack.capital.tariff).toEqual(
      expect.objectContaining({ weeklyPencePerBand: 100, bandPence: 25_000 }),
    );
    if (pack.minimumIncome.kind !== "mig") throw new Error("England uses the MIG");
    for (const component of MIG_COMPONENTS)
      expect(pack.minimumIncome.amounts[component].status).toBe("unsupported");
  });

  it("England 2025-26 records the secondary copies' figures as unconfirmed (REFERENCE.md's *check* figures)", () => {
    const pack = chargingRulesFor("england", "2025-06-01");
    if (pack.minimumIncome.kind !== "mig") throw new Error("England uses the MIG");
    const unconfirmed = (f: ChargingFigure) =>
      f.status === "unsupported" ? f.unconfirmed?.pence : undefined;
    expect(unconfirmed(pack.minimumIncome.amounts.single_18_to_24)).toBe(8_915);
    expect(unconfirmed(pack.minimumIncome.amounts.single_25_to_pension_credit_age)).toBe(11_250);
    expect(unconfirmed(pack.minimumIncome.amounts.disability_premium_single)).toBe(4_965);
    expect(unconfirmed(pack.minimumIncome.amounts.enhanced_disability_premium_single)).toBe(2_425);
  });

  it("Wales: £24,000 single capital limit (WSI 2017/214) and £100 weekly maximum (WSI 2020/131) in both years", () => {
    for (const date of ["2024-06-01", "2025-06-01"]) {
      const pack = chargingRulesFor("wales", date);
      expect(pack.capital.lowerLimit).toBeNull();
      expect(pack.capital.tariff).toBeNull();
      expect(pack.capital.upperLimit).toMatchObject({ status: "confirmed", pence: 2_400_000 });
      expect(pack.weeklyMaximumCharge).toMatchObject({ status: "confirmed", pence: 10_000 });
    }
  });

  it("Scotland: free personal care from 1 April 2019, with no end date", () => {
    const pack = chargingRulesFor("scotland", "2030-01-01");
    expect(pack.freePersonalCare?.url).toBe("https://www.legislation.gov.uk/asp/2002/5/section/1");
    expect(pack.validTo).toBeUndefined();
  });
});
