import type { Selectable } from "kysely";
import { anyUuid } from "#/platform/db/any-of.ts";
import type { DB } from "#/platform/db/schema.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * SQL for payees (a person or a provider the council pays) and their bank details, proposed by one member of
 * staff and approved by another (migrations/0010_payments.sql), inside the caller's tenant transaction. Queries
 * name tenant_id even under RLS.
 */

export type PayeeRow = Selectable<DB["payees"]>;
export type BankDetailsRow = Selectable<DB["payee_bank_details"]>;

const tenant = (tx: TenantTx) => tx.scope.tenantId;

export async function insertPayee(tx: TenantTx, row: Omit<PayeeRow, "tenant_id" | "created_at">) {
  return tx
    .insertInto("payees")
    .values({ ...row, tenant_id: tenant(tx) })
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function findPayee(tx: TenantTx, payeeId: string): Promise<PayeeRow | undefined> {
  return tx
    .selectFrom("payees")
    .selectAll()
    .where("tenant_id", "=", tenant(tx))
    .where("payee_id", "=", payeeId)
    .executeTakeFirst();
}

export async function listPayees(tx: TenantTx): Promise<PayeeRow[]> {
  return tx
    .selectFrom("payees")
    .selectAll()
    .where("tenant_id", "=", tenant(tx))
    .orderBy("name")
    .orderBy("payee_id")
    .execute();
}

export async function payeeOfPerson(tx: TenantTx, personId: string): Promise<PayeeRow | undefined> {
  return tx
    .selectFrom("payees")
    .selectAll()
    .where("tenant_id", "=", tenant(tx))
    .where("kind", "=", "person")
    .where("person_id", "=", personId)
    .executeTakeFirst();
}

export async function payeeOfProvider(tx: TenantTx, providerId: string): Promise<PayeeRow | undefined> {
  return tx
    .selectFrom("payees")
    .selectAll()
    .where("tenant_id", "=", tenant(tx))
    .where("kind", "=", "provider")
    .where("provider_id", "=", providerId)
    .executeTakeFirst();
}

export async function insertBankDetails(
  tx: TenantTx,
  row: Omit<BankDetailsRow, "tenant_id" | "proposed_at" | "status" | "decided_by" | "decided_at">,
): Promise<void> {
  await tx
    .insertInto("payee_bank_details")
    .values({ ...row, tenant_id: tenant(tx), status: "proposed" })
    .execute();
}

export async function findBankDetailsForUpdate(
  tx: TenantTx,
  detailsId: string,
): Promise<BankDetailsRow | undefined> {
  return tx
    .selectFrom("payee_bank_details")
    .selectAll()
    .where("tenant_id", "=", tenant(tx))
    .where("details_id", "=", detailsId)
    .forUpdate()
    .executeTakeFirst();
}

export async function decideBankDetails(
  tx: TenantTx,
  detailsId: string,
  status: "approved" | "refused",
  decidedBy: string,
): Promise<void> {
  await tx
    .updateTable("payee_bank_details")
    .set({ status, decided_by: decidedBy, decided_at: new Date() })
    .where("tenant_id", "=", tenant(tx))
    .where("details_id", "=", detailsId)
    .where("status", "=", "proposed")
    .execute();
}

export async function bankDetailsOf(tx: TenantTx, payeeId: string): Promise<BankDetailsRow[]> {
  return tx
    .selectFrom("payee_bank_details")
    .selectAll()
    .where("tenant_id", "=", tenant(tx))
    .where("payee_id", "=", payeeId)
    .orderBy("proposed_at", "desc")
    .execute();
}

export async function proposedBankDetails(
  tx: TenantTx,
): Promise<(BankDetailsRow & { payee_name: string })[]> {
  return tx
    .selectFrom("payee_bank_details as d")
    .innerJoin("payees as p", (j) =>
      j.onRef("p.tenant_id", "=", "d.tenant_id").onRef("p.payee_id", "=", "d.payee_id"),
    )
    .selectAll("d")
    .select("p.name as payee_name")
    .where("d.tenant_id", "=", tenant(tx))
    .where("d.status", "=", "proposed")
    .orderBy("d.proposed_at")
    .execute();
}

/** Each payee's approved details in force on a date (latest effective_from on or before it, then latest decided). */
export async function approvedDetailsOn(
  tx: TenantTx,
  payeeIds: readonly string[],
  date: string,
): Promise<Map<string, BankDetailsRow>> {
  if (payeeIds.length === 0) return new Map();
  const rows = await tx
    .selectFrom("payee_bank_details")
    .selectAll()
    .where("tenant_id", "=", tenant(tx))
    .where("payee_id", "=", anyUuid(payeeIds))
    .where("status", "=", "approved")
    .where("effective_from", "<=", date)
    .orderBy("payee_id")
    .orderBy("effective_from", "desc")
    .orderBy("decided_at", "desc")
    .execute();
  const out = new Map<string, BankDetailsRow>();
  for (const r of rows) if (!out.has(r.payee_id)) out.set(r.payee_id, r);
  return out;
}
