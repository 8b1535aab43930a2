import { PAYMENT_FREQUENCIES, type PaymentRules } from "#/rules/payment-types.ts";

export * from "#/rules/payment-types.ts";

/**
 * How budgets are paid in England: the defaults a council starts from, as dated data with sources;
 * features/payments/schedule.calc.ts and pay-dates.calc.ts apply them.
 *
 * The law sets no payment frequency: the Care and Support (Direct Payments) Regulations 2014 and the Care and
 * Support Statutory Guidance, chapter 12, leave how and when a direct payment is made to the council, provided the
 * amount is sufficient to meet the needs it is for (Care Act 2014 s31–33; guidance para 12.22–12.26 on the amount,
 * *check* the paragraph numbers). So the figures here are council policy defaults, labelled as such:
 *  - 4-weekly cycles, paid in advance, because councils set weekly rates and most pay direct payments 4-weekly
 *    (platform/money/periods.ts: a budget year is 52 weeks, 13 four-weekly cycles); a council may choose weekly or
 *    monthly (a dated per-tenant setting);
 *  - a due date that is not a banking day is paid on the banking day before, so nobody is paid late;
 *  - the person's contribution may be netted from the direct payment (the council pays the budget less the
 *    contribution) or invoiced each cycle; the guidance allows either (para 12.25 *check*), and the council says
 *    which.
 */

export const englandPaymentRules: PaymentRules = {
  id: "england-payments-2015-04",
  jurisdiction: "england",
  // Care Act 2014 Part 1 and the Direct Payments Regulations 2014 came into force on 1 April 2015.
  validFrom: "2015-04-01",
  defaultFrequency: "four_weekly",
  frequencies: PAYMENT_FREQUENCIES,
  paidInAdvance: true,
  whenNotBankingDay: "before",
  defaultContributionCollection: "net_from_direct_payment",
  rounding: "cumulative_nearest_penny",
  maxScheduleYears: 10,
  sources: [
    {
      title: "Care Act 2014",
      provision: "ss31–33 (direct payments)",
      url: "https://www.legislation.gov.uk/ukpga/2014/23/part/1/crossheading/direct-payments",
    },
    {
      title: "Care and Support (Direct Payments) Regulations 2014",
      url: "https://www.legislation.gov.uk/uksi/2014/2871/contents/made",
      note: "sets no payment frequency; frequency and netting are council policy",
    },
    {
      title: "Care and Support Statutory Guidance, chapter 12 (direct payments)",
      provision: "paras 12.22–12.26",
      url: "https://www.gov.uk/government/publications/care-act-statutory-guidance/care-and-support-statutory-guidance",
      note: "*check*: paragraph numbers read from secondary copies",
    },
  ],
};

const packs: readonly PaymentRules[] = [englandPaymentRules];

export class PaymentRulesNotFoundError extends Error {
  override name = "PaymentRulesNotFoundError";
}

/** The payment rules for the date a schedule is worked out for (never "now"). */
export function paymentRulesFor(onDate: string): PaymentRules {
  // ISO dates compare correctly as strings.
  const pack = packs.find((p) => p.validFrom <= onDate && (p.validTo === undefined || onDate <= p.validTo));
  if (!pack)
    throw new PaymentRulesNotFoundError(
      `No payment rules apply on ${onDate}; the earliest start on ${packs[0]!.validFrom}`,
    );
  return pack;
}
