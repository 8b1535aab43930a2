import type { SpendingRules } from "#/rules/spending-types.ts";
import type { SourceReference } from "#/rules/types.ts";

export * from "#/rules/spending-types.ts";

/**
 * What a direct payment may not be spent on by card, how card merchant codes map to support categories, and the
 * council policy defaults for surplus and monitoring: data, with sources; the spending calcs apply it.
 *
 * Merchant category codes (MCCs) are the four-digit codes of ISO 18245, which the card schemes publish with their
 * descriptions (Visa Merchant Data Standards Manual; Mastercard Quick Reference Booklet). The blocked groups are
 * the merchant types councils commonly block on prepaid direct-payment cards (REFERENCE.md, "Prepaid cards":
 * pubs, off-licences, gambling, dating, tobacco, pawnbrokers). A council may block more; it may not be told by
 * this pack that something is allowed: blocking is a flag for a person to look at, never a refusal of money
 * already spent.
 *
 * Figures that are council policy (the surplus limit, the monitoring thresholds) are labelled as council policy
 * defaults: the law sets no number (the Care and Support (Direct Payments) Regulations 2014, reg 7, and the
 * statutory guidance leave monitoring and recovery to the council, proportionately).
 */

const ISO_18245: SourceReference = {
  title: "ISO 18245 merchant category codes, as listed in Stripe's Issuing merchant categories table",
  url: "https://stripe.com/docs/issuing/categories",
  note: "*check*: codes and descriptions read from a card issuer's published table; confirm against the Visa Merchant Data Standards Manual or Mastercard Quick Reference Booklet",
};

const COUNCIL_POLICY_DEFAULT: SourceReference = {
  title: "Council policy default (Upfront): the law sets no figure; each council sets its own",
  url: "https://www.gov.uk/government/publications/care-act-statutory-guidance/care-and-support-statutory-guidance",
  note: "Care and Support Statutory Guidance, chapter 12 (direct payments): monitoring proportionate, surplus recovery a council decision",
};

export const englandSpendingRules: SpendingRules = {
  id: "england-spending-2015-04",
  jurisdiction: "england",
  // The Direct Payments Regulations 2014 and Care Act 2014 Part 1 came into force on 1 April 2015.
  validFrom: "2015-04-01",
  blockedMerchantCategories: [
    {
      mcc: "5813",
      description: "Drinking places (alcoholic beverages): bars, taverns, nightclubs",
      group: "pubs",
    },
    { mcc: "5921", description: "Package stores: beer, wine and liquor", group: "off_licences" },
    {
      mcc: "7995",
      description: "Betting, including lottery tickets, casino gaming chips, wagers",
      group: "gambling",
    },
    { mcc: "7800", description: "Government-owned lotteries", group: "gambling" },
    { mcc: "7801", description: "Government-licensed online casinos (online gambling)", group: "gambling" },
    { mcc: "7802", description: "Government-licensed horse and dog racing", group: "gambling" },
    { mcc: "7273", description: "Dating and escort services", group: "dating" },
    { mcc: "5993", description: "Cigar stores and stands", group: "tobacco" },
    { mcc: "5933", description: "Pawn shops", group: "pawnbrokers" },
  ],
  blockedSource: {
    title: "REFERENCE.md, England direct payments, prepaid cards: blocked merchant types",
    url: "https://www.legislation.gov.uk/uksi/2014/2871/contents",
    note: "Merchant types councils commonly block on prepaid direct-payment cards; codes per ISO 18245 (see mccSource). A council may block more.",
  },
  cashWithdrawalMccs: ["6010", "6011"], // manual cash disbursements; automated cash disbursements (ATMs)
  mccSource: ISO_18245,
  categoryByMcc: [
    { from: "3501", to: "3999", category: "short_breaks", description: "Hotels and lodging (named chains)" },
    {
      from: "4011",
      to: "4131",
      category: "transport",
      description: "Railways, local transport, taxis, buses",
    },
    { from: "4784", to: "4789", category: "transport", description: "Tolls and transport services" },
    {
      from: "5047",
      to: "5047",
      category: "equipment_adaptations",
      description: "Medical and hospital equipment",
    },
    {
      from: "5200",
      to: "5200",
      category: "equipment_adaptations",
      description: "Home supply warehouse stores",
    },
    { from: "5251", to: "5251", category: "equipment_adaptations", description: "Hardware stores" },
    { from: "5411", to: "5411", category: "household", description: "Grocery stores and supermarkets" },
    { from: "5541", to: "5542", category: "transport", description: "Service stations and fuel" },
    { from: "5712", to: "5722", category: "equipment_adaptations", description: "Furniture and appliances" },
    { from: "5912", to: "5912", category: "health", description: "Drug stores and pharmacies" },
    {
      from: "5976",
      to: "5976",
      category: "equipment_adaptations",
      description: "Orthopaedic goods, prosthetics",
    },
    { from: "7011", to: "7011", category: "short_breaks", description: "Hotels, motels and resorts" },
    { from: "7210", to: "7217", category: "household", description: "Laundry and cleaning services" },
    { from: "7349", to: "7349", category: "household", description: "Cleaning and maintenance services" },
    {
      from: "7361",
      to: "7361",
      category: "personal_care",
      description: "Employment agencies, temporary help",
    },
    { from: "7832", to: "7832", category: "community_access", description: "Cinemas" },
    {
      from: "7911",
      to: "7999",
      category: "community_access",
      description: "Recreation: classes, clubs, attractions",
    },
    {
      from: "8011",
      to: "8099",
      category: "health",
      description: "Doctors, dentists, therapists, health services",
    },
    { from: "8211", to: "8299", category: "employment", description: "Schools, colleges and education" },
    { from: "8351", to: "8351", category: "personal_care", description: "Child care services" },
    {
      from: "8398",
      to: "8398",
      category: "community_access",
      description: "Charitable and social service organisations",
    },
    {
      from: "8931",
      to: "8931",
      category: "support_planning",
      description: "Accounting and payroll services",
    },
  ],
  categoryMappingSource: {
    ...COUNCIL_POLICY_DEFAULT,
    title:
      "Council policy default (Upfront): a starting map from MCC ranges to support categories; codes per ISO 18245",
  },
  surplus: { defaultLimitWeeks: 8, source: COUNCIL_POLICY_DEFAULT },
  monitoring: {
    underspendBelowBasisPoints: 7500,
    overspendAboveBasisPoints: 11000,
    // Half of a 4-week payment cycle: long enough for weekly and fortnightly support to have been paid once.
    judgeAfterDays: 14,
    source: COUNCIL_POLICY_DEFAULT,
  },
  receipts: {
    maxBytes: 10 * 1024 * 1024,
    source: {
      title: "Upfront issue 6, Spending: receipts PDF, JPEG or PNG up to 10 MB",
      url: "https://www.gov.uk/service-manual/design/uploading-files",
      note: "GOV.UK Service Manual, uploading files: say which file types and the size limit before upload",
    },
  },
};

const packs: readonly SpendingRules[] = [englandSpendingRules];

export class SpendingRulesNotFoundError extends Error {
  override name = "SpendingRulesNotFoundError";
}

/** The spending rules for the date a spend or check applies to (never "now"). */
export function spendingRulesFor(onDate: string): SpendingRules {
  // ISO dates compare correctly as strings.
  const pack = packs.find((p) => p.validFrom <= onDate && (p.validTo === undefined || onDate <= p.validTo));
  if (!pack) {
    throw new SpendingRulesNotFoundError(
      `There are no England spending rules for ${onDate}. The earliest start on ${packs[0]!.validFrom}`,
    );
  }
  return pack;
}
