import type { DpAuditRules } from "#/rules/dp-audit-types.ts";
import { englandSpendingRules } from "#/rules/england/spending-rules.ts";
import type { SourceReference } from "#/rules/types.ts";

export * from "#/rules/dp-audit-types.ts";

/**
 * How councils in England audit direct payments: the defaults a council starts from before it sets its own
 * (features/dp-audits settings), with their published sources (shared notes REPORTING.md §3 and §6.7). None of
 * these figures is set by law: the Care and Support (Direct Payments) Regulations 2014 leave monitoring and
 * recovery to the council, proportionately; the figures below are what named councils publish.
 */

const ST_HELENS: SourceReference = {
  title: "St Helens Council: Recovering direct payments",
  url: "https://sthelens.gov.uk/article/4464/Recovering-Direct-Payments",
  note: "A surplus of more than 8 weeks' funding may be reclaimed; repayment is requested within 2 weeks, otherwise future payments are reduced",
};

const SEFTON: SourceReference = {
  title: "Sefton Council: direct payments monitoring",
  url: "https://www.sefton.gov.uk/32022",
  note: "Quarterly returns (bank statements, declaration, timesheets, invoices); the account should be in credit of between 4 and 8 weeks' money",
};

const WIGAN_WORCESTERSHIRE: SourceReference = {
  title: "Wigan Council: Personal budgets audit; Worcestershire County Council: direct payments",
  url: "https://www.wigan.gov.uk/Resident/Health-Social-Care/Adults/will-i-have-to-pay/Personal-Budgets/Audit.aspx",
  note: "Wigan: a review visit about 12 weeks after the start, then an annual audit. Worcestershire: an initial review at 6–8 weeks, then an annual financial check-up (https://www.worcestershire.gov.uk/info/20567/personal_budgets_and_direct_payments_for_adults)",
};

const UPFRONT_DEFAULT: SourceReference = {
  title: "Upfront default for the council's own setting: no published figure found",
  url: "https://www.gov.uk/government/publications/care-act-statutory-guidance/care-and-support-statutory-guidance",
  note: "[UNCONFIRMED] red flags synthesised from council practice (REPORTING.md §3); no single published checklist or weighting",
};

export const englandDpAuditRules: DpAuditRules = {
  id: "england-dp-audit-2015-04",
  jurisdiction: "england",
  // The Direct Payments Regulations 2014 and Care Act 2014 Part 1 came into force on 1 April 2015.
  validFrom: "2015-04-01",
  surplus: {
    flagAboveWeeks: 8,
    warnBelowWeeks: 4,
    source: { ...ST_HELENS, note: `${ST_HELENS.note}. Warning below 4 weeks: ${SEFTON.title} (4–8 weeks)` },
  },
  schedule: {
    firstReviewFromWeeks: 6,
    firstReviewByWeeks: 12,
    thenEveryMonths: 12,
    // As long as the first review's window (6 to 12 weeks): Upfront's choice, no council publishes one.
    annualOpensWeeksBefore: 6,
    source: WIGAN_WORCESTERSHIRE,
  },
  evidence: {
    // Sefton asks for returns quarterly: 13 weeks. Upfront records no bank statements; its evidence is the
    // spending it records (card feeds, invoices) and the receipts people upload.
    noEvidenceWeeks: 13,
    source: {
      ...SEFTON,
      note: "Quarterly returns, so 13 weeks. Upfront has no statement record: it looks for any spend or receipt recorded",
    },
  },
  contribution: {
    overdueAfterDays: 28,
    source: {
      ...UPFRONT_DEFAULT,
      note: "[UNCONFIRMED] Wigan asks for proof the client contribution is paid; 28 days unpaid is Upfront's default",
    },
  },
  cards: {
    blockedMccs: englandSpendingRules.blockedMerchantCategories.map((c) => c.mcc),
    cashMccs: englandSpendingRules.cashWithdrawalMccs,
    source: {
      ...englandSpendingRules.blockedSource,
      note: "[UNCONFIRMED] no council's MCC block list was found (REPORTING.md §3); the spending rules' blocked merchant types (pubs, off-licences, gambling, dating, tobacco, pawnbrokers) are the starting list, and the council sets its own",
    },
  },
  repayment: {
    dueWithinDays: 14,
    source: {
      ...ST_HELENS,
      note: "Repayment is requested within 2 weeks (14 days), otherwise future payments are reduced",
    },
  },
  riskWeights: {
    blocked_merchant: 5,
    cash_without_receipt: 4,
    payee_not_in_plan: 3,
    contribution_not_paid: 3,
    surplus_above_limit: 2,
    no_spending_evidence: 2,
    low_balance: 0,
  },
  riskSource: UPFRONT_DEFAULT,
};

const packs: readonly DpAuditRules[] = [englandDpAuditRules];

export class DpAuditRulesNotFoundError extends Error {
  override name = "DpAuditRulesNotFoundError";
}

/** The audit defaults for the date an audit applies to (never "now"). */
export function dpAuditRulesFor(onDate: string): DpAuditRules {
  // ISO dates compare correctly as strings.
  const pack = packs.find((p) => p.validFrom <= onDate && (p.validTo === undefined || onDate <= p.validTo));
  if (!pack) {
    throw new DpAuditRulesNotFoundError(
      `There are no England direct-payment audit rules for ${onDate}. The earliest start on ${packs[0]!.validFrom}`,
    );
  }
  return pack;
}
