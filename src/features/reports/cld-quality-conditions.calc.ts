import { cldAge } from "#/features/reports/cld-person-key.calc.ts";
import type { CldField, CldRow } from "#/features/reports/cld-record.ts";
import type { CldRules } from "#/rules/registry.ts";

/**
 * When each CLD field applies to a row and when it is mandatory: the conditions of DHSC's data-quality procedure
 * (DHSC-DASH Stored_procedures/create_GetDQValues_procedure.sql, "Applicable?" and "Mandatory?"), as
 * REPORTING.md §1.2 tabulates them. The procedure was written for Release 1 values on SQL Server, which matches
 * text case-insensitively; the values it names (event types, client types, the financial assessment, the
 * learning-disability PSR, the delivery mechanism and components for costs) come from the rules, with Release 2's
 * wording beside Release 1's, and are matched the same way.
 */

export type RowFacts = {
  readonly carerKnownByAssociation: boolean;
  readonly serviceUser: boolean;
  readonly carer: boolean;
  readonly request: boolean;
  readonly assessment: boolean;
  readonly service: boolean;
  readonly review: boolean;
  readonly financialAssessment: boolean;
  /** Age at the reporting period end date, or null when a date is missing. */
  readonly age: number | null;
};

const lower = (value: string | null) => (value ?? "").trim().toLowerCase();
const startsWithAny = (value: string | null, prefixes: readonly string[]) =>
  prefixes.some((p) => lower(value).startsWith(p.toLowerCase()));
const equalsAny = (value: string | null, values: readonly string[]) =>
  values.some((v) => lower(value) === v.toLowerCase());

export function rowFacts(row: CldRow, rules: CldRules): RowFacts {
  const q = rules.quality;
  const types = q.eventTypePrefixes;
  const assessment = startsWithAny(row.eventType, types.assessment);
  return {
    carerKnownByAssociation: equalsAny(row.clientType, q.carerKnownByAssociationClientTypes),
    // DQ procedure: Client_Type LIKE 'Service User%' (Release 2: "Service user").
    serviceUser: startsWithAny(row.clientType, [q.serviceUserClientType]),
    // DQ procedure: Client_Type LIKE 'Carer%' (Release 2: "Unpaid carer…").
    carer: startsWithAny(row.clientType, ["Carer", "Unpaid carer"]),
    request: startsWithAny(row.eventType, types.request),
    assessment,
    service: startsWithAny(row.eventType, types.service),
    review: startsWithAny(row.eventType, types.review),
    financialAssessment: startsWithAny(row.assessmentType, [q.financialAssessmentPrefix]),
    age: cldAge(row.dateOfBirth, row.reportingPeriodEndDate, q.daysPerYear),
  };
}

/** Whether a field applies, and when it is mandatory, why (the reason a blank is reported with). */
export type FieldCondition = { readonly applicable: boolean; readonly mandatoryBecause: string | null };

const ALWAYS: FieldCondition = { applicable: true, mandatoryBecause: "it is mandatory on every row" };
const OPTIONAL: FieldCondition = { applicable: true, mandatoryBecause: null };
const when = (applicable: boolean, mandatoryBecause: string | null = null): FieldCondition => ({
  applicable,
  mandatoryBecause: applicable ? mandatoryBecause : null,
});
const mandatoryIf = (condition: boolean, because: string): FieldCondition =>
  when(true, condition ? because : null);

/** Unit Cost, Cost Frequency and Planned units per week share one condition (REPORTING.md §1.2, 48–50). */
function costsMandatory(row: CldRow, facts: RowFacts, rules: CldRules): boolean {
  const q = rules.quality;
  if (!facts.service) return false;
  // NOT LIKE '%CASSR Commissioned Support%': a blank delivery mechanism does not excuse the costs.
  if (lower(row.deliveryMechanism).includes(q.costsNotMandatoryDeliveryMechanism.toLowerCase())) return false;
  return (
    startsWithAny(row.serviceType, q.costsServiceTypePrefixes) ||
    equalsAny(row.serviceComponent, q.costsServiceComponents)
  );
}

type ConditionFor = (row: CldRow, facts: RowFacts, rules: CldRules) => FieldCondition;

const onEvent = (kind: "request" | "assessment" | "service" | "review", mandatory: boolean): ConditionFor => {
  return (_row, f) =>
    when(!f.carerKnownByAssociation && f[kind], mandatory ? `it is mandatory on ${kind} events` : null);
};
const forServiceUsers: ConditionFor = (_row, f) => when(f.serviceUser);
const forCarers: ConditionFor = (_row, f) => when(f.carer);
const onEveryEvent = (mandatory: boolean): ConditionFor => {
  return (_row, f) =>
    when(
      !f.carerKnownByAssociation,
      mandatory ? "it is mandatory on every event (except a carer known by association's)" : null,
    );
};

export const FIELD_CONDITIONS: { readonly [K in CldField]: ConditionFor } = {
  laCode: () => ALWAYS,
  reportingPeriodStartDate: () => ALWAYS,
  reportingPeriodEndDate: () => ALWAYS,
  nhsNumber: () => ALWAYS,
  laPersonUniqueIdentifier: () => ALWAYS,
  // Not in the DQ procedure's list: applicable, never mandatory.
  firstName: () => OPTIONAL,
  lastName: () => OPTIONAL,
  gpPracticeName: () => OPTIONAL,
  gpPracticeCode: () => OPTIONAL,
  gender: () => ALWAYS,
  ethnicity: () => ALWAYS,
  dateOfBirth: () => ALWAYS,
  dateOfDeath: () => OPTIONAL,
  clientType: () => ALWAYS,
  primarySupportReason: (_row, f) =>
    mandatoryIf(!f.request, "it is mandatory on every event except a request"),
  postcode: () => ALWAYS,
  accommodationStatus: () => ALWAYS,
  employmentStatus: (row, f, rules) => {
    const e = rules.quality.employmentStatus;
    const inAgeBand = f.age !== null && f.age >= e.fromAge && f.age < e.toBelowAge;
    return mandatoryIf(
      f.serviceUser && inAgeBand && equalsAny(row.primarySupportReason, e.primarySupportReasons),
      `it is mandatory for a service user aged ${e.fromAge} to ${e.toBelowAge - 1} whose primary support reason is ${e.primarySupportReasons.join(" or ")}`,
    );
  },
  hasUnpaidCarer: () => ALWAYS,
  autismSpectrumDisorder: forServiceUsers,
  visualImpairment: forServiceUsers,
  hearingImpairment: forServiceUsers,
  dementia: forServiceUsers,
  clientFundingStatus: (_row, f) =>
    when(
      f.serviceUser,
      (f.assessment && f.financialAssessment) || f.service || f.review
        ? "it is mandatory for a service user on a service, a review or a financial assessment"
        : null,
    ),
  eventType: onEveryEvent(true),
  eventReference: onEveryEvent(false),
  eventStartDate: onEveryEvent(true),
  eventEndDate: (row, f) => {
    const applicable = !f.carerKnownByAssociation;
    if (applicable && !f.service) return when(true, "it is mandatory on every event except a service");
    const died = row.dateOfDeath !== null && row.dateOfDeath.trim() !== "";
    return when(applicable, died ? "the person has died, so the event has ended" : null);
  },
  eventDescription: onEveryEvent(false),
  eventOutcome: (_row, f) =>
    when(
      !f.carerKnownByAssociation,
      f.financialAssessment ? null : "it is mandatory on every event except a financial assessment",
    ),
  requestRouteOfAccess: onEvent("request", true),
  assessmentType: onEvent("assessment", true),
  eligibleNeedsIdentified: onEvent("assessment", false),
  methodOfAssessment: (_row, f) =>
    when(
      !f.carerKnownByAssociation && f.assessment,
      f.financialAssessment ? null : "it is mandatory on assessments other than financial assessments",
    ),
  totalHrsCaringPerWeek: forCarers,
  noOfAdultsBeingCaredFor: forCarers,
  adult1LinkedPersonId: forCarers,
  adult2LinkedPersonId: forCarers,
  adult3LinkedPersonId: forCarers,
  serviceType: onEvent("service", true),
  serviceComponent: onEvent("service", true),
  deliveryMechanism: onEvent("service", false),
  providerCqcLocationName: onEvent("service", false),
  providerCqcLocationId: onEvent("service", false),
  reviewReason: onEvent("review", true),
  reviewOutcomesAchieved: (row, f, rules) =>
    when(
      !f.carerKnownByAssociation && f.review,
      startsWithAny(row.reviewReason, [rules.quality.plannedReviewReasonPrefix])
        ? "it is mandatory on planned reviews"
        : null,
    ),
  methodOfReview: onEvent("review", true),
  unitCost: costCondition,
  costFrequencyUnitType: costCondition,
  plannedUnitsPerWeek: costCondition,
};

function costCondition(row: CldRow, f: RowFacts, rules: CldRules): FieldCondition {
  return when(
    !f.carerKnownByAssociation && f.service,
    costsMandatory(row, f, rules)
      ? `it is mandatory on long-term, unpaid carer and short-term residential, nursing or respite services unless the delivery mechanism is ${rules.quality.costsNotMandatoryDeliveryMechanism}`
      : null,
  );
}
