import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addDays,
  addMonths,
  type CaseloadItem,
  caseloadOn,
  daysBetween,
  directPaymentReviewDue,
  planReviewDue,
  ReviewDateError,
} from "#/features/reviews/review-dates.calc.ts";
import { planReviewPolicySchema, reviewMethodOf, reviewRecordSchema } from "#/features/reviews/schemas.ts";
import { reviewRulesFor, englandReviewRules as rules } from "#/rules/england/review-rules.ts";
import { REVIEW_METHODS } from "#/vocabulary/review-methods.ts";

describe("adding months: the corresponding date rule (Dodds v Walker [1981] 1 WLR 1027)", () => {
  it.each([
    ["2025-03-15", 6, "2025-09-15", "same day of the month"],
    ["2025-08-31", 6, "2026-02-28", "31 August + 6 months → 28 February (no 31 February)"],
    ["2023-08-31", 6, "2024-02-29", "31 August + 6 months → 29 February in a leap year"],
    ["2024-02-29", 12, "2025-02-28", "29 February + 12 months → 28 February"],
    ["2024-02-29", 48, "2028-02-29", "29 February + 48 months → 29 February (leap year again)"],
    ["2025-03-31", 6, "2025-09-30", "31 March + 6 months → 30 September"],
    ["2025-01-31", 1, "2025-02-28", "31 January + 1 month → 28 February"],
    ["2099-08-31", 6, "2100-02-28", "2100 is not a leap year (divisible by 100)"],
    ["1999-08-31", 6, "2000-02-29", "2000 is a leap year (divisible by 400)"],
    ["2025-10-31", 4, "2026-02-28", "across a year end"],
    ["2026-02-28", -6, "2025-08-28", "backwards"],
  ])("%s + %d months = %s (%s)", (from, months, to) => {
    expect(addMonths(from, months)).toBe(to);
  });

  it("refuses dates that are not real", () => {
    expect(() => addMonths("2025-02-29", 1)).toThrow(ReviewDateError);
    expect(() => addMonths("31/08/2025", 1)).toThrow(/YYYY-MM-DD/);
  });

  it("never gives a date more than N months on, and never an earlier month's day (property)", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("1990-01-01"), max: new Date("2200-12-31"), noInvalidDate: true }),
        fc.integer({ min: 0, max: 240 }),
        (d, months) => {
          const from = d.toISOString().slice(0, 10);
          const to = addMonths(from, months);
          const monthIndex = (s: string) => Number(s.slice(0, 4)) * 12 + Number(s.slice(5, 7));
          expect(monthIndex(to) - monthIndex(from)).toBe(months);
          expect(Number(to.slice(8))).toBeLessThanOrEqual(Number(from.slice(8)));
        },
      ),
    );
  });

  it("counts days across a leap day", () => {
    expect(daysBetween("2024-02-28", "2024-03-01")).toBe(2);
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2025-02-28", 1)).toBe("2025-03-01");
  });
});

describe("direct payment reviews (Care and Support (Direct Payments) Regulations 2014, reg 7(1)(a))", () => {
  it("rule: before a first payment is recorded, the first review is within 6 months of the budget's start, provisionally", () => {
    const due = directPaymentReviewDue({ budgetStartDate: "2025-08-31", completedReviewDates: [], rules });
    expect(due).toMatchObject({
      dueDate: "2026-02-28",
      basis: "budget_start",
      provisional: true,
      kind: "direct_payment",
    });
    expect(due.explanation).toEqual([
      "No direct payment has been recorded yet, so the first review is worked out from the budget's start date, 31 August 2025. It will be worked out again from the first payment when it is made.",
      "The first review is due within 6 months: 6 months after 31 August 2025 is 28 February 2026 (February has no 31st, so the last day of February).",
    ]);
    expect(due.source.provision).toBe("reg 7(1)(a)");
  });

  it("rule: once the first payment is recorded, the first review is within 6 months of it (recomputed)", () => {
    const due = directPaymentReviewDue({
      budgetStartDate: "2025-08-31",
      firstPaymentDate: "2025-09-12",
      completedReviewDates: [],
      rules,
    });
    expect(due).toMatchObject({
      dueDate: "2026-03-12",
      basis: "first_payment",
      provisional: false,
      fromDate: "2025-09-12",
    });
  });

  it("rule: a first payment on 31 August in the year before a leap year → review by 29 February", () => {
    const due = directPaymentReviewDue({
      budgetStartDate: "2023-08-01",
      firstPaymentDate: "2023-08-31",
      completedReviewDates: [],
      rules,
    });
    expect(due.dueDate).toBe("2024-02-29");
  });

  it("rule: after a review, the next is within 12 months of the day it actually happened", () => {
    const due = directPaymentReviewDue({
      budgetStartDate: "2023-08-01",
      firstPaymentDate: "2023-08-31",
      completedReviewDates: ["2024-02-29"],
      rules,
    });
    expect(due).toMatchObject({ dueDate: "2025-02-28", basis: "last_review", fromDate: "2024-02-29" });
    // Late or early, the next counts from the real date; the latest review counts, in any order given.
    const later = directPaymentReviewDue({
      budgetStartDate: "2023-08-01",
      firstPaymentDate: "2023-08-31",
      completedReviewDates: ["2025-03-10", "2024-02-29"],
      rules,
    });
    expect(later.dueDate).toBe("2026-03-10");
  });

  it("reviews before the first payment do not count as the first review", () => {
    const due = directPaymentReviewDue({
      budgetStartDate: "2025-01-06",
      firstPaymentDate: "2025-02-03",
      completedReviewDates: ["2025-01-20"],
      rules,
    });
    expect(due.dueDate).toBe("2025-08-03");
    expect(due.explanation.at(-1)).toBe("1 review dated before the first payment does not count.");
  });
});

describe("plan reviews (statutory guidance: no later than 12 months after agreement)", () => {
  it("rule: with no council setting, the first review is within 12 months of agreement", () => {
    const due = planReviewDue({ agreedOn: "2024-02-29", completedReviewDates: [], policy: {}, rules });
    expect(due).toMatchObject({ dueDate: "2025-02-28", basis: "plan_agreed", kind: "plan" });
  });

  it("rule: the council may set an earlier first review, e.g. 6 weeks after sign-off", () => {
    const due = planReviewDue({
      agreedOn: "2025-12-22",
      completedReviewDates: [],
      policy: { firstReview: { weeks: 6 } },
      rules,
    });
    expect(due.dueDate).toBe("2026-02-02");
    expect(due.explanation.at(-1)).toBe(
      "The council reviews sooner: 6 weeks after 22 December 2025 is 2 February 2026.",
    );
  });

  it("rule: never later than 12 months, whatever the council sets: the earlier date wins", () => {
    // 52 weeks after 2023-03-01 is 2024-02-28; 12 months is 2024-03-01: the council's date is earlier.
    expect(
      planReviewDue({
        agreedOn: "2023-03-01",
        completedReviewDates: [],
        policy: { firstReview: { weeks: 52 } },
        rules,
      }).dueDate,
    ).toBe("2024-02-28");
    // A council setting past the limit (built without the schema) is overridden by the 12-month limit.
    const due = planReviewDue({
      agreedOn: "2025-01-31",
      completedReviewDates: [],
      policy: { firstReview: { months: 13 } },
      rules,
    });
    expect(due.dueDate).toBe("2026-01-31");
    expect(due.explanation.at(-1)).toMatch(/so the 12-month limit applies/);
  });

  it("rule: after a review, the next within 12 months of it, or the council's shorter interval", () => {
    expect(
      planReviewDue({
        agreedOn: "2025-01-10",
        completedReviewDates: ["2025-02-21"],
        policy: { firstReview: { weeks: 6 } },
        rules,
      }).dueDate,
    ).toBe("2026-02-21");
    expect(
      planReviewDue({
        agreedOn: "2025-01-10",
        completedReviewDates: ["2025-08-31"],
        policy: { thenWithinMonths: 6 },
        rules,
      }).dueDate,
    ).toBe("2026-02-28");
  });

  it("the council's settings are bounded: a first review at most 12 months or 52 weeks, later ones at most 12 months apart", () => {
    expect(planReviewPolicySchema.safeParse({ firstReview: { months: 13 } }).success).toBe(false);
    expect(planReviewPolicySchema.safeParse({ firstReview: { weeks: 53 } }).success).toBe(false);
    expect(planReviewPolicySchema.safeParse({ thenWithinMonths: 13 }).success).toBe(false);
    expect(planReviewPolicySchema.parse({ firstReview: { weeks: 8 }, thenWithinMonths: 12 })).toEqual({
      firstReview: { weeks: 8 },
      thenWithinMonths: 12,
    });
  });
});

describe("the caseload view (issue 5: reviews due and overdue; overdue visible to the team manager)", () => {
  const items: CaseloadItem[] = [
    { id: "r1", personId: "p-b", kind: "plan", dueDate: "2026-03-01" },
    { id: "r2", personId: "p-a", kind: "direct_payment", dueDate: "2026-02-28" },
    { id: "r3", personId: "p-c", kind: "plan", dueDate: "2026-04-15" },
    { id: "r4", personId: "p-a", kind: "plan", dueDate: "2026-02-27" },
    { id: "r5", personId: "p-d", kind: "plan", dueDate: "2026-03-29" },
  ];

  it("rule: overdue from the day after the due date; due soon up to and including the window's last day", () => {
    const view = caseloadOn(items, "2026-03-01", { dueSoonDays: 28 });
    expect(view.entries.map((e) => [e.item.id, e.status, e.label, e.visibleToTeamManager])).toEqual([
      ["r4", "overdue", "Overdue by 2 days", true],
      ["r2", "overdue", "Overdue by 1 day", true],
      ["r1", "due_soon", "Due today", false],
      ["r5", "due_soon", "Due in 28 days", false],
      ["r3", "upcoming", "Due in 45 days", false],
    ]);
    expect(view.counts).toEqual({ overdue: 2, due_soon: 2, upcoming: 1 });
  });

  it("in a leap year, 29 February is a real due date: overdue only from 1 March", () => {
    const leap: CaseloadItem[] = [{ id: "x", personId: "p", kind: "direct_payment", dueDate: "2024-02-29" }];
    expect(caseloadOn(leap, "2024-02-29", { dueSoonDays: 0 }).entries[0]!.status).toBe("due_soon");
    expect(caseloadOn(leap, "2024-03-01", { dueSoonDays: 0 }).entries[0]!.status).toBe("overdue");
  });

  it("is ordered the same way whatever order the reviews come in (ties by person, kind, id)", () => {
    const ties: CaseloadItem[] = [
      { id: "b", personId: "p2", kind: "plan", dueDate: "2026-01-01" },
      { id: "a", personId: "p1", kind: "plan", dueDate: "2026-01-01" },
      { id: "c", personId: "p1", kind: "direct_payment", dueDate: "2026-01-01" },
    ];
    const ids = (list: CaseloadItem[]) =>
      caseloadOn(list, "2025-12-01", { dueSoonDays: 28 }).entries.map((e) => e.item.id);
    expect(ids(ties)).toEqual(["c", "a", "b"]);
    expect(ids([...ties].reverse())).toEqual(["c", "a", "b"]);
  });

  it("refuses a bad 'today' or window", () => {
    expect(() => caseloadOn(items, "2026-13-01", { dueSoonDays: 28 })).toThrow(ReviewDateError);
    expect(() => caseloadOn(items, "2026-01-01", { dueSoonDays: -1 })).toThrow(ReviewDateError);
  });
});

describe("review rules by date and the review record", () => {
  it("picks the England rules by the date, never 'now'", () => {
    expect(reviewRulesFor("2025-06-01").id).toBe("england-reviews-2015-04");
    expect(() => reviewRulesFor("2015-03-31")).toThrow(/earliest start on 2015-04-01/);
  });

  it("a review records each outcome's rating in the person's words and what it leads to (issue 5)", () => {
    const ok = reviewRecordSchema.safeParse({
      method: "face_to_face",
      outcomes: [{ outcomeId: "cook", rating: "partly_met", inTheirWords: "I cook three nights now" }],
      working: "Jo is great",
      notWorking: "Mornings are rushed",
      result: "new_plan_version",
    });
    expect(ok.success).toBe(true);
    const bad = reviewRecordSchema.safeParse({ outcomes: [], working: "", notWorking: "x", result: "close" });
    expect(bad.error?.issues.map((i) => i.path.join("."))).toEqual([
      "method",
      "outcomes",
      "working",
      "result",
    ]);
  });

  it("a new review says how it was held, one of Upfront's ways (issue 15: CLD Method of Review, field 47, is mandatory on reviews in DHSC's DQ procedure)", () => {
    const record = {
      outcomes: [{ outcomeId: "cook", rating: "met", inTheirWords: "Yes" }],
      working: "a",
      notWorking: "b",
      result: "no_change",
    };
    for (const method of REVIEW_METHODS) {
      expect(reviewRecordSchema.safeParse({ ...record, method }).data?.method, method).toBe(method);
    }
    for (const method of [undefined, "", "Face to face", "in_person", null]) {
      const refused = reviewRecordSchema.safeParse({ ...record, method });
      expect(refused.error?.issues, String(method)).toEqual([
        expect.objectContaining({
          path: ["method"],
          message: `Say how the review was held: ${REVIEW_METHODS.join(", ")}`,
        }),
      ]);
    }
  });

  it("reads how a stored review was held, and nothing for a review recorded before the question (never back-filled)", () => {
    for (const method of REVIEW_METHODS) expect(reviewMethodOf({ method, working: "x" })).toBe(method);
    expect(reviewMethodOf({ outcomes: [], working: "x", notWorking: "y", result: "no_change" })).toBeNull();
    expect(reviewMethodOf({ method: "Face to face" })).toBeNull();
    expect(reviewMethodOf(null)).toBeNull();
  });
});
