import type { SourceReference } from "#/rules/types.ts";

/**
 * The shape of a jurisdiction's public fairness dashboard rules (features/reports/fairness*.calc.ts apply them):
 * the defaults a council starts from for small-number suppression and the margin that names a group, and the
 * dated price index that brings an old package into the same year's prices as the budget that replaced it.
 */

/** One yearly uplift: prices rise by `percent` on `from` (a council's April uplift, or an index's rate). */
export type PriceUplift = {
  /** The day the uplift applies from (YYYY-MM-DD). */
  readonly from: string;
  /** The rise, in percent, with at most one decimal place (e.g. 6.2). */
  readonly percent: number;
  readonly source: SourceReference;
};

export type PriceIndex = {
  readonly id: string;
  readonly name: string;
  /** How the index is read, in plain English, for the page. */
  readonly description: string;
  /** Oldest first. Dates after the last uplift carry no rise: the page says prices are held there. */
  readonly uplifts: readonly PriceUplift[];
};

export type FairnessRules = {
  readonly id: string;
  readonly jurisdiction: "england";
  /** First day the rules apply (YYYY-MM-DD, inclusive). */
  readonly validFrom: string;
  readonly validTo?: string;
  /** A figure about fewer people than this is not shown (nor one that would let it be worked out). */
  readonly suppressFewerThan: number;
  /** Where the default comes from, in plain English (with [UNCONFIRMED] where it is not a published rule). */
  readonly suppressionNote: string;
  /**
   * A group is named when its budget per need point differs from everyone's by more than this percentage and
   * its 95% interval does not include everyone's figure. Upfront's default, not a statutory figure.
   */
  readonly marginPercent: number;
  readonly priceIndex: PriceIndex;
};
