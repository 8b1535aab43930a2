import type { CodedPersonField, PersonFieldLists } from "#/rules/person-field-types.ts";

export * from "#/rules/person-field-types.ts";

/**
 * The coded answers on a person's record in England: data, with the dates they apply from and their sources. Every
 * later feature that reports on people (the Client Level Data return, ASCOF 2E, letters in an accessible format)
 * reads the codes stored from these lists, so a code is never reused for a new meaning; a new release of a list is
 * a new entry below with its own `validFrom`, and the old one is given a `validTo`.
 *
 * Ethnicity, accommodation status and employment status are the Adult Social Care Client Level Data (CLD) Release 2
 * lists, as gathered in REPORTING.md §1.10 from DHSC's published processing code (DataS-DHSC/ASC-CLD-LA-Dashboard:
 * Main_tables/docs/methodology/5-data-cleaning.md and its string inventory). REPORTING.md notes that Release 2 is
 * live "from around October 2025" [UNCONFIRMED exact go-live date; the AGEM specification documents were not read],
 * so that uncertainty is carried in each source note below. "Declined to say" and "not known" are answers on the
 * lists that have them, never blanks.
 *
 * Sex: REPORTING.md lists Gender as CLD field 10 but gives no values, so the NHS Data Dictionary's PERSON STATED
 * GENDER CODE values are used, marked with that source.
 *
 * Communication and information needs are the Accessible Information Standard's (DCB1605) needs that a council
 * must record and act on; the codes here are Upfront's, the wording follows the standard.
 */

const CLD_R2 = "Adult Social Care Client Level Data, Release 2";
const DHSC_DASH = "https://github.com/DataS-DHSC/ASC-CLD-LA-Dashboard";

const WHITE = "White";
const MIXED = "Mixed or multiple ethnic groups";
const ASIAN = "Asian or Asian British";
const BLACK = "Black, Black British, Caribbean or African";
const OTHER = "Other ethnic group";
const NO_DATA = "No data";

export const englandPersonFieldsCldR2: PersonFieldLists = {
  id: "england-person-fields-cld-r2",
  jurisdiction: "england",
  // [UNCONFIRMED] REPORTING.md §1.1: Release 2 is live "from around October 2025"; the exact date was not found.
  validFrom: "2025-10-01",
  sex: {
    options: [
      { code: "male", label: "Male" },
      { code: "female", label: "Female" },
      { code: "indeterminate", label: "Indeterminate (unable to be classified as either male or female)" },
      { code: "not-known", label: "Not known" },
    ],
    source: {
      title: "NHS Data Dictionary: PERSON STATED GENDER CODE",
      provision: "codes 1 Male, 2 Female, 9 Indeterminate, X Not Known",
      url: "https://www.datadictionary.nhs.uk/data_elements/person_stated_gender_code.html",
      note: "REPORTING.md gives no CLD values for Gender (field 10), so the NHS Data Dictionary codes are used. *check* against the CLD Release 2 specification",
    },
  },
  ethnicity: {
    options: [
      { code: "white-british", group: WHITE, label: "English, Welsh, Scottish, Northern Irish or British" },
      { code: "white-irish", group: WHITE, label: "Irish" },
      { code: "white-gypsy-irish-traveller", group: WHITE, label: "Gypsy or Irish Traveller" },
      { code: "white-roma", group: WHITE, label: "Roma" },
      { code: "white-other", group: WHITE, label: "Any other White background" },
      { code: "mixed-white-black-caribbean", group: MIXED, label: "White and Black Caribbean" },
      { code: "mixed-white-black-african", group: MIXED, label: "White and Black African" },
      { code: "mixed-white-asian", group: MIXED, label: "White and Asian" },
      { code: "mixed-other", group: MIXED, label: "Any other Mixed or multiple ethnic background" },
      { code: "asian-indian", group: ASIAN, label: "Indian" },
      { code: "asian-pakistani", group: ASIAN, label: "Pakistani" },
      { code: "asian-bangladeshi", group: ASIAN, label: "Bangladeshi" },
      { code: "asian-chinese", group: ASIAN, label: "Chinese" },
      { code: "asian-other", group: ASIAN, label: "Any other Asian background" },
      { code: "black-caribbean", group: BLACK, label: "Caribbean" },
      { code: "black-african", group: BLACK, label: "African" },
      { code: "black-other", group: BLACK, label: "Any other Black, Black British or Caribbean background" },
      { code: "other-arab", group: OTHER, label: "Arab" },
      { code: "other-any", group: OTHER, label: "Any other ethnic group" },
      { code: "declined", group: NO_DATA, label: "Refused (declined to say)" },
      { code: "not-known", group: NO_DATA, label: "Undeclared or not known" },
    ],
    source: {
      title: `${CLD_R2}: Ethnicity (19 values and 2 "No data")`,
      url: DHSC_DASH,
      note: "From REPORTING.md §1.10 (DHSC-DASH 5-data-cleaning.md). [UNCONFIRMED] Release 2 go-live date; the AGEM specification was not read",
    },
  },
  accommodationStatus: {
    options: [
      { code: "owner-occupier", label: "Owner occupier or shared ownership scheme", settled: true },
      {
        code: "tenant-social",
        label: "Tenant: Local authority or other social housing provider",
        settled: true,
      },
      { code: "tenant-private", label: "Tenant: Private landlord", settled: true },
      {
        code: "with-family-settled",
        label: "Settled mainstream housing with family or friends",
        settled: true,
      },
      {
        code: "supported-accommodation",
        label: "Supported accommodation, supported lodgings or supported group home",
        settled: true,
      },
      { code: "shared-lives", label: "Shared Lives scheme", settled: true },
      {
        code: "approved-premises",
        label: "Approved premises for offenders released from prison or under probation supervision",
        settled: true,
      },
      {
        code: "sheltered-housing",
        label: "Sheltered housing, extra care housing or other sheltered housing",
        settled: true,
      },
      {
        code: "mobile-accommodation",
        label: "Mobile accommodation for Gypsy, Roma and Traveller communities",
        settled: true,
      },
      { code: "rough-sleeper", label: "Rough sleeper or squatting", settled: false },
      {
        code: "night-shelter",
        label: "Night shelter, emergency hostel or direct access hostel",
        settled: false,
      },
      { code: "refuge", label: "Refuge", settled: false },
      {
        code: "temporary-council",
        label: "Placed in temporary accommodation by the council (inc. homelessness resettlement)",
        settled: false,
      },
      {
        code: "short-term-guest",
        label: "Staying with family or friends as a short term guest",
        settled: false,
      },
      {
        code: "hospital",
        label: "Acute hospital or long term healthcare residential facility",
        settled: false,
      },
      { code: "care-home", label: "Registered care home", settled: false },
      { code: "nursing-home", label: "Registered nursing home", settled: false },
      { code: "prison", label: "Prison, young offenders institution or detention centre", settled: false },
      { code: "other-temporary", label: "Other temporary accommodation", settled: false },
      { code: "not-known", label: "Unknown", settled: false },
    ],
    source: {
      title: `${CLD_R2}: Accommodation Status`,
      url: DHSC_DASH,
      note: "From REPORTING.md §1.10 (DHSC-DASH string inventory; settled split from the NHSE ASCOF 2E appendix). [UNCONFIRMED] Release 2 go-live date; the AGEM specification was not read",
    },
  },
  employmentStatus: {
    options: [
      { code: "paid-under-16", label: "Paid: Less than 16 hours a week" },
      { code: "paid-16-plus", label: "Paid: 16 or more hours a week" },
      { code: "paid-hours-unknown", label: "Paid: Hours per week unknown" },
      { code: "seeking-work", label: "Not in paid employment: Seeking work" },
      { code: "voluntary-only", label: "Not in paid employment: Voluntary work only" },
      {
        code: "not-seeking-or-retired",
        label: "Not in paid employment: Not actively seeking work or retired",
      },
      { code: "not-known", label: "Not known" },
    ],
    source: {
      title: `${CLD_R2}: Employment Status`,
      url: DHSC_DASH,
      note: 'From REPORTING.md §1.10 (DHSC-DASH string inventory); the exact wording of "Not known" is [UNCONFIRMED]. [UNCONFIRMED] Release 2 go-live date',
    },
  },
  hasUnpaidCarer: {
    options: [
      { code: "yes", label: "Yes" },
      { code: "no", label: "No" },
      { code: "not-known", label: "Not known" },
    ],
    source: {
      title: `${CLD_R2}: Has Unpaid Carer (field 19)`,
      url: DHSC_DASH,
      note: "REPORTING.md §1.2 names the field as mandatory but gives no values: Yes, No and Not known are [UNCONFIRMED] against the specification",
    },
  },
  communicationNeeds: {
    options: [
      { code: "large-print", label: "Large print" },
      { code: "easy-read", label: "Easy Read" },
      { code: "bsl", label: "British Sign Language (BSL) interpreter" },
      { code: "braille", label: "Braille" },
      { code: "representative-copies", label: "A representative to receive copies of letters" },
    ],
    source: {
      title: "Accessible Information Standard (DCB1605)",
      provision: "identify, record, flag, share and meet information and communication needs",
      url: "https://www.england.nhs.uk/about/equality/equality-hub/patient-equalities-programme/equality-frameworks-and-information-standards/accessibleinfo/",
      note: "The standard applies to adult social care in England. The codes are Upfront's; the standard records needs as SNOMED CT codes, not mapped here",
    },
  },
};

const packs: readonly PersonFieldLists[] = [englandPersonFieldsCldR2];

export class PersonFieldListsNotFoundError extends Error {
  override name = "PersonFieldListsNotFoundError";
}

/**
 * The coded lists in force on a date (the day the answers are recorded, never "now"). Each record keeps the id
 * of the lists it was answered from, so a later release never changes what an old answer meant.
 */
export function personFieldListsFor(onDate: string): PersonFieldLists {
  // ISO dates compare correctly as strings.
  const pack = packs.find((p) => p.validFrom <= onDate && (p.validTo === undefined || onDate <= p.validTo));
  if (!pack) {
    throw new PersonFieldListsNotFoundError(
      `There are no England person field lists for ${onDate}. The earliest start on ${packs[0]!.validFrom}`,
    );
  }
  return pack;
}

/** Every registered version of the lists, for listings and tests. */
export function allPersonFieldLists(): readonly PersonFieldLists[] {
  return packs;
}

/** The label for a stored code, in whichever registered version of the lists has it. */
export function labelForCode(field: CodedPersonField | "communicationNeeds", code: string): string {
  for (const pack of packs) {
    const option = pack[field].options.find((o) => o.code === code);
    if (option) return option.group ? `${option.group}: ${option.label}` : option.label;
  }
  return code;
}
