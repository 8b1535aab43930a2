import type { SourceReference } from "#/rules/types.ts";

/**
 * The shape of a jurisdiction's review rules (features/reviews/review-dates.calc.ts applies them). One shape for every jurisdiction; the dated packs are
 * data in the jurisdiction folders (rules/england/review-rules.ts), reached through rules/registry.ts.
 */

export type ReviewRules = {
  readonly id: string;
  readonly jurisdiction: "england";
  /** First day the rules apply (YYYY-MM-DD, inclusive). */
  readonly validFrom: string;
  readonly validTo?: string;
  readonly directPayment: {
    /** The first review within this many months of the first payment. */
    readonly firstReviewWithinMonths: number;
    /** Then each review within this many months of the one before. */
    readonly thenWithinMonths: number;
    readonly source: SourceReference;
  };
  readonly carePlan: {
    /** A plan review no later than this many months after the plan is agreed, and after each review. */
    readonly reviewWithinMonths: number;
    /** The light-touch review the guidance suggests after sign-off, in weeks (a council may adopt it). */
    readonly suggestedFirstReviewWeeks: readonly [number, number];
    readonly source: SourceReference;
  };
  readonly lookAgain: {
    /** The council's own target for answering, in calendar days, until it sets its own. Not a statutory figure. */
    readonly defaultAnswerWithinDays: number;
    /** Past this the complaints regulations expect a letter explaining the delay. */
    readonly explainDelayAfterMonths: number;
    readonly source: SourceReference;
  };
};
