import type { CldList, CldLists, CldValue } from "#/rules/cld-types.ts";
import { englandPersonFieldsCldR2 } from "#/rules/england/person-fields.ts";
import { englandReferralListsR2 } from "#/rules/england/referral-lists.ts";
import type { CodedList, CodedOption } from "#/rules/person-field-types.ts";

/**
 * The Adult Social Care Client Level Data (CLD) Release 2 value lists, as ../shared/REPORTING.md §1.3–1.10 gives
 * them, with each list's source. Release 2 seems to be live from around October 2025: DHSC maps Release 1 files
 * sent from October 2025 onwards to Release 2 [UNCONFIRMED exact go-live date; the AGEM specification documents
 * were not read]. Where REPORTING.md gives no values, the list says so and why it holds what it holds.
 *
 * Ethnicity, accommodation, employment, Has Unpaid Carer and Gender are the person record's own lists
 * (person-fields.ts, already CLD Release 2), and route of access and event outcome are the referral lists
 * (referral-lists.ts): derived from them here, never written twice.
 */

const DHSC_DASH = "https://github.com/DataS-DHSC/ASC-CLD-LA-Dashboard";
const NHSE_SALT = "https://github.com/NHSDigital/ASC-Client-Level-Data-SALT-ASCOF-transformations";
const AGEM = "https://www.ardengemcsu.nhs.uk/adult-social-care-client-level-data/";
const R2_DATE = "[UNCONFIRMED] Release 2 go-live date; the AGEM specification was not read";

const values = (...texts: string[]): CldValue[] => texts.map((value) => ({ value }));

/** A person-record option as the CLD writes it: "Group: label" where the list groups its values. */
export function cldPersonValue(
  option: CodedOption,
  overrides: Readonly<Record<string, string>> = {},
): string {
  const override = overrides[option.code];
  if (override !== undefined) return override;
  return option.group ? `${option.group}: ${option.label}` : option.label;
}

/**
 * Upfront's wording differs from the CLD's for these codes (the page says more than the return does): the CLD
 * value is REPORTING.md §1.10's.
 */
export const PERSON_VALUE_OVERRIDES = {
  ethnicity: { declined: "No data: Refused" },
} as const;

function fromPersonList(list: CodedList, overrides: Readonly<Record<string, string>> = {}): CldList {
  return {
    values: list.options.map((option) => ({
      value: cldPersonValue(option, overrides),
      ...(option.group ? { group: option.group } : {}),
      ...(option.settled !== undefined ? { settled: option.settled } : {}),
    })),
    source: list.source,
  };
}

const person = englandPersonFieldsCldR2;
const referral = englandReferralListsR2;

/** Service component: the Release 2 values seen in DHSC's code, then Release 1's others in Release 2 style. */
const SERVICE_COMPONENTS_SEEN = [
  "Direct payment",
  "Home support or domiciliary care",
  "Extra care housing",
  "Community supported living",
  "Shared Lives",
  "Equipment",
  "Short term residential care",
  "Short term nursing care",
  "Reablement",
];
const SERVICE_COMPONENTS_FROM_RELEASE_1 = [
  "Long term nursing care",
  "Long term residential care",
  "Day support",
  "Meals",
  "Transport",
  "Professional support",
  "Professional support: Social worker",
  "Learning, education or employment support",
  "End of life care",
  "Emergency support",
  "Other short term support",
  "Other long term support",
  "Carer respite",
  "Carer sitting service",
  "Carer universal services",
  "Other carer support",
];

export const englandCldListsR2: CldLists = {
  eventTypes: {
    values: values("Request", "Assessment", "Service", "Review"),
    source: {
      title: "CLD Event Type (REPORTING.md §1.3)",
      url: DHSC_DASH,
      note: `DQ procedure and NHSE code; older files also send "Referral…" for Request. ${R2_DATE}`,
    },
  },
  clientTypes: {
    values: values("Service user", "Unpaid carer", "Unpaid carer known by association"),
    source: {
      title: "CLD Client Type, Release 2 (REPORTING.md §1.4)",
      provision: "ASCOF_measures/Create_ASCOF_3D_2425_Onwards.sql",
      url: DHSC_DASH,
      note: `Release 1: Service User, Carer, Carer known by association. ${R2_DATE}`,
    },
  },
  gender: fromPersonList(person.sex),
  ethnicity: fromPersonList(person.ethnicity, PERSON_VALUE_OVERRIDES.ethnicity),
  primarySupportReasons: {
    values: [
      { value: "Physical support: Access and mobility only", group: "Physical support" },
      { value: "Physical support: Personal care support", group: "Physical support" },
      { value: "Sensory support: Support for visual impairment", group: "Sensory support" },
      { value: "Sensory support: Support for hearing impairment", group: "Sensory support" },
      { value: "Sensory support: Support for dual impairment", group: "Sensory support" },
      { value: "Support with memory and cognition", group: "Support with memory and cognition" },
      { value: "Learning disability support", group: "Learning disability support" },
      { value: "Mental health support", group: "Mental health support" },
      { value: "Social support: Substance misuse support", group: "Social support" },
      { value: "Social support: Asylum seeker support", group: "Social support" },
      { value: "Social support: Support for social isolation or other", group: "Social support" },
      { value: "Social support: Support to unpaid carer", group: "Social support", seenInRelease2: true },
    ],
    source: {
      title: "CLD Primary Support Reason (REPORTING.md §1.8)",
      url: NHSE_SALT,
      note:
        "[UNCONFIRMED] Release 2 wording: REPORTING.md has the Release 1 list (NHSE-SALT; Interweave). Release 2 " +
        'has a PSR mapping table and DHSC code uses "Social support: Support to unpaid carer", so the Release 1 ' +
        "values are put in Release 2's sentence case (as the service types changed); check against the AGEM spec",
    },
  },
  accommodationStatus: fromPersonList(person.accommodationStatus),
  employmentStatus: fromPersonList(person.employmentStatus),
  yesNo: {
    ...fromPersonList(person.hasUnpaidCarer),
    source: {
      ...person.hasUnpaidCarer.source,
      note:
        `${person.hasUnpaidCarer.source.note}. The same Yes / No / Not known is used for the ASD, visual ` +
        "impairment, hearing impairment, dementia and Eligible Needs Identified flags: REPORTING.md lists no " +
        "values for them [UNCONFIRMED]; DHSC's code compares these fields with 'Yes' and 'No'",
    },
  },
  clientFundingStatus: {
    values: values(
      "Fully social care funded",
      "Joint client and social care funded",
      "Fully client funded",
      "Unknown",
    ),
    source: {
      title: "CLD Client Funding Status, Release 2 (REPORTING.md §1.10)",
      url: DHSC_DASH,
      note: `DHSC-DASH string inventory; "Unknown" wording [UNCONFIRMED]. ${R2_DATE}`,
    },
  },
  eventOutcomes: {
    values: referral.eventOutcomes.map((o) => ({ value: o.label, group: o.group })),
    source: {
      title: "CLD Event Outcome, Release 2 (REPORTING.md §1.9)",
      provision: "Main_tables/docs/methodology/5-data-cleaning.md; every NFA: … groups as NFA",
      url: DHSC_DASH,
      note: `The referral lists' event outcomes (referral-lists.ts). ${R2_DATE}`,
    },
  },
  routesOfAccess: {
    values: referral.routesOfAccess.map((r) => ({ value: r.label })),
    source: referral.sources.find((s) => s.provision?.startsWith("CLD field 31")) ?? referral.sources[0]!,
  },
  assessmentTypes: {
    values: [
      { value: "Long term assessment", seenInRelease2: true },
      { value: "Short term assessment", seenInRelease2: true },
      { value: "Financial assessment", seenInRelease2: false },
    ],
    source: {
      title: "CLD Assessment Type (REPORTING.md §1.10)",
      url: DHSC_DASH,
      note:
        'Long term and Short term assessment are Release 2 values seen in DHSC code; "Financial assessment" is ' +
        'Release 1\'s "Financial Assessment" in Release 2 case [UNCONFIRMED] (DHSC matches it case-insensitively)',
    },
  },
  methodsOfAssessment: {
    values: values(
      "Face to face",
      "Telephone",
      "Video call",
      "Supported self-assessment",
      "Self-assessment",
      "Other",
    ),
    source: {
      title: "CLD Method of Assessment (field 34)",
      url: AGEM,
      note:
        "[UNCONFIRMED] REPORTING.md names the field (mandatory on non-financial assessments) but gives no " +
        "values. This list is the ways an assessment is held that the Care Act guidance (ch. 6) names: face to " +
        "face, by phone or video, supported self-assessment, self-assessment. Check against the AGEM spec",
    },
  },
  serviceTypes: {
    values: [
      { value: "Short term support: ST-Max", group: "Short term support" },
      { value: "Short term support: Ongoing low level", group: "Short term support" },
      { value: "Short term support: Other short term", group: "Short term support" },
      { value: "Long term support: Nursing care", group: "Long term support" },
      { value: "Long term support: Residential care", group: "Long term support" },
      { value: "Long term support: Community", group: "Long term support" },
      { value: "Long term support: Prison", group: "Long term support" },
      { value: "Unpaid carer support: Direct to unpaid carer", group: "Unpaid carer support" },
      {
        value: "Unpaid carer support: Support involving the person cared-for",
        group: "Unpaid carer support",
      },
    ],
    source: {
      title: "CLD Service Type, Release 2, and grouping (REPORTING.md §1.5)",
      provision: "Main_tables/docs/methodology/5-data-cleaning.md",
      url: DHSC_DASH,
      note: R2_DATE,
    },
  },
  serviceComponents: {
    values: [
      ...SERVICE_COMPONENTS_SEEN.map((value) => ({ value, seenInRelease2: true })),
      ...SERVICE_COMPONENTS_FROM_RELEASE_1.map((value) => ({ value, seenInRelease2: false })),
    ],
    source: {
      title: "CLD Service Component (REPORTING.md §1.6)",
      url: DHSC_DASH,
      note:
        "[UNCONFIRMED] full Release 2 list not found. The values marked seenInRelease2 are in DHSC code; the " +
        "others are Release 1's (Interweave ServiceType, [PARTLY CONFIRMED]) in Release 2's sentence case. A " +
        'component of "Direct payment" overrides the delivery mechanism (DHSC 3D)',
    },
  },
  deliveryMechanisms: {
    values: values("Direct payment", "CASSR managed personal budget", "CASSR commissioned support"),
    source: {
      title: "CLD Delivery Mechanism, Release 2 (REPORTING.md §1.7)",
      provision: "ASCOF_measures/Create_ASCOF_3D_2425_Onwards.sql; not mandatory",
      url: DHSC_DASH,
      note: `Release 1: Direct Payment, CASSR Managed Personal Budget, CASSR Commissioned Support. ${R2_DATE}`,
    },
  },
  reviewReasons: {
    values: [
      { value: "Planned review", group: "Planned review of long term support" },
      { value: "Unplanned review", group: "Unplanned" },
      { value: "Review of short term support", group: "Review of short term support", seenInRelease2: true },
    ],
    source: {
      title: "CLD Review Reason (REPORTING.md §1.10)",
      provision: "GetDerivedFields: Planned… / Unplanned… / Review of short term support",
      url: DHSC_DASH,
      note:
        '[UNCONFIRMED] exact values: DHSC groups reasons by prefix ("Planned%", "Unplanned%"), so any value ' +
        "starting so groups the same; the full Release 2 wording was not read",
    },
  },
  reviewOutcomesAchieved: {
    values: values("Outcomes fully achieved", "Outcomes partially achieved", "Outcomes not achieved"),
    source: {
      title: "CLD Review Outcomes Achieved (field 46)",
      url: AGEM,
      note:
        "[UNCONFIRMED] REPORTING.md names the field (mandatory on planned reviews in the DQ procedure) but gives " +
        "no values; fully / partially / not achieved follows how a review rates a plan's outcomes",
    },
  },
  methodsOfReview: {
    values: values("Face to face", "Telephone", "Video call", "Self-review", "Other"),
    source: {
      title: "CLD Method of Review (field 47)",
      url: AGEM,
      note:
        "[UNCONFIRMED] REPORTING.md names the field (mandatory on reviews in the DQ procedure) but gives no " +
        "values: the same ways as an assessment is held. Upfront records how each new review was held " +
        "(vocabulary/review-methods.ts), mapped in cld.ts",
    },
  },
  costFrequencies: {
    values: values(
      "Weekly",
      "Fortnightly",
      "4-weekly",
      "Monthly",
      "Quarterly",
      "Annually",
      "One-off",
      "Hourly",
      "Daily",
      "Per night",
      "Per session",
      "Per visit",
    ),
    source: {
      title: "CLD Cost Frequency (Unit Type) (REPORTING.md §1.10, §1.13)",
      provision: "6.Costs_fact.sql: week%, fortnight%, 4-week%, month%, quarter%, annual%, one-off",
      url: DHSC_DASH,
      note:
        "[UNCONFIRMED] exact strings: chosen to match DHSC's patterns; other units (hourly, daily, per session) " +
        "fall back to Planned units per week",
    },
  },
};
