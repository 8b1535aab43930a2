import { checkNhsNumber } from "#/features/people/nhs-number.calc.ts";
import { FIELD_CONDITIONS, type RowFacts, rowFacts } from "#/features/reports/cld-quality-conditions.calc.ts";
import { CLD_COLUMNS, type CldField, type CldRow } from "#/features/reports/cld-record.ts";
import { isCalendarDate } from "#/platform/dates/calendar.ts";
import type { CldListName, CldRules } from "#/rules/registry.ts";

/**
 * The data-quality code of every field of a CLD row, as DHSC's procedure scores them (REPORTING.md §1.2;
 * DHSC-DASH create_GetDQValues_procedure.sql): 1 passed, valid; 0 passed, blank and not mandatory; −1 failed,
 * blank and mandatory; below −1 failed, invalid. Upfront's invalid codes say what is wrong, each with a plain
 * message saying what to fix, so staff can put the record right before the return is sent.
 */

export const DQ = {
  VALID: 1,
  BLANK_NOT_MANDATORY: 0,
  BLANK_MANDATORY: -1,
  /** A coded field whose value is not on its CLD list. */
  NOT_ON_LIST: -2,
  /** A date that is not a real date written yyyy-mm-dd. */
  NOT_A_DATE: -3,
  /** An NHS number that is not 10 digits or fails its Modulus 11 check. */
  BAD_NHS_NUMBER: -4,
  /** A number field that is not a number (or not a whole number where one is needed). */
  NOT_A_NUMBER: -5,
  /** Dates in the wrong order: an end before its start, a death before the birth. */
  DATES_OUT_OF_ORDER: -6,
  /** A code in the wrong shape (postcode, GP practice code, CQC location id). */
  BAD_FORMAT: -7,
} as const;
export type DqCode = (typeof DQ)[keyof typeof DQ];

export function dqResult(code: number): string {
  if (code === DQ.VALID) return "Passed: Valid";
  if (code === DQ.BLANK_NOT_MANDATORY) return "Passed: Blank (Not Mandatory)";
  if (code === DQ.BLANK_MANDATORY) return "Failed: Blank (Mandatory)";
  return "Failed: Invalid";
}

export type FieldQuality = {
  readonly field: CldField;
  readonly code: DqCode;
  readonly applicable: boolean;
  readonly mandatory: boolean;
  readonly value: string | null;
  /** What is wrong and what to fix; null when the field passed. */
  readonly message: string | null;
};

const RAW_NAME = Object.fromEntries(CLD_COLUMNS) as Record<CldField, string>;
export const cldFieldName = (field: CldField): string => RAW_NAME[field];

/** Which list each coded field takes its values from. */
const LIST_OF: Partial<Record<CldField, CldListName>> = {
  gender: "gender",
  ethnicity: "ethnicity",
  clientType: "clientTypes",
  primarySupportReason: "primarySupportReasons",
  accommodationStatus: "accommodationStatus",
  employmentStatus: "employmentStatus",
  hasUnpaidCarer: "yesNo",
  autismSpectrumDisorder: "yesNo",
  visualImpairment: "yesNo",
  hearingImpairment: "yesNo",
  dementia: "yesNo",
  clientFundingStatus: "clientFundingStatus",
  eventType: "eventTypes",
  eventOutcome: "eventOutcomes",
  requestRouteOfAccess: "routesOfAccess",
  assessmentType: "assessmentTypes",
  eligibleNeedsIdentified: "yesNo",
  methodOfAssessment: "methodsOfAssessment",
  serviceType: "serviceTypes",
  serviceComponent: "serviceComponents",
  deliveryMechanism: "deliveryMechanisms",
  reviewReason: "reviewReasons",
  reviewOutcomesAchieved: "reviewOutcomesAchieved",
  methodOfReview: "methodsOfReview",
  costFrequencyUnitType: "costFrequencies",
};

const DATE_FIELDS: ReadonlySet<CldField> = new Set([
  "reportingPeriodStartDate",
  "reportingPeriodEndDate",
  "dateOfBirth",
  "dateOfDeath",
  "eventStartDate",
  "eventEndDate",
]);

/** A decimal as the return writes it: "12", "-3.5", "123.45" (negatives occur; DHSC takes ABS()). */
const DECIMAL = /^-?\d+(\.\d+)?$/;
const WHOLE_NUMBER = /^\d+$/;
/** The shape of a UK postcode (outward code, a space, inward code), e.g. "SW1A 1AA", "M1 1AE". */
const POSTCODE = /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/i;
/** An ODS GP practice code: a letter and five letters or digits, e.g. "A81001". */
const GP_PRACTICE_CODE = /^[A-Z][A-Z\d]{5}$/i;
/** A CQC location id, e.g. "1-101234567". */
const CQC_LOCATION_ID = /^1-\d{5,}$/;

type Invalid = { code: DqCode; message: string };

function checkListValue(field: CldField, list: CldListName, value: string, rules: CldRules): Invalid | null {
  const values = rules.lists[list].values.map((v) => v.value);
  if (values.includes(value)) return null;
  const name = cldFieldName(field);
  const sameButCase = values.find((v) => v.toLowerCase() === value.trim().toLowerCase());
  const hint = sameButCase
    ? `write it exactly as "${sameButCase}"`
    : values.length <= 8
      ? `use one of: ${values.map((v) => `"${v}"`).join(", ")}`
      : `choose one of the ${values.length} values on the CLD ${rules.release} list for ${name}`;
  return {
    code: DQ.NOT_ON_LIST,
    message: `"${value}" is not on the CLD list for ${name}: ${hint}. If it came from a code on the record with no CLD value, change the record's answer`,
  };
}

function checkFormat(field: CldField, value: string): Invalid | null {
  const name = cldFieldName(field);
  if (DATE_FIELDS.has(field)) {
    return isCalendarDate(value)
      ? null
      : { code: DQ.NOT_A_DATE, message: `${name} "${value}" is not a real date: write it as yyyy-mm-dd` };
  }
  switch (field) {
    case "nhsNumber": {
      const check = checkNhsNumber(value);
      if (check.valid && check.nhsNumber === value) return null;
      const why = check.valid
        ? "write it as its 10 digits with no spaces"
        : check.reason === "length"
          ? "an NHS number is 10 digits"
          : "it fails the NHS number check digit (Modulus 11): check it against the person's NHS letter or the Personal Demographics Service";
      return { code: DQ.BAD_NHS_NUMBER, message: `NHS number "${value}" is not valid: ${why}` };
    }
    case "unitCost":
    case "plannedUnitsPerWeek":
      return DECIMAL.test(value)
        ? null
        : { code: DQ.NOT_A_NUMBER, message: `${name} "${value}" is not a number: write it like 123.45` };
    case "noOfAdultsBeingCaredFor":
      return WHOLE_NUMBER.test(value)
        ? null
        : { code: DQ.NOT_A_NUMBER, message: `${name} "${value}" is not a whole number` };
    case "postcode":
      return POSTCODE.test(value)
        ? null
        : {
            code: DQ.BAD_FORMAT,
            message: `Postcode "${value}" is not a UK postcode: write it like "SW1A 1AA"`,
          };
    case "gpPracticeCode":
      return GP_PRACTICE_CODE.test(value)
        ? null
        : {
            code: DQ.BAD_FORMAT,
            message: `GP practice code "${value}" is not an ODS code: a letter and 5 more, like "A81001"`,
          };
    case "providerCqcLocationId":
      return CQC_LOCATION_ID.test(value)
        ? null
        : {
            code: DQ.BAD_FORMAT,
            message: `CQC location id "${value}" is not one: they look like "1-101234567"`,
          };
    default:
      return null;
  }
}

const isDate = (value: string | null): value is string => value !== null && isCalendarDate(value);

/** Dates that are each real but contradict another: checked once both are real dates. */
function checkOrder(field: CldField, row: CldRow): Invalid | null {
  const before = (a: string | null, b: string | null) => isDate(a) && isDate(b) && b < a;
  if (field === "eventEndDate" && before(row.eventStartDate, row.eventEndDate)) {
    return {
      code: DQ.DATES_OUT_OF_ORDER,
      message: `The event ends (${row.eventEndDate}) before it starts (${row.eventStartDate}): correct either date`,
    };
  }
  if (
    field === "reportingPeriodEndDate" &&
    before(row.reportingPeriodStartDate, row.reportingPeriodEndDate)
  ) {
    return { code: DQ.DATES_OUT_OF_ORDER, message: "The reporting period ends before it starts" };
  }
  if (field === "dateOfDeath" && before(row.dateOfBirth, row.dateOfDeath)) {
    return {
      code: DQ.DATES_OUT_OF_ORDER,
      message: `The date of death (${row.dateOfDeath}) is before the date of birth (${row.dateOfBirth}): correct either date`,
    };
  }
  if (field === "eventStartDate" && before(row.dateOfBirth, row.eventStartDate)) {
    return {
      code: DQ.DATES_OUT_OF_ORDER,
      message: `The event starts (${row.eventStartDate}) before the person was born (${row.dateOfBirth}): correct either date`,
    };
  }
  return null;
}

const isBlank = (value: string | null): boolean => value === null || value.trim() === "";

/** Every field of a row, in file order, with its data-quality code. */
export function checkCldRow(row: CldRow, rules: CldRules): FieldQuality[] {
  const facts = rowFacts(row, rules);
  return CLD_COLUMNS.map(([field]) => checkField(row, facts, rules, field));
}

/**
 * Some fields of a row, in the order given, with their data-quality codes: the same check as checkCldRow, for a
 * caller that has the rest already (an export from the events table checks only what the period changes).
 */
export function checkCldFields(row: CldRow, rules: CldRules, fields: readonly CldField[]): FieldQuality[] {
  const facts = rowFacts(row, rules);
  return fields.map((field) => checkField(row, facts, rules, field));
}

function checkField(row: CldRow, facts: RowFacts, rules: CldRules, field: CldField): FieldQuality {
  const { applicable, mandatoryBecause } = FIELD_CONDITIONS[field](row, facts, rules);
  // DHSC keeps only the values that apply to a row, so a field that does not apply is never mandatory.
  const mandatory = applicable && mandatoryBecause !== null;
  const value = row[field];
  const base = { field, applicable, mandatory, value };
  if (isBlank(value)) {
    return mandatory
      ? {
          ...base,
          code: DQ.BLANK_MANDATORY,
          message: `${cldFieldName(field)} is blank: ${mandatoryBecause}`,
        }
      : { ...base, code: DQ.BLANK_NOT_MANDATORY, message: null };
  }
  const list = LIST_OF[field];
  const invalid =
    (list ? checkListValue(field, list, value!, rules) : checkFormat(field, value!)) ??
    checkOrder(field, row);
  return invalid ? { ...base, ...invalid } : { ...base, code: DQ.VALID, message: null };
}

/** The fields that failed (−1 and below): what the data-quality report lists. */
export function failingFields(results: readonly FieldQuality[]): FieldQuality[] {
  return results.filter((r) => r.code < 0);
}

export type QualityCount = { readonly field: CldField; readonly code: DqCode; readonly count: number };

/**
 * Counts per field and code over many rows, in file order and then code from best to worst: the summary at the
 * top of the data-quality report. A field that does not apply to a row and is blank there is not counted, as
 * DHSC keeps only applicable values.
 */
export function summariseQuality(rows: readonly (readonly FieldQuality[])[]): QualityCount[] {
  const counts = new Map<string, number>();
  for (const results of rows) {
    for (const r of results) {
      if (!r.applicable && r.code === DQ.BLANK_NOT_MANDATORY) continue;
      const key = `${r.field}\u0000${r.code}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const order = new Map(CLD_COLUMNS.map(([field], i) => [field, i]));
  return [...counts.entries()]
    .map(([key, count]) => {
      const [field, code] = key.split("\u0000") as [CldField, string];
      return { field, code: Number(code) as DqCode, count };
    })
    .sort((a, b) => order.get(a.field)! - order.get(b.field)! || b.code - a.code);
}
