/**
 * How the money for one support line is held and spent. A plan may mix them.
 *
 * | deployment               | who holds the money and arranges the support                 | Scotland (SDS Act 2013 s4(1)) | NHS England Client Level Data delivery mechanism |
 * | ------------------------ | ------------------------------------------------------------ | ----------------------------- | ------------------------------------------------ |
 * | direct_payment           | the person (or their representative) as a direct payment      | Option 1                      | Direct Payment                                   |
 * | council_managed          | the council, spending it as the person directs               | Option 2                      | CASSR Managed Personal Budget                    |
 * | individual_service_fund  | a provider the person chose, on the person's behalf           | Option 2                      | CASSR Managed Personal Budget                    |
 * | council_arranged         | the council chooses and arranges the support                 | Option 3                      | CASSR Commissioned Support                       |
 *
 * Scotland's Option 4 is a mix of the others: a plan whose lines use more than one Scottish option
 * (see `scottishSdsOption`). Sources: Social Care (Self-directed Support) (Scotland) Act 2013, s4(1)
 * (*check* the subsection against the official text); REFERENCE.md, "Reporting" (Client Level Data).
 */
export const DEPLOYMENTS = [
  "direct_payment",
  "council_managed",
  "individual_service_fund",
  "council_arranged",
] as const;
export type Deployment = (typeof DEPLOYMENTS)[number];

export const DEPLOYMENT_LABELS: Record<Deployment, string> = {
  direct_payment: "Direct payment",
  council_managed: "Council-managed account",
  individual_service_fund: "Individual service fund (a provider holds the money for you)",
  council_arranged: "Arranged by the council",
};

export const SCOTTISH_SDS_OPTION: Record<Deployment, 1 | 2 | 3> = {
  direct_payment: 1,
  council_managed: 2,
  individual_service_fund: 2,
  council_arranged: 3,
};

export const CLIENT_LEVEL_DATA_DELIVERY_MECHANISM: Record<Deployment, string> = {
  direct_payment: "Direct Payment",
  council_managed: "CASSR Managed Personal Budget",
  individual_service_fund: "CASSR Managed Personal Budget",
  council_arranged: "CASSR Commissioned Support",
};
