import { randomBytes } from "node:crypto";
import { z } from "zod";
import * as repo from "#/features/people/repository.ts";
import type { ListPeopleQuery } from "#/features/people/schemas.ts";
import { listPeopleSchema, type NewPerson, newPersonSchema } from "#/features/people/schemas.ts";
import { audit } from "#/platform/audit/audit.ts";
import { inTenant, isUniqueViolation, type ServiceContext, type TxContext } from "#/platform/context.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import { NotFoundError, ValidationError } from "#/platform/errors.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";

export type Person = {
  personId: string;
  reference: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  postcode: string | null;
  createdAt: Date;
};

export type PeoplePage = { rows: Person[]; total: number; page: number; pageSize: number };

function toPerson(row: repo.PersonRow): Person {
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

/** Searching lists names only, so it is not audited as a view; opening a record is (getPerson). */
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
    return { rows: rows.map(toPerson), total, page, pageSize };
  });
}

/** Opens a person's record: the view itself is recorded in the audit trail. */
export async function getPerson(ctx: ServiceContext, personId: string): Promise<Person> {
  return inTenant(ctx, (t) => getPersonIn(t, personId));
}

export async function getPersonIn({ tx }: TxContext, personId: string): Promise<Person> {
  const row = await findPersonRow({ tx }, personId);
  await audit(tx, { action: "view", recordType: "person", recordId: row.person_id });
  return toPerson(row);
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

export async function createPerson(ctx: ServiceContext, input: unknown): Promise<Person> {
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

/**
 * Creates already-parsed people in the caller's transaction, one audit event each (the seed passes
 * hundreds at once). The audit records that the record was made, not the personal details in it.
 */
export async function createPeopleIn({ tx }: TxContext, people: readonly NewPerson[]): Promise<Person[]> {
  const rows = await repo.insertPeople(
    tx,
    people.map((p) => ({
      person_id: uuidv7(),
      reference: p.reference ?? newReference(),
      given_name: p.givenName,
      family_name: p.familyName,
      date_of_birth: p.dateOfBirth,
      postcode: p.postcode ?? null,
    })),
  );
  for (const row of rows) {
    await audit(tx, {
      action: "create",
      recordType: "person",
      recordId: row.person_id,
      changes: {
        fields: [
          "reference",
          "givenName",
          "familyName",
          "dateOfBirth",
          ...(row.postcode ? ["postcode"] : []),
        ],
      },
    });
  }
  return rows.map(toPerson);
}
