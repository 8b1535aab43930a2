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

  it("refuse a date before the first pack, listing the covered dates", () => {
    expect(() => chargingRulesFor("england", "2024-03-31")).toThrow(
      "There are no england charging rules for 2024-03-31. The covered dates are 2024-04-01 to 2027-03-31",
    );
    expect(coveredDates("wales")).toBe("2024-04-01 to 2026-03-31");
    expect(coveredDates("scotland")).toBe("2019-04-01 to (no end date yet)");
  });

  it("carry the last pack's rules into a later financial year with no figures but the capital limits, so the council's uprated figures are used (rules are yearly data: no guessed uprating)", () => {
    const last = chargingRulesFor("england", "2027-03-31");
    const carried = chargingRulesFor("england", "2027-04-01");
    expect(carried).toMatchObject({
      id: "england-charging-2027-28-carried-forward",
      title: "England, financial year 2027 to 2028",
      validFrom: "2027-04-01",
      validTo: "2028-03-31",
      incomes: last.incomes,
    });
    expect(carried.capital.upperLimit).toEqual(last.capital.upperLimit);
    expect(carried.capital.lowerLimit).toEqual(last.capital.lowerLimit);
    const mig = carried.minimumIncome.kind === "mig" ? carried.minimumIncome.amounts : null;
    expect(mig?.single_25_to_pension_credit_age).toMatchObject({
      status: "unsupported",
      reason: expect.stringContaining("no national figures for the financial year 2027 to 2028"),
    });
    expect(carried.savingsCreditDisregard.single.status).toBe("unsupported");
    expect(chargingRulesFor("england", "2030-01-15").title).toBe("England, financial year 2029 to 2030");
    // Wales's last pack ends 31 March 2026; its £100 maximum is a yearly figure, so it is not carried.
    const wales = chargingRulesFor("wales", "2026-04-01");
    expect(wales.validFrom).toBe("2026-04-01");
    expect(wales.weeklyMaximumCharge?.status).toBe("unsupported");
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

  it("rely on figures confirmed by an official source, or agreed by two or more published secondary sources; everything else says why it is unsupported", () => {
    for (const pack of allChargingRules()) {
      for (const figure of figuresOf(pack)) {
        if (figure.status === "confirmed") {
          expect(figure.source.basis).toBe("official");
          expect(figure.source.url).toMatch(/^https:\/\//);
          expect(Number.isSafeInteger(figure.pence)).toBe(true);
        } else if (figure.status === "secondary") {
          expect(figure.sources.length).toBeGreaterThanOrEqual(2);
          expect(new Set(figure.sources.map((s) => s.title)).size).toBe(figure.sources.length);
          for (const source of figure.sources) expect(source.note, source.title).toBeTruthy();
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

  it("England 2025-26 and 2026-27: the figures two or more published sources agree on are used; one source's are offered to confirm; the capital limits hold in every year", () => {
    const amounts = (date: string) => {
      const pack = chargingRulesFor("england", date);
      if (pack.minimumIncome.kind !== "mig") throw new Error("England uses the MIG");
      return { pack, mig: pack.minimumIncome.amounts };
    };
    const value = (f: ChargingFigure) =>
      f.status === "unsupported" ? `unconfirmed ${f.unconfirmed?.pence}` : `${f.status} ${f.pence}`;
    const y2025 = amounts("2025-06-01");
    expect(value(y2025.mig.single_18_to_24)).toBe("secondary 8915");
    expect(value(y2025.mig.single_25_to_pension_credit_age)).toBe("secondary 11250");
    expect(value(y2025.mig.single_pension_credit_age)).toBe("secondary 23260");
    expect(value(y2025.mig.disability_premium_single)).toBe("secondary 4965");
    expect(value(y2025.mig.enhanced_disability_premium_single)).toBe("secondary 2425");
    expect(value(y2025.mig.couple_each)).toBe("unconfirmed 8835");
    expect(value(y2025.mig.carer_premium)).toBe("unconfirmed undefined");
    expect(value(y2025.pack.personalExpensesAllowance!)).toBe("confirmed 3065");
    const y2026 = amounts("2026-06-01");
    expect(value(y2026.mig.single_18_to_24)).toBe("secondary 9540");
    expect(value(y2026.mig.single_25_to_pension_credit_age)).toBe("unconfirmed 12040");
    expect(value(y2026.mig.single_pension_credit_age)).toBe("secondary 24145");
    expect(value(y2026.pack.personalExpensesAllowance!)).toBe("secondary 3180");
    for (const { pack } of [y2025, y2026, amounts("2027-06-01")]) {
      expect(value(pack.capital.lowerLimit!)).toBe("confirmed 1425000");
      expect(value(pack.capital.upperLimit)).toBe("confirmed 2325000");
    }
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
