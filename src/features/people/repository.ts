import { type Selectable, sql } from "kysely";
import { anyUuid } from "#/platform/db/any-of.ts";
import type { DB } from "#/platform/db/schema.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/** SQL for people, inside the caller's tenant transaction. */

export type PersonRow = Selectable<DB["people"]>;

/** The correspondence preferences (issue 16): asked after a person is added, so a new row may leave them out. */
type CorrespondenceColumn = "letter_channel" | "texts_allowed" | "letter_format" | "correspondence_language";

export type NewPersonRow = Omit<PersonRow, "tenant_id" | "created_at" | CorrespondenceColumn> &
  Partial<Pick<PersonRow, CorrespondenceColumn>>;

/** Records a person's correspondence preferences; false when there is no such person. */
export async function updateCorrespondence(
  tx: TenantTx,
  personId: string,
  values: Pick<PersonRow, CorrespondenceColumn>,
): Promise<boolean> {
  const result = await tx
    .updateTable("people")
    .set(values)
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("person_id", "=", personId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertPeople(tx: TenantTx, rows: readonly NewPersonRow[]): Promise<PersonRow[]> {
  if (rows.length === 0) return [];
  return tx
    .insertInto("people")
    .values(rows.map((r) => ({ ...r, tenant_id: tx.scope.tenantId })))
    .returningAll()
    .execute();
}

export async function findPerson(tx: TenantTx, personId: string): Promise<PersonRow | undefined> {
  return tx
    .selectFrom("people")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("person_id", "=", personId)
    .executeTakeFirst();
}

/** Some people's names, by family then given name (the database's collation, as every list of people sorts). */
export async function namesInNameOrder(tx: TenantTx, personIds: readonly string[]) {
  if (personIds.length === 0) return [];
  return tx
    .selectFrom("people")
    .select(["person_id", "given_name", "family_name"])
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("person_id", "=", anyUuid(personIds))
    .orderBy("family_name")
    .orderBy("given_name")
    .execute();
}

/** The people with any of these ids (those that exist), in one query. */
export async function findPeople(tx: TenantTx, personIds: readonly string[]): Promise<PersonRow[]> {
  if (personIds.length === 0) return [];
  return tx
    .selectFrom("people")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("person_id", "=", anyUuid(personIds))
    .execute();
}

/** LIKE treats % and _ as wildcards; a search for them means the characters themselves. */
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A page of people, by family then given name, matching the search anywhere in the name or reference. */
export async function searchPeople(
  tx: TenantTx,
  query: { search?: string; limit: number; offset: number },
): Promise<{ rows: PersonRow[]; total: number }> {
  let base = tx.selectFrom("people").where("tenant_id", "=", tx.scope.tenantId);
  if (query.search) {
    const pattern = `%${escapeLike(query.search)}%`;
    base = base.where((eb) =>
      eb.or([
        eb("reference", "ilike", pattern),
        eb("given_name", "ilike", pattern),
        eb("family_name", "ilike", pattern),
        // "Ann Smith" should find Ann Smith, so match the full name too.
        eb(sql<string>`given_name || ' ' || family_name`, "ilike", pattern),
      ]),
    );
  }
  // One after the other: a transaction has one connection.
  const rows = await base
    .selectAll()
    .orderBy("family_name")
    .orderBy("given_name")
    .orderBy("reference")
    .limit(query.limit)
    .offset(query.offset)
    .execute();
  const count = await base.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
  return { rows, total: Number(count.total) };
}

/** People with any of these NHS numbers. */
export async function findByNhsNumbers(tx: TenantTx, nhsNumbers: readonly string[]): Promise<PersonRow[]> {
  if (nhsNumbers.length === 0) return [];
  return tx
    .selectFrom("people")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("nhs_number", "in", [...nhsNumbers])
    .orderBy("reference")
    .execute();
}

/** People born on any of these dates: the caller matches names (case and spacing aside). */
export async function findByDatesOfBirth(tx: TenantTx, dates: readonly string[]): Promise<PersonRow[]> {
  if (dates.length === 0) return [];
  return tx
    .selectFrom("people")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("date_of_birth", "in", [...new Set(dates)])
    .orderBy("reference")
    .execute();
}

/** People with any of these references. */
export async function findByReferences(tx: TenantTx, references: readonly string[]): Promise<PersonRow[]> {
  if (references.length === 0) return [];
  return tx
    .selectFrom("people")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("reference", "in", [...references])
    .execute();
}
