import type { SourceReference } from "#/rules/types.ts";

/**
 * The shape of a jurisdiction's direct-payment audit defaults (features/dp-audits applies them, as the starting
 * values of a council's own dated audit settings). The dated packs are data in the jurisdiction folders
 * (rules/england/dp-audit-rules.ts), reached through rules/registry.ts.
 */

/** What an audit can find; each kind has a risk weight in the pack. */
export const DP_FINDING_KINDS = [
  "blocked_merchant",
  "cash_without_receipt",
  "payee_not_in_plan",
  "contribution_not_paid",
  "surplus_above_limit",
  "no_spending_evidence",
  "low_balance",
] as const;
export type DpFindingKind = (typeof DP_FINDING_KINDS)[number];

export type DpAuditRules = {
  readonly id: string;
  readonly jurisdiction: "england";
  /** First day the rules apply (YYYY-MM-DD, inclusive). */
  readonly validFrom: string;
  readonly validTo?: string;
  readonly surplus: {
    /** A balance above this many weeks of the direct payment is flagged. */
    readonly flagAboveWeeks: number;
    /** A balance below this many weeks is a warning (the contingency may be too small), not a flag. */
    readonly warnBelowWeeks: number;
    readonly source: SourceReference;
  };
  readonly schedule: {
    /** The first audit falls due this many weeks after the first payment … */
    readonly firstReviewFromWeeks: number;
    /** … and must be done by this many weeks after it. */
    readonly firstReviewByWeeks: number;
    /** Then an audit within this many months of the last one. */
    readonly thenEveryMonths: number;
    /** The annual audit counts as due this many weeks before its date (Upfront's default). */
    readonly annualOpensWeeksBefore: number;
    readonly source: SourceReference;
  };
  readonly evidence: {
    /** Card spending and cash need evidence; nothing recorded (no spend, no receipt) for this many weeks is flagged. */
    readonly noEvidenceWeeks: number;
    readonly source: SourceReference;
  };
  readonly contribution: {
    /** A contribution invoice unpaid this many days after it was raised is flagged. */
    readonly overdueAfterDays: number;
    readonly source: SourceReference;
  };
  readonly cards: {
    /** Merchant category codes whose card spending is flagged (a council setting; this is the starting list). */
    readonly blockedMccs: readonly string[];
    /** Merchant category codes of cash withdrawals. */
    readonly cashMccs: readonly string[];
    readonly source: SourceReference;
  };
  readonly repayment: {
    /** A repayment request falls due this many days after it is made. */
    readonly dueWithinDays: number;
    readonly source: SourceReference;
  };
  /** Risk points each kind of finding adds to a budget's score (Upfront's suggestion; a council may re-weigh). */
  readonly riskWeights: Readonly<Record<DpFindingKind, number>>;
  readonly riskSource: SourceReference;
};
