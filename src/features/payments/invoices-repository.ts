import type { Selectable } from "kysely";
import { inChunks } from "#/features/payments/repository.ts";
import { anyUuid } from "#/platform/db/any-of.ts";
import type { DB } from "#/platform/db/schema.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * SQL for contribution invoices (what the person pays the council when it is not netted off their payments,
 * migrations/0010_payments.sql), inside the caller's tenant transaction. A run inserts them with ON CONFLICT DO
 * NOTHING on their exactly-once keys: the rows returned are the ones this transaction made. Queries name
 * tenant_id even under RLS.
 */

export type InvoiceRow = Selectable<DB["contribution_invoices"]>;

const tenant = (tx: TenantTx) => tx.scope.tenantId;

export async function insertInvoices(
  tx: TenantTx,
  rows: readonly Omit<InvoiceRow, "tenant_id" | "created_at" | "status" | "paid_on">[],
): Promise<InvoiceRow[]> {
  return inChunks(rows, (chunk) =>
    tx
      .insertInto("contribution_invoices")
      .values(chunk.map((r) => ({ ...r, tenant_id: tenant(tx), status: "raised" as const })))
      .onConflict((oc) => oc.columns(["tenant_id", "invoice_key"]).doNothing())
      .returningAll()
      .execute(),
  );
}

export async function invoicesOfPerson(tx: TenantTx, personId: string): Promise<InvoiceRow[]> {
  return invoicesOfPeople(tx, [personId]);
}

/** The invoices of many people in one query, newest cycle first. */
export async function invoicesOfPeople(tx: TenantTx, personIds: readonly string[]): Promise<InvoiceRow[]> {
  if (personIds.length === 0) return [];
  return tx
    .selectFrom("contribution_invoices")
    .selectAll()
    .where("tenant_id", "=", tenant(tx))
    .where("person_id", "=", anyUuid(personIds))
    .orderBy("cycle_start", "desc")
    .execute();
}

export async function findInvoice(
  tx: TenantTx,
  invoiceId: string,
  forUpdate = false,
): Promise<InvoiceRow | undefined> {
  let q = tx
    .selectFrom("contribution_invoices")
    .selectAll()
    .where("tenant_id", "=", tenant(tx))
    .where("invoice_id", "=", invoiceId);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** Marks a raised invoice paid; false when it was not raised (someone recorded it first). */
export async function setInvoicePaid(tx: TenantTx, invoiceId: string, paidOn: string): Promise<boolean> {
  const r = await tx
    .updateTable("contribution_invoices")
    .set({ status: "paid", paid_on: paidOn })
    .where("tenant_id", "=", tenant(tx))
    .where("invoice_id", "=", invoiceId)
    .where("status", "=", "raised")
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Invoices for finance, oldest cycle first: the first `limit`, and every other one from the last of those
 * cycles (the caller orders a cycle's invoices by the person's name, so it needs all of that cycle's).
 */
export async function invoicesByCycle(
  tx: TenantTx,
  filter: { status?: InvoiceRow["status"]; limit: number },
): Promise<InvoiceRow[]> {
  let q = tx.selectFrom("contribution_invoices").selectAll().where("tenant_id", "=", tenant(tx));
  if (filter.status) q = q.where("status", "=", filter.status);
  const first = await q.orderBy("cycle_start").orderBy("invoice_id").limit(filter.limit).execute();
  const lastCycle = first.at(-1)?.cycle_start;
  if (first.length < filter.limit || lastCycle === undefined) return first;
  return q.where("cycle_start", "<=", lastCycle).orderBy("cycle_start").orderBy("invoice_id").execute();
}
