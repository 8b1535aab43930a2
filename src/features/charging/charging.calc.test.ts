import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runChargingCase } from "#/features/charging/case.ts";
import {
  fixture,
  ok,
  only,
  pounds,
  real2024,
  refused,
  withFixture,
} from "#/features/charging/charging-cases.fixture.ts";
import type { ChargingInputJson } from "#/features/charging/charging-input.calc.ts";
import { englandCase, fixtureEnglandPacks } from "#/features/charging/rules.fixture.ts";

/**
 * The charging calculator. Tests that check the law's structure (which MIG amount, which disregard, which
 * limit) run on the fixture packs, whose unconfirmed figures are illustrative; tests that check real figures
 * (capital limits, tariff, Wales's maximum, Scotland's free personal care) run on the real packs. Each test
 * names the provision it checks.
 */
// Capital, income and allowances have their own files (charging-capital, -income, -allowances.calc.test.ts);
// here: refusals, the limits on the charge, council policy, periods, each jurisdiction and the properties.

describe("unsupported circumstances are refused, saying why (real England packs)", () => {
  it("2024-25: a full assessment needs a MIG amount the circular copy did not show, so it is refused (reg 7)", () => {
    const errors = refused(runChargingCase(englandCase()));
    expect(errors).toHaveLength(1);
    expect(errors[0]!.path).toBe("person.age");
    expect(errors[0]!.message).toMatch(/England, financial year 2024 to 2025/);
    expect(errors[0]!.message).toMatch(/ends before the MIG table/);
  });

  it("2025-26, with no figure typed in: MIG £112.50 + disability premium £49.65 (reg 7(2)(b), 7(5)(a); agreed by two published sources), tariff £7 on £16,000 (reg 25), charge £94.85", () => {
    const period = only(
      runChargingCase(
        englandCase({
          period: { from: "2025-06-02", to: "2025-06-29" },
          person: { age: 40, reachedPensionCreditAge: false, couple: false, disabilityPremium: true },
          incomes: [{ type: "employment_and_support_allowance", weeklyPence: pounds(250) }],
          capital: [{ kind: "savings", valuePence: pounds(16_000) }],
        }),
      ),
    );
    expect(period.minimumIncome!.appliedWeeklyPence).toBe(162_15);
    expect(period.capital!.tariffIncomeWeeklyPence).toBe(7_00);
    expect(period.contributionWeeklyPence).toBe(94_85);
    const mig = period.steps.find((s) => s.id === "mig.single_25_to_pension_credit_age")!;
    expect(mig.rule).toMatchObject({ basis: "secondary", provision: "reg 7(2)(b)" });
    expect(mig.rule.note).toMatch(
      /^The official circular could not be read; 2 published sources agree on this figure/,
    );
  });

  it("2026-27, with no figure typed in: an 18-24-year-old's MIG is £95.40 (DHSC's announced 7% rise, in two published copies)", () => {
    const period = only(
      runChargingCase(
        englandCase({
          period: { from: "2026-06-01", to: "2026-06-28" },
          person: { age: 20, reachedPensionCreditAge: false, couple: false },
          incomes: [{ type: "universal_credit", weeklyPence: pounds(150) }],
        }),
      ),
    );
    expect(period.minimumIncome!.appliedWeeklyPence).toBe(95_40);
    expect(period.contributionWeeklyPence).toBe(54_60);
  });

  it("a figure one published source gives is named with its value and not used (2026-27 single 25+: £120.40); one found nowhere is named too", () => {
    const errors = refused(
      runChargingCase(
        englandCase({
          period: { from: "2026-06-01" },
          person: { age: 40, reachedPensionCreditAge: false, couple: false, disabilityPremium: true },
        }),
      ),
    );
    expect(errors.map((e) => e.path)).toEqual(["person.age", "person.disabilityPremium"]);
    expect(errors[0]!.message).toMatch(/A secondary copy gives £120\.40 .*it is not used until confirmed/);
    expect(errors[1]!.message).toMatch(/fewer than two published sources give this figure/);
  });

  it("a lone parent of pension credit age is refused: reg 7(2)(c) or 7(3) turns on a definition not read", () => {
    const fixtureWithoutDecision = fixtureEnglandPacks.map((p) =>
      p.minimumIncome.kind === "mig"
        ? { ...p, minimumIncome: { ...p.minimumIncome, loneParentPensionCreditAge: real2024MigRule() } }
        : p,
    );
    const errors = refused(
      runChargingCase(
        englandCase({ person: { age: 67, reachedPensionCreditAge: true, couple: false, children: 1 } }),
        {
          packs: fixtureWithoutDecision,
        },
      ),
    );
    expect(errors).toEqual([
      { path: "person.reachedPensionCreditAge", message: expect.stringMatching(/SI 2015\/644/) },
    ]);
  });

  it("an income whose treatment was not read is refused, unless the council's policy disregards it in full", () => {
    const base = englandCase({ incomes: [{ type: "war_pension", weeklyPence: pounds(40) }] });
    expect(refused(runChargingCase(base, fixture))).toEqual([
      { path: "incomes[0].type", message: expect.stringMatching(/War Pension/) },
    ]);
    const withPolicy = only(
      runChargingCase(
        {
          ...base,
          councilPolicy: {
            versions: [{ validFrom: "2024-04-01", incomeDisregards: [{ type: "war_pension" }] }],
          },
        },
        fixture,
      ),
    );
    expect(withPolicy.incomes[0]).toMatchObject({
      countedWeeklyPence: 0,
      disregardedWeeklyPence: pounds(40),
    });
    expect(withPolicy.incomes[0]!.rule.basis).toBe("council_policy");
  });

  it("a date before every pack is refused, naming the covered dates; a later year needs the council's uprated figures", () => {
    const errors = refused(
      runChargingCase(englandCase({ period: { from: "2023-06-01", to: "2023-06-30" } })),
    );
    expect(errors).toEqual([
      {
        path: "period.from",
        message: expect.stringContaining("The covered dates are 2024-04-01 to 2027-03-31"),
      },
    ]);
    const nextYear = refused(
      runChargingCase(englandCase({ period: { from: "2027-04-01", to: "2027-04-30" } })),
    );
    expect(nextYear[0]!.message).toContain("no national figures for the financial year 2027 to 2028");
  });
});

function real2024MigRule() {
  const mi = real2024.minimumIncome;
  if (mi.kind !== "mig") throw new Error("England uses the MIG");
  return mi.loneParentPensionCreditAge;
}

describe("the cap at the cost of care (Care Act 2014 s14(4))", () => {
  it("the contribution is never more than the weekly cost of the care", () => {
    const period = withFixture({
      incomes: [{ type: "occupational_pension", weeklyPence: pounds(900) }],
      costOfCare: { weeklyPence: pounds(120) },
    });
    expect(period.chargeBeforeLimitsWeeklyPence).toBe(pounds(800));
    expect(period.contributionWeeklyPence).toBe(pounds(120));
    expect(period.councilPaysWeeklyPence).toBe(0);
    expect(period.limits[0]).toMatchObject({ id: "cost_of_care", applied: true });
    expect(period.steps.find((s) => s.id === "limit.cost_of_care")!.rule.provision).toMatch(/s14/);
  });

  it("a person who chooses to pay in full pays the cost, with no full assessment (reg 10, light touch)", () => {
    const period = only(runChargingCase(englandCase({ choosesToPayFullCost: true })));
    expect(period).toMatchObject({
      assessment: "light_touch",
      lightTouchReason: "chooses_to_pay_full_cost",
      contributionWeeklyPence: pounds(300),
      contributionFourWeeklyPence: pounds(1200),
    });
  });
});

describe("council policy variations (tenant settings, dated)", () => {
  const incomes = [{ type: "occupational_pension", weeklyPence: pounds(200) }] as const;
  const policy = (version: Record<string, unknown>) => ({
    versions: [{ validFrom: "2024-04-01", ...version }],
  });

  it("a higher MIG: a 25% uplift, rounded up to the penny in the person's favour", () => {
    const period = withFixture({
      person: { age: 22, reachedPensionCreditAge: false, couple: false },
      incomes: [...incomes],
      councilPolicy: policy({ migUpliftPercent: 12.5 }),
    });
    // £80.00 × 12.5% = £10.00; applied £90.00.
    expect(period.minimumIncome).toMatchObject({
      statutoryWeeklyPence: 8000,
      councilUpliftWeeklyPence: 1000,
      appliedWeeklyPence: 9000,
    });
    const odd = withFixture({ incomes: [...incomes], councilPolicy: policy({ migUpliftPercent: 0.33 }) });
    // £100.00 × 0.33% = 33p exactly; then 101 × … check a fraction rounds up:
    expect(odd.minimumIncome!.councilUpliftWeeklyPence).toBe(33);
    const fraction = withFixture({
      person: { age: 25, reachedPensionCreditAge: false, couple: false, carerPremium: true },
      incomes: [...incomes],
      councilPolicy: policy({ migUpliftPercent: 1.01 }),
    });
    // (£100.00 + £40.00) × 1.01% = 141.4p → 142p.
    expect(fraction.minimumIncome!.councilUpliftWeeklyPence).toBe(142);
  });

  it("charging less than 100% of disposable income, rounded down to the penny", () => {
    const period = withFixture({
      incomes: [{ type: "occupational_pension", weeklyPence: 20_001 }],
      councilPolicy: policy({ chargePercent: 90 }),
    });
    // Disposable £100.01 × 90% = £90.009 → £90.00.
    expect(period.chargeBeforeLimitsWeeklyPence).toBe(9000);
    expect(period.chargePercent).toBe(90);
  });

  it("a minimum charge below which nothing is charged", () => {
    const small = withFixture({
      incomes: [{ type: "occupational_pension", weeklyPence: pounds(103) }],
      councilPolicy: policy({ minimumChargeWeeklyPence: pounds(5) }),
    });
    expect(small.chargeBeforeLimitsWeeklyPence).toBe(pounds(3));
    expect(small.contributionWeeklyPence).toBe(0);
    expect(small.limits.at(-1)).toMatchObject({ id: "council_minimum_charge", applied: true });
    const enough = withFixture({
      incomes: [{ type: "occupational_pension", weeklyPence: pounds(105) }],
      councilPolicy: policy({ minimumChargeWeeklyPence: pounds(5) }),
    });
    expect(enough.contributionWeeklyPence).toBe(pounds(5));
  });

  it("a weekly maximum charge", () => {
    const period = withFixture({
      incomes: [...incomes],
      councilPolicy: policy({ weeklyMaximumChargePence: pounds(60) }),
    });
    expect(period.contributionWeeklyPence).toBe(pounds(60));
    expect(period.limits.find((l) => l.id === "council_weekly_maximum")).toMatchObject({ applied: true });
  });

  it("higher capital limits outside care homes (the 2024-25 circular allows them); lower ones are refused", () => {
    const capital = [{ kind: "savings" as const, valuePence: pounds(25_000) }];
    const higher = withFixture({
      incomes: [...incomes],
      capital,
      councilPolicy: policy({
        lowerCapitalLimitPence: pounds(20_000),
        upperCapitalLimitPence: pounds(30_000),
      }),
    });
    expect(higher.assessment).toBe("full");
    expect(higher.capital).toMatchObject({
      lowerLimitPence: pounds(20_000),
      upperLimitPence: pounds(30_000),
      tariffIncomeWeeklyPence: pounds(20),
    });
    const lowerThanLaw = refused(
      runChargingCase(
        englandCase({ capital, councilPolicy: policy({ upperCapitalLimitPence: pounds(20_000) }) }),
        fixture,
      ),
    );
    expect(lowerThanLaw).toEqual([
      {
        path: "councilPolicy.versions[0].upperCapitalLimitPence",
        message: expect.stringContaining("at least £23,250.00"),
      },
    ]);
  });

  it("a new policy version starts a new period", () => {
    const result = ok(
      runChargingCase(
        englandCase({
          period: { from: "2024-06-03", to: "2024-08-31" },
          incomes: [...incomes],
          councilPolicy: {
            name: "Test policy",
            versions: [
              { validFrom: "2024-04-01", validTo: "2024-06-30" },
              { validFrom: "2024-07-01", chargePercent: 50 },
            ],
          },
        }),
        fixture,
      ),
    );
    expect(result.periods.map((p) => [p.from, p.to, p.contributionWeeklyPence])).toEqual([
      ["2024-06-03", "2024-06-30", pounds(100)],
      ["2024-07-01", "2024-08-31", pounds(50)],
    ]);
    expect(result.periods[1]!.councilPolicy).toEqual({ name: "Test policy", validFrom: "2024-07-01" });
  });
});

describe("a change of year: one result per period (house rule: rules chosen by the dates, never 'now')", () => {
  const incomes = [{ type: "occupational_pension", weeklyPence: pounds(200) }] as const;

  it("an assessment across 1 April gives a result under each year's rules", () => {
    const result = ok(
      runChargingCase(
        englandCase({ period: { from: "2025-03-03", to: "2025-04-27" }, incomes: [...incomes] }),
        fixture,
      ),
    );
    expect(result.periods.map((p) => [p.from, p.to, p.rulePackId])).toEqual([
      ["2025-03-03", "2025-03-31", "fixture-england-a"],
      ["2025-04-01", "2025-04-27", "fixture-england-b"],
    ]);
    // The second year's MIG is 10% higher, so the contribution falls by £10.
    expect(result.periods.map((p) => p.contributionWeeklyPence)).toEqual([pounds(100), pounds(90)]);
    expect(result.to).toBe("2025-04-27");
  });

  it("without an end date, the result runs until the rules next change", () => {
    const result = ok(
      runChargingCase(englandCase({ period: { from: "2025-03-03" }, incomes: [...incomes] }), fixture),
    );
    expect(result.periods.map((p) => [p.from, p.to])).toEqual([["2025-03-03", "2025-03-31"]]);
  });

  it("real packs: a light-touch case across April 2025 gives two results, one per England pack", () => {
    const result = ok(
      runChargingCase(
        englandCase({ period: { from: "2025-03-03", to: "2025-04-27" }, choosesToPayFullCost: true }),
      ),
    );
    expect(result.periods.map((p) => p.rulePackId)).toEqual([
      "england-charging-2024-25",
      "england-charging-2025-26",
    ]);
  });

  it("real packs: a refusal in one year names the periods it applies to", () => {
    const errors = refused(
      runChargingCase(
        englandCase({
          period: { from: "2027-03-01", to: "2028-04-30" },
          capital: [{ kind: "savings", valuePence: pounds(16_000) }],
        }),
      ),
    );
    expect(errors[0]!.message).toMatch(/^For 2027-03-01 to 2027-03-31: .*£120\.40/);
    expect(errors.some((e) => /^For 2027-04-01 to 2028-03-31: .*2027 to 2028/.test(e.message))).toBe(true);
    expect(errors.some((e) => /^For 2028-04-01 to 2028-04-30: .*2028 to 2029/.test(e.message))).toBe(true);
  });
});

describe("Wales (Care and Support (Charging) (Wales) Regulations 2015)", () => {
  const walesCase = (changes: Partial<ChargingInputJson> = {}): ChargingInputJson => ({
    jurisdiction: "wales",
    period: { from: "2025-05-05", to: "2025-05-31" },
    person: { age: 45, reachedPensionCreditAge: false, couple: false },
    incomes: [{ type: "employment_and_support_allowance", weeklyPence: pounds(400) }],
    costOfCare: { weeklyPence: pounds(320) },
    minimumIncomeAmountWeeklyPence: pounds(190),
    ...changes,
  });

  it("caps the weekly charge at the £100 maximum (reg 7, as amended by WSI 2020/131; kept in 2025-26)", () => {
    const period = only(runChargingCase(walesCase()));
    expect(period.rulePackId).toBe("wales-charging-2025-26");
    expect(period.chargeBeforeLimitsWeeklyPence).toBe(pounds(210));
    expect(period.contributionWeeklyPence).toBe(pounds(100));
    const limit = period.limits.find((l) => l.id === "statutory_weekly_maximum")!;
    expect(limit).toMatchObject({ weeklyPence: pounds(100), applied: true });
    expect(limit.rule.url).toMatch(/wsi\/2020\/131/);
  });

  it("the maximum applies in 2024-25 too, and to a light-touch case over the £24,000 limit (WSI 2017/214)", () => {
    const period = only(
      runChargingCase(
        walesCase({
          period: { from: "2024-06-03", to: "2024-06-30" },
          capital: [{ kind: "savings", valuePence: pounds(24_001) }],
        }),
      ),
    );
    expect(period).toMatchObject({
      rulePackId: "wales-charging-2024-25",
      assessment: "light_touch",
      lightTouchReason: "capital_over_upper_limit",
      contributionWeeklyPence: pounds(100),
    });
  });

  it("capital up to £24,000 gives no tariff income: Wales has a single limit", () => {
    const period = only(
      runChargingCase(walesCase({ capital: [{ kind: "savings", valuePence: pounds(24_000) }] })),
    );
    expect(period.assessment).toBe("full");
    expect(period.capital.tariffIncomeWeeklyPence).toBe(0);
  });

  it("the minimum income amount is the council's, and is required", () => {
    const { minimumIncomeAmountWeeklyPence: _omit, ...withoutAmount } = walesCase();
    const errors = refused(runChargingCase(withoutAmount));
    expect(errors[0]).toMatchObject({ path: "minimumIncomeAmountWeeklyPence" });
  });

  it("earnings and direct payments are disregarded (Financial Assessment (Wales) Regs reg 14(1); Sch 1 para 4)", () => {
    const period = only(
      runChargingCase(
        walesCase({
          incomes: [
            { type: "employment_and_support_allowance", weeklyPence: pounds(200) },
            { type: "earnings", weeklyPence: pounds(100) },
            { type: "direct_payment", weeklyPence: pounds(300) },
          ],
        }),
      ),
    );
    expect(period.assessableIncomeWeeklyPence).toBe(pounds(200));
    expect(period.contributionWeeklyPence).toBe(pounds(10));
  });

  it("disability-related expenditure is refused: the Welsh treatment was not read", () => {
    const errors = refused(
      runChargingCase(
        walesCase({
          disabilityRelatedExpenditure: {
            kind: "itemised",
            items: [{ description: "Alarm", weeklyPence: 500 }],
          },
        }),
      ),
    );
    expect(errors).toEqual([
      { path: "disabilityRelatedExpenditure", message: expect.stringMatching(/not read/) },
    ]);
  });
});

describe("Scotland (Community Care and Health (Scotland) Act 2002, s1(1))", () => {
  const scotlandCase = (weeklyPence: number, personalCareWeeklyPence: number): ChargingInputJson => ({
    jurisdiction: "scotland",
    period: { from: "2025-06-02" },
    person: { age: 34, reachedPensionCreditAge: false, couple: false },
    incomes: [{ type: "occupational_pension", weeklyPence: pounds(900) }],
    capital: [{ kind: "savings", valuePence: pounds(500_000) }],
    costOfCare: { weeklyPence, personalCareWeeklyPence },
  });

  it("personal care is free, at any age and whatever the income or capital (Frank's Law, from 1 April 2019)", () => {
    const period = only(runChargingCase(scotlandCase(pounds(280), pounds(280))));
    expect(period).toMatchObject({
      rulePackId: "scotland-charging-2019",
      assessment: "nothing_to_charge",
      freePersonalCareWeeklyPence: pounds(280),
      contributionWeeklyPence: 0,
      councilPaysWeeklyPence: pounds(280),
      to: null,
    });
    expect(period.steps[0]!.rule.url).toMatch(/asp\/2002\/5\/section\/1/);
  });

  it("charging for the rest of a package is refused: it is each council's policy, not modelled", () => {
    const errors = refused(runChargingCase(scotlandCase(pounds(300), pounds(280))));
    expect(errors).toEqual([{ path: "costOfCare.weeklyPence", message: expect.stringMatching(/COSLA/) }]);
  });

  it("dates before 1 April 2019 are not covered", () => {
    const errors = refused(runChargingCase({ ...scotlandCase(100, 100), period: { from: "2019-03-31" } }));
    expect(errors[0]!.message).toMatch(/covered dates are 2019-04-01 to \(no end date yet\)/);
  });
});

describe("every step names its rule", () => {
  it("each step of a full assessment cites a title and, for published rules, a URL", () => {
    const period = withFixture({
      incomes: [{ type: "state_pension", weeklyPence: pounds(200) }],
      capital: [{ kind: "savings", valuePence: pounds(15_000) }],
      housingCosts: [{ kind: "rent", weeklyPence: pounds(50) }],
    });
    for (const step of period.steps) {
      expect(step.rule.title).not.toBe("");
      if (step.rule.basis === "official" || step.rule.basis === "secondary")
        expect(step.rule.url).toMatch(/^https:\/\//);
    }
    expect(period.rounding).toMatch(/part of £250/);
  });
});

// ---- properties ---------------------------------------------------------------------------------------------

const COUNTED = [
  "state_pension",
  "occupational_pension",
  "employment_and_support_allowance",
  "attendance_allowance",
  "pip_daily_living",
] as const;
const DISREGARDED = [
  "earnings",
  "pip_mobility",
  "dla_mobility",
  "housing_benefit",
  "council_tax_reduction",
  "direct_payment",
] as const;

const weekly = fc.integer({ min: 0, max: 150_000 });

const arbitraryCase = fc
  .record({
    age: fc.integer({ min: 18, max: 100 }),
    reachedPensionCreditAge: fc.boolean(),
    couple: fc.boolean(),
    partnerReachedPensionCreditAge: fc.boolean(),
    children: fc.integer({ min: 0, max: 3 }),
    disabilityPremium: fc.boolean(),
    enhancedDisabilityPremium: fc.boolean(),
    carerPremium: fc.boolean(),
    counted: fc.array(fc.record({ type: fc.constantFrom(...COUNTED), weeklyPence: weekly }), {
      maxLength: 4,
    }),
    disregarded: fc.array(fc.record({ type: fc.constantFrom(...DISREGARDED), weeklyPence: weekly }), {
      maxLength: 3,
    }),
    savings: fc.integer({ min: 0, max: 3_000_000 }),
    rent: fc.integer({ min: 0, max: 40_000 }),
    dre: fc.integer({ min: 0, max: 10_000 }),
    cost: fc.integer({ min: 0, max: 200_000 }),
    choosesToPayFullCost: fc.boolean(),
    chargePercent: fc.option(
      fc.integer({ min: 0, max: 10_000 }).map((bp) => bp / 100),
      { nil: undefined },
    ),
    minimumCharge: fc.option(fc.integer({ min: 0, max: 2_000 }), { nil: undefined }),
    maximum: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: undefined }),
    uplift: fc.option(
      fc.integer({ min: 0, max: 5_000 }).map((bp) => bp / 100),
      { nil: undefined },
    ),
    from: fc.constantFrom("2024-04-01", "2024-10-07", "2025-03-17"),
  })
  .map(
    (a): ChargingInputJson =>
      englandCase({
        period: { from: a.from, to: "2025-06-30" },
        person: {
          age: a.age,
          reachedPensionCreditAge: a.reachedPensionCreditAge,
          couple: a.couple,
          ...(a.couple ? { partnerReachedPensionCreditAge: a.partnerReachedPensionCreditAge } : {}),
          children: a.children,
          disabilityPremium: a.disabilityPremium,
          enhancedDisabilityPremium: a.enhancedDisabilityPremium,
          carerPremium: a.carerPremium,
        },
        incomes: [...a.counted, ...a.disregarded],
        capital: a.savings > 0 ? [{ kind: "savings", valuePence: a.savings }] : [],
        housingCosts: a.rent > 0 ? [{ kind: "rent", weeklyPence: a.rent }] : [],
        disabilityRelatedExpenditure:
          a.dre > 0
            ? { kind: "itemised", items: [{ description: "Extra costs", weeklyPence: a.dre }] }
            : { kind: "none" },
        costOfCare: { weeklyPence: a.cost },
        choosesToPayFullCost: a.choosesToPayFullCost,
        councilPolicy: {
          versions: [
            {
              validFrom: "2024-04-01",
              ...(a.chargePercent === undefined ? {} : { chargePercent: a.chargePercent }),
              ...(a.minimumCharge === undefined ? {} : { minimumChargeWeeklyPence: a.minimumCharge }),
              ...(a.maximum === undefined ? {} : { weeklyMaximumChargePence: a.maximum }),
              ...(a.uplift === undefined ? {} : { migUpliftPercent: a.uplift }),
            },
          ],
        },
      }),
  );

describe("properties (fixture packs, every combination)", () => {
  it("the contribution is never negative and never above the cost of care", () => {
    fc.assert(
      fc.property(arbitraryCase, (input) => {
        const result = ok(runChargingCase(input, fixture));
        for (const period of result.periods) {
          expect(period.contributionWeeklyPence).toBeGreaterThanOrEqual(0);
          expect(period.contributionWeeklyPence).toBeLessThanOrEqual(period.costOfCareWeeklyPence);
          expect(period.contributionWeeklyPence + period.councilPaysWeeklyPence).toBe(
            period.costOfCareWeeklyPence,
          );
        }
      }),
      { numRuns: 400 },
    );
  });

  it("the contribution never rises when disregarded income rises", () => {
    fc.assert(
      fc.property(
        arbitraryCase,
        fc.constantFrom(...DISREGARDED),
        fc.integer({ min: 1, max: 100_000 }),
        (input, type, extra) => {
          const before = ok(runChargingCase(input, fixture));
          const more = { ...input, incomes: [...(input.incomes ?? []), { type, weeklyPence: extra }] };
          const after = ok(runChargingCase(more, fixture));
          before.periods.forEach((period, i) => {
            expect(after.periods[i]!.contributionWeeklyPence).toBeLessThanOrEqual(
              period.contributionWeeklyPence,
            );
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
