import { describe, expect, it } from "vitest";
import {
  type AboutYou,
  chargingCaseFrom,
  OTHER_INCOME_BASIS,
  type PayAnswers,
  premiumsFrom,
} from "#/faces/pay-estimator/pay-estimator.calc.ts";
import { runChargingCase } from "#/features/charging/case.ts";
import type { ChargingOutcome, ChargingPeriodResult } from "#/features/charging/charging.calc.ts";
import { chargingInputSchema } from "#/features/charging/charging-input.calc.ts";
import { FIXTURE_MIG, fixtureEnglandPacks } from "#/features/charging/rules.fixture.ts";

/**
 * The pay estimator's reading of plain answers as a charging case. Premiums follow reg 7(5)-(7) of the England
 * Charging Regulations by the Income Support premium conditions; the case then runs through the charging
 * calculator unchanged, so these tests check the reading, and that the case is one the API would accept.
 */

const single = (changes: Partial<AboutYou> = {}): AboutYou => ({
  age: 52,
  pensionAge: false,
  partner: false,
  children: 0,
  premiumBenefits: [],
  ...changes,
});

function period(outcome: ChargingOutcome): ChargingPeriodResult {
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors, null, 2));
  expect(outcome.result.periods).toHaveLength(1);
  return outcome.result.periods[0]!;
}

describe("premiums (reg 7(5)-(7), by the Income Support premium conditions, Sch 2 paras 11-14ZA)", () => {
  it("PIP or DLA at any rate, or registered blind, under State Pension age: the disability premium (paras 11-12)", () => {
    for (const benefit of ["pip", "dla", "sight_impaired"] as const) {
      const p = premiumsFrom(single({ premiumBenefits: [benefit] }));
      expect([p.disabilityPremium, p.enhancedDisabilityPremium, p.carerPremium], benefit).toEqual([
        true,
        false,
        false,
      ]);
    }
  });

  it("PIP daily living at the enhanced rate, or DLA care at the highest rate: the enhanced disability premium too (para 13A)", () => {
    for (const benefit of ["pip_daily_living_enhanced", "dla_care_highest"] as const) {
      const p = premiumsFrom(single({ premiumBenefits: [benefit] }));
      expect([p.disabilityPremium, p.enhancedDisabilityPremium], benefit).toEqual([true, true]);
    }
  });

  it("at State Pension age neither disability premium applies (paras 11 and 13A are for people under it), and the page says why", () => {
    const p = premiumsFrom(
      single({ age: 70, pensionAge: true, premiumBenefits: ["pip_daily_living_enhanced"] }),
    );
    expect([p.disabilityPremium, p.enhancedDisabilityPremium]).toEqual([false, false]);
    expect(p.readings[0]!.because).toMatch(/reached State Pension age/);
  });

  it("Carer's Allowance brings the carer premium at any age (para 14ZA)", () => {
    expect(
      premiumsFrom(single({ pensionAge: true, premiumBenefits: ["carers_allowance"] })).carerPremium,
    ).toBe(true);
  });

  it("where the question is not asked (outside England) no premium is included, and nothing is said about them", () => {
    const { premiumBenefits: _, ...unasked } = single();
    const p = premiumsFrom(unasked);
    expect([p.disabilityPremium, p.enhancedDisabilityPremium, p.carerPremium]).toEqual([false, false, false]);
    expect(p.readings).toEqual([]);
  });
});

/** A working-age person on ESA and PIP, with savings between the limits, rent, Council Tax and extra costs. */
const answers: PayAnswers = {
  aboutYou: single({ premiumBenefits: ["pip", "pip_daily_living_enhanced"] }),
  savings: { savingsPence: 1_600_000, otherPropertyPence: 0, ownsHome: false },
  benefits: {
    employment_and_support_allowance: 14_055,
    pip_daily_living: 11_040,
    pip_mobility: 2_910,
    dla_care: 0,
  },
  otherIncome: { amounts: { earnings: 6_000 } },
  housing: { rent: 5_000, council_tax: 1_500 },
  extraCosts: { kind: "itemised", items: { community_alarm: 450, extra_laundry: 400 } },
  careCost: { useBudget: false, weeklyPence: 26_000 },
};

describe("the answers as a charging case", () => {
  it("is a case the API accepts, with amounts of £0 left out", () => {
    const chargingCase = chargingCaseFrom(answers, { jurisdiction: "england", today: "2024-06-03" });
    expect(chargingInputSchema.safeParse(chargingCase).success).toBe(true);
    expect(chargingCase.incomes!.map((i) => i.type)).toEqual([
      "employment_and_support_allowance",
      "pip_daily_living",
      "pip_mobility",
      "earnings",
    ]);
    expect(chargingCase.period).toEqual({ from: "2024-06-03" });
    expect(chargingCase.costOfCare).toEqual({ weeklyPence: 26_000, basis: "estimate" });
  });

  it("works out by the rules: MIG with premiums (reg 7), mobility and earnings disregarded (Sch 1 para 8, reg 14), tariff income (reg 25), housing costs (Sch 1 para 2), DRE (Sch 1 para 4)", () => {
    const p = period(
      runChargingCase(chargingCaseFrom(answers, { jurisdiction: "england", today: "2024-06-03" }), {
        packs: fixtureEnglandPacks,
      }),
    );
    const mig =
      FIXTURE_MIG.single_25_to_pension_credit_age +
      FIXTURE_MIG.disability_premium_single +
      FIXTURE_MIG.enhanced_disability_premium_single;
    expect(p.minimumIncome!.appliedWeeklyPence).toBe(mig);
    expect(p.assessableIncomeWeeklyPence).toBe(14_055 + 11_040);
    // £16,000 is £1,750 over £14,250: 7 bands of £250, £1 a week each.
    expect(p.capital.tariffIncomeWeeklyPence).toBe(700);
    expect(p.housingCostsWeeklyPence).toBe(6_500);
    expect(p.disabilityRelatedExpenditure!.allowedWeeklyPence).toBe(850);
    const disposable = 14_055 + 11_040 + 700 - mig - 6_500 - 850;
    expect(p.disposableIncomeWeeklyPence).toBe(disposable);
    expect(p.contributionWeeklyPence).toBe(disposable);
    expect(p.councilPaysWeeklyPence).toBe(26_000 - disposable);
  });

  it("other income is counted in full, with the estimate's own reason (not a rule it read)", () => {
    const chargingCase = chargingCaseFrom(
      { ...answers, otherIncome: { amounts: {}, other: { description: "Lodger", weeklyPence: 3_000 } } },
      { jurisdiction: "england", today: "2024-06-03" },
    );
    expect(chargingCase.incomes!.at(-1)).toEqual({
      type: "other",
      description: "Lodger",
      weeklyPence: 3_000,
      treatment: "counted",
      basis: OTHER_INCOME_BASIS,
    });
    const p = period(runChargingCase(chargingCase, { packs: fixtureEnglandPacks }));
    expect(p.incomes.at(-1)).toMatchObject({ countedWeeklyPence: 3_000, rule: { basis: "assessor" } });
  });

  it("the home the person lives in is disregarded for care at home, without its value (England: written answer on Care Homes: Finance)", () => {
    const p = period(
      runChargingCase(
        chargingCaseFrom(
          { ...answers, savings: { ...answers.savings, ownsHome: true } },
          { jurisdiction: "england", today: "2024-06-03" },
        ),
        { packs: fixtureEnglandPacks },
      ),
    );
    expect(p.capital.lines.find((l) => l.kind === "main_home")).toMatchObject({
      counted: false,
      valuePence: 0,
    });
    expect(p.capital.countedPence).toBe(1_600_000);
  });

  it("capital over the upper limit is a light-touch case, whatever the income (reg 12; 2024-25 circular: £23,250)", () => {
    const p = period(
      runChargingCase(
        chargingCaseFrom(
          { ...answers, savings: { savingsPence: 2_325_001, otherPropertyPence: 0, ownsHome: false } },
          { jurisdiction: "england", today: "2024-06-03" },
        ),
      ),
    );
    expect(p).toMatchObject({ assessment: "light_touch", contributionWeeklyPence: 26_000 });
  });

  it("Wales: capital over £24,000 pays the full cost, capped at the £100 weekly maximum (WSI 2017/214 reg 3; WSI 2020/131)", () => {
    const { premiumBenefits: _, ...about } = answers.aboutYou;
    const p = period(
      runChargingCase(
        chargingCaseFrom(
          {
            aboutYou: about,
            savings: { savingsPence: 2_400_001, otherPropertyPence: 0, ownsHome: false },
            careCost: { useBudget: true, weeklyPence: 25_000 },
          },
          { jurisdiction: "wales", today: "2025-06-02" },
        ),
      ),
    );
    expect(p).toMatchObject({ contributionWeeklyPence: 10_000, councilPaysWeeklyPence: 15_000 });
  });

  it("Scotland: the personal care part is free (Community Care and Health (Scotland) Act 2002 s1(1))", () => {
    const chargingCase = chargingCaseFrom(
      {
        aboutYou: single(),
        savings: { savingsPence: 0, otherPropertyPence: 0, ownsHome: false },
        careCost: { useBudget: false, weeklyPence: 28_000, personalCareWeeklyPence: 28_000 },
      },
      { jurisdiction: "scotland", today: "2026-11-23" },
    );
    expect(chargingCase.costOfCare).toEqual({
      weeklyPence: 28_000,
      personalCareWeeklyPence: 28_000,
      basis: "estimate",
    });
    expect(period(runChargingCase(chargingCase))).toMatchObject({
      assessment: "nothing_to_charge",
      contributionWeeklyPence: 0,
    });
  });
});
