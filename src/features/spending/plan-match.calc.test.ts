import { describe, expect, it } from "vitest";
import { costPlan } from "#/features/planning/plan.calc.ts";
import { samsPlan } from "#/features/planning/plan.fixture.ts";
import { supportPlanSchema } from "#/features/planning/schemas.ts";
import { matchableLines, matchSpendToPlan, namesMatch } from "#/features/spending/plan-match.calc.ts";
import { pence } from "#/platform/money/pence.ts";

const plan = supportPlanSchema.parse(samsPlan());
const lines = matchableLines(plan, costPlan(plan));

describe("matching spends to the plan's support lines (issue 6: matched to plan lines where possible)", () => {
  it("offers only the lines that cost the budget something, with who provides them", () => {
    expect(lines.map((l) => [l.supportId, l.providerId, l.payeeName, l.weeklyPence, l.oneOffPence])).toEqual([
      ["pa", undefined, "Jo", 17325, 0],
      ["care", "org-1", "Brightside Care", 15400, 0],
      ["perch", undefined, undefined, 0, 8999],
    ]);
  });

  it("matches a named support line first", () => {
    const m = matchSpendToPlan({ amountPence: pence(8999), category: null, supportId: "perch" }, lines);
    expect(m).toMatchObject({ matched: true, supportId: "perch", how: "support_line", withinPlanned: true });
  });

  it("matches by the provider's directory id, and says when the spend is more than planned", () => {
    const m = matchSpendToPlan(
      { amountPence: pence(70000), category: "personal_care", providerId: "org-1", weeks: 4 },
      lines,
    );
    expect(m).toEqual({
      matched: true,
      supportId: "care",
      how: "provider",
      plannedPence: 61600,
      withinPlanned: false,
      explanation:
        'Matched to "Morning personal care" because the plan names the same provider; £700.00 is more than the £616.00 planned for 4 weeks',
    });
  });

  it("matches a card feed's shortened merchant name to the provider's name", () => {
    expect(namesMatch("BRIGHTSIDE CARE LTD", "Brightside Care")).toBe(true);
    expect(namesMatch("BRIGHTSIDE CA", "The Brightside Care Limited")).toBe(true);
    expect(namesMatch("Jo", "Joanna's Cafe")).toBe(false); // too short to count as a prefix
    const m = matchSpendToPlan(
      { amountPence: pence(2200), category: null, payeeName: "BRIGHTSIDE CARE LTD" },
      lines,
    );
    expect(m).toMatchObject({ matched: true, supportId: "care", how: "payee_name" });
  });

  it("falls back to the support category", () => {
    const m = matchSpendToPlan(
      { amountPence: pence(5240), category: "household", payeeName: "Greens Supermarket" },
      lines,
    );
    expect(m).toMatchObject({ matched: true, supportId: "pa", how: "category" });
    if (m.matched) expect(m.explanation).toMatch(/same support category \(household\)/);
  });

  it("says a spend is outside the plan, and why", () => {
    expect(
      matchSpendToPlan({ amountPence: pence(1420), category: null, payeeName: "The Red Lion" }, lines),
    ).toEqual({
      matched: false,
      explanation: "Outside the plan: it has no support category and no plan line names the payee",
    });
    expect(matchSpendToPlan({ amountPence: pence(2750), category: "transport" }, lines)).toEqual({
      matched: false,
      explanation:
        "Outside the plan: no plan line names the payee and the plan has no support in the category transport",
    });
    expect(
      matchSpendToPlan({ amountPence: pence(100), category: null, supportId: "gym" }, lines),
    ).toMatchObject({
      matched: false,
      explanation: 'Outside the plan: the plan has no support line "gym"',
    });
  });
});
