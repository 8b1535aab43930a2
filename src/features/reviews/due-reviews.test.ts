import { describe, expect, it } from "vitest";
import type { LiveBudgetRow } from "#/features/reviews/live-budgets.ts";
import type { ReviewRow } from "#/features/reviews/repository.ts";
import { directPaymentReviewDue, planReviewDue } from "#/features/reviews/review-dates.calc.ts";
import { defaultReviewSettings, dueReviews } from "#/features/reviews/service.ts";
import { rulesFor } from "#/rules/registry.ts";

/**
 * dueReviews gathers the reviews by plan and by person once (not every review for every budget): a budget's plan
 * review is due from its own plan's reviews, its direct-payment review from its person's direct-payment reviews,
 * and nobody else's count (Care Act 2014 s.27 plan reviews; Care and Support (Direct Payments) Regulations 2014
 * reg. 7 direct-payment reviews).
 */
const budget = (n: number, dp: boolean): LiveBudgetRow => ({
  budget_id: `b${n}`,
  person_id: `p${n}`,
  given_name: "Test",
  family_name: `Person ${n}`,
  reference: `R${n}`,
  plan_id: `plan${n}`,
  plan_version: 1,
  start_date: "2025-06-02",
  first_payment_date: dp ? "2025-06-10" : null,
  decided_at: new Date("2025-06-01T11:00:00Z"),
  lead_worker_id: null,
  lead_worker_name: null,
  has_direct_payment: dp,
});

const review = (n: number, planOf: number, personOf: number, kinds: string[], heldOn: string) =>
  ({
    review_id: `r${n}`,
    person_id: `p${personOf}`,
    plan_id: `plan${planOf}`,
    plan_version: 1,
    budget_id: null,
    kinds,
    held_on: heldOn,
    result: "no_change",
    recorded_by: "staff",
  }) as unknown as ReviewRow;

describe("dueReviews (Care Act 2014 s.27; Direct Payments Regulations 2014 reg. 7)", () => {
  it("works out each budget's due dates from its own plan's and person's reviews only", () => {
    const budgets = [budget(1, true), budget(2, true), budget(3, false)];
    const reviews = [
      review(1, 1, 1, ["plan"], "2025-09-01"),
      review(2, 1, 1, ["direct_payment"], "2025-08-15"),
      review(3, 2, 2, ["plan", "direct_payment"], "2025-12-01"),
      review(4, 2, 2, ["plan"], "2026-02-01"),
    ];
    const settings = defaultReviewSettings("england", "2025-06-01");
    const rules = rulesFor("england", "2025-06-01").reviews.rules;
    const due = dueReviews(budgets, reviews, settings, "england");
    const dueOf = (id: string) => due.find((d) => d.id === id)?.dueDate;

    const plan = (dates: string[]) =>
      planReviewDue({ agreedOn: "2025-06-01", completedReviewDates: dates, policy: {}, rules }).dueDate;
    const dp = (dates: string[]) =>
      directPaymentReviewDue({
        budgetStartDate: "2025-06-02",
        firstPaymentDate: "2025-06-10",
        completedReviewDates: dates,
        rules,
      }).dueDate;
    expect(dueOf("plan1:plan")).toBe(plan(["2025-09-01"]));
    expect(dueOf("plan1:direct_payment")).toBe(dp(["2025-08-15"]));
    expect(dueOf("plan2:plan")).toBe(plan(["2025-12-01", "2026-02-01"]));
    expect(dueOf("plan2:direct_payment")).toBe(dp(["2025-12-01"]));
    expect(dueOf("plan3:plan")).toBe(plan([]));
    expect(dueOf("plan3:direct_payment")).toBeUndefined();
    // The reviews make a difference, so the test would see them counted against the wrong budget.
    expect(plan(["2025-09-01"])).not.toBe(plan([]));
    expect(dp(["2025-08-15"])).not.toBe(dp([]));
  });
});
