import type { ReviewRules } from "#/rules/review-types.ts";

export * from "#/rules/review-types.ts";

/**
 * When reviews fall due in England: data, with its sources; reviews/review-dates.calc.ts applies it.
 *
 * Direct payments: the Care and Support (Direct Payments) Regulations 2014 (SI 2014/2871), reg 7(1)(a): the
 * council must review the making of direct payments "at least once within the first 6 months of the direct
 * payment being made and at intervals not exceeding 12 months thereafter". (*check*: the same wording was found
 * again in a second secondary copy that quotes reg 7(1) in full, with (b)–(d); the legislation.gov.uk text itself
 * could not be read here, so the note stays.) Reg 7 also requires a review on concerns (breach of conditions,
 * capacity, misuse); those are raised by people, not by the calendar, so they are not computed here.
 *
 * Care and support plans: Care Act 2014 s27 requires plans to be kept under review; the Care and Support
 * Statutory Guidance expects a review no later than every 12 months, and suggests a light-touch review 6–8 weeks
 * after the plan is agreed (chapter 13, "Review of care and support plans", para 13.32 *check* the paragraph
 * number: council procedure manuals (tri.x Care Act resource, 2024) repeat both expectations and attribute them
 * to the statutory guidance, but none found quotes the paragraph number, and the GOV.UK text could not be read
 * here). A council may set earlier dates, never later ones.
 *
 * Asking for a decision to be looked at again: England sets no deadline for the answer. The Local Authority
 * Social Services and National Health Service Complaints (England) Regulations 2009 (SI 2009/309) reg 3(2)(e)
 * require "a timely and appropriate response"; councils' own guides describe an acknowledgement within 3 working
 * days (reg 13) and, where a response takes longer than 6 months, a letter explaining why (reg 14) (*check*: read
 * from secondary copies). So the number of days is the council's setting (reviews/settings), starting from the
 * default below, which is Upfront's suggestion and not a legal limit.
 *
 * "Within N months" of a date is read by the corresponding date rule (Dodds v Walker [1981] 1 WLR 1027, HL):
 * the period ends on the same day of the month N months later, or, where that month has no such day, on its last
 * day — so 31 August + 6 months is 28 February (29 February in a leap year), and 29 February + 12 months is
 * 28 February. The review is due on or before that day.
 */

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
      note: "*check*: wording read from two secondary copies, not legislation.gov.uk",
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
  lookAgain: {
    defaultAnswerWithinDays: 28,
    explainDelayAfterMonths: 6,
    source: {
      title:
        "Local Authority Social Services and National Health Service Complaints (England) Regulations 2009",
      provision: "reg 3(2)(e) (a timely response); reg 14 (6 months)",
      url: "https://www.legislation.gov.uk/uksi/2009/309/contents",
      note: "No statutory deadline: 28 days is Upfront's default for the council's own setting. *check*: reg 14 read from secondary copies",
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
