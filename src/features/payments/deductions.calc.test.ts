import { describe, expect, it } from "vitest";
import { deductionTakes } from "#/features/payments/deductions.calc.ts";

/**
 * Rule (St Helens, "Recovering Direct Payments", REPORTING.md §3): a repayment not made is recovered by reducing
 * future payments. Each payment takes what is still owed, oldest deduction first, never more than the payment.
 */
describe("deductionTakes", () => {
  const open = [
    { deductionId: "d1", budgetId: "b1", outstandingPence: 25_000 },
    { deductionId: "d2", budgetId: "b1", outstandingPence: 5_000 },
    { deductionId: "d3", budgetId: "b2", outstandingPence: 1_000 },
  ];

  it("takes the whole of each payment until the oldest deduction is paid, then the next", () => {
    const takes = deductionTakes(open, [
      { key: "p1", budgetId: "b1", amountPence: 20_000 },
      { key: "p2", budgetId: "b1", amountPence: 20_000 },
      { key: "p3", budgetId: "b1", amountPence: 20_000 },
    ]);
    expect(takes.get("p1")).toEqual([{ deductionId: "d1", amountPence: 20_000 }]);
    // 5,000 left of d1, then all 5,000 of d2: the payment keeps 10,000.
    expect(takes.get("p2")).toEqual([
      { deductionId: "d1", amountPence: 5_000 },
      { deductionId: "d2", amountPence: 5_000 },
    ]);
    expect(takes.has("p3")).toBe(false);
  });

  it("takes only from the budget's own payments, and never more than is owed", () => {
    const takes = deductionTakes(open, [
      { key: "q1", budgetId: "b2", amountPence: 20_000 },
      { key: "q2", budgetId: "b3", amountPence: 20_000 },
    ]);
    expect(takes.get("q1")).toEqual([{ deductionId: "d3", amountPence: 1_000 }]);
    expect(takes.has("q2")).toBe(false);
  });

  it("a payment of nothing takes nothing", () => {
    expect(deductionTakes(open, [{ key: "z", budgetId: "b1", amountPence: 0 }]).size).toBe(0);
  });
});
