import type { SourceReference } from "#/rules/types.ts";

/**
 * The shape of a jurisdiction's payment rules (features/payments/schedule.calc.ts and pay-dates.calc.ts apply them). One shape for every jurisdiction; the dated packs are
 * data in the jurisdiction folders (rules/england/payment-rules.ts), reached through rules/registry.ts.
 */

export const PAYMENT_FREQUENCIES = ["weekly", "four_weekly", "monthly"] as const;
export type PaymentFrequency = (typeof PAYMENT_FREQUENCIES)[number];

export const CONTRIBUTION_COLLECTIONS = ["net_from_direct_payment", "invoice"] as const;
export type ContributionCollection = (typeof CONTRIBUTION_COLLECTIONS)[number];

export type PaymentRules = {
  readonly id: string;
  readonly jurisdiction: "england";
  /** First day the rules apply (YYYY-MM-DD, inclusive). */
  readonly validFrom: string;
  readonly validTo?: string;
  readonly defaultFrequency: PaymentFrequency;
  readonly frequencies: readonly PaymentFrequency[];
  /** Each cycle is paid on its first day (in advance), or on its last day (in arrears). */
  readonly paidInAdvance: boolean;
  readonly whenNotBankingDay: "before" | "after";
  readonly defaultContributionCollection: ContributionCollection;
  /** Rounding of part cycles and of monthly amounts; see schedule.calc.ts. */
  readonly rounding: "cumulative_nearest_penny";
  /** A schedule longer than this is refused (a slip in a date, not a real budget). */
  readonly maxScheduleYears: number;
  readonly sources: readonly SourceReference[];
};
