import { dateInWords, MONTH_NAMES } from "#/platform/date-words.calc.ts";
import * as calendar from "#/platform/dates/calendar.ts";
import { isCalendarDate } from "#/rules/index.ts";
import type { ReviewRules } from "#/rules/review-types.ts";
import type { SourceReference } from "#/rules/types.ts";

/**
 * A council's plan review policy: the first review after sign-off, then how often. schemas.ts checks the form
 * and API input against this type (and fails to compile if the two drift apart).
 */
export type PlanReviewPolicy = {
  firstReview?: { weeks: number } | { months: number } | undefined;
  thenWithinMonths?: number | undefined;
};

/**
 * When each review falls due, and a caseload's reviews sorted into overdue, due soon and upcoming. Pure: dates in
 * (YYYY-MM-DD, calendar days, no time zones), dates out; "today" is an input, never the clock.
 *
 * Months are added by the corresponding date rule (see rules/england/review-rules.ts): same day of the month N
 * months on, or the last day of that month when it has no such day. 31 Aug 2025 + 6 months = 28 Feb 2026;
 * 31 Aug 2023 + 6 months = 29 Feb 2024 (a leap year); 29 Feb 2024 + 12 months = 28 Feb 2025. A review is due on
 * or before the date given; it is overdue from the day after.
 *
 * Direct payments (reg 7(1)(a)): the first review within 6 months of the first payment; until a first payment
 * is recorded the date is worked out from the budget's start date and marked provisional, to be worked out again
 * when the payment is recorded. After a review, the next is within 12 months of it (of the day it actually
 * happened, early or late). Reviews dated before the first payment (or start) do not count.
 *
 * Plans (statutory guidance, no later than 12 months after agreement): the first review within 12 months of the
 * plan being agreed, or the council's earlier date (e.g. 6 weeks); then within 12 months of the last review, or
 * the council's shorter interval. The earlier of the council's date and the statutory one always wins.
 */

export class ReviewDateError extends RangeError {
  override name = "ReviewDateError";
}

function check(date: string, what: string): void {
  if (!isCalendarDate(date))
    throw new ReviewDateError(`${what} must be a real date written YYYY-MM-DD, got "${date}"`);
}

// The arithmetic is platform/dates/calendar.ts; these check the dates first, so a date that is not real is refused
// with a ReviewDateError, never computed with.

/** The date `months` months after `date` by the corresponding date rule (months may be negative). */
export function addMonths(date: string, months: number): string {
  check(date, "The date");
  if (!Number.isSafeInteger(months))
    throw new ReviewDateError(`Months must be a whole number, got ${months}`);
  return calendar.addMonths(date, months);
}

/** The date `days` days after `date` (days may be negative). */
export function addDays(date: string, days: number): string {
  check(date, "The date");
  return calendar.addDays(date, days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  check(from, "The date");
  check(to, "The date");
  return calendar.daysBetween(from, to);
}

/** "28 February 2026", as GOV.UK writes dates. */
export function formatDate(date: string): string {
  return dateInWords(date);
}

/** "6 months after 31 August 2025 is 28 February 2026", noting when the month had no such day. */
function monthsLater(from: string, months: number): { date: string; words: string } {
  const date = addMonths(from, months);
  const day = Number(from.slice(8));
  const clamped = Number(date.slice(8)) !== day;
  const monthName = MONTH_NAMES[Number(date.slice(5, 7)) - 1];
  return {
    date,
    words: `${months} months after ${formatDate(from)} is ${formatDate(date)}${clamped ? ` (${monthName} has no ${ordinal(day)}, so the last day of ${monthName})` : ""}`,
  };
}

function ordinal(n: number): string {
  const suffix =
    n % 10 === 1 && n !== 11
      ? "st"
      : n % 10 === 2 && n !== 12
        ? "nd"
        : n % 10 === 3 && n !== 13
          ? "rd"
          : "th";
  return `${n}${suffix}`;
}

export type ReviewKind = "direct_payment" | "plan";

export type ReviewDue = {
  readonly kind: ReviewKind;
  /** Due on or before this date. */
  readonly dueDate: string;
  /** What the date is counted from. */
  readonly basis: "first_payment" | "budget_start" | "last_review" | "plan_agreed";
  readonly fromDate: string;
  /** True while a direct payment's date is counted from the budget's start, before the first payment. */
  readonly provisional: boolean;
  readonly explanation: readonly string[];
  readonly source: SourceReference;
};

/** Completed reviews on or after `from`, latest last; and how many were ignored for being earlier. */
function reviewsSince(
  from: string,
  completed: readonly string[],
): { latest: string | undefined; ignored: number } {
  for (const date of completed) check(date, "A review date");
  const counted = completed.filter((d) => d >= from).sort();
  return { latest: counted.at(-1), ignored: completed.length - counted.length };
}

export type DirectPaymentReviewInput = {
  readonly budgetStartDate: string;
  /** The date of the first direct payment, once the money side records it. */
  readonly firstPaymentDate?: string | null;
  /** Dates of direct payment reviews already done. */
  readonly completedReviewDates: readonly string[];
  readonly rules: ReviewRules;
};

/** When the next direct payment review is due (Care and Support (Direct Payments) Regulations 2014, reg 7). */
export function directPaymentReviewDue(input: DirectPaymentReviewInput): ReviewDue {
  check(input.budgetStartDate, "The budget's start date");
  const paid = input.firstPaymentDate ?? null;
  if (paid !== null) check(paid, "The first payment date");
  const rule = input.rules.directPayment;
  const anchor = paid ?? input.budgetStartDate;
  const { latest, ignored } = reviewsSince(anchor, input.completedReviewDates);
  const explanation: string[] = [];
  let result: { date: string; words: string };
  let basis: ReviewDue["basis"];
  let fromDate: string;
  if (latest === undefined) {
    result = monthsLater(anchor, rule.firstReviewWithinMonths);
    basis = paid === null ? "budget_start" : "first_payment";
    fromDate = anchor;
    explanation.push(
      paid === null
        ? `No direct payment has been recorded yet, so the first review is worked out from the budget's start date, ${formatDate(anchor)}. It will be worked out again from the first payment when it is made.`
        : `The first direct payment was made on ${formatDate(anchor)}.`,
      `The first review is due within ${rule.firstReviewWithinMonths} months: ${result.words}.`,
    );
  } else {
    result = monthsLater(latest, rule.thenWithinMonths);
    basis = "last_review";
    fromDate = latest;
    explanation.push(
      `The last direct payment review was on ${formatDate(latest)}.`,
      `The next is due within ${rule.thenWithinMonths} months of it: ${result.words}.`,
    );
  }
  if (ignored > 0) {
    explanation.push(
      `${ignored} review${ignored === 1 ? "" : "s"} dated before ${paid === null ? "the budget's start" : "the first payment"} ${ignored === 1 ? "does" : "do"} not count.`,
    );
  }
  return {
    kind: "direct_payment",
    dueDate: result.date,
    basis,
    fromDate,
    provisional: paid === null,
    explanation,
    source: rule.source,
  };
}

export type PlanReviewInput = {
  /** The day the plan was agreed (signed off). */
  readonly agreedOn: string;
  /** Dates of plan reviews done since. */
  readonly completedReviewDates: readonly string[];
  readonly policy: PlanReviewPolicy;
  readonly rules: ReviewRules;
};

/** When the next review of a care and support plan is due. */
export function planReviewDue(input: PlanReviewInput): ReviewDue {
  check(input.agreedOn, "The date the plan was agreed");
  const limitMonths = input.rules.carePlan.reviewWithinMonths;
  const { latest, ignored } = reviewsSince(input.agreedOn, input.completedReviewDates);
  const from = latest ?? input.agreedOn;
  const statutory = monthsLater(from, limitMonths);
  const explanation: string[] = [
    latest === undefined
      ? `The plan was agreed on ${formatDate(from)}.`
      : `The last plan review was on ${formatDate(from)}.`,
    `A plan is reviewed no later than ${limitMonths} months after it is agreed or last reviewed: ${statutory.words}.`,
  ];
  let council: { date: string; words: string } | undefined;
  if (latest === undefined && input.policy.firstReview !== undefined) {
    const first = input.policy.firstReview;
    if ("weeks" in first) {
      const date = addDays(from, first.weeks * 7);
      council = { date, words: `${first.weeks} weeks after ${formatDate(from)} is ${formatDate(date)}` };
    } else {
      council = monthsLater(from, first.months);
    }
  } else if (latest !== undefined && input.policy.thenWithinMonths !== undefined) {
    council = monthsLater(from, input.policy.thenWithinMonths);
  }
  let due = statutory.date;
  if (council !== undefined) {
    if (council.date < statutory.date) {
      due = council.date;
      explanation.push(`The council reviews sooner: ${council.words}.`);
    } else if (council.date > statutory.date) {
      explanation.push(
        `The council's setting (${council.words}) would be later than that, so the ${limitMonths}-month limit applies.`,
      );
    }
  }
  if (ignored > 0) {
    explanation.push(
      `${ignored} review${ignored === 1 ? "" : "s"} dated before the plan was agreed ${ignored === 1 ? "does" : "do"} not count.`,
    );
  }
  return {
    kind: "plan",
    dueDate: due,
    basis: latest === undefined ? "plan_agreed" : "last_review",
    fromDate: from,
    provisional: false,
    explanation,
    source: input.rules.carePlan.source,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Caseload

export type CaseloadItem = {
  /** The review's own id. */
  readonly id: string;
  readonly personId: string;
  readonly kind: ReviewKind;
  readonly dueDate: string;
};

export type ReviewStatus = "overdue" | "due_soon" | "upcoming";

export type CaseloadEntry<T extends CaseloadItem = CaseloadItem> = {
  readonly item: T;
  readonly status: ReviewStatus;
  /** Days from today to the due date: 0 due today, negative when overdue. */
  readonly daysUntilDue: number;
  /** An overdue review is shown to the team manager too (Upfront issue 5). */
  readonly visibleToTeamManager: boolean;
  /** "Overdue by 3 days", "Due today", "Due in 12 days". */
  readonly label: string;
};

export type Caseload<T extends CaseloadItem = CaseloadItem> = {
  readonly today: string;
  /** Overdue first (most overdue first), then due soon, then upcoming, each by due date. */
  readonly entries: readonly CaseloadEntry<T>[];
  readonly counts: Readonly<Record<ReviewStatus, number>>;
};

const STATUS_ORDER: Record<ReviewStatus, number> = { overdue: 0, due_soon: 1, upcoming: 2 };
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A caseload's reviews on a given day. Overdue: the due date has passed. Due soon: due today or within
 * `dueSoonDays` days. Upcoming: later. Ties are broken by person id, then kind, then review id (code-point order),
 * so the list is the same every time.
 */
export function caseloadOn<T extends CaseloadItem>(
  items: readonly T[],
  today: string,
  settings: { readonly dueSoonDays: number },
): Caseload<T> {
  check(today, "Today's date");
  if (!Number.isSafeInteger(settings.dueSoonDays) || settings.dueSoonDays < 0) {
    throw new ReviewDateError("The number of days for 'due soon' must be a whole number, 0 or more");
  }
  const entries = items.map((item): CaseloadEntry<T> => {
    const days = daysBetween(today, item.dueDate);
    const status: ReviewStatus =
      days < 0 ? "overdue" : days <= settings.dueSoonDays ? "due_soon" : "upcoming";
    const label =
      days < 0
        ? `Overdue by ${-days} day${days === -1 ? "" : "s"}`
        : days === 0
          ? "Due today"
          : `Due in ${days} day${days === 1 ? "" : "s"}`;
    return { item, status, daysUntilDue: days, visibleToTeamManager: status === "overdue", label };
  });
  entries.sort(
    (a, b) =>
      STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
      a.daysUntilDue - b.daysUntilDue ||
      byCodePoint(a.item.personId, b.item.personId) ||
      byCodePoint(a.item.kind, b.item.kind) ||
      byCodePoint(a.item.id, b.item.id),
  );
  const counts = { overdue: 0, due_soon: 0, upcoming: 0 };
  for (const e of entries) counts[e.status] += 1;
  return { today, entries, counts };
}
