import { describe, expect, it } from "vitest";
import {
  checkCldRow,
  DQ,
  dqResult,
  failingFields,
  summariseQuality,
} from "#/features/reports/cld-quality.calc.ts";
import type { CldField, CldRow } from "#/features/reports/cld-record.ts";
import { cldRow, type FixtureEvent } from "#/features/reports/cld-rows.fixture.ts";
import { rulesFor } from "#/rules/registry.ts";

// Every rule below is a condition of DHSC's data-quality procedure, as REPORTING.md §1.2 tabulates it.
const SOURCE = "DHSC-DASH create_GetDQValues_procedure.sql";
const rules = rulesFor("england", "2026-04-01").cld.rules!;

const codeOf = (row: CldRow, field: CldField) => {
  const result = checkCldRow(row, rules).find((r) => r.field === field)!;
  return result.code;
};
const messageOf = (row: CldRow, field: CldField) =>
  checkCldRow(row, rules).find((r) => r.field === field)!.message;

describe("CLD data-quality codes: 1 valid, 0 blank not mandatory, −1 blank mandatory, < −1 invalid", () => {
  it.each<FixtureEvent>(["request", "assessment", "financial", "service", "review"])(
    "a complete %s row passes every field",
    (event) => {
      const results = checkCldRow(cldRow(event), rules);
      expect(failingFields(results)).toEqual([]);
      expect(results).toHaveLength(50);
    },
  );

  it("names DHSC's result for each code", () => {
    expect([1, 0, -1, -2, -7].map(dqResult)).toEqual([
      "Passed: Valid",
      "Passed: Blank (Not Mandatory)",
      "Failed: Blank (Mandatory)",
      "Failed: Invalid",
      "Failed: Invalid",
    ]);
  });

  it(`fields mandatory on every row: blank gives −1, an invalid value < −1 (${SOURCE})`, () => {
    const always: CldField[] = [
      "laCode",
      "reportingPeriodStartDate",
      "reportingPeriodEndDate",
      "nhsNumber",
      "laPersonUniqueIdentifier",
      "gender",
      "ethnicity",
      "dateOfBirth",
      "clientType",
      "postcode",
      "accommodationStatus",
      "hasUnpaidCarer",
    ];
    for (const field of always) expect(codeOf(cldRow("request", { [field]: null }), field), field).toBe(-1);
    expect(codeOf(cldRow("request", { gender: "F" }), "gender")).toBe(DQ.NOT_ON_LIST);
    expect(codeOf(cldRow("request", { ethnicity: "Irish" }), "ethnicity")).toBe(DQ.NOT_ON_LIST);
    expect(codeOf(cldRow("request", { dateOfBirth: "15/06/1980" }), "dateOfBirth")).toBe(DQ.NOT_A_DATE);
    expect(codeOf(cldRow("request", { postcode: "L18" }), "postcode")).toBe(DQ.BAD_FORMAT);
    expect(codeOf(cldRow("request", { hasUnpaidCarer: "Y" }), "hasUnpaidCarer")).toBe(DQ.NOT_ON_LIST);
  });

  it("NHS number: 10 digits passing Modulus 11 (NHS Data Dictionary), else −4", () => {
    expect(codeOf(cldRow("request", { nhsNumber: "9434765918" }), "nhsNumber")).toBe(DQ.BAD_NHS_NUMBER);
    expect(codeOf(cldRow("request", { nhsNumber: "943476591" }), "nhsNumber")).toBe(DQ.BAD_NHS_NUMBER);
    expect(codeOf(cldRow("request", { nhsNumber: "943 476 5919" }), "nhsNumber")).toBe(DQ.BAD_NHS_NUMBER);
    expect(messageOf(cldRow("request", { nhsNumber: "9434765918" }), "nhsNumber")).toMatch(/check digit/);
  });

  it(`Primary Support Reason is mandatory except on Request events (${SOURCE})`, () => {
    expect(codeOf(cldRow("assessment", { primarySupportReason: null }), "primarySupportReason")).toBe(-1);
    expect(codeOf(cldRow("service", { primarySupportReason: null }), "primarySupportReason")).toBe(-1);
    expect(codeOf(cldRow("request", { primarySupportReason: null }), "primarySupportReason")).toBe(0);
    expect(codeOf(cldRow("request", { primarySupportReason: "Frailty" }), "primarySupportReason")).toBe(-2);
    expect(messageOf(cldRow("review", { primarySupportReason: null }), "primarySupportReason")).toBe(
      "Primary Support Reason is blank: it is mandatory on every event except a request",
    );
  });

  describe(`Employment Status is mandatory only for service users aged 18–64 with PSR Learning Disability Support (${SOURCE})`, () => {
    const ld = { primarySupportReason: "Learning disability support", employmentStatus: null };
    it("blank for a service user of 46 with a learning disability gives −1; invalid gives −2", () => {
      expect(codeOf(cldRow("service", ld), "employmentStatus")).toBe(-1);
      expect(codeOf(cldRow("service", { ...ld, employmentStatus: "Employed" }), "employmentStatus")).toBe(-2);
    });
    it("blank is 0 for another PSR, for an unpaid carer, and outside the ages", () => {
      expect(codeOf(cldRow("service", { employmentStatus: null }), "employmentStatus")).toBe(0);
      expect(codeOf(cldRow("service", { ...ld, clientType: "Unpaid carer" }), "employmentStatus")).toBe(0);
      // 65 at the period end (2027-03-31): 1962-03-30 → 23,742 days / 365.25 = 65.002.
      expect(codeOf(cldRow("service", { ...ld, dateOfBirth: "1962-03-30" }), "employmentStatus")).toBe(0);
      // 64: 1962-04-02 → 23,739 days / 365.25 = 64.99.
      expect(codeOf(cldRow("service", { ...ld, dateOfBirth: "1962-04-02" }), "employmentStatus")).toBe(-1);
    });
    it("age is FLOOR(days / 365.25) at the period end, so an 18th birthday on the day itself still counts as 17", () => {
      // 2009-03-31 → 2027-03-31 is 18 × 365 + 4 leap days = 6,574 days; 6,574 / 365.25 = 17.998.
      expect(codeOf(cldRow("service", { ...ld, dateOfBirth: "2009-03-31" }), "employmentStatus")).toBe(0);
      // 2009-03-30 → 6,575 days / 365.25 = 18.001.
      expect(codeOf(cldRow("service", { ...ld, dateOfBirth: "2009-03-30" }), "employmentStatus")).toBe(-1);
    });
  });

  it(`Client Funding Status is mandatory for service users on Service or Review events, or a Financial Assessment (${SOURCE})`, () => {
    const blank = { clientFundingStatus: null };
    expect(codeOf(cldRow("service", blank), "clientFundingStatus")).toBe(-1);
    expect(codeOf(cldRow("review", blank), "clientFundingStatus")).toBe(-1);
    expect(codeOf(cldRow("financial", blank), "clientFundingStatus")).toBe(-1);
    expect(codeOf(cldRow("assessment", blank), "clientFundingStatus")).toBe(0);
    expect(codeOf(cldRow("request", blank), "clientFundingStatus")).toBe(0);
    expect(codeOf(cldRow("service", { ...blank, clientType: "Unpaid carer" }), "clientFundingStatus")).toBe(
      0,
    );
    expect(codeOf(cldRow("service", { clientFundingStatus: "Self-funder" }), "clientFundingStatus")).toBe(-2);
  });

  it(`Event Type and Event Start Date are mandatory unless the client is a carer known by association (${SOURCE})`, () => {
    for (const field of ["eventType", "eventStartDate"] as const) {
      expect(codeOf(cldRow("review", { [field]: null }), field), field).toBe(-1);
      const kba = cldRow("review", { [field]: null, clientType: "Unpaid carer known by association" });
      expect(codeOf(kba, field), field).toBe(0);
    }
    expect(codeOf(cldRow("review", { eventType: "Visit" }), "eventType")).toBe(-2);
    expect(codeOf(cldRow("review", { eventStartDate: "2026-13-01" }), "eventStartDate")).toBe(-3);
    expect(codeOf(cldRow("review", { eventStartDate: "1970-01-01" }), "eventStartDate")).toBe(-6);
  });

  it(`Event End Date is mandatory on non-service events and wherever a Date of Death is present (${SOURCE})`, () => {
    for (const event of ["request", "assessment", "financial", "review"] as const) {
      expect(codeOf(cldRow(event, { eventEndDate: null }), "eventEndDate"), event).toBe(-1);
    }
    expect(codeOf(cldRow("service", { eventEndDate: null }), "eventEndDate")).toBe(0);
    const died = cldRow("service", { eventEndDate: null, dateOfDeath: "2026-09-01" });
    expect(codeOf(died, "eventEndDate")).toBe(-1);
    expect(messageOf(died, "eventEndDate")).toMatch(/has died/);
    const kbaDied = {
      eventEndDate: null,
      dateOfDeath: "2026-09-01",
      clientType: "Unpaid carer known by association",
    };
    expect(codeOf(cldRow("service", kbaDied), "eventEndDate")).toBe(0);
    expect(codeOf(cldRow("service", { eventEndDate: "2026-02-30" }), "eventEndDate")).toBe(-3);
    expect(codeOf(cldRow("service", { eventEndDate: "2026-05-31" }), "eventEndDate")).toBe(-6);
  });

  it(`Event Outcome is mandatory except on financial assessments (${SOURCE})`, () => {
    expect(codeOf(cldRow("service", { eventOutcome: null }), "eventOutcome")).toBe(-1);
    expect(codeOf(cldRow("request", { eventOutcome: null }), "eventOutcome")).toBe(-1);
    expect(codeOf(cldRow("financial", { eventOutcome: null }), "eventOutcome")).toBe(0);
    expect(codeOf(cldRow("request", { eventOutcome: "NFA - Other" }), "eventOutcome")).toBe(-2);
  });

  it(`Request: Route of Access is mandatory on Request events (${SOURCE})`, () => {
    expect(codeOf(cldRow("request", { requestRouteOfAccess: null }), "requestRouteOfAccess")).toBe(-1);
    expect(codeOf(cldRow("assessment"), "requestRouteOfAccess")).toBe(0);
    expect(codeOf(cldRow("request", { requestRouteOfAccess: "GP" }), "requestRouteOfAccess")).toBe(-2);
  });

  it(`Assessment Type is mandatory on Assessment events (${SOURCE})`, () => {
    expect(codeOf(cldRow("assessment", { assessmentType: null }), "assessmentType")).toBe(-1);
    expect(codeOf(cldRow("review"), "assessmentType")).toBe(0);
    expect(codeOf(cldRow("assessment", { assessmentType: "Needs" }), "assessmentType")).toBe(-2);
  });

  it(`Method of Assessment is mandatory on non-financial assessments (${SOURCE})`, () => {
    expect(codeOf(cldRow("assessment", { methodOfAssessment: null }), "methodOfAssessment")).toBe(-1);
    expect(codeOf(cldRow("financial", { methodOfAssessment: null }), "methodOfAssessment")).toBe(0);
    expect(codeOf(cldRow("assessment", { methodOfAssessment: "Online" }), "methodOfAssessment")).toBe(-2);
  });

  it(`Service Type and Service Component are mandatory on Service events (${SOURCE})`, () => {
    for (const field of ["serviceType", "serviceComponent"] as const) {
      expect(codeOf(cldRow("service", { [field]: null }), field), field).toBe(-1);
      expect(codeOf(cldRow("review"), field), field).toBe(0);
      expect(codeOf(cldRow("service", { [field]: "Home care" }), field), field).toBe(-2);
    }
  });

  it(`Delivery Mechanism is not mandatory (NHSE: "delivery mechanism is not mandatory"), but checked when given`, () => {
    expect(codeOf(cldRow("service", { deliveryMechanism: null }), "deliveryMechanism")).toBe(0);
    expect(codeOf(cldRow("service", { deliveryMechanism: "Direct Payment" }), "deliveryMechanism")).toBe(-2);
    expect(
      messageOf(cldRow("service", { deliveryMechanism: "Direct Payment" }), "deliveryMechanism"),
    ).toMatch(/write it exactly as "Direct payment"/);
  });

  it(`Review Reason and Method of Review are mandatory on Review events (${SOURCE})`, () => {
    for (const field of ["reviewReason", "methodOfReview"] as const) {
      expect(codeOf(cldRow("review", { [field]: null }), field), field).toBe(-1);
      expect(codeOf(cldRow("service"), field), field).toBe(0);
      expect(codeOf(cldRow("review", { [field]: "Annual" }), field), field).toBe(-2);
    }
  });

  it(`Review Outcomes Achieved is mandatory on planned reviews (${SOURCE})`, () => {
    expect(codeOf(cldRow("review", { reviewOutcomesAchieved: null }), "reviewOutcomesAchieved")).toBe(-1);
    const unplanned = cldRow("review", { reviewOutcomesAchieved: null, reviewReason: "Unplanned review" });
    expect(codeOf(unplanned, "reviewOutcomesAchieved")).toBe(0);
    expect(codeOf(cldRow("review", { reviewOutcomesAchieved: "Met" }), "reviewOutcomesAchieved")).toBe(-2);
  });

  describe(`Unit Cost, Cost Frequency and Planned units per week: mandatory on services unless Delivery Mechanism is CASSR commissioned support, for long-term, short-term residential/nursing/respite and carer services (${SOURCE})`, () => {
    const costs = ["unitCost", "costFrequencyUnitType", "plannedUnitsPerWeek"] as const;
    const blank = { unitCost: null, costFrequencyUnitType: null, plannedUnitsPerWeek: null };
    const codes = (overrides: Partial<Record<CldField, string | null>>) =>
      costs.map((f) => codeOf(cldRow("service", { ...blank, ...overrides }), f));

    it("blank on a long-term direct payment, managed budget or blank mechanism gives −1", () => {
      expect(codes({})).toEqual([-1, -1, -1]);
      expect(codes({ deliveryMechanism: "CASSR managed personal budget" })).toEqual([-1, -1, -1]);
      expect(codes({ deliveryMechanism: null })).toEqual([-1, -1, -1]);
    });
    it("blank on commissioned support is 0", () => {
      expect(codes({ deliveryMechanism: "CASSR commissioned support" })).toEqual([0, 0, 0]);
    });
    it("short-term support needs costs only for residential, nursing or carer respite components", () => {
      const shortTerm = { serviceType: "Short term support: Other short term" };
      expect(codes({ ...shortTerm, serviceComponent: "Short term residential care" })).toEqual([-1, -1, -1]);
      expect(codes({ ...shortTerm, serviceComponent: "Short term nursing care" })).toEqual([-1, -1, -1]);
      expect(codes({ ...shortTerm, serviceComponent: "Carer respite" })).toEqual([-1, -1, -1]);
      expect(codes({ ...shortTerm, serviceComponent: "Reablement" })).toEqual([0, 0, 0]);
    });
    it("do not apply to a carer known by association, so are never mandatory there (DHSC keeps applicable values only)", () => {
      expect(codes({ clientType: "Unpaid carer known by association" })).toEqual([0, 0, 0]);
    });
    it("unpaid carer support needs costs", () => {
      expect(codes({ serviceType: "Unpaid carer support: Direct to unpaid carer" })).toEqual([-1, -1, -1]);
    });
    it("an invalid value is < −1 even where not mandatory", () => {
      const bad = { unitCost: "£24.50", costFrequencyUnitType: "Per fortnight", plannedUnitsPerWeek: "ten" };
      expect(codes(bad)).toEqual([DQ.NOT_A_NUMBER, DQ.NOT_ON_LIST, DQ.NOT_A_NUMBER]);
      expect(codes({ ...bad, deliveryMechanism: "CASSR commissioned support" })).toEqual([-5, -2, -5]);
      expect(
        codes({ unitCost: "-24.50", costFrequencyUnitType: "Weekly", plannedUnitsPerWeek: "1" }),
      ).toEqual([1, 1, 1]);
    });
  });

  it("formats of the optional fields: GP practice code, CQC location id, number of adults cared for", () => {
    expect(codeOf(cldRow("service", { gpPracticeCode: "A81001" }), "gpPracticeCode")).toBe(1);
    expect(codeOf(cldRow("service", { gpPracticeCode: "81001" }), "gpPracticeCode")).toBe(DQ.BAD_FORMAT);
    expect(codeOf(cldRow("service", { providerCqcLocationId: "1-101234567" }), "providerCqcLocationId")).toBe(
      1,
    );
    expect(codeOf(cldRow("service", { providerCqcLocationId: "ABC" }), "providerCqcLocationId")).toBe(-7);
    const carer = cldRow("service", { clientType: "Unpaid carer", noOfAdultsBeingCaredFor: "1.5" });
    expect(codeOf(carer, "noOfAdultsBeingCaredFor")).toBe(DQ.NOT_A_NUMBER);
  });
});

describe("the data-quality summary: counts per field and code", () => {
  it("counts each field's codes over the rows, in file order, best code first, skipping blanks that do not apply", () => {
    const rows = [
      cldRow("request"),
      cldRow("request", { requestRouteOfAccess: null }),
      cldRow("request", { requestRouteOfAccess: "GP" }),
      cldRow("service"),
    ].map((row) => checkCldRow(row, rules));
    const summary = summariseQuality(rows);
    expect(summary.filter((s) => s.field === "requestRouteOfAccess")).toEqual([
      { field: "requestRouteOfAccess", code: 1, count: 1 },
      { field: "requestRouteOfAccess", code: -1, count: 1 },
      { field: "requestRouteOfAccess", code: -2, count: 1 },
    ]);
    expect(summary.find((s) => s.field === "laCode")).toEqual({ field: "laCode", code: 1, count: 4 });
    // The service row's blank end date counts (it applies); the requests' blank service type does not.
    expect(summary.filter((s) => s.field === "eventEndDate")).toEqual([
      { field: "eventEndDate", code: 1, count: 3 },
      { field: "eventEndDate", code: 0, count: 1 },
    ]);
    expect(summary.filter((s) => s.field === "serviceType")).toEqual([
      { field: "serviceType", code: 1, count: 1 },
    ]);
    expect(summary.map((s) => s.field).indexOf("laCode")).toBe(0);
  });
});
