import type { AscofRules } from "#/rules/ascof-types.ts";
import { englandCldListsR2 } from "#/rules/england/cld-lists.ts";

export * from "#/rules/ascof-types.ts";

const ACCOMMODATION = englandCldListsR2.accommodationStatus.values;

/**
 * ASCOF 3D and 2E as computed from Client Level Data (CLD) rows in England, from 2024-25 onwards: data, with its
 * sources; features/reports/ascof.calc.ts applies it.
 *
 * The method is DHSC's (DHSC-DASH, DataS-DHSC/ASC-CLD-LA-Dashboard, ASCOF_measures/Create_ASCOF_3D_2425_Onwards.sql,
 * Create_ASCOF_2E_2425_Onwards.sql and Latest_Person_Details_2425_Onwards.sql, read for ../shared/REPORTING.md
 * §1.14 and §6.5–6.6); NHS England's SALT-era replication (NHSE-SALT ASCOF PDF) gives the settled/unsettled split
 * of accommodation for 2E. The strings are Release 2 as DHSC's code and string inventory write them
 * (REPORTING.md §1.4–1.10). Release 2 seems live from around October 2025 [UNCONFIRMED exact go-live date: the AGEM
 * specification was not read]; DHSC maps earlier Release 1 files to Release 2 for 2024-25, so one pack serves both.
 *
 * Every string here is on the CLD Release 2 lists (rulesFor(…).cld, rules/england/cld-lists.ts; a test checks);
 * the settled/unsettled accommodation split is taken from those lists. The learning-disability primary support
 * reason is in the lists' Release 2 wording [UNCONFIRMED, REPORTING.md §1.8]; DHSC's 2E code compares the
 * Release 1 "Learning Disability Support", which the case-blind comparison also matches.
 */
export const englandAscof2024: AscofRules = {
  id: "england-ascof-cld-2024-04",
  jurisdiction: "england",
  validFrom: "2024-04-01",
  clientTypes: {
    serviceUser: ["Service user"],
    carer: ["Unpaid carer", "Unpaid carer known by association", "Carer", "Carer known by association"],
  },
  eventTypes: {
    service: "Service",
    assessment: "Assessment",
    review: "Review",
    requestPrefixes: ["Request", "Referral"],
  },
  longTermServiceTypes: {
    nursing: "Long term support: Nursing care",
    residential: "Long term support: Residential care",
    community: "Long term support: Community",
    prison: "Long term support: Prison",
  },
  deliveryMechanisms: {
    directPayment: "Direct payment",
    managedPersonalBudget: "CASSR managed personal budget",
    commissionedSupport: "CASSR commissioned support",
  },
  directPaymentComponent: "Direct payment",
  // DHSC's #REF_Service_Type_Delivery_Mech, as published: a prison service has no direct-payment rung.
  settingHierarchy: [
    { serviceType: "Long term support: Nursing care", deliveryMechanism: null, rank: 1 },
    { serviceType: "Long term support: Residential care", deliveryMechanism: null, rank: 2 },
    { serviceType: "Long term support: Community", deliveryMechanism: "Direct payment", rank: 3 },
    {
      serviceType: "Long term support: Community",
      deliveryMechanism: "CASSR managed personal budget",
      rank: 4,
    },
    { serviceType: "Long term support: Community", deliveryMechanism: "CASSR commissioned support", rank: 5 },
    { serviceType: "Long term support: Community", deliveryMechanism: null, rank: 6 },
    { serviceType: "Long term support: Prison", deliveryMechanism: "CASSR managed personal budget", rank: 7 },
    { serviceType: "Long term support: Prison", deliveryMechanism: "CASSR commissioned support", rank: 8 },
    { serviceType: "Long term support: Prison", deliveryMechanism: null, rank: 9 },
  ],
  carers: {
    directToCarerServiceType: "Unpaid carer support: Direct to unpaid carer",
    involvingCaredForServiceType: "Unpaid carer support: Support involving the person cared-for",
    informationAndAdviceOutcome: "NFA: Information and advice or signposting",
    // DHSC's #Ref_Carer_Support_Hierarchy.
    supportHierarchy: [
      "directPayment",
      "managedPersonalBudget",
      "commissionedSupport",
      "unknownMechanism",
      "informationAndAdvice",
      "noDirectSupport",
    ],
    denominatorKinds: ["directPayment", "managedPersonalBudget", "commissionedSupport"],
    selfDirectedKinds: ["directPayment", "managedPersonalBudget"],
    directPaymentKinds: ["directPayment"],
  },
  // The CLD list's own settled flags (person-fields.ts, from the NHSE ASCOF 2E appendix): one list, not two.
  accommodation: {
    settled: ACCOMMODATION.filter((v) => v.settled === true).map((v) => v.value),
    notSettled: ACCOMMODATION.filter((v) => v.settled !== true).map((v) => v.value),
    unknown: "Unknown",
  },
  learningDisabilityPrimarySupportReason: "Learning disability support",
  ageBands: { adultFrom: 18, olderFrom: 65 },
  percentDecimals: 1,
  sources: [
    {
      title: "DHSC Adult Social Care CLD dashboard: ASCOF 3D from 2024-25",
      provision: "ASCOF_measures/Create_ASCOF_3D_2425_Onwards.sql",
      url: "https://github.com/DataS-DHSC/ASC-CLD-LA-Dashboard",
      note: "read for ../shared/REPORTING.md §1.14; client snapshot at the year end, carers in-year",
    },
    {
      title: "DHSC Adult Social Care CLD dashboard: ASCOF 2E from 2024-25, latest person details",
      provision: "ASCOF_measures/Create_ASCOF_2E_2425_Onwards.sql; Latest_Person_Details_2425_Onwards.sql",
      url: "https://github.com/DataS-DHSC/ASC-CLD-LA-Dashboard",
      note: "DHSC also deduces 'Unknown: presumed at home' from service information; not applied here, so Unknown is not settled (REPORTING.md §6.6)",
    },
    {
      title: "NHS England: ASC Client Level Data SALT and ASCOF transformations (ASCOF PDF appendix)",
      provision: "settled and unsettled accommodation",
      url: "https://github.com/NHSDigital/ASC-Client-Level-Data-SALT-ASCOF-transformations",
      note: "the first 9 values settled, the rest unsettled (REPORTING.md §1.10)",
    },
  ],
};

const PACKS: readonly AscofRules[] = [englandAscof2024];

/** The ASCOF method for a year ending on `date`; undefined before the first pack (CLD-based ASCOF began 2024-25). */
export function ascofRulesFor(date: string): AscofRules | undefined {
  return PACKS.find((p) => p.validFrom <= date && (p.validTo === undefined || date <= p.validTo));
}
