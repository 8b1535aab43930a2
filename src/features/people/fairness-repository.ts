import { anyUuid } from "#/platform/db/any-of.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/** SQL for what the reports need of people: the coded fields groups are made from (no names, no contacts). */

export type PersonFactsRow = {
  person_id: string;
  date_of_birth: string;
  sex: string | null;
  ethnicity: string | null;
  postcode: string | null;
};

export async function personFacts(tx: TenantTx, personIds: readonly string[]): Promise<PersonFactsRow[]> {
  if (personIds.length === 0) return [];
  return tx
    .selectFrom("people")
    .select(["person_id", "date_of_birth", "sex", "ethnicity", "postcode"])
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("person_id", "=", anyUuid(personIds))
    .execute();
}
