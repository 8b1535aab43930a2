import * as repo from "#/features/people/fairness-repository.ts";
import { findByReferences } from "#/features/people/repository.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * What the reports feature reads of people (issue 15, the public fairness dashboard): date of birth, sex,
 * ethnicity and postcode, the fields groups are made from; never a name or contact detail. Not audited: only
 * suppressed group figures leave through the reports.
 */

export type PersonFacts = {
  personId: string;
  dateOfBirth: string;
  sex: string | null;
  ethnicity: string | null;
  postcode: string | null;
};

export async function personFactsForReportsIn(
  tx: TenantTx,
  personIds: readonly string[],
): Promise<PersonFacts[]> {
  return (await repo.personFacts(tx, [...new Set(personIds)])).map((r) => ({
    personId: r.person_id,
    dateOfBirth: r.date_of_birth,
    sex: r.sex,
    ethnicity: r.ethnicity,
    postcode: r.postcode,
  }));
}

/** People's ids by their references (a reference no one has is left out), for an import naming people by reference. */
export async function personIdsByReferenceIn(
  tx: TenantTx,
  references: readonly string[],
): Promise<Map<string, string>> {
  const rows = await findByReferences(tx, [...new Set(references)]);
  return new Map(rows.map((r) => [r.reference, r.person_id]));
}
