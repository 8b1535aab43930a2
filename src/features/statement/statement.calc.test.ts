import { describe, expect, it } from "vitest";
import { runChargingCase } from "#/features/charging/case.ts";
import type { ChargingResult } from "#/features/charging/charging.calc.ts";
import { type ChargingInput, chargingInputSchema } from "#/features/charging/charging-input.calc.ts";
import { englandCase, fixtureEnglandPacks } from "#/features/charging/rules.fixture.ts";
import { moneyStatement, periodOn, type StatementInput } from "#/features/statement/statement.calc.ts";

/**
 * The money statement's sums: the budget, the contribution in force on the day, who pays the rest, the income
 * told us of and what is left. Worked on the fixture England packs (illustrative MIG figures).
 */

function worked(changes: Parameters<typeof englandCase>[0] = {}): {
  input: ChargingInput;
  result: ChargingResult;
} {
  const json = englandCase(changes);
  const outcome = runChargingCase(json, { packs: fixtureEnglandPacks });
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
  return { input: chargingInputSchema.parse(json), result: outcome.result };
}

const statementOf = (
  changes: Partial<StatementInput> = {},
  caseChanges: Parameters<typeof englandCase>[0] = {},
) => {
  const { input, result } = worked(caseChanges);
  return moneyStatement({
    councilName: "Demo Council",
    today: input.period.from,
    budget: {
      weeklyPence: input.costOfCare.weeklyPence,
      kind: "indicative",
      description: "The indicative budget",
    },
    financial: { version: 1, completedAt: "2025-01-01", input, result, route: "full" },
    fundingShares: null,
    benefits: { checked: true, prompts: [] },
    ...changes,
  });
};

describe("the money statement", () => {
  it("rule: the council pays the budget less the contribution when there is one funder", () => {
    const s = statementOf();
    const contribution = s.contribution!.weeklyPence;
    expect(s.funders).toEqual([
      { funder: "Demo Council", weeklyPence: s.budget!.weeklyPence - contribution },
    ]);
    expect(s.notes).toEqual([]);
  });

  it("rule: what is left is the money to live on (not Housing Benefit or direct payments) less the contribution, then housing costs", () => {
    const s = statementOf(
      {},
      {
        incomes: [
          { type: "state_pension", weeklyPence: 230_00 },
          { type: "attendance_allowance", weeklyPence: 73_90 },
          { type: "housing_benefit", weeklyPence: 90_00 },
        ],
        housingCosts: [{ kind: "council_tax", weeklyPence: 15_00 }],
      },
    );
    expect(s.incomes!.map((i) => i.kind)).toEqual(["other", "benefit", "for_housing"]);
    expect(s.spendingIncomeWeeklyPence).toBe(303_90);
    expect(s.leftAfterContributionWeeklyPence).toBe(303_90 - s.contribution!.weeklyPence);
    expect(s.leftAfterHousingWeeklyPence).toBe(303_90 - s.contribution!.weeklyPence - 15_00);
  });

  it("rule: several funding streams are shown as given, and a mismatch with what is left is flagged", () => {
    const base = statementOf();
    const rest = base.budget!.weeklyPence - base.contribution!.weeklyPence;
    const s = statementOf({
      fundingShares: [
        { funder: "Demo Council", weeklyPence: rest - 50_00 },
        { funder: "NHS continuing healthcare", weeklyPence: 50_00 },
      ],
    });
    expect(s.funders.map((f) => f.funder)).toEqual(["Demo Council", "NHS continuing healthcare"]);
    expect(s.notes).toEqual([]);
    const wrong = statementOf({ fundingShares: [{ funder: "Demo Council", weeklyPence: 1 }] });
    expect(wrong.notes[0]).toMatch(/add up to £0\.01 a week/);
    // Issue 12: the person reads this; no internal word ("funding", "stream") in it.
    expect(wrong.notes[0]).not.toMatch(/funding|stream/i);
  });

  it("rule: a budget that changed since the contribution was worked out is flagged for a new look", () => {
    const s = statementOf({ budget: { weeklyPence: 500_00, kind: "indicative", description: "x" } });
    expect(s.notes[0]).toMatch(/may need to be worked out again/);
  });

  it("rule: the contribution shown is the one in force on the day, when the assessment spans a change of year", () => {
    const { result } = worked({ period: { from: "2025-03-03", to: "2025-05-25" } });
    expect(result.periods.length).toBeGreaterThan(1);
    expect(periodOn(result, "2025-03-10").from).toBe("2025-03-03");
    expect(periodOn(result, "2025-04-10").from).toBe("2025-04-01");
    expect(periodOn(result, "2025-01-01").from).toBe("2025-03-03");
    expect(periodOn(result, "2026-01-01").from).toBe(result.periods.at(-1)!.from);
  });

  it("rule: light touch asks nothing about income, so nothing is said about it; without an assessment, the statement says so", () => {
    const { input, result } = worked({ choosesToPayFullCost: true });
    const s = moneyStatement({
      councilName: "Demo Council",
      today: input.period.from,
      budget: null,
      financial: { version: 1, completedAt: "2025-01-01", input, result, route: "chooses_to_pay_full_cost" },
      fundingShares: null,
      benefits: { checked: false, reason: "not asked" },
    });
    expect(s.incomes).toBeNull();
    expect(s.leftAfterContributionWeeklyPence).toBeNull();
    expect(s.budget!.kind).toBe("estimate");
    expect(s.funders[0]!.weeklyPence).toBe(0);
    const none = moneyStatement({
      councilName: "Demo Council",
      today: "2025-01-01",
      budget: { weeklyPence: 200_00, kind: "indicative", description: "x" },
      financial: null,
      fundingShares: null,
      benefits: { checked: false, reason: "x" },
    });
    expect(none.contribution).toBeNull();
    expect(none.funders).toEqual([{ funder: "Demo Council", weeklyPence: 200_00 }]);
    expect(none.notes[0]).toMatch(/has not been worked out yet/);
  });
});
