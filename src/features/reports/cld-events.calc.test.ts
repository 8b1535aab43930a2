import { describe, expect, it } from "vitest";
import {
  type CldFacts,
  type CldPersonFact,
  deriveCldEvents,
  poundsFromPence,
} from "#/features/reports/cld-events.calc.ts";
import { cldLookupsFrom } from "#/features/reports/cld-lookups.calc.ts";
import { blankCldRow, CLD_FIELDS, type CldRow } from "#/features/reports/cld-record.ts";
import { rulesFor } from "#/rules/registry.ts";

/**
 * CLD events derived from a small population built by hand (REPORTING.md §1, issue 15 "Derive CLD events …"),
 * every row checked field by field against what the Release 2 mappings in rules/england/cld.ts give.
 */

const PERIOD = { start: "2026-04-01", end: "2027-03-31" };
const lookups = cldLookupsFrom(rulesFor("england", PERIOD.end).cld.rules!);

const ann: CldPersonFact = {
  personId: "p-ann",
  reference: "REF-ANN",
  givenName: "Ann",
  familyName: "Ashby",
  dateOfBirth: "1950-02-03",
  postcode: "ZX1 2AB",
  nhsNumber: "9434765919",
  sex: "female",
  ethnicity: "white-british",
  accommodationStatus: "owner-occupier",
  employmentStatus: "not-seeking-or-retired",
  hasUnpaidCarer: "yes",
  gpPracticeName: "Moss Lane Surgery",
  gpPracticeCode: "Z99999",
};

/** Bob's record was made before the coded questions were asked: nothing to report but his name and birth. */
const bob: CldPersonFact = {
  ...ann,
  personId: "p-bob",
  reference: "REF-BOB",
  givenName: "Bob",
  familyName: "Birch",
  dateOfBirth: "1980-07-08",
  postcode: null,
  nhsNumber: null,
  sex: null,
  ethnicity: "made-up-code",
  accommodationStatus: null,
  employmentStatus: null,
  hasUnpaidCarer: null,
  gpPracticeName: null,
  gpPracticeCode: null,
};

const facts: CldFacts = {
  laCode: "E06000999",
  people: [ann, bob],
  referrals: [
    {
      referralId: "r-1",
      reference: "REQ-1",
      personId: "p-ann",
      receivedOn: "2026-05-01",
      routeOfAccess: "community_or_other",
      selfReferral: true,
      outcome: "progress_to_assessment",
      closedOn: "2026-05-03",
    },
  ],
  assessments: [
    {
      assessmentId: "a-1",
      personId: "p-ann",
      startedOn: "2026-05-04",
      decisionDate: "2026-05-20",
      eligible: true,
      primarySupportReason: "physical_personal_care",
    },
    // Entered after the decision: the record is newer than the decision it records.
    {
      assessmentId: "a-2",
      personId: "p-bob",
      startedOn: "2026-09-10",
      decisionDate: "2026-06-30",
      eligible: false,
      primarySupportReason: "not_a_reason",
    },
  ],
  financialAssessments: [
    {
      financialAssessmentId: "f-1",
      personId: "p-ann",
      startedOn: "2026-05-21",
      completedOn: "2026-05-25",
      personPays: "part",
    },
  ],
  budgetLines: [
    {
      budgetId: "b-1",
      lineNo: 1,
      personId: "p-ann",
      category: "personal_care",
      deployment: "direct_payment",
      weeklyPence: 12_345,
      oneOffPence: 0,
      providerId: "prov-1",
      startDate: "2026-06-01",
      endDate: null,
      endReason: null,
    },
    {
      budgetId: "b-2",
      lineNo: 3,
      personId: "p-bob",
      category: "equipment_adaptations",
      deployment: "council_arranged",
      weeklyPence: 0,
      oneOffPence: 45_000,
      providerId: null,
      startDate: "2026-07-01",
      endDate: "2026-10-15",
      endReason: "died",
    },
  ],
  reviews: [
    {
      reviewId: "rv-1",
      personId: "p-ann",
      heldOn: "2026-12-01",
      kinds: ["plan"],
      result: "no_change",
      outcomesAchieved: "some",
      method: "telephone",
    },
  ],
  providers: [{ providerId: "prov-1", name: "Hazel Home Care", cqcLocationId: "1-000000001" }],
};

const events = deriveCldEvents(facts, lookups, PERIOD);
const row = (reference: string): CldRow => {
  const found = events.find((e) => e.row.eventReference === reference);
  if (!found) throw new Error(`No event ${reference}`);
  return found.row;
};

/** Ann's person fields, as every one of her rows carries them. */
const annPerson: Partial<CldRow> = {
  laCode: "E06000999",
  reportingPeriodStartDate: "2026-04-01",
  reportingPeriodEndDate: "2027-03-31",
  nhsNumber: "9434765919",
  laPersonUniqueIdentifier: "REF-ANN",
  firstName: "Ann",
  lastName: "Ashby",
  gpPracticeName: "Moss Lane Surgery",
  gpPracticeCode: "Z99999",
  gender: "Female",
  ethnicity: "White: English, Welsh, Scottish, Northern Irish or British",
  dateOfBirth: "1950-02-03",
  clientType: "Service user",
  primarySupportReason: "Physical support: Personal care support",
  postcode: "ZX1 2AB",
  accommodationStatus: "Owner occupier or shared ownership scheme",
  employmentStatus: "Not in paid employment: Not actively seeking work or retired",
  hasUnpaidCarer: "Yes",
};

/** Every field of the row: the ones named, and blank for the rest. */
const exactly = (fields: Partial<CldRow>): CldRow => ({ ...blankCldRow(), ...fields });

describe("CLD events derived from Upfront's records (REPORTING.md §1, issue 15)", () => {
  it("gives one event per referral, assessment, financial assessment, budget line amount and review", () => {
    expect(events.map((e) => [e.source.kind, e.source.id, e.row.eventReference])).toEqual([
      ["referral", "r-1", "REQ-1"],
      ["assessment", "a-1", "a-1"],
      ["financial_assessment", "f-1", "f-1"],
      ["budget_line", "b-1/1", "b-1/1"],
      ["review", "rv-1", "rv-1"],
      ["assessment", "a-2", "a-2"],
      ["budget_line", "b-2/3", "b-2/3/one-off"],
    ]);
    for (const e of events) expect(Object.keys(e.row).sort()).toEqual([...CLD_FIELDS].sort());
  });

  it("a self-referral is a Request event with its route of access and outcome mapped", () => {
    expect(row("REQ-1")).toEqual(
      exactly({
        ...annPerson,
        eventType: "Request",
        eventReference: "REQ-1",
        eventStartDate: "2026-05-01",
        eventEndDate: "2026-05-03",
        eventDescription: "Self-referral",
        eventOutcome: "Progress to assessment, review or reassessment",
        requestRouteOfAccess: "Community or other route",
      }),
    );
  });

  it("a needs assessment is a long term assessment, eligible needs Yes, progressing to support planning", () => {
    expect(row("a-1")).toEqual(
      exactly({
        ...annPerson,
        eventType: "Assessment",
        eventReference: "a-1",
        eventStartDate: "2026-05-04",
        eventEndDate: "2026-05-20",
        eventOutcome: "Progress to support planning or services",
        assessmentType: "Long term assessment",
        eligibleNeedsIdentified: "Yes",
        methodOfAssessment: "Supported self-assessment",
      }),
    );
  });

  it("a financial assessment gives the Client Funding Status and no outcome or method (not mandatory on it)", () => {
    expect(row("f-1")).toEqual(
      exactly({
        ...annPerson,
        clientFundingStatus: "Joint client and social care funded",
        eventType: "Assessment",
        eventReference: "f-1",
        eventStartDate: "2026-05-21",
        eventEndDate: "2026-05-25",
        assessmentType: "Financial assessment",
      }),
    );
  });

  it("a direct-payment line is a long term community service, weekly unit cost in pounds, 1 unit a week", () => {
    expect(row("b-1/1")).toEqual(
      exactly({
        ...annPerson,
        clientFundingStatus: "Joint client and social care funded",
        eventType: "Service",
        eventReference: "b-1/1",
        eventStartDate: "2026-06-01",
        eventOutcome: "Continuation of support or services",
        serviceType: "Long term support: Community",
        serviceComponent: "Home support or domiciliary care",
        deliveryMechanism: "Direct payment",
        providerCqcLocationName: "Hazel Home Care",
        providerCqcLocationId: "1-000000001",
        unitCost: "123.45",
        costFrequencyUnitType: "Weekly",
        plannedUnitsPerWeek: "1",
      }),
    );
  });

  it("a review held gives its reason, outcome, the outcomes achieved and how it was held (field 47)", () => {
    expect(row("rv-1")).toEqual(
      exactly({
        ...annPerson,
        clientFundingStatus: "Joint client and social care funded",
        eventType: "Review",
        eventReference: "rv-1",
        eventStartDate: "2026-12-01",
        eventEndDate: "2026-12-01",
        eventOutcome: "Continuation of support or services",
        reviewReason: "Planned review",
        reviewOutcomesAchieved: "Outcomes partially achieved",
        methodOfReview: "Telephone",
      }),
    );
  });

  it("nothing is invented: Bob's unrecorded fields stay blank and unmappable codes are written as stored", () => {
    const bobPerson: Partial<CldRow> = {
      laCode: "E06000999",
      reportingPeriodStartDate: "2026-04-01",
      reportingPeriodEndDate: "2027-03-31",
      laPersonUniqueIdentifier: "REF-BOB",
      firstName: "Bob",
      lastName: "Birch",
      ethnicity: "made-up-code",
      dateOfBirth: "1980-07-08",
      // The budget ended because he died: its end date is his date of death.
      dateOfDeath: "2026-10-15",
      clientType: "Service user",
      primarySupportReason: "not_a_reason",
    };
    expect(row("a-2")).toEqual(
      exactly({
        ...bobPerson,
        eventType: "Assessment",
        eventReference: "a-2",
        // Decided before the record was made: the event starts on the decision, never after its end.
        eventStartDate: "2026-06-30",
        eventEndDate: "2026-06-30",
        eventOutcome: "NFA: Information and advice or signposting",
        assessmentType: "Long term assessment",
        eligibleNeedsIdentified: "No",
        methodOfAssessment: "Supported self-assessment",
      }),
    );
    // No financial assessment: Client Funding Status stays blank, for the data-quality check to catch.
    expect(row("b-2/3/one-off")).toEqual(
      exactly({
        ...bobPerson,
        eventType: "Service",
        eventReference: "b-2/3/one-off",
        eventStartDate: "2026-07-01",
        eventEndDate: "2026-10-15",
        eventOutcome: "NFA: Deceased",
        serviceType: "Long term support: Community",
        serviceComponent: "Equipment",
        deliveryMechanism: "CASSR commissioned support",
        unitCost: "450.00",
        costFrequencyUnitType: "One-off",
        plannedUnitsPerWeek: "1",
      }),
    );
  });

  it("a council with no LA code recorded leaves LA Code blank", () => {
    const none = deriveCldEvents({ ...facts, laCode: null }, lookups, PERIOD);
    expect(none.every((e) => e.row.laCode === null)).toBe(true);
  });

  it("writes pence as pounds with two decimals without a float", () => {
    expect([0, 5, 99, 100, 12_345, -250, 900_719_925_474_099].map(poundsFromPence)).toEqual([
      "0.00",
      "0.05",
      "0.99",
      "1.00",
      "123.45",
      "-2.50",
      "9007199254740.99",
    ]);
  });

  it("the same facts give the same rows (the export is repeatable)", () => {
    expect(deriveCldEvents(facts, lookups, PERIOD)).toEqual(events);
  });
});
