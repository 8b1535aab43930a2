/**
 * One row of the Adult Social Care Client Level Data (CLD) return: one event (a request, an assessment, a
 * service or a review) for one person, in the column order REPORTING.md §1.2 gives (one council's layout of the
 * Release 1 columns, LA-VIEW; [UNCONFIRMED] as the AGEM template's order), carrying Release 2 values (§1.5–1.10).
 *
 * Every cell is text as it is written to the file, or null when blank: the data-quality checks score blanks and
 * invalid values per field (REPORTING.md §1.2: 1 valid, 0 blank and not mandatory, −1 blank and mandatory,
 * < −1 invalid), so a row must be able to hold a value that fails them. Dates are ISO (yyyy-mm-dd); money is
 * pounds with two decimals ("123.45"), never a float in between: it is written from integer pence.
 */
export type CldRow = { readonly [K in CldField]: string | null };

/** Where a row came from in Upfront, so a data-quality finding can send staff to the record to fix. */
export type CldRowSource = {
  readonly personId: string;
  /** The Upfront record the event was derived from, e.g. { kind: "referral", id }. */
  readonly kind: "referral" | "assessment" | "financial_assessment" | "budget_line" | "review";
  readonly id: string;
};

export type CldEvent = { readonly row: CldRow; readonly source: CldRowSource };

/** The fields in file order, each with its raw submission name (REPORTING.md §1.2, fields 1–50). */
export const CLD_COLUMNS = [
  ["laCode", "LA Code"],
  ["reportingPeriodStartDate", "Reporting Period Start Date"],
  ["reportingPeriodEndDate", "Reporting Period End Date"],
  ["nhsNumber", "NHS Number"],
  ["laPersonUniqueIdentifier", "LA Person Unique Identifier"],
  ["firstName", "First Name"],
  ["lastName", "Last Name"],
  ["gpPracticeName", "GP Practice Name"],
  ["gpPracticeCode", "GP Practice Code"],
  ["gender", "Gender"],
  ["ethnicity", "Ethnicity"],
  ["dateOfBirth", "Date of Birth"],
  ["dateOfDeath", "Date of Death"],
  ["clientType", "Client Type"],
  ["primarySupportReason", "Primary Support Reason"],
  ["postcode", "Postcode"],
  ["accommodationStatus", "Accommodation Status"],
  ["employmentStatus", "Employment Status"],
  ["hasUnpaidCarer", "Has Unpaid Carer"],
  ["autismSpectrumDisorder", "Autism Spectrum Disorder (ASD)"],
  ["visualImpairment", "Visual Impairment"],
  ["hearingImpairment", "Hearing Impairment"],
  ["dementia", "Dementia"],
  ["clientFundingStatus", "Client Funding Status"],
  ["eventType", "Event Type"],
  ["eventReference", "Event Reference"],
  ["eventStartDate", "Event Start Date"],
  ["eventEndDate", "Event End Date"],
  ["eventDescription", "Event Description"],
  ["eventOutcome", "Event Outcome"],
  ["requestRouteOfAccess", "Request: Route of Access"],
  ["assessmentType", "Assessment Type"],
  ["eligibleNeedsIdentified", "Eligible Needs Identified"],
  ["methodOfAssessment", "Method of Assessment"],
  ["totalHrsCaringPerWeek", "Total Hrs Caring per week"],
  ["noOfAdultsBeingCaredFor", "No. of adults being cared for"],
  ["adult1LinkedPersonId", "Adult 1 Linked Person_ID"],
  ["adult2LinkedPersonId", "Adult 2 Linked Person_ID"],
  ["adult3LinkedPersonId", "Adult 3 Linked Person_ID"],
  ["serviceType", "Service Type"],
  ["serviceComponent", "Service Component"],
  ["deliveryMechanism", "Delivery Mechanism"],
  ["providerCqcLocationName", "Provider CQC Location Name"],
  ["providerCqcLocationId", "Provider CQC Location ID"],
  ["reviewReason", "Review Reason"],
  ["reviewOutcomesAchieved", "Review Outcomes Achieved"],
  ["methodOfReview", "Method of Review"],
  ["unitCost", "Unit Cost"],
  ["costFrequencyUnitType", "Cost Frequency (Unit Type)"],
  ["plannedUnitsPerWeek", "Planned units per week"],
] as const;

export type CldField = (typeof CLD_COLUMNS)[number][0];

export const CLD_FIELDS: readonly CldField[] = CLD_COLUMNS.map(([field]) => field);

/** A row with every field blank, to fill in: a derivation never leaves a field undefined. */
export function blankCldRow(): { -readonly [K in CldField]: string | null } {
  return Object.fromEntries(CLD_FIELDS.map((field) => [field, null])) as { [K in CldField]: string | null };
}
