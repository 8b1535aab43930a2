import { randomBytes } from "node:crypto";
import { z } from "zod";
import { type CorrespondenceFields, correspondenceFieldsOf } from "#/features/people/correspondence.calc.ts";
import * as repo from "#/features/people/repository.ts";
import type { ListPeopleQuery } from "#/features/people/schemas.ts";
import {
  type AddPerson,
  addPersonSchema,
  listPeopleSchema,
  type NewPerson,
  newPersonSchema,
} from "#/features/people/schemas.ts";
import { councilJurisdiction } from "#/features/tenants/rules.ts";
import { audit } from "#/platform/audit/audit.ts";
import { inTenant, isUniqueViolation, type ServiceContext, type TxContext } from "#/platform/context.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import { ConflictError, NotFoundError, ValidationError } from "#/platform/errors.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";
import { countOf } from "#/platform/words.calc.ts";
import { type RuleJurisdiction, rulesFor } from "#/rules/registry.ts";

export type Person = {
  personId: string;
  reference: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  postcode: string | null;
  createdAt: Date;
};

/**
 * A person's whole record, as opening it shows it (getPerson, audited as a view). Searches list only the
 * Person fields above.
 */
export type PersonRecord = Person & {
  /** The coded and contact details; null where the record was made before they were asked. */
  nhsNumber: string | null;
  addressLine1: string | null;
  addressLine2: string | null;
  town: string | null;
  phone: string | null;
  email: string | null;
  sex: string | null;
  ethnicity: string | null;
  accommodationStatus: string | null;
  employmentStatus: string | null;
  hasUnpaidCarer: string | null;
  gpPracticeName: string | null;
  gpPracticeCode: string | null;
  communicationNeeds: string[] | null;
  preferredLanguage: string | null;
  /** Which version of the coded lists the answers were given from. */
  fieldListsId: string | null;
} & CorrespondenceFields;

export type PeoplePage = { rows: Person[]; total: number; page: number; pageSize: number };

/** What a search lists: no contact or coded details, since a search is not audited as opening a record. */
function toSummary(row: repo.PersonRow): Person {
  return {
    personId: row.person_id,
    reference: row.reference,
    givenName: row.given_name,
    familyName: row.family_name,
    dateOfBirth: row.date_of_birth,
    postcode: row.postcode,
    createdAt: row.created_at,
  };
}

function toPerson(row: repo.PersonRow): PersonRecord {
  return {
    ...toSummary(row),
    nhsNumber: row.nhs_number,
    addressLine1: row.address_line_1,
    addressLine2: row.address_line_2,
    town: row.town,
    phone: row.phone,
    email: row.email,
    sex: row.sex,
    ethnicity: row.ethnicity,
    accommodationStatus: row.accommodation_status,
    employmentStatus: row.employment_status,
    hasUnpaidCarer: row.has_unpaid_carer,
    gpPracticeName: row.gp_practice_name,
    gpPracticeCode: row.gp_practice_code,
    communicationNeeds: row.communication_needs,
    preferredLanguage: row.preferred_language,
    fieldListsId: row.field_lists_id,
    ...correspondenceFieldsOf(row),
  };
}

const isUuid = (s: string) => z.uuid().safeParse(s).success;

/** A made-up reference when the council gives none: short, unambiguous, upper case. */
function newReference(): string {
  return `UP-${randomBytes(5).toString("hex").toUpperCase()}`;
}

/** Parses input for a new person; the date of birth must not be after `today`. */
export function parseNewPerson(input: unknown, today: string): NewPerson {
  const parsed = newPersonSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(fieldErrorsFrom(parsed.error));
  if (parsed.data.dateOfBirth > today) {
    throw new ValidationError([{ path: "dateOfBirth", message: "The date of birth must be in the past" }]);
  }
  return parsed.data;
}

/**
 * A page of people, searched or not. The list names people and their dates of birth, so it is audited as a view
 * of what was listed: the search, the page, how many matched and the ids shown. Opening a record is audited too.
 */
export async function listPeople(ctx: ServiceContext, query: ListPeopleQuery): Promise<PeoplePage> {
  const parsed = listPeopleSchema.safeParse(query);
  if (!parsed.success) throw new ValidationError(fieldErrorsFrom(parsed.error));
  const { search, page, pageSize } = parsed.data;
  return inTenant(ctx, async ({ tx }) => {
    const { rows, total } = await repo.searchPeople(tx, {
      ...(search ? { search } : {}),
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    await audit(tx, {
      action: "view",
      recordType: "people_list",
      recordId: tx.scope.tenantId,
      changes: { search: search ?? null, page, total, personIds: rows.map((r) => r.person_id) },
    });
    return { rows: rows.map(toSummary), total, page, pageSize };
  });
}

/** Opens a person's record: the view itself is recorded in the audit trail. */
export async function getPerson(ctx: ServiceContext, personId: string): Promise<PersonRecord> {
  return inTenant(ctx, (t) => getPersonIn(t, personId));
}

export async function getPersonIn({ tx }: TxContext, personId: string): Promise<PersonRecord> {
  const row = await findPersonRow({ tx }, personId);
  await audit(tx, { action: "view", recordType: "person", recordId: row.person_id });
  return toPerson(row);
}

export type PersonName = { personId: string; givenName: string; familyName: string };

/** For other features' services: some people's names, by family then given name. Not audited (names only). */
export async function namesInNameOrderIn(
  { tx }: Pick<TxContext, "tx">,
  personIds: readonly string[],
): Promise<PersonName[]> {
  const rows = await repo.namesInNameOrder(tx, [...new Set(personIds)]);
  return rows.map((r) => ({ personId: r.person_id, givenName: r.given_name, familyName: r.family_name }));
}

/**
 * For other features' services: the people with these ids, keyed by id (an id no one has is left out). Not
 * audited: the caller audits its own use.
 */
export async function findPersonRows(
  { tx }: Pick<TxContext, "tx">,
  personIds: readonly string[],
): Promise<Map<string, repo.PersonRow>> {
  const ids = [...new Set(personIds)].filter(isUuid);
  return new Map((await repo.findPeople(tx, ids)).map((row) => [row.person_id, row]));
}

/** For other features' services: the person, or NotFoundError. Not audited: the caller audits its own use. */
export async function findPersonRow(
  { tx }: Pick<TxContext, "tx">,
  personId: string,
): Promise<repo.PersonRow> {
  const row = isUuid(personId) ? await repo.findPerson(tx, personId) : undefined;
  if (!row) throw new NotFoundError("The person");
  return row;
}

export async function createPerson(ctx: ServiceContext, input: unknown): Promise<PersonRecord> {
  const person = parseNewPerson(input, ctx.today);
  try {
    return await inTenant(ctx, async (t) => (await createPeopleIn(t, [person]))[0]!);
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ValidationError([
        {
          path: "reference",
          message: person.reference
            ? `Another person already has the reference ${person.reference}`
            : "The reference made up for this person was taken: try again",
        },
      ]);
    }
    throw error;
  }
}

/** The columns a new person's details fill; absent details are null ("not asked yet"). */
function detailColumns(p: NewPerson) {
  return {
    nhs_number: p.nhsNumber ?? null,
    address_line_1: p.addressLine1 ?? null,
    address_line_2: p.addressLine2 ?? null,
    town: p.town ?? null,
    phone: p.phone ?? null,
    email: p.email ?? null,
    sex: p.sex ?? null,
    ethnicity: p.ethnicity ?? null,
    accommodation_status: p.accommodationStatus ?? null,
    employment_status: p.employmentStatus ?? null,
    has_unpaid_carer: p.hasUnpaidCarer ?? null,
    gp_practice_name: p.gpPracticeName ?? null,
    gp_practice_code: p.gpPracticeCode ?? null,
    communication_needs: p.communicationNeeds ?? null,
    preferred_language: p.preferredLanguage ?? null,
    field_lists_id: p.fieldListsId ?? null,
  };
}

/**
 * Creates already-parsed people in the caller's transaction, one audit event each (the seed passes
 * hundreds at once). The audit records that the record was made and which fields were given, not the personal
 * details in them.
 */
export async function createPeopleIn(
  { tx }: TxContext,
  people: readonly NewPerson[],
): Promise<PersonRecord[]> {
  const rows = await repo.insertPeople(
    tx,
    people.map((p) => ({
      person_id: uuidv7(),
      reference: p.reference ?? newReference(),
      given_name: p.givenName,
      family_name: p.familyName,
      date_of_birth: p.dateOfBirth,
      postcode: p.postcode ?? null,
      ...detailColumns(p),
    })),
  );
  for (const row of rows) {
    const person = toPerson(row);
    await audit(tx, {
      action: "create",
      recordType: "person",
      recordId: row.person_id,
      changes: {
        fields: (Object.keys(person) as (keyof PersonRecord)[]).filter(
          (k) => k !== "personId" && k !== "createdAt" && person[k] !== null,
        ),
      },
    });
  }
  return rows.map(toPerson);
}

// ---------------------------------------------------------------------------------------------------------
// Adding a person by staff (page, API, import): every coded answer, and a check for a likely duplicate.

/** Why an existing record looks like the same person. */
export type DuplicateReason = "nhs-number" | "name-and-birth";

export type LikelyDuplicate = { person: PersonRecord; reason: DuplicateReason };

const nameKey = (given: string, family: string, dateOfBirth: string) =>
  `${given.trim().replace(/\s+/g, " ").toLowerCase()}|${family.trim().replace(/\s+/g, " ").toLowerCase()}|${dateOfBirth}`;

/** "Ann Smith (reference R-001)": how a message names the person matched. */
export function describeMatch({ person, reason }: LikelyDuplicate): string {
  const who = `${person.givenName} ${person.familyName} (reference ${person.reference})`;
  return reason === "nhs-number"
    ? `${who} already has this NHS number`
    : `${who} has the same name and date of birth`;
}

/** A likely duplicate was found: refused unless staff confirmed it is a different person (name and birth only). */
export class DuplicatePersonError extends ConflictError {
  readonly matches: LikelyDuplicate[];
  constructor(matches: LikelyDuplicate[]) {
    super(`This person may already be on record: ${matches.map(describeMatch).join("; ")}`);
    this.name = "DuplicatePersonError";
    this.matches = matches;
  }
}

/** Existing people who look like each candidate: the same NHS number, or the same name and date of birth. */
async function likelyDuplicatesIn(
  { tx }: Pick<TxContext, "tx">,
  candidates: readonly Pick<NewPerson, "givenName" | "familyName" | "dateOfBirth" | "nhsNumber">[],
): Promise<LikelyDuplicate[][]> {
  const byNhs = await repo.findByNhsNumbers(
    tx,
    candidates.flatMap((c) => (c.nhsNumber ? [c.nhsNumber] : [])),
  );
  const byBirth = await repo.findByDatesOfBirth(
    tx,
    candidates.map((c) => c.dateOfBirth),
  );
  return candidates.map((c) => {
    const matches: LikelyDuplicate[] = [];
    for (const row of byNhs) {
      if (c.nhsNumber && row.nhs_number === c.nhsNumber)
        matches.push({ person: toPerson(row), reason: "nhs-number" });
    }
    const key = nameKey(c.givenName, c.familyName, c.dateOfBirth);
    for (const row of byBirth) {
      if (matches.some((m) => m.person.personId === row.person_id)) continue;
      if (nameKey(row.given_name, row.family_name, row.date_of_birth) === key) {
        matches.push({ person: toPerson(row), reason: "name-and-birth" });
      }
    }
    return matches;
  });
}

/** Likely duplicates of a person about to be added (for the page that shows them before creating). */
export async function findLikelyDuplicates(
  ctx: ServiceContext,
  candidate: Pick<NewPerson, "givenName" | "familyName" | "dateOfBirth" | "nhsNumber">,
): Promise<LikelyDuplicate[]> {
  return inTenant(ctx, async (t) => (await likelyDuplicatesIn(t, [candidate]))[0]!);
}

/** Likely duplicates of one candidate, inside the caller's transaction (e.g. a self-referral flagging them). */
export async function findLikelyDuplicatesIn(
  t: Pick<TxContext, "tx">,
  candidate: Pick<NewPerson, "givenName" | "familyName" | "dateOfBirth" | "nhsNumber">,
): Promise<LikelyDuplicate[]> {
  return (await likelyDuplicatesIn(t, [candidate]))[0]!;
}

/** Parses a person being added by staff against the coded lists of the council's jurisdiction in force on `today`. */
export function parseAddPerson(
  input: unknown,
  jurisdiction: RuleJurisdiction,
  today: string,
): AddPerson & { fieldListsId: string } {
  const lists = rulesFor(jurisdiction, today).personFields.rules;
  const parsed = addPersonSchema(lists).safeParse(input);
  const errors = parsed.success ? [] : fieldErrorsFrom(parsed.error);
  if (parsed.success && parsed.data.dateOfBirth > today) {
    errors.push({ path: "dateOfBirth", message: "The date of birth must be in the past" });
  }
  if (!parsed.success || errors.length > 0) throw new ValidationError(errors);
  return { ...parsed.data, fieldListsId: lists.id };
}

export type AddPersonOptions = {
  /**
   * Staff looked at these existing records and confirmed the new person is someone else. Only a match on name
   * and date of birth can be confirmed away: an NHS number belongs to one person.
   */
  confirmedDifferentFrom?: readonly string[];
};

/**
 * Adds one person: validates every field first, then in one tenant transaction looks for a likely duplicate
 * (refused with DuplicatePersonError, naming it) and writes the record with its audit event.
 */
export async function addPerson(
  ctx: ServiceContext,
  input: unknown,
  options: AddPersonOptions = {},
): Promise<PersonRecord> {
  const person = parseAddPerson(input, await councilJurisdiction(ctx), ctx.today);
  const confirmed = new Set(options.confirmedDifferentFrom ?? []);
  try {
    return await inTenant(ctx, async (t) => {
      const [matches] = await likelyDuplicatesIn(t, [person]);
      const blocking = matches!.filter((m) => m.reason === "nhs-number" || !confirmed.has(m.person.personId));
      if (blocking.length > 0) throw new DuplicatePersonError(blocking);
      return (await createPeopleIn(t, [person]))[0]!;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw uniqueViolationError(error, person);
    throw error;
  }
}

/** A unique index refused the write: another record was made with the same reference or NHS number meanwhile. */
function uniqueViolationError(error: unknown, person: NewPerson): ValidationError {
  // Both drivers name the index that refused the row (pg-protocol's `constraint`).
  if ((error as { constraint?: unknown }).constraint === "people_nhs_number") {
    return new ValidationError([
      {
        path: "nhsNumber",
        message: "Another person was given this NHS number at the same moment: search for them",
      },
    ]);
  }
  return new ValidationError([
    {
      path: "reference",
      message: person.reference
        ? `Another person already has the reference ${person.reference}`
        : "The reference made up for this person was taken: try again",
    },
  ]);
}

// ---------------------------------------------------------------------------------------------------------
// Importing people from a CSV file (`upfront people import`): all or nothing, every bad row named.

/** The import's columns, in the order a template lists them: [column, field, what to write]. */
export const PEOPLE_CSV_COLUMNS = [
  ["given_name", "givenName", "first name (required)"],
  ["family_name", "familyName", "last name (required)"],
  ["date_of_birth", "dateOfBirth", "YYYY-MM-DD (required)"],
  ["sex", "sex", "a code from the sex list (required)"],
  ["ethnicity", "ethnicity", "a code from the ethnicity list (required)"],
  ["accommodation_status", "accommodationStatus", "a code from the accommodation status list (required)"],
  ["employment_status", "employmentStatus", "a code from the employment status list (required)"],
  ["has_unpaid_carer", "hasUnpaidCarer", "yes, no or not-known (required)"],
  [
    "communication_needs",
    "communicationNeeds",
    "codes separated by semicolons, or none (required): large-print;easy-read;bsl;braille;representative-copies",
  ],
  ["nhs_number", "nhsNumber", "10 digits, checked (optional)"],
  ["reference", "reference", "the council's reference; made up when blank (optional)"],
  ["address_line_1", "addressLine1", "optional"],
  ["address_line_2", "addressLine2", "optional"],
  ["town", "town", "optional"],
  ["postcode", "postcode", "optional"],
  ["phone", "phone", "optional"],
  ["email", "email", "optional"],
  ["gp_practice_name", "gpPracticeName", "optional"],
  ["gp_practice_code", "gpPracticeCode", "ODS code, e.g. A81001 (optional)"],
  ["preferred_language", "preferredLanguage", "optional"],
] as const;

const REQUIRED_COLUMNS = PEOPLE_CSV_COLUMNS.filter(([, , what]) => what.includes("(required)")).map(
  ([c]) => c,
);
const FIELD_TO_COLUMN = new Map<string, string>(PEOPLE_CSV_COLUMNS.map(([column, field]) => [field, column]));

export type ImportProblem = { row: number; message: string };

/** The file could not be imported; nothing was written. Each problem names its row (the header is row 1). */
export class PeopleImportError extends Error {
  readonly problems: ImportProblem[];
  constructor(problems: ImportProblem[]) {
    super(`The file has ${problems.length} problem${problems.length === 1 ? "" : "s"}: nothing was imported`);
    this.name = "PeopleImportError";
    this.problems = problems;
  }
}

/**
 * Imports people from CSV records (read with the project's CSV reader; the first is the header). Every row is
 * checked before anything is written: its fields, a match with someone already on record (same NHS number, or
 * same name and date of birth), and another row for the same person in the file. Then every person is written
 * in one tenant transaction, each with its audit event.
 */
export async function importPeople(
  ctx: ServiceContext,
  records: readonly { row: number; fields: readonly string[] }[],
  readProblems: readonly ImportProblem[] = [],
): Promise<PersonRecord[]> {
  const problems: ImportProblem[] = [...readProblems];
  const [header, ...rows] = records;
  if (!header)
    throw new PeopleImportError([
      { row: 1, message: "The file is empty: give a header row, then one row a person" },
    ]);
  const columns = header.fields.map((c) => c.trim().toLowerCase());
  const known = new Set<string>(PEOPLE_CSV_COLUMNS.map(([c]) => c));
  for (const c of columns) {
    if (!known.has(c))
      problems.push({
        row: header.row,
        message: `"${c}" is not a column of the people import: check the spelling, or remove it`,
      });
  }
  for (const c of REQUIRED_COLUMNS) {
    if (!columns.includes(c)) problems.push({ row: header.row, message: `The header has no "${c}" column` });
  }
  if (problems.length > 0) throw new PeopleImportError(problems);

  const dataRows = rows.filter((r) => r.fields.some((f) => f.trim() !== ""));
  if (dataRows.length === 0)
    throw new PeopleImportError([
      { row: 2, message: "The file lists nobody: add one row a person under the header" },
    ]);

  const jurisdiction = await councilJurisdiction(ctx);
  const parsed: { row: number; person: ReturnType<typeof parseAddPerson> }[] = [];
  for (const record of dataRows) {
    if (record.fields.length !== columns.length) {
      problems.push({
        row: record.row,
        message: `The row has ${countOf(record.fields.length, "field")}; the header has ${columns.length}`,
      });
      continue;
    }
    const input: Record<string, unknown> = {};
    columns.forEach((column, i) => {
      const field = PEOPLE_CSV_COLUMNS.find(([c]) => c === column)![1];
      const value = record.fields[i]!;
      if (field === "communicationNeeds") {
        const trimmed = value.trim().toLowerCase();
        if (trimmed === "") return; // left out, so the schema asks for it
        input[field] =
          trimmed === "none"
            ? []
            : trimmed
                .split(";")
                .map((s) => s.trim())
                .filter(Boolean);
      } else input[field] = value;
    });
    try {
      parsed.push({ row: record.row, person: parseAddPerson(input, jurisdiction, ctx.today) });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      for (const e of error.fieldErrors) {
        const column = FIELD_TO_COLUMN.get(e.path.split(/[.[]/)[0]!) ?? e.path;
        const message =
          column === "communication_needs" && /expected array|list/i.test(e.message)
            ? "Write the communication needs, or none"
            : e.message;
        problems.push({ row: record.row, message: `${column}: ${message}` });
      }
    }
  }

  // Two rows for one person in the file.
  const seenNhs = new Map<string, number>();
  const seenName = new Map<string, number>();
  for (const { row, person } of parsed) {
    if (person.nhsNumber) {
      const first = seenNhs.get(person.nhsNumber);
      if (first !== undefined)
        problems.push({ row, message: `Row ${first} is the same person: the same NHS number` });
      else seenNhs.set(person.nhsNumber, row);
    }
    const key = nameKey(person.givenName, person.familyName, person.dateOfBirth);
    const first = seenName.get(key);
    if (first !== undefined)
      problems.push({ row, message: `Row ${first} is the same person: the same name and date of birth` });
    else seenName.set(key, row);
    if (person.reference) {
      const same = parsed.find((p) => p.row < row && p.person.reference === person.reference);
      if (same) problems.push({ row, message: `Row ${same.row} has the same reference ${person.reference}` });
    }
  }

  try {
    return await inTenant(ctx, async (t) => {
      const matches = await likelyDuplicatesIn(
        t,
        parsed.map((p) => p.person),
      );
      parsed.forEach(({ row }, i) => {
        for (const match of matches[i]!)
          problems.push({ row, message: `${describeMatch(match)}: this person is already on record` });
      });
      const references = parsed.flatMap((p) => (p.person.reference ? [p.person.reference] : []));
      for (const taken of await repo.findByReferences(t.tx, references)) {
        const row = parsed.find((p) => p.person.reference === taken.reference)!.row;
        problems.push({
          row,
          message: `${taken.given_name} ${taken.family_name} already has the reference ${taken.reference}`,
        });
      }
      if (problems.length > 0) throw new PeopleImportError(sortProblems(problems));
      return createPeopleIn(
        t,
        parsed.map((p) => p.person),
      );
    });
  } catch (error) {
    if (error instanceof PeopleImportError) throw error;
    if (isUniqueViolation(error)) {
      throw new PeopleImportError([
        {
          row: 1,
          message:
            "Someone added one of these people (the same NHS number or reference) while the file was imported: run it again to see which",
        },
      ]);
    }
    throw error;
  }
}

const sortProblems = (problems: ImportProblem[]) => [...problems].sort((a, b) => a.row - b.row);
