import type { SourceReference } from "#/rules/types.ts";

/**
 * When reviews fall due in England: data, with its sources; reviews/review-dates.calc.ts applies it.
 *
 * Direct payments: the Care and Support (Direct Payments) Regulations 2014 (SI 2014/2871), reg 7(1)(a): the
 * council must review the making of direct payments "at least once within the first 6 months of the direct
 * payment being made and at intervals not exceeding 12 months thereafter" (*check*: read from a secondary copy
 * of reg 7; confirm against legislation.gov.uk). Reg 7 also requires a review on concerns (breach of conditions,
 * capacity, misuse); those are raised by people, not by the calendar, so they are not computed here.
 *
 * Care and support plans: Care Act 2014 s27 requires plans to be kept under review; the Care and Support
 * Statutory Guidance expects a review no later than every 12 months, and suggests a light-touch review 6–8 weeks
 * after the plan is agreed (chapter 13, "Review of care and support plans", para 13.32 *check* the paragraph
 * number). A council may set earlier dates, never later ones.
 *
 * "Within N months" of a date is read by the corresponding date rule (Dodds v Walker [1981] 1 WLR 1027, HL):
 * the period ends on the same day of the month N months later, or, where that month has no such day, on its last
 * day — so 31 August + 6 months is 28 February (29 February in a leap year), and 29 February + 12 months is
 * 28 February. The review is due on or before that day.
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
};

export const englandReviewRules: ReviewRules = {
  id: "england-reviews-2015-04",
  jurisdiction: "england",
  // The Direct Payments Regulations 2014 and Care Act 2014 Part 1 came into force on 1 April 2015.
  validFrom: "2015-04-01",
  directPayment: {
    firstReviewWithinMonths: 6,
    thenWithinMonths: 12,
    source: {
      title: "Care and Support (Direct Payments) Regulations 2014",
      provision: "reg 7(1)(a)",
      url: "https://www.legislation.gov.uk/uksi/2014/2871/regulation/7",
      note: "*check*: wording read from a secondary copy",
    },
  },
  carePlan: {
    reviewWithinMonths: 12,
    suggestedFirstReviewWeeks: [6, 8],
    source: {
      title: "Care and Support Statutory Guidance (Care Act 2014 s27)",
      provision: "para 13.32",
      url: "https://www.gov.uk/government/publications/care-act-statutory-guidance/care-and-support-statutory-guidance",
      note: "*check*: paragraph number read from secondary copies",
    },
  },
};

const packs: readonly ReviewRules[] = [englandReviewRules];

export class ReviewRulesNotFoundError extends Error {
  override name = "ReviewRulesNotFoundError";
}

/** The review rules for the date a review schedule is worked out for (never "now"). */
export function reviewRulesFor(onDate: string): ReviewRules {
  // ISO dates compare correctly as strings.
  const pack = packs.find((p) => p.validFrom <= onDate && (p.validTo === undefined || onDate <= p.validTo));
  if (!pack) {
    throw new ReviewRulesNotFoundError(
      `There are no England review rules for ${onDate}. The earliest start on ${packs[0]!.validFrom}`,
    );
  }
  return pack;
}
