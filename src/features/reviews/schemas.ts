import { z } from "zod";
import type { PlanReviewPolicy } from "#/features/reviews/review-dates.calc.ts";
import { REVIEW_METHODS, type ReviewMethod } from "#/vocabulary/review-methods.ts";

/**
 * A council's review settings, and the record of a review with the person. Shared by pages, API and CLI.
 *
 * The council may set reviews earlier than the law and guidance require, never later: review-dates.calc.ts takes
 * the earlier of the council's date and the statutory one, so the schema only bounds the numbers.
 */

const whenMissing = (message: string) => ({
  error: (issue: { code?: string }) => (issue.code === "invalid_type" ? message : undefined),
});

export const planReviewPolicySchema = z.strictObject({
  /** The first plan review after sign-off: e.g. { weeks: 6 } for the light-touch review the guidance suggests. */
  firstReview: z
    .union([
      z.strictObject({
        weeks: z
          .int(whenMissing("Give the number of weeks"))
          .min(1, { error: "The first review is at least 1 week after sign-off" })
          .max(52, { error: "The first review is no later than 52 weeks after sign-off" }),
      }),
      z.strictObject({
        months: z
          .int(whenMissing("Give the number of months"))
          .min(1, { error: "The first review is at least 1 month after sign-off" })
          .max(12, { error: "A plan is reviewed no later than 12 months after it is agreed" }),
      }),
    ])
    .optional(),
  /** Later reviews within this many months of the one before (at most 12). */
  thenWithinMonths: z
    .int(whenMissing("Give the number of months"))
    .min(1, { error: "Reviews are at least 1 month apart" })
    .max(12, { error: "A plan is reviewed at least every 12 months" })
    .optional(),
});
export type { PlanReviewPolicy };

// Fails to compile if the schema and the calc's type drift apart (either way round).
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : never;
const schemaMatchesCalc: Same<z.output<typeof planReviewPolicySchema>, PlanReviewPolicy> = true;
void schemaMatchesCalc;

export const caseloadSettingsSchema = z.strictObject({
  /** A review is "due soon" when it falls due within this many days (today included). */
  dueSoonDays: z
    .int(whenMissing("Give the number of days"))
    .min(0, { error: "The number of days cannot be negative" })
    .max(365, { error: "Give at most 365 days" })
    .default(28),
});
export type CaseloadSettings = z.infer<typeof caseloadSettingsSchema>;

/** How the person rates each outcome at a review, in their own words too (Upfront issue 5). */
export const OUTCOME_RATINGS = ["met", "partly_met", "not_met"] as const;
export type OutcomeRating = (typeof OUTCOME_RATINGS)[number];

/**
 * Why money in the budget went unspent, when the review finds it did (issue 15: the commissioner's market-gaps
 * report counts underspends put down to support that was hard to find). Optional: most reviews record none.
 */
export const UNDERSPEND_REASONS = [
  "hard_to_find",
  "not_needed",
  "waiting_to_start",
  "saving_for_planned_cost",
  "other",
] as const;
export type UnderspendReason = (typeof UNDERSPEND_REASONS)[number];
export const UNDERSPEND_REASON_LABELS: Record<UnderspendReason, string> = {
  hard_to_find: "The support was hard to find",
  not_needed: "Some of the support was not needed",
  waiting_to_start: "Waiting for the support to start",
  saving_for_planned_cost: "Saving for a cost in the plan",
  other: "Another reason",
};

/** What a review leads to (Upfront issue 5). */
export const REVIEW_RESULTS = ["no_change", "new_plan_version", "new_assessment"] as const;
export type ReviewResult = (typeof REVIEW_RESULTS)[number];

/**
 * How the review was held (vocabulary/review-methods.ts): required for every new review, since the CLD return
 * needs it (Method of Review, mandatory on review events in DHSC's data-quality procedure). Reviews recorded
 * before it was asked keep no method: nothing is filled in for them.
 */
export const reviewMethodSchema = z.enum(REVIEW_METHODS, {
  error: `Say how the review was held: ${REVIEW_METHODS.join(", ")}`,
});

/**
 * How a stored review was held, from its record (reviews.record): null where none was recorded, as for reviews
 * made before the question was asked. For every reader of stored reviews (this feature's pages, the reports).
 */
export function reviewMethodOf(record: unknown): ReviewMethod | null {
  const method = (record as { method?: unknown } | null)?.method;
  const parsed = reviewMethodSchema.safeParse(method);
  return parsed.success ? parsed.data : null;
}

const text = (what: string, max: number) =>
  z
    .string(whenMissing(`Write ${what}`))
    .trim()
    .min(1, { error: `Write ${what}` })
    .max(max, { error: `Keep ${what} to ${max} characters` });

export const reviewRecordSchema = z
  .strictObject({
    method: reviewMethodSchema,
    outcomes: z
      .array(
        z.strictObject({
          /** The plan's outcome id. */
          outcomeId: z.string().min(1).max(64),
          rating: z.enum(OUTCOME_RATINGS, { error: `Rate the outcome: ${OUTCOME_RATINGS.join(", ")}` }),
          inTheirWords: text("what the person says about this outcome", 2000),
        }),
      )
      .min(1, { error: "Rate at least one of the plan's outcomes" }),
    working: text("what is working", 4000),
    notWorking: text("what is not working", 4000),
    result: z.enum(REVIEW_RESULTS, { error: `Say what the review leads to: ${REVIEW_RESULTS.join(", ")}` }),
    /** Money went unspent, and why (issue 15). */
    underspend: z
      .strictObject({
        reason: z.enum(UNDERSPEND_REASONS, {
          error: `Say why the money went unspent: ${UNDERSPEND_REASONS.join(", ")}`,
        }),
      })
      .optional(),
  })
  .superRefine((record, ctx) => {
    const seen = new Set<string>();
    record.outcomes.forEach((o, i) => {
      if (seen.has(o.outcomeId)) {
        ctx.addIssue({
          code: "custom",
          path: ["outcomes", i, "outcomeId"],
          message: "This outcome is rated twice",
        });
      }
      seen.add(o.outcomeId);
    });
  });
export type ReviewRecord = z.infer<typeof reviewRecordSchema>;
