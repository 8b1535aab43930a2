import type { SourceReference } from "#/rules/types.ts";

/**
 * The shape of the data spend by Adult Social Care Finance Return (ASC-FR) setting reads
 * (features/reports/asc-fr.calc.ts applies it): the setting rows, which of Upfront's support categories and
 * deployments lands in each, and which settings count as personalised.
 */

export type AscFrSettingId =
  | "nursing"
  | "residential"
  | "community_direct_payments"
  | "community_home_care"
  | "community_supported_living"
  | "community_other_long_term"
  | "prison"
  | "short_term_st_max"
  | "short_term_other"
  | "carers_direct_payments"
  | "carers_other"
  | "equipment_and_technology"
  | "information_and_early_intervention";

export type AscFrSetting = {
  readonly id: AscFrSettingId;
  /** The row as the return labels it ([UNCONFIRMED] where the note says). */
  readonly label: string;
  /** The part of the return the row sits in. */
  readonly section: "FR001 long term support" | "FR002 short term support" | "Non SALT totals";
  /** Counted as personalised spend (REPORTING.md §2 PROPOSAL). */
  readonly personalised: boolean;
  readonly note?: string;
};

export type AscFrRules = {
  readonly id: string;
  readonly jurisdiction: "england";
  readonly validFrom: string;
  readonly validTo?: string;
  readonly settings: readonly AscFrSetting[];
  /** Deployments whose lines sit in one setting whatever the category (a direct payment is a direct payment). */
  readonly byDeployment: Readonly<Record<string, AscFrSettingId>>;
  /** Otherwise, by support category id. */
  readonly byCategory: Readonly<Record<string, AscFrSettingId>>;
  /** A category the mapping does not name (a council's own): this setting, and the line is reported as unmapped. */
  readonly fallback: AscFrSettingId;
  readonly personalised: {
    /** Off by default; a council may count managed personal budgets as personalised too (REPORTING.md §6.8). */
    readonly includeManagedPersonalBudgets: boolean;
    /** The deployments that are a CASSR managed personal budget (vocabulary/deployments.ts). */
    readonly managedPersonalBudgetDeployments: readonly string[];
  };
  readonly sources: readonly SourceReference[];
};
