import { describe, expect, it } from "vitest";
import { spendingAlerts } from "#/features/spending/alerts.calc.ts";
import { pence } from "#/platform/money/pence.ts";
import { englandSpendingRules } from "#/rules/england/spending-rules.ts";

const thresholds = englandSpendingRules.monitoring; // council policy defaults: under 75%, over 110%
const line = (supportId: string, planned: number, actual: number) => ({
  supportId,
  what: supportId,
  plannedPence: pence(planned),
  actualPence: pence(actual),
});
const period = "in the 4 weeks to 28 April 2025";

describe("monitoring alerts (issue 6: underspend, overspend and spending outside the plan)", () => {
  it("alerts below 75% and above 110% of the plan (council policy defaults), exactly at the edges not", () => {
    const alerts = spendingAlerts({
      period,
      daysRun: 28,
      lines: [
        line("a", 10000, 7499),
        line("b", 10000, 7500),
        line("c", 10000, 11000),
        line("d", 10000, 11001),
      ],
      outsidePlanPence: pence(0),
      thresholds,
    });
    expect(alerts.map((a) => [a.kind, a.supportId])).toEqual([
      ["underspend", "a"],
      ["overspend", "d"],
    ]);
    expect(alerts[0]!.message).toBe(
      '"a": £74.99 spent in the 4 weeks to 28 April 2025, 74% of the £100.00 planned',
    );
  });

  it("alerts spending outside the plan, and counts it in the budget as a whole", () => {
    const alerts = spendingAlerts({
      period,
      daysRun: 28,
      lines: [line("a", 10000, 10000)],
      outsidePlanPence: pence(2000),
      thresholds,
    });
    expect(alerts).toEqual([
      {
        kind: "outside_plan",
        supportId: null,
        message:
          "£20.00 spent in the 4 weeks to 28 April 2025 on things the plan does not include: check what it was for",
      },
      {
        kind: "overspend",
        supportId: null,
        message:
          "The budget as a whole: £120.00 spent in the 4 weeks to 28 April 2025, 120% of the £100.00 planned",
      },
    ]);
  });

  it("alerts spending on a line where nothing was planned, and stays quiet on a line with nothing planned or spent", () => {
    const alerts = spendingAlerts({
      period,
      daysRun: 28,
      lines: [line("a", 0, 500), line("b", 0, 0), line("c", 500, 500)],
      outsidePlanPence: pence(0),
      thresholds,
    });
    expect(alerts.map((a) => [a.kind, a.supportId])).toEqual([
      ["overspend", "a"],
      ["overspend", null], // £10.00 against £5.00 planned in all
    ]);
  });

  it("rule (issue 12): no under- or overspend alert before the period has run the rule pack's judgeAfterDays (14), only spending outside the plan", () => {
    expect(thresholds.judgeAfterDays).toBe(14);
    const firstDay = spendingAlerts({
      period,
      daysRun: 1,
      lines: [line("a", 1000, 0), line("b", 1000, 5000)],
      outsidePlanPence: pence(300),
      thresholds,
    });
    expect(firstDay.map((a) => a.kind)).toEqual(["outside_plan"]);
    expect(firstDay.some((a) => a.message.includes("0%"))).toBe(false);
    const day13 = spendingAlerts({
      period,
      daysRun: 13,
      lines: [line("a", 1000, 0)],
      outsidePlanPence: pence(0),
      thresholds,
    });
    expect(day13).toEqual([]);
    const day14 = spendingAlerts({
      period,
      daysRun: 14,
      lines: [line("a", 1000, 0)],
      outsidePlanPence: pence(0),
      thresholds,
    });
    expect(day14.map((a) => [a.kind, a.supportId])).toEqual([
      ["underspend", "a"],
      ["underspend", null],
    ]);
  });
});
