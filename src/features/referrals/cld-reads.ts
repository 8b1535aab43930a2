import { anyUuid, uuidBounds } from "#/platform/db/any-of.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * Requests for support (referrals and self-referrals) of some people, for the reports feature's Client Level Data
 * return: one query for a page of people. Codes are returned as stored (the lists' ids); the return maps them.
 */

export type ReferralForReports = {
  referralId: string;
  reference: string;
  personId: string;
  receivedOn: string;
  routeOfAccess: string;
  /** Who asked (the request source list); "self" for a person's own request, on-line or not. */
  requestSource: string;
  /** Made through the public self-referral form. */
  selfReferral: boolean;
  outcome: string | null;
  closedOn: string | null;
};

export async function referralsForReportsIn(
  tx: TenantTx,
  personIds: readonly string[],
): Promise<ReferralForReports[]> {
  // The ids' first and last beside ANY: the planner then reads a page of people by the index (any-of.ts).
  const bounds = uuidBounds(personIds);
  if (bounds === null) return [];
  const rows = await tx
    .selectFrom("referrals as r")
    .select([
      "r.referral_id",
      "r.reference",
      "r.person_id",
      "r.received_on",
      "r.route_of_access",
      "r.request_source",
      "r.outcome",
      "r.closed_on",
    ])
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom("self_referral_submissions as s")
            .select("s.submission_id")
            .whereRef("s.tenant_id", "=", "r.tenant_id")
            .whereRef("s.referral_id", "=", "r.referral_id"),
        )
        .as("self_referral"),
    )
    .where("r.tenant_id", "=", tx.scope.tenantId)
    .where("r.person_id", ">=", bounds.first)
    .where("r.person_id", "<=", bounds.last)
    .where("r.person_id", "=", anyUuid(personIds))
    .orderBy("r.person_id")
    .orderBy("r.received_on")
    .orderBy("r.referral_id")
    .execute();
  return rows.map((r) => ({
    referralId: r.referral_id,
    reference: r.reference,
    personId: r.person_id,
    receivedOn: r.received_on,
    routeOfAccess: r.route_of_access,
    requestSource: r.request_source,
    selfReferral: Boolean(r.self_referral),
    outcome: r.outcome,
    closedOn: r.closed_on,
  }));
}

/** The people these referrals are about (for a refresh of the CLD rows of people whose records changed). */
export async function peopleOfReferralsForReportsIn(
  tx: TenantTx,
  referralIds: readonly string[],
): Promise<string[]> {
  if (referralIds.length === 0) return [];
  const rows = await tx
    .selectFrom("referrals")
    .select("person_id")
    .distinct()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("referral_id", "=", anyUuid(referralIds))
    .execute();
  return rows.map((r) => r.person_id);
}
