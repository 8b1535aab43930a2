import { describe, expect, it } from "vitest";
import { runChargingCase } from "#/features/charging/case.ts";
import { tariffIncomeWeekly } from "#/features/charging/charging.calc.ts";
import {
  fixture,
  lower,
  only,
  pounds,
  real2024,
  TARIFF,
  withFixture,
} from "#/features/charging/charging-cases.fixture.ts";
import { englandCase } from "#/features/charging/rules.fixture.ts";

/**
 * The charging calculator's capital: tariff income, the capital limits (real 2024-25 figures) and what is
 * disregarded. Each test names the provision it checks.
 */

describe("tariff income (reg 25; capital limits from the 2024-25 circular, Annex 'Capital limits')", () => {
  it("the 2024-25 pack's limits are the circular's £14,250 and £23,250", () => {
    expect(real2024.capital.lowerLimit).toMatchObject({ status: "confirmed", pence: pounds(14_250) });
    expect(real2024.capital.upperLimit).toMatchObject({ status: "confirmed", pence: pounds(23_250) });
  });

  it.each([
    [14_250, 0],
    [14_251, 1],
    [14_500, 1],
    [14_501, 2],
    [14_750, 2],
    [14_751, 3],
    [23_250, 36],
  ])(
    "£%i of capital gives £%i a week: £1 for every £250 or part of £250 above £14,250",
    (capital, weekly) => {
      expect(tariffIncomeWeekly(pounds(capital), lower, TARIFF)).toBe(pounds(weekly));
    },
  );

  it("a penny over the lower limit is a part of £250, so £1 a week (reg 25: 'or part of £250')", () => {
    expect(tariffIncomeWeekly(pounds(14_250) + 1, lower, TARIFF)).toBe(100);
    expect(tariffIncomeWeekly(pounds(14_250) - 1, lower, TARIFF)).toBe(0);
  });

  it("£23,250 exactly is assessed in full, with £36 tariff income (reg 12: only capital above the limit)", () => {
    const period = withFixture({ capital: [{ kind: "savings", valuePence: pounds(23_250) }] });
    expect(period.assessment).toBe("full");
    expect(period.capital.tariffIncomeWeeklyPence).toBe(pounds(36));
    expect(period.steps.find((s) => s.id === "tariff_income")?.text).toMatch(
      /£9,000\.00 over the lower limit/,
    );
  });

  it("£23,251 is over the upper limit: a light-touch assessment, paying the full cost (reg 10; circular)", () => {
    const period = only(
      runChargingCase(englandCase({ capital: [{ kind: "savings", valuePence: pounds(23_251) }] })),
    );
    expect(period.rulePackId).toBe("england-charging-2024-25");
    expect(period).toMatchObject({
      assessment: "light_touch",
      lightTouchReason: "capital_over_upper_limit",
      contributionWeeklyPence: pounds(300),
      councilPaysWeeklyPence: 0,
    });
  });

  it("tariff income adds to disposable income pound for pound", () => {
    const base = englandCase({ incomes: [{ type: "state_pension", weeklyPence: pounds(150) }] });
    const without = only(runChargingCase(base, fixture));
    const withCapital = only(
      runChargingCase({ ...base, capital: [{ kind: "savings", valuePence: pounds(14_501) }] }, fixture),
    );
    expect(without.disposableIncomeWeeklyPence).toBe(pounds(50));
    expect(withCapital.disposableIncomeWeeklyPence).toBe(pounds(52));
  });

  it("the main home is disregarded for care outside a care home (DHSC written answer; Sch 2)", () => {
    const period = withFixture({
      capital: [
        { kind: "main_home", valuePence: pounds(300_000) },
        { kind: "savings", valuePence: pounds(15_000) },
      ],
    });
    expect(period.assessment).toBe("full");
    expect(period.capital.countedPence).toBe(pounds(15_000));
    expect(period.capital.tariffIncomeWeeklyPence).toBe(pounds(3));
  });

  it("capital disregarded for a stated reason is left out, and the reason is shown", () => {
    const period = withFixture({
      capital: [
        { kind: "other", valuePence: pounds(50_000), disregardReason: "Personal injury trust (Sch 2)" },
      ],
    });
    expect(period.assessment).toBe("full");
    expect(period.capital.countedPence).toBe(0);
    expect(
      period.steps.some((s) => s.rule.basis === "assessor" && /Personal injury trust/.test(s.text)),
    ).toBe(true);
  });
});
