import { anyUuid } from "#/platform/db/any-of.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * People in pages, for the reports feature's statutory returns (the Client Level Data return): the coded record
 * of each person, in person_id order. Keyset pages (person_id after the last one seen), so a council of a million
 * people is read in even slices without OFFSET's growing cost; one query per page, never one per person.
 */

export type PersonForReports = {
  personId: string;
  reference: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  postcode: string | null;
  nhsNumber: string | null;
  sex: string | null;
  ethnicity: string | null;
  accommodationStatus: string | null;
  employmentStatus: string | null;
  hasUnpaidCarer: string | null;
  gpPracticeName: string | null;
  gpPracticeCode: string | null;
};

const COLUMNS = [
  "person_id",
  "reference",
  "given_name",
  "family_name",
  "date_of_birth",
  "postcode",
  "nhs_number",
  "sex",
  "ethnicity",
  "accommodation_status",
  "employment_status",
  "has_unpaid_carer",
  "gp_practice_name",
  "gp_practice_code",
] as const;

function peopleQuery(tx: TenantTx) {
  return tx.selectFrom("people").select(COLUMNS).where("tenant_id", "=", tx.scope.tenantId);
}

type PersonRow = Awaited<ReturnType<ReturnType<typeof peopleQuery>["execute"]>>[number];

const personFrom = (r: PersonRow): PersonForReports => ({
  personId: r.person_id,
  reference: r.reference,
  givenName: r.given_name,
  familyName: r.family_name,
  dateOfBirth: r.date_of_birth,
  postcode: r.postcode,
  nhsNumber: r.nhs_number,
  sex: r.sex,
  ethnicity: r.ethnicity,
  accommodationStatus: r.accommodation_status,
  employmentStatus: r.employment_status,
  hasUnpaidCarer: r.has_unpaid_carer,
  gpPracticeName: r.gp_practice_name,
  gpPracticeCode: r.gp_practice_code,
});

export async function peopleForReportsPageIn(
  tx: TenantTx,
  page: { after: string | null; limit: number },
): Promise<PersonForReports[]> {
  let query = peopleQuery(tx);
  if (page.after !== null) query = query.where("person_id", ">", page.after);
  const rows = await query.orderBy("person_id").limit(page.limit).execute();
  return rows.map(personFrom);
}

/** These people's coded records (those that still exist), in person_id order: a refresh of some people's rows. */
export async function peopleForReportsByIdIn(
  tx: TenantTx,
  personIds: readonly string[],
): Promise<PersonForReports[]> {
  if (personIds.length === 0) return [];
  const rows = await peopleQuery(tx)
    .where("person_id", "=", anyUuid(personIds))
    .orderBy("person_id")
    .execute();
  return rows.map(personFrom);
}

/** How many people the council has: the size of the whole run, for a progress bar. */
export async function countPeopleForReportsIn(tx: TenantTx): Promise<number> {
  const row = await tx
    .selectFrom("people")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("tenant_id", "=", tx.scope.tenantId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
