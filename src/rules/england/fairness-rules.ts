import type { FairnessRules } from "#/rules/fairness-types.ts";

export * from "#/rules/fairness-types.ts";

/**
 * England's public fairness dashboard rules: data, with sources; features/reports/fairness*.calc.ts apply them.
 *
 * Suppression: fewer than 10 people is Upfront's default, following the common practice of official statistics
 * on social care of not publishing very small counts. [UNCONFIRMED] as any one publisher's rule: NHS England's
 * and DHSC's disclosure-control thresholds for adult social care were not retrieved (REPORTING.md does not give
 * one); the council sets its own figure, and can only raise it above the pack's.
 *
 * Margin: 10% is Upfront's default (the same default the RAS calibration uses to name a group); not a statutory
 * figure.
 *
 * Price index: the ONS Consumer Prices Index including owner occupiers' housing costs (CPIH), taking the rate
 * for the 12 months to March as the rise from the following 1 April, the way councils uplift packages each
 * April. Rates read from ONS's monthly bulletins "Consumer price inflation, UK" (main points). The April 2026
 * rise (the rate to March 2026) was not retrieved [UNCONFIRMED]: it is left out, so prices are held at April
 * 2025's from then on and the page says so.
 */

const ons = (month: string, url: string, note?: string) => ({
  title: `ONS, Consumer price inflation, UK: ${month}`,
  provision: `Main points: CPIH 12-month rate to ${month}`,
  url,
  ...(note ? { note } : {}),
});

export const englandFairnessRules: FairnessRules = {
  id: "england-fairness-2021-04",
  jurisdiction: "england",
  validFrom: "2021-04-01",
  suppressFewerThan: 10,
  suppressionNote:
    "Upfront's default, following the common practice of official statistics of not publishing very small counts. [UNCONFIRMED]: no published threshold for adult social care was retrieved.",
  marginPercent: 10,
  priceIndex: {
    id: "ons-cpih-march-rate",
    name: "ONS CPIH (consumer prices including owner occupiers' housing costs)",
    description:
      "Each 1 April, prices rise by the CPIH rate for the 12 months to the March before, as councils uplift packages each April.",
    uplifts: [
      {
        from: "2021-04-01",
        percent: 1.0,
        source: ons(
          "March 2021",
          "https://www.ons.gov.uk/economy/inflationandpriceindices/bulletins/consumerpriceinflation/march2021",
        ),
      },
      {
        from: "2022-04-01",
        percent: 6.2,
        source: ons(
          "March 2022",
          "https://www.ons.gov.uk/economy/inflationandpriceindices/bulletins/consumerpriceinflation/march2022",
        ),
      },
      {
        from: "2023-04-01",
        percent: 8.9,
        source: ons(
          "March 2023",
          "https://www.ons.gov.uk/economy/inflationandpriceindices/bulletins/consumerpriceinflation/march2023",
        ),
      },
      {
        from: "2024-04-01",
        percent: 3.8,
        source: ons(
          "March 2024",
          "https://www.ons.gov.uk/economy/inflationandpriceindices/bulletins/consumerpriceinflation/march2024",
        ),
      },
      {
        from: "2025-04-01",
        percent: 3.4,
        source: ons(
          "March 2025",
          "https://www.ons.gov.uk/economy/inflationandpriceindices/bulletins/consumerpriceinflation/march2025",
          "[UNCONFIRMED]: read from secondary copies quoting the ONS bulletin, not the ONS page itself",
        ),
      },
    ],
  },
};

const PACKS: readonly FairnessRules[] = [englandFairnessRules];

export class FairnessRulesNotFoundError extends Error {
  override name = "FairnessRulesNotFoundError";
}

/** The pack in force on a date (YYYY-MM-DD). */
export function fairnessRulesFor(date: string): FairnessRules {
  const pack = PACKS.find((p) => p.validFrom <= date && (p.validTo === undefined || date <= p.validTo));
  if (!pack) {
    throw new FairnessRulesNotFoundError(
      `There are no fairness dashboard rules for England on ${date}. Give a date on or after ${englandFairnessRules.validFrom}.`,
    );
  }
  return pack;
}
