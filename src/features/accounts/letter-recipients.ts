import { effectiveScopes, type RepresentativeKind } from "#/features/accounts/access.calc.ts";
import * as repo from "#/features/accounts/repository.ts";
import { toRepresentation } from "#/features/accounts/representatives.ts";
import {
  type CorrespondenceFields,
  correspondenceFieldsOf,
  defaultLetterFormat,
  type LetterFormat,
} from "#/features/people/correspondence.calc.ts";
import { findPersonRow } from "#/features/people/service.ts";
import type { TxContext } from "#/platform/context.ts";

/**
 * Who gets a person's letters (issue 16, "Letters"): the person, as their correspondence preferences say, and a
 * copy to each representative whose representation is in force today and holds the receive_letters scope (within
 * what their kind permits: access.calc.ts effectiveScopes). For the letters work; not audited (the caller audits
 * the letter it sends).
 */

export type PersonRecipient = CorrespondenceFields & {
  role: "person";
  personId: string;
  name: string;
  addressLines: string[];
  postcode: string | null;
  email: string | null;
  mobile: string | null;
  /** The chosen format, else the one the communication needs call for. */
  letterFormat: LetterFormat;
};

export type RepresentativeRecipient = {
  role: "representative";
  representativeId: string;
  name: string;
  kind: RepresentativeKind;
  relationship: string | null;
  /** The email of their portal account, when they have one; no postal address is recorded for representatives. */
  email: string | null;
};

export type LetterRecipients = { person: PersonRecipient; representatives: RepresentativeRecipient[] };

export async function letterRecipientsIn(t: TxContext, personId: string): Promise<LetterRecipients> {
  const row = await findPersonRow(t, personId);
  const fields = correspondenceFieldsOf(row);
  const person: PersonRecipient = {
    ...fields,
    role: "person",
    personId: row.person_id,
    name: `${row.given_name} ${row.family_name}`,
    addressLines: [row.address_line_1, row.address_line_2, row.town].filter((l): l is string => Boolean(l)),
    postcode: row.postcode,
    email: row.email,
    mobile: row.phone,
    letterFormat: fields.letterFormat ?? defaultLetterFormat(row.communication_needs),
  };
  const representatives: RepresentativeRecipient[] = [];
  for (const rep of await repo.listRepresentativesOf(t.tx, row.person_id)) {
    if (!effectiveScopes(toRepresentation(rep), t.today).includes("receive_letters")) continue;
    const account = rep.account_id ? await repo.findAccount(t.tx, rep.account_id) : undefined;
    representatives.push({
      role: "representative",
      representativeId: rep.representative_id,
      name: rep.name,
      kind: rep.kind,
      relationship: rep.relationship,
      email: account?.email ?? null,
    });
  }
  return { person, representatives };
}
