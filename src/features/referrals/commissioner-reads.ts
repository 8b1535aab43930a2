import type { TenantTx } from "#/platform/db/tenant.ts";

/** Requests for support as the commissioner's reports count them (features/reports): no names, no details. */
export type ReferralFact = { referralId: string; personId: string; receivedOn: string; recordedBy: string };

/** Every request received in [from, to], oldest first. */
export async function referralFactsIn(tx: TenantTx, from: string, to: string): Promise<ReferralFact[]> {
  const rows = await tx
    .selectFrom("referrals")
    .select(["referral_id", "person_id", "received_on", "created_by"])
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("received_on", ">=", from)
    .where("received_on", "<=", to)
    .orderBy("received_on")
    .orderBy("referral_id")
    .execute();
  return rows.map((r) => ({
    referralId: r.referral_id,
    personId: r.person_id,
    receivedOn: r.received_on,
    recordedBy: r.created_by,
  }));
}
