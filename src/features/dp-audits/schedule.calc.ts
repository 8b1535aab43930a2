import { addDays, addMonths } from "#/platform/dates/calendar.ts";

/**
 * When a direct payment's next audit falls due (issue 15; REPORTING.md §3: Wigan a review about 12 weeks after
 * the start, Worcestershire 6–8 weeks, then an annual check). Pure, with the council's settings as input.
 *
 * - First review: from N weeks after the first payment, done by M weeks after it (defaults 6 and 12).
 * - Then annual: within K months of the last audit closed (default 12), by the corresponding date rule
 *   (29 February + 12 months is 28 February), counted as due from some weeks before that date (default 6).
 * - No first payment yet: nothing is due; the audit of money starts when money does.
 */

export type AuditDue = {
  readonly kind: "first_review" | "annual";
  /** The day the audit counts as due from. */
  readonly from: string;
  /** The day it must be done by. */
  readonly by: string;
  readonly status: "not_yet" | "due" | "overdue";
};

export type ScheduleSettings = {
  readonly firstReviewFromWeeks: number;
  readonly firstReviewByWeeks: number;
  readonly thenEveryMonths: number;
  /** The annual audit counts as due this many weeks before its date. */
  readonly annualOpensWeeksBefore: number;
};

export function auditDue(
  input: { firstPaymentDate: string | null; lastAuditClosedOn: string | null },
  settings: ScheduleSettings,
  asOf: string,
): AuditDue | null {
  const first = input.firstPaymentDate;
  if (first === null) return null;
  const last = input.lastAuditClosedOn;
  const window =
    last === null || last < first
      ? {
          kind: "first_review" as const,
          from: addDays(first, settings.firstReviewFromWeeks * 7),
          by: addDays(first, settings.firstReviewByWeeks * 7),
        }
      : (() => {
          const by = addMonths(last, settings.thenEveryMonths);
          return { kind: "annual" as const, from: addDays(by, -7 * settings.annualOpensWeeksBefore), by };
        })();
  const status = asOf > window.by ? "overdue" : asOf >= window.from ? "due" : "not_yet";
  return { ...window, status };
}
