import type { SourceReference } from "#/rules/types.ts";

/**
 * The shape of a jurisdiction's spending rules (the spending calcs apply them). One shape for every jurisdiction; the dated packs are
 * data in the jurisdiction folders (rules/england/spending-rules.ts), reached through rules/registry.ts.
 */

export const BLOCKED_GROUPS = [
  "pubs",
  "off_licences",
  "gambling",
  "dating",
  "tobacco",
  "pawnbrokers",
] as const;
export type BlockedGroup = (typeof BLOCKED_GROUPS)[number];

export const BLOCKED_GROUP_LABELS: Record<BlockedGroup, string> = {
  pubs: "pubs and bars",
  off_licences: "off-licences",
  gambling: "gambling",
  dating: "dating services",
  tobacco: "tobacco shops",
  pawnbrokers: "pawnbrokers",
};

export type BlockedMerchantCategory = {
  /** Four digits, as the feed gives it ("5813"). */
  readonly mcc: string;
  /** The scheme's description of the code (ISO 18245). */
  readonly description: string;
  readonly group: BlockedGroup;
};

/** A range of MCCs (inclusive) that the council's default mapping puts in one support category. */
export type MerchantCategoryMapping = {
  readonly from: string;
  readonly to: string;
  /** A support category id (planning DEFAULT_SUPPORT_CATEGORIES). */
  readonly category: string;
  readonly description: string;
};

export type SpendingRules = {
  readonly id: string;
  readonly jurisdiction: "england";
  /** First day the rules apply (YYYY-MM-DD, inclusive). */
  readonly validFrom: string;
  readonly validTo?: string;
  readonly blockedMerchantCategories: readonly BlockedMerchantCategory[];
  readonly blockedSource: SourceReference;
  /** MCCs of cash withdrawals; allowed only where the council permits cash (an input to the import). */
  readonly cashWithdrawalMccs: readonly string[];
  readonly mccSource: SourceReference;
  /** The default MCC → support category mapping; the first range that holds a code wins. */
  readonly categoryByMcc: readonly MerchantCategoryMapping[];
  readonly categoryMappingSource: SourceReference;
  readonly surplus: {
    /** Unspent council money a budget may hold, in weeks of its weekly amount, unless the council sets its own. */
    readonly defaultLimitWeeks: number;
    readonly source: SourceReference;
  };
  readonly monitoring: {
    /** Spending below this share of the planned amount (basis points: 7500 is 75%) is an underspend. */
    readonly underspendBelowBasisPoints: number;
    /** Spending above this share of the planned amount (11000 is 110%) is an overspend. */
    readonly overspendAboveBasisPoints: number;
    /**
     * Spending is judged against the plan only once this many days of the budget have run: before then, a day
     * or two of spending says nothing (a personal assistant paid fortnightly, say, shows as 0% on day 1).
     */
    readonly judgeAfterDays: number;
    readonly source: SourceReference;
  };
  readonly receipts: {
    /** The largest receipt accepted, in bytes (issue 6: "up to 10 MB"; 1 MB = 1,048,576 bytes). */
    readonly maxBytes: number;
    readonly source: SourceReference;
  };
};
