import { describe, expect, it } from "vitest";
import { runChargingCase } from "#/features/charging/case.ts";
import { ok, refused } from "#/features/charging/charging-cases.fixture.ts";
import { englandCase } from "#/features/charging/rules.fixture.ts";
import type { SuppliedFigure } from "#/features/charging/supplied-figures.calc.ts";
import { upratedFigures, upratingRows, upratingYear } from "#/features/charging/uprating.calc.ts";

/**
 * The yearly uprating (issue 12): each figure a year needs that the rules do not confirm is offered pre-filled
 * with the best value known, saying where it came from; once confirmed, the year's assessments are worked out.
 */

const councilFigure = (
  figure: SuppliedFigure["figure"],
  pence: number,
  from: string,
  to?: string,
): SuppliedFigure => ({
  figure,
  validFrom: from,
  ...(to ? { validTo: to } : {}),
  pence,
  source: "LAC(DHSC)(2026)1 Annex A",
});

describe("uprating a year's charging figures", () => {
  it("a year after the last pack offers every figure but the capital limits (unchanged since 2010), pre-filled from last year", () => {
    const year = upratingYear("england", 2027)!;
    expect(year).toMatchObject({ from: "2027-04-01", to: "2028-03-31", label: "2027 to 2028" });
    const lastYear = [councilFigure("mig.carer_premium", 48_00, "2026-04-01", "2027-03-31")];
    const rows = upratingRows("england", year, lastYear);
    const keys = rows.map((r) => r.key);
    expect(keys).not.toContain("capital.lower_limit");
    expect(keys).toContain("mig.single_25_to_pension_credit_age");
    expect(keys).toContain("savings_credit_disregard.couple");
    expect(rows.find((r) => r.key === "mig.carer_premium")).toMatchObject({
      prefillPence: 48_00,
      basis: "last_year",
      hint: "Last year's figure was £48.00 a week: change it if the circular changed it.",
    });
  });

  it("a figure one published source gives is offered for the council to confirm, never used by itself", () => {
    const year = upratingYear("england", 2025)!;
    const rows = upratingRows("england", year, []);
    const row = rows.find((r) => r.key === "mig.single_18_to_24");
    if (row?.basis === "single_source") expect(row.hint).toMatch(/One published source gives/);
    else expect(row?.basis).toBe("secondary_sources");
    for (const r of rows)
      expect(["secondary_sources", "single_source", "last_year", "none"]).toContain(r.basis);
  });

  it("a figure already supplied for the year is shown, not offered again; an open one from last year is last year's", () => {
    const year = upratingYear("england", 2027)!;
    const rows = upratingRows("england", year, [
      councilFigure("mig.carer_premium", 50_00, "2027-04-01", "2028-03-31"),
      councilFigure("mig.per_child", 90_00, "2026-04-01"),
    ]);
    expect(rows.find((r) => r.key === "mig.carer_premium")).toMatchObject({ supplied: { pence: 50_00 } });
    expect(rows.find((r) => r.key === "mig.per_child")).toMatchObject({
      prefillPence: 90_00,
      basis: "last_year",
    });
  });

  it("once uprated, a 2027-28 full assessment is worked out with the council's figures, citing them (before: refused)", () => {
    const year = upratingYear("england", 2027)!;
    const input = englandCase({
      period: { from: "2027-05-03" },
      person: { age: 40, reachedPensionCreditAge: false, couple: false, disabilityPremium: false },
    });
    expect(refused(runChargingCase(input))[0]!.message).toMatch(/2027 to 2028/);
    const amounts = new Map(
      upratingRows("england", year, []).map((r) => [r.key, r.prefillPence ?? 1_00] as const),
    );
    amounts.set("mig.single_25_to_pension_credit_age", 125_00);
    const figures = upratedFigures(year, amounts, "LAC(DHSC)(2027)1 Annex A");
    expect(figures.every((f) => f.validFrom === "2027-04-01" && f.validTo === "2028-03-31")).toBe(true);
    const result = ok(runChargingCase(input, { suppliedFigures: figures }));
    const mig = result.periods[0]!.minimumIncome!;
    expect(mig.components[0]).toMatchObject({
      component: "single_25_to_pension_credit_age",
      weeklyPence: 125_00,
    });
    expect(mig.components[0]!.rule.provision).toBe("LAC(DHSC)(2027)1 Annex A");
  });
});
