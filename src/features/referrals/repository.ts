import { type Selectable, sql } from "kysely";
import type { DB } from "#/platform/db/schema.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * SQL for referrals and the self-referral flood counts (migrations/0019_referrals_tasks.sql), inside the caller's
 * tenant transaction. Queries name tenant_id even under RLS, so Citus can route them.
 */

export type ReferralRow = Selectable<DB["referrals"]>;

export async function insertReferral(
  tx: TenantTx,
  row: Omit<
    ReferralRow,
    "tenant_id" | "created_at" | "status" | "outcome" | "closed_on" | "closed_by" | "details"
  > & {
    details: unknown;
  },
): Promise<ReferralRow> {
  return tx
    .insertInto("referrals")
    .values({
      ...row,
      details: row.details === null ? null : JSON.stringify(row.details),
      tenant_id: tx.scope.tenantId,
      status: "open",
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function referralsOf(tx: TenantTx, personId: string): Promise<ReferralRow[]> {
  return tx
    .selectFrom("referrals")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("person_id", "=", personId)
    .orderBy("received_on", "desc")
    .orderBy("created_at", "desc")
    .execute();
}

export async function findReferral(tx: TenantTx, referralId: string): Promise<ReferralRow | undefined> {
  return tx
    .selectFrom("referrals")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("referral_id", "=", referralId)
    .forUpdate()
    .executeTakeFirst();
}

export async function closeReferral(
  tx: TenantTx,
  referralId: string,
  close: { outcome: string; closed_on: string; closed_by: string },
): Promise<ReferralRow> {
  return tx
    .updateTable("referrals")
    .set({ status: "closed", ...close })
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("referral_id", "=", referralId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * One self-referral at a time per council, for the rest of the transaction: counting and then adding must not
 * interleave, or two instances could both see a count just under a limit.
 */
export async function lockSelfReferrals(tx: TenantTx): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`self-referral:${tx.scope.tenantId}`}, 0))`.execute(
    tx,
  );
}

/** Self-referrals accepted on a day: from the whole council, and from one client address. */
export async function countSelfReferrals(
  tx: TenantTx,
  day: string,
  clientHash: string,
): Promise<{ council: number; address: number }> {
  const row = await tx
    .selectFrom("self_referral_submissions")
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("submitted_on", "=", day)
    .select([
      sql<string>`count(*)`.as("council"),
      sql<string>`count(*) FILTER (WHERE client_hash = ${clientHash})`.as("address"),
    ])
    .executeTakeFirstOrThrow();
  return { council: Number(row.council), address: Number(row.address) };
}

export async function insertSubmission(
  tx: TenantTx,
  row: { submission_id: string; submitted_on: string; client_hash: string; referral_id: string },
): Promise<void> {
  await tx
    .insertInto("self_referral_submissions")
    .values({ ...row, tenant_id: tx.scope.tenantId })
    .execute();
}

/** Forgets the flood counts of days before this one (their referrals stay). */
export async function forgetSubmissionsBefore(tx: TenantTx, day: string): Promise<void> {
  await tx
    .deleteFrom("self_referral_submissions")
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("submitted_on", "<", day)
    .execute();
}
