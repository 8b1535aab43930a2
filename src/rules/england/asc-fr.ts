import type { AscFrRules } from "#/rules/asc-fr-types.ts";

export * from "#/rules/asc-fr-types.ts";

/**
 * Spend by Adult Social Care Finance Return (ASC-FR) setting in England: data, with its sources;
 * features/reports/asc-fr.calc.ts applies it (../shared/REPORTING.md §2 and §6.8).
 *
 * The long-term setting rows (Nursing; Residential; Community: Direct Payments / Home Care / Supported Living /
 * Other Long Term Care; Prison in recent years) are [UNCONFIRMED row labels]: reconstructed from published ASC-FR
 * tables, not read from the proforma; check them against the 2024-25 proforma. Short term support is FR002
 * (ST-Max, other short term); support to carers (split "Community: direct payments / Community: other"),
 * assistive equipment and technology, and information and early intervention are in the "Non SALT totals".
 *
 * The mapping from Upfront's support categories (vocabulary/support-categories.ts) and deployments
 * (vocabulary/deployments.ts) to a row is Upfront's [PROPOSAL], not DHSC's: a direct payment is "Community: Direct
 * Payments" whatever it buys; otherwise the category decides. Upfront's plans record long-term support for the
 * person, so nothing maps to Nursing, Residential, Prison, short-term or carers' rows yet; the rows are listed so a
 * council's own categories can map to them. Personalised = "Community: Direct Payments" and the carers' DP row
 * (REPORTING.md §2 PROPOSAL); counting CASSR managed personal budgets as personalised too is an option
 * (includeManagedPersonalBudgets), off by default.
 *
 * Accounting (ASC-FR general guidance): gross expenditure, with "the service user's contributions … under income:
 * client contributions even if the user pays the service provider direct"; third-party top-ups excluded.
 */
export const englandAscFr2014: AscFrRules = {
  id: "england-asc-fr-2014-04",
  jurisdiction: "england",
  // ASC-FR replaced PSS-EX1 from 2014-15.
  validFrom: "2014-04-01",
  settings: [
    { id: "nursing", label: "Nursing", section: "FR001 long term support", personalised: false },
    { id: "residential", label: "Residential", section: "FR001 long term support", personalised: false },
    {
      id: "community_direct_payments",
      label: "Community: Direct Payments",
      section: "FR001 long term support",
      personalised: true,
    },
    {
      id: "community_home_care",
      label: "Community: Home Care",
      section: "FR001 long term support",
      personalised: false,
    },
    {
      id: "community_supported_living",
      label: "Community: Supported Living",
      section: "FR001 long term support",
      personalised: false,
    },
    {
      id: "community_other_long_term",
      label: "Community: Other Long Term Care",
      section: "FR001 long term support",
      personalised: false,
    },
    {
      id: "prison",
      label: "Prison",
      section: "FR001 long term support",
      personalised: false,
      note: "[UNCONFIRMED] in recent years only",
    },
    {
      id: "short_term_st_max",
      label: "Short term: ST-Max",
      section: "FR002 short term support",
      personalised: false,
    },
    {
      id: "short_term_other",
      label: "Short term: Other short term support",
      section: "FR002 short term support",
      personalised: false,
    },
    {
      id: "carers_direct_payments",
      label: "Support to carers: Community: direct payments",
      section: "Non SALT totals",
      personalised: true,
    },
    {
      id: "carers_other",
      label: "Support to carers: Community: other",
      section: "Non SALT totals",
      personalised: false,
    },
    {
      id: "equipment_and_technology",
      label: "Assistive equipment and technology",
      section: "Non SALT totals",
      personalised: false,
    },
    {
      id: "information_and_early_intervention",
      label: "Information and early intervention",
      section: "Non SALT totals",
      personalised: false,
    },
  ],
  byDeployment: { direct_payment: "community_direct_payments" },
  byCategory: {
    personal_care: "community_home_care",
    household: "community_home_care",
    housing_support: "community_supported_living",
    equipment_adaptations: "equipment_and_technology",
    community_access: "community_other_long_term",
    employment: "community_other_long_term",
    health: "community_other_long_term",
    short_breaks: "community_other_long_term",
    transport: "community_other_long_term",
    support_planning: "community_other_long_term",
  },
  fallback: "community_other_long_term",
  personalised: {
    includeManagedPersonalBudgets: false,
    managedPersonalBudgetDeployments: ["council_managed", "individual_service_fund"],
  },
  sources: [
    {
      title: "ASC-FR general guidance (NHS England, 2024)",
      provision: "personal budgets: expenditure gross, client contributions under income",
      url: "https://production-like.nhsd.io/data-and-information/data-collections-and-data-sets/data-collections/social-care-collection-materials-2024/adult-social-care-finance-return-asc-fr/general-guidance",
    },
    {
      title: "ASC-FR long term support (FR001)",
      provision: "settings by age and primary support reason",
      url: "https://production-like.nhsd.io/data-and-information/data-collections-and-data-sets/data-collections/social-care-collection-materials-2024/adult-social-care-finance-return-asc-fr/long-term-support-fr001",
      note: "[UNCONFIRMED row labels]: the page did not list them; reconstructed from published ASC-FR tables (REPORTING.md §2)",
    },
    {
      title: "ASC-FR Non SALT totals",
      provision: "support to carers (direct payments / other), equipment, information and early intervention",
      url: "https://production-like.nhsd.io/data-and-information/data-collections-and-data-sets/data-collections/social-care-collection-materials-2024/adult-social-care-finance-return-asc-fr/non-salt-totals",
    },
    {
      title:
        "PSSRU Discussion Paper 2867: changes in the patterns of social care provision in England, 2005/6 to 2012/13",
      provision: "personalised vs non-personalised spend, the nearest published split",
      url: "https://studylib.net/doc/11691857/",
      note: "[PROPOSAL] (REPORTING.md §2, §6.8): personalised = Community: Direct Payments + carers' DP; managed PB optional",
    },
  ],
};

const PACKS: readonly AscFrRules[] = [englandAscFr2014];

/** The ASC-FR settings for a financial year starting on `date`; undefined before ASC-FR (2014-15). */
export function ascFrRulesFor(date: string): AscFrRules | undefined {
  return PACKS.find((p) => p.validFrom <= date && (p.validTo === undefined || date <= p.validTo));
}
