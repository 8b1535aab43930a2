import { describe, expect, it } from "vitest";
import { pounds, withFixture } from "#/features/charging/charging-cases.fixture.ts";
import { FIXTURE_SAVINGS_CREDIT } from "#/features/charging/rules.fixture.ts";

/**
 * The charging calculator's income: what Schedule 1 disregards, the savings credit disregard, the council's
 * partial disregards and other income as the assessment states it (fixture packs).
 */

describe("income disregards (Schedule 1, reg 14)", () => {
  const pension = { type: "state_pension", weeklyPence: pounds(200) } as const;

  it.each([
    ["earnings", "reg 14(1)"],
    ["pip_mobility", "Schedule 1, para 8"],
    ["dla_mobility", "Schedule 1, para 8"],
    ["housing_benefit", "Schedule 1, para 3(1)"],
    ["council_tax_reduction", "Schedule 1, para 3(3)"],
  ] as const)("%s is disregarded in full (%s)", (type, provision) => {
    const period = withFixture({ incomes: [pension, { type, weeklyPence: pounds(80) }] });
    expect(period.incomes[1]).toMatchObject({ countedWeeklyPence: 0, disregardedWeeklyPence: pounds(80) });
    expect(period.incomes[1]!.rule.provision).toBe(provision);
    expect(period.assessableIncomeWeeklyPence).toBe(pounds(200));
  });

  it("savings credit is counted less the savings credit disregard, single or couple rate (Sch 1 para 40)", () => {
    const single = withFixture({
      person: { age: 70, reachedPensionCreditAge: true, couple: false },
      incomes: [{ type: "pension_credit_savings", weeklyPence: pounds(15) }],
    });
    expect(single.incomes[0]!.countedWeeklyPence).toBe(pounds(15) - FIXTURE_SAVINGS_CREDIT.single);
    const couple = withFixture({
      person: { age: 70, reachedPensionCreditAge: true, couple: true, partnerReachedPensionCreditAge: true },
      incomes: [{ type: "pension_credit_savings", weeklyPence: pounds(5) }],
    });
    expect(couple.incomes[0]!.countedWeeklyPence).toBe(0);
  });

  it("the council may disregard part of an income (council policy, dated)", () => {
    const period = withFixture({
      incomes: [pension, { type: "occupational_pension", weeklyPence: pounds(50) }],
      councilPolicy: {
        versions: [
          {
            validFrom: "2024-04-01",
            incomeDisregards: [{ type: "occupational_pension", weeklyPence: pounds(10) }],
          },
        ],
      },
    });
    expect(period.incomes[1]).toMatchObject({
      countedWeeklyPence: pounds(40),
      disregardedWeeklyPence: pounds(10),
    });
  });

  it("other income is counted or disregarded as the assessment states, with its basis shown", () => {
    const period = withFixture({
      incomes: [
        pension,
        {
          type: "other",
          weeklyPence: pounds(30),
          description: "Rent from a lodger",
          treatment: "counted",
          basis: "Council policy 4.2",
        },
      ],
    });
    expect(period.incomes[1]).toMatchObject({ countedWeeklyPence: pounds(30), label: "Rent from a lodger" });
    expect(period.incomes[1]!.rule).toMatchObject({ basis: "assessor", provision: "Council policy 4.2" });
  });
});
