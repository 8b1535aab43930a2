import type { SourceReference } from "#/rules/types.ts";

/**
 * The shape of a jurisdiction's coded lists on a person's record (features/people records answers from them). One shape for every jurisdiction; the dated packs are
 * data in the jurisdiction folders (rules/england/person-fields.ts), reached through rules/registry.ts.
 */

export type CodedOption = {
  /** Stable code stored on the record and used in the API and CSV import. Never reused for a new meaning. */
  readonly code: string;
  /** The wording shown on pages, and the published value where the list is a published one. */
  readonly label: string;
  /** Heading the option sits under, where the published list groups its values (e.g. "Asian or Asian British"). */
  readonly group?: string;
  /** ASCOF 2E: true for the settled accommodation values (REPORTING.md §1.10, the first 9). */
  readonly settled?: boolean;
};

export type CodedList = {
  readonly options: readonly CodedOption[];
  readonly source: SourceReference;
};

export type PersonFieldLists = {
  readonly id: string;
  readonly jurisdiction: "england";
  /** First day the lists apply (YYYY-MM-DD, inclusive). */
  readonly validFrom: string;
  readonly validTo?: string;
  readonly sex: CodedList;
  readonly ethnicity: CodedList;
  readonly accommodationStatus: CodedList;
  readonly employmentStatus: CodedList;
  readonly hasUnpaidCarer: CodedList;
  readonly communicationNeeds: CodedList;
};

export const CODED_PERSON_FIELDS = [
  "sex",
  "ethnicity",
  "accommodationStatus",
  "employmentStatus",
  "hasUnpaidCarer",
] as const;
export type CodedPersonField = (typeof CODED_PERSON_FIELDS)[number];
