import { describe, expect, it } from "vitest";
import { runChargingCase } from "#/features/charging/case.ts";
import { fixture, migOf, pounds, refused, withFixture } from "#/features/charging/charging-cases.fixture.ts";
import { englandCase, FIXTURE_MIG } from "#/features/charging/rules.fixture.ts";

/**
 * The charging calculator's allowances: the Minimum Income Guarantee by circumstance, housing costs and
 * disability-related expenditure (fixture amounts). Each test names the regulation it checks.
 */

describe("the Minimum Income Guarantee by circumstance (reg 7; fixture amounts)", () => {
  it.each([
    [18, "single_18_to_24", "reg 7(2)(a)"],
    [24, "single_18_to_24", "reg 7(2)(a)"],
    [25, "single_25_to_pension_credit_age", "reg 7(2)(b)"],
    [64, "single_25_to_pension_credit_age", "reg 7(2)(b)"],
  ] as const)("a single person aged %i gets %s (%s)", (age, component, provision) => {
    const period = withFixture({ person: { age, reachedPensionCreditAge: false, couple: false } });
    expect(migOf(period)).toEqual([component]);
    expect(period.minimumIncome!.components[0]!.rule.provision).toBe(provision);
    expect(period.minimumIncome!.statutoryWeeklyPence).toBe(FIXTURE_MIG[component]);
  });

  it("a single person of pension credit age gets the pension-age amount (reg 7(2)(c))", () => {
    const period = withFixture({ person: { age: 70, reachedPensionCreditAge: true, couple: false } });
    expect(migOf(period)).toEqual(["single_pension_credit_age"]);
  });

  it("a lone parent gets the lone parent amount and an amount for each child (reg 7(3), 7(1)(b))", () => {
    const period = withFixture({
      person: { age: 30, reachedPensionCreditAge: false, couple: false, children: 2 },
    });
    expect(migOf(period)).toEqual(["lone_parent", "per_child"]);
    expect(period.minimumIncome!.components[1]).toMatchObject({
      count: 2,
      weeklyPence: 2 * FIXTURE_MIG.per_child,
    });
    expect(period.minimumIncome!.statutoryWeeklyPence).toBe(
      FIXTURE_MIG.lone_parent + 2 * FIXTURE_MIG.per_child,
    );
  });

  it("a member of a couple gets the couple amount; if either has reached pension credit age, the higher one (reg 7(4))", () => {
    const working = withFixture({
      person: {
        age: 40,
        reachedPensionCreditAge: false,
        couple: true,
        partnerReachedPensionCreditAge: false,
      },
    });
    const pension = withFixture({
      person: { age: 60, reachedPensionCreditAge: false, couple: true, partnerReachedPensionCreditAge: true },
    });
    expect(migOf(working)).toEqual(["couple_each"]);
    expect(migOf(pension)).toEqual(["couple_pension_credit_age_each"]);
  });

  it("premiums are added: single rates for a single person, couple rates for a member of a couple (reg 7(5), 7(6), 7(7))", () => {
    const single = withFixture({
      person: {
        age: 40,
        reachedPensionCreditAge: false,
        couple: false,
        disabilityPremium: true,
        enhancedDisabilityPremium: true,
        carerPremium: true,
      },
    });
    expect(migOf(single)).toEqual([
      "single_25_to_pension_credit_age",
      "disability_premium_single",
      "enhanced_disability_premium_single",
      "carer_premium",
    ]);
    expect(single.minimumIncome!.statutoryWeeklyPence).toBe(
      FIXTURE_MIG.single_25_to_pension_credit_age +
        FIXTURE_MIG.disability_premium_single +
        FIXTURE_MIG.enhanced_disability_premium_single +
        FIXTURE_MIG.carer_premium,
    );
    const couple = withFixture({
      person: {
        age: 40,
        reachedPensionCreditAge: false,
        couple: true,
        partnerReachedPensionCreditAge: false,
        disabilityPremium: true,
        enhancedDisabilityPremium: true,
      },
    });
    expect(migOf(couple)).toEqual([
      "couple_each",
      "disability_premium_couple_each",
      "enhanced_disability_premium_couple_each",
    ]);
  });

  it("disposable income is income less the MIG, never below zero (s14(7) Care Act 2014; reg 7)", () => {
    const period = withFixture({ incomes: [{ type: "state_pension", weeklyPence: pounds(60) }] });
    expect(period.disposableIncomeWeeklyPence).toBe(0);
    expect(period.contributionWeeklyPence).toBe(0);
  });
});

describe("housing costs and disability-related expenditure (Schedule 1, paras 2 and 4)", () => {
  const incomes = [
    { type: "employment_and_support_allowance", weeklyPence: pounds(140) },
    { type: "pip_daily_living", weeklyPence: pounds(110) },
  ] as const;

  it("housing costs the person pays are deducted (Sch 1 para 2)", () => {
    const period = withFixture({
      incomes: [...incomes],
      housingCosts: [
        { kind: "rent", weeklyPence: pounds(20) },
        { kind: "council_tax", weeklyPence: pounds(5) },
      ],
    });
    expect(period.housingCostsWeeklyPence).toBe(pounds(25));
    expect(period.disposableIncomeWeeklyPence).toBe(pounds(250 - 100 - 25));
  });

  it("itemised DRE is deducted where a disability benefit is counted (Sch 1 para 4(1))", () => {
    const period = withFixture({
      incomes: [...incomes],
      disabilityRelatedExpenditure: {
        kind: "itemised",
        items: [
          { description: "Community alarm", weeklyPence: pounds(5) },
          { description: "Extra heating", weeklyPence: pounds(10) },
        ],
      },
    });
    expect(period.disabilityRelatedExpenditure).toEqual({
      kind: "itemised",
      claimedWeeklyPence: pounds(15),
      allowedWeeklyPence: pounds(15),
    });
    expect(period.disposableIncomeWeeklyPence).toBe(pounds(250 - 100 - 15));
  });

  it("DRE is not allowed where no disability benefit is counted (Sch 1 para 4(1))", () => {
    const period = withFixture({
      incomes: [{ type: "employment_and_support_allowance", weeklyPence: pounds(250) }],
      disabilityRelatedExpenditure: {
        kind: "itemised",
        items: [{ description: "Extra laundry", weeklyPence: pounds(10) }],
      },
    });
    expect(period.disabilityRelatedExpenditure!.allowedWeeklyPence).toBe(0);
    expect(period.disposableIncomeWeeklyPence).toBe(pounds(150));
  });

  it("the standard DRE allowance is the council's setting; without one, the case must itemise", () => {
    const policy = (standard?: number) => ({
      versions: [
        {
          validFrom: "2024-04-01",
          ...(standard === undefined ? {} : { standardDreAllowanceWeeklyPence: standard }),
        },
      ],
    });
    const period = withFixture({
      incomes: [...incomes],
      disabilityRelatedExpenditure: { kind: "standard" },
      councilPolicy: policy(pounds(20)),
    });
    expect(period.disabilityRelatedExpenditure!.allowedWeeklyPence).toBe(pounds(20));
    const errors = refused(
      runChargingCase(
        englandCase({
          incomes: [...incomes],
          disabilityRelatedExpenditure: { kind: "standard" },
          councilPolicy: policy(),
        }),
        fixture,
      ),
    );
    expect(errors[0]!.path).toBe("disabilityRelatedExpenditure.kind");
  });
});
