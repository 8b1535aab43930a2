import { blankCldRow, type CldField, type CldRow } from "#/features/reports/cld-record.ts";

/**
 * Hand-made CLD rows for the reports' pure tests: one complete, valid row per event type for a service user, to
 * change one field at a time. Every value here is on the England Release 2 lists (cld-lists.ts).
 */

type Overrides = Partial<Record<CldField, string | null>>;

const PERSON: Overrides = {
  laCode: "E08000012",
  reportingPeriodStartDate: "2026-04-01",
  reportingPeriodEndDate: "2027-03-31",
  nhsNumber: "9434765919",
  laPersonUniqueIdentifier: "P0001",
  firstName: "Ada",
  lastName: "Lovelace",
  gender: "Female",
  ethnicity: "White: Irish",
  dateOfBirth: "1980-06-15",
  clientType: "Service user",
  primarySupportReason: "Physical support: Personal care support",
  postcode: "L1 8JQ",
  accommodationStatus: "Tenant: Private landlord",
  hasUnpaidCarer: "No",
  clientFundingStatus: "Joint client and social care funded",
};

const EVENTS: Record<"request" | "assessment" | "financial" | "service" | "review", Overrides> = {
  request: {
    eventType: "Request",
    eventReference: "R1",
    eventStartDate: "2026-05-01",
    eventEndDate: "2026-05-03",
    eventOutcome: "Progress to assessment, review or reassessment",
    requestRouteOfAccess: "Community or other route",
  },
  assessment: {
    eventType: "Assessment",
    eventReference: "A1",
    eventStartDate: "2026-05-04",
    eventEndDate: "2026-05-20",
    eventOutcome: "Progress to support planning or services",
    assessmentType: "Long term assessment",
    eligibleNeedsIdentified: "Yes",
    methodOfAssessment: "Supported self-assessment",
  },
  financial: {
    eventType: "Assessment",
    eventReference: "F1",
    eventStartDate: "2026-05-04",
    eventEndDate: "2026-05-25",
    assessmentType: "Financial assessment",
  },
  service: {
    eventType: "Service",
    eventReference: "S1",
    eventStartDate: "2026-06-01",
    eventOutcome: "Continuation of support or services",
    serviceType: "Long term support: Community",
    serviceComponent: "Home support or domiciliary care",
    deliveryMechanism: "Direct payment",
    unitCost: "24.50",
    costFrequencyUnitType: "Hourly",
    plannedUnitsPerWeek: "10.5",
  },
  review: {
    eventType: "Review",
    eventReference: "V1",
    eventStartDate: "2026-12-01",
    eventEndDate: "2026-12-01",
    eventOutcome: "Continuation of support or services",
    reviewReason: "Planned review",
    reviewOutcomesAchieved: "Outcomes fully achieved",
    methodOfReview: "Face to face",
  },
};

export type FixtureEvent = keyof typeof EVENTS;

/** A valid row for a service user's event, with any fields changed. */
export function cldRow(event: FixtureEvent, overrides: Overrides = {}): CldRow {
  return { ...blankCldRow(), ...PERSON, ...EVENTS[event], ...overrides };
}
