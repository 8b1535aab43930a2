import type { CldMappings, CldQualityConditions, CldRelease1To2, CldRules } from "#/rules/cld-types.ts";
import { cldPersonValue, englandCldListsR2, PERSON_VALUE_OVERRIDES } from "#/rules/england/cld-lists.ts";
import { englandPersonFieldsCldR2 } from "#/rules/england/person-fields.ts";
import { englandReferralListsR2 } from "#/rules/england/referral-lists.ts";
import type { CodedList } from "#/rules/person-field-types.ts";

export * from "#/rules/cld-types.ts";

/**
 * England's Adult Social Care Client Level Data (CLD) rules: the Release 2 lists (cld-lists.ts), the mapping from
 * Upfront's own codes to them, and the conditions of DHSC's data-quality procedure. Dated: a new release is a new
 * pack with its own validFrom, and the old one gets a validTo.
 *
 * The mappings are Upfront's decisions, each with its reason next to it; a mapping can only name a value on its
 * list (cld.test.ts), and every code Upfront stores has one, so a new code fails the build, not the return.
 */

const person = englandPersonFieldsCldR2;

/** Each person-record code → its CLD value, derived from the same options the lists are. */
function personMapping(
  list: CodedList,
  overrides: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return Object.fromEntries(list.options.map((o) => [o.code, cldPersonValue(o, overrides)]));
}

const SERVICE_TYPES_R1_TO_R2: readonly CldRelease1To2[] = [
  { release1: "Short Term Support: ST-Max", release2: "Short term support: ST-Max" },
  { release1: "Short Term Support: Ongoing Low Level", release2: "Short term support: Ongoing low level" },
  { release1: "Short Term Support: Other Short Term", release2: "Short term support: Other short term" },
  { release1: "Long Term Support: Nursing Care", release2: "Long term support: Nursing care" },
  { release1: "Long Term Support: Residential Care", release2: "Long term support: Residential care" },
  { release1: "Long Term Support: Community", release2: "Long term support: Community" },
  { release1: "Long Term Support: Prison", release2: "Long term support: Prison" },
  { release1: "Carer Support: Direct to Carer", release2: "Unpaid carer support: Direct to unpaid carer" },
  {
    release1: "Carer Support: Support involving the person cared-for",
    release2: "Unpaid carer support: Support involving the person cared-for",
  },
];

/** [UNCONFIRMED] Release 2 wording (see the list's source note); Release 1 from NHSE-SALT code literals. */
const PSR_R1_TO_R2: readonly CldRelease1To2[] = [
  ["Physical Support: Access & mobility only", "Physical support: Access and mobility only"],
  ["Physical Support: Personal care support", "Physical support: Personal care support"],
  ["Sensory Support: Support for visual impairment", "Sensory support: Support for visual impairment"],
  ["Sensory Support: Support for hearing impairment", "Sensory support: Support for hearing impairment"],
  ["Sensory Support: Support for dual impairment", "Sensory support: Support for dual impairment"],
  ["Support with Memory & Cognition", "Support with memory and cognition"],
  ["Learning Disability Support", "Learning disability support"],
  ["Mental Health Support", "Mental health support"],
  ["Social Support: Substance misuse support", "Social support: Substance misuse support"],
  ["Social Support: Asylum seeker support", "Social support: Asylum seeker support"],
  [
    "Social Support: Support for Social Isolation/Other",
    "Social support: Support for social isolation or other",
  ],
  ["Social Support: Support to Carer", "Social support: Support to unpaid carer"],
].map(([release1, release2]) => ({ release1: release1!, release2: release2! }));

const HOME_SUPPORT = "Home support or domiciliary care";
const OTHER_LONG_TERM = "Other long term support";

export const englandCldMappings: CldMappings = {
  gender: personMapping(person.sex),
  ethnicity: personMapping(person.ethnicity, PERSON_VALUE_OVERRIDES.ethnicity),
  accommodationStatus: personMapping(person.accommodationStatus),
  employmentStatus: personMapping(person.employmentStatus),
  hasUnpaidCarer: personMapping(person.hasUnpaidCarer),
  // The questionnaire's ids (questionnaire.ts) name the same twelve reasons less the carer one: Upfront assesses
  // the adult with needs, not the carer.
  primarySupportReason: {
    physical_access_and_mobility: "Physical support: Access and mobility only",
    physical_personal_care: "Physical support: Personal care support",
    sensory_visual: "Sensory support: Support for visual impairment",
    sensory_hearing: "Sensory support: Support for hearing impairment",
    sensory_dual: "Sensory support: Support for dual impairment",
    memory_and_cognition: "Support with memory and cognition",
    learning_disability: "Learning disability support",
    mental_health: "Mental health support",
    social_substance_misuse: "Social support: Substance misuse support",
    social_asylum_seeker: "Social support: Asylum seeker support",
    social_isolation_other: "Social support: Support for social isolation or other",
  },
  routeOfAccess: Object.fromEntries(englandReferralListsR2.routesOfAccess.map((r) => [r.id, r.label])),
  requestOutcome: Object.fromEntries(englandReferralListsR2.eventOutcomes.map((o) => [o.id, o.label])),
  clientType: "Service user",
  eventType: {
    referral: "Request",
    assessment: "Assessment",
    financial_assessment: "Assessment",
    budget_line: "Service",
    review: "Review",
  },
  assessment: {
    // Upfront's assessment is of long-term needs (eligibility under the Care Act 2014 s.13), done as a supported
    // self-assessment: the person answers, a worker checks and signs it off.
    type: "Long term assessment",
    method: "Supported self-assessment",
    financialAssessmentType: "Financial assessment",
    outcomeWhenEligible: "Progress to support planning or services",
    // Not eligible: the council must still give information and advice on preventing or delaying needs (s.13(5)).
    outcomeWhenNotEligible: "NFA: Information and advice or signposting",
    eligibleNeedsIdentified: { eligible: "Yes", notEligible: "No" },
  },
  clientFundingStatus: {
    paysNothing: "Fully social care funded",
    paysPart: "Joint client and social care funded",
    paysAll: "Fully client funded",
  },
  service: {
    serviceType: "Long term support: Community",
    // The nearest component for each starting category; a direct payment keeps the category's component and
    // says "Direct payment" in the delivery mechanism, so the return still shows what the money buys.
    componentByCategory: {
      personal_care: HOME_SUPPORT,
      household: HOME_SUPPORT,
      community_access: "Day support",
      employment: "Learning, education or employment support",
      // Floating support to keep a tenancy is not supported living (which is accommodation with care).
      housing_support: OTHER_LONG_TERM,
      health: OTHER_LONG_TERM,
      // A short break for the person is a respite stay; "Carer respite" is for an unpaid carer's own plan.
      short_breaks: "Short term residential care",
      equipment_adaptations: "Equipment",
      transport: "Transport",
      support_planning: "Professional support",
    },
    // vocabulary/deployments.ts, in Release 2's wording (REPORTING.md §1.7).
    deliveryMechanismByDeployment: {
      direct_payment: "Direct payment",
      council_managed: "CASSR managed personal budget",
      individual_service_fund: "CASSR managed personal budget",
      council_arranged: "CASSR commissioned support",
    },
    // A line's unit cost is the price of one unit and Planned units per week its units; a "week" unit is a weekly
    // cost, an "item" a one-off purchase.
    costFrequencyByUnit: {
      hour: "Hourly",
      session: "Per session",
      visit: "Per visit",
      day: "Daily",
      night: "Per night",
      week: "Weekly",
      item: "One-off",
    },
    outcomeWhileOpen: "Continuation of support or services",
    outcomeWhenEnded: "NFA: Support ended as planned",
    outcomeWhenDied: "NFA: Deceased",
  },
  review: {
    reasonByKind: { plan: "Planned review", direct_payment: "Planned review" },
    unplannedReason: "Unplanned review",
    // One CLD value for each way Upfront records; the list itself is [UNCONFIRMED] (cld-lists.ts, methodsOfReview).
    // A review recorded before Upfront asked has no method and so no mapping: the return leaves it blank.
    methodByCode: {
      face_to_face: "Face to face",
      telephone: "Telephone",
      video: "Video call",
      self_review: "Self-review",
      other: "Other",
    },
    outcomeByResult: {
      no_change: "Continuation of support or services",
      new_plan_version: "Progress to support planning or services",
      new_assessment: "Progress to assessment, review or reassessment",
    },
    outcomesAchieved: {
      allMet: "Outcomes fully achieved",
      someMet: "Outcomes partially achieved",
      noneMet: "Outcomes not achieved",
    },
  },
};

const DQ_PROCEDURE = {
  title: "DHSC data-quality procedure for CLD (REPORTING.md §1.2)",
  provision: "Stored_procedures/create_GetDQValues_procedure.sql: Mandatory? column",
  url: "https://github.com/DataS-DHSC/ASC-CLD-LA-Dashboard",
  note:
    "Written for Release 1 values and matched case-insensitively (SQL Server); Release 2 wording added beside " +
    "Release 1's. The current DHSC version reads AGEM's cond_ columns instead [UNCONFIRMED whether they differ]",
};

export const englandCldQuality: CldQualityConditions = {
  serviceUserClientType: "Service user",
  carerKnownByAssociationClientTypes: ["Carer known by association", "Unpaid carer known by association"],
  eventTypePrefixes: {
    request: ["Request", "Referral"],
    assessment: ["Assessment"],
    service: ["Service"],
    review: ["Review"],
  },
  financialAssessmentPrefix: "Financial assessment",
  employmentStatus: {
    fromAge: 18,
    toBelowAge: 65,
    primarySupportReasons: ["Learning disability support"],
  },
  costsNotMandatoryDeliveryMechanism: "CASSR commissioned support",
  costsServiceTypePrefixes: ["Long term", "Unpaid carer support", "Carer support"],
  costsServiceComponents: ["Short term residential care", "Short term nursing care", "Carer respite"],
  plannedReviewReasonPrefix: "Planned",
  // REPORTING.md §1.11: age is FLOOR(days / 365.25) in both DHSC's and NHS England's code.
  daysPerYear: 365.25,
  source: DQ_PROCEDURE,
};

export const englandCldR2: CldRules = {
  id: "england-cld-r2-2025-10",
  jurisdiction: "england",
  // [UNCONFIRMED] REPORTING.md §1.1: Release 2 is live "from around October 2025"; the exact date was not found.
  validFrom: "2025-10-01",
  release: "Release 2",
  lists: englandCldListsR2,
  release1To2: { serviceTypes: SERVICE_TYPES_R1_TO_R2, primarySupportReasons: PSR_R1_TO_R2 },
  mappings: englandCldMappings,
  quality: englandCldQuality,
  reportingPeriod: {
    maxMonths: 12,
    source: {
      title: "DHSC CLD processing: submission selection",
      provision:
        "Main_tables/docs/methodology/3-submission-selection.md: a rolling 12-month reporting period",
      url: "https://github.com/DataS-DHSC/ASC-CLD-LA-Dashboard",
      note: "REPORTING.md §1.1: local authorities submit a rolling 12 months every quarter",
    },
  },
  sources: [
    {
      title: "NHS England: Adult Social Care Client Level Data",
      url: "https://www.ardengemcsu.nhs.uk/adult-social-care-client-level-data/",
      note: "Collected quarterly by AGEM, a rolling 12 months; file format and column order [UNCONFIRMED]",
    },
    DQ_PROCEDURE,
    {
      title: "DHSC CLD processing: Release 2 cleaning, event filtering, person ID",
      provision: "Main_tables/docs/methodology/4-event-filtering.md, 5-data-cleaning.md",
      url: "https://github.com/DataS-DHSC/ASC-CLD-LA-Dashboard",
      note: "[UNCONFIRMED] Release 2 go-live date; the AGEM specification documents were not read",
    },
  ],
};

const PACKS: readonly CldRules[] = [englandCldR2];

/** The CLD rules in force on a date, or undefined before the first (Release 2, here; callers say what to fix). */
export function cldRulesFor(date: string): CldRules | undefined {
  return PACKS.find((p) => p.validFrom <= date && (p.validTo === undefined || date <= p.validTo));
}

/** The first date any CLD pack applies from, for "give a date on or after …" messages. */
export const CLD_RULES_FROM = englandCldR2.validFrom;
