import type { Selectable } from "kysely";
import { anyText, anyUuid } from "#/platform/db/any-of.ts";
import type { DB } from "#/platform/db/schema.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * SQL for spending (migrations/0013_spending.sql), inside the caller's tenant transaction. Money never moves
 * here: the ledger service makes the transfers, these rows are the records they point back to. Queries name
 * tenant_id even under RLS, so Citus can route them.
 */

export type CardRow = Selectable<DB["spending_cards"]>;
export type SpendRow = Selectable<DB["spends"]>;
export type InvoiceRow = Selectable<DB["provider_invoices"]>;
export type TopUpRow = Selectable<DB["top_ups"]>;
export type RecoveryRow = Selectable<DB["surplus_recoveries"]>;
export type SurplusSettingRow = Selectable<DB["surplus_settings"]>;
export type PoolMemberRow = Selectable<DB["pool_members"]>;
export type ReceiptMeta = Omit<Selectable<DB["receipts"]>, "content">;

const tid = (tx: TenantTx) => tx.scope.tenantId;

// ---- cards -------------------------------------------------------------------------------------------------

export async function upsertCard(
  tx: TenantTx,
  row: { provider: string; card_id: string; person_id: string; cash_withdrawals_permitted: boolean },
): Promise<void> {
  await tx
    .insertInto("spending_cards")
    .values({ tenant_id: tid(tx), ...row })
    .onConflict((oc) =>
      oc.columns(["tenant_id", "provider", "card_id"]).doUpdateSet({
        person_id: row.person_id,
        cash_withdrawals_permitted: row.cash_withdrawals_permitted,
      }),
    )
    .execute();
}

export async function cardsByIds(
  tx: TenantTx,
  provider: string,
  cardIds: readonly string[],
): Promise<CardRow[]> {
  if (cardIds.length === 0) return [];
  return tx
    .selectFrom("spending_cards")
    .selectAll()
    .where("tenant_id", "=", tid(tx))
    .where("provider", "=", provider)
    .where("card_id", "=", anyText(cardIds))
    .execute();
}

export async function cardsOfPerson(tx: TenantTx, personId: string): Promise<CardRow[]> {
  return tx
    .selectFrom("spending_cards")
    .selectAll()
    .where("tenant_id", "=", tid(tx))
    .where("person_id", "=", personId)
    .orderBy("card_id")
    .execute();
}

// ---- imports and spends ------------------------------------------------------------------------------------

export async function insertImport(
  tx: TenantTx,
  row: Omit<DB["card_feed_imports"], "tenant_id" | "created_at">,
): Promise<void> {
  await tx
    .insertInto("card_feed_imports")
    .values({ tenant_id: tid(tx), ...row })
    .execute();
}

export async function spendsBySourceKeys(
  tx: TenantTx,
  source: SpendRow["source"],
  keys: readonly string[],
): Promise<SpendRow[]> {
  if (keys.length === 0) return [];
  const rows: SpendRow[] = [];
  // Chunked: one IN list per 5,000 keys keeps the statement's parameters well inside PostgreSQL's limit.
  for (let i = 0; i < keys.length; i += 5_000) {
    rows.push(
      ...(await tx
        .selectFrom("spends")
        .selectAll()
        .where("tenant_id", "=", tid(tx))
        .where("source", "=", source)
        .where("source_key", "in", keys.slice(i, i + 5_000))
        .forUpdate()
        .execute()),
    );
  }
  return rows;
}

export type NewSpendRow = Omit<
  DB["spends"],
  "tenant_id" | "created_at" | "updated_at" | "match_explanation" | "flags"
> & {
  match_explanation: string;
  flags: string;
};

export async function insertSpends(tx: TenantTx, rows: readonly NewSpendRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1_000) {
    await tx
      .insertInto("spends")
      .values(rows.slice(i, i + 1_000).map((r) => ({ tenant_id: tid(tx), ...r })))
      .execute();
  }
}

export async function updateSpendState(
  tx: TenantTx,
  spendId: string,
  change: { state: SpendRow["state"]; transfer_id: string; amount_pence?: number },
): Promise<void> {
  await tx
    .updateTable("spends")
    .set({ ...change, updated_at: new Date() })
    .where("tenant_id", "=", tid(tx))
    .where("spend_id", "=", spendId)
    .execute();
}

export async function spendById(tx: TenantTx, spendId: string): Promise<SpendRow | undefined> {
  return tx
    .selectFrom("spends")
    .selectAll()
    .where("tenant_id", "=", tid(tx))
    .where("spend_id", "=", spendId)
    .executeTakeFirst();
}

export async function spendsOf(
  tx: TenantTx,
  filter: { personId?: string; budgetIds?: readonly string[]; from?: string; to?: string; limit?: number },
): Promise<SpendRow[]> {
  let q = tx.selectFrom("spends").selectAll().where("tenant_id", "=", tid(tx));
  if (filter.personId) q = q.where("person_id", "=", filter.personId);
  if (filter.budgetIds) {
    if (filter.budgetIds.length === 0) return [];
    q = q.where("budget_id", "=", anyUuid(filter.budgetIds));
  }
  if (filter.from) q = q.where("spend_date", ">=", filter.from);
  if (filter.to) q = q.where("spend_date", "<=", filter.to);
  return q
    .orderBy("spend_date", "desc")
    .orderBy("created_at", "desc")
    .limit(filter.limit ?? 500)
    .execute();
}

// ---- invoices ----------------------------------------------------------------------------------------------

export async function insertInvoice(
  tx: TenantTx,
  row: Omit<
    DB["provider_invoices"],
    "tenant_id" | "created_at" | "decided_at" | "reject_reason" | "lines"
  > & {
    lines: string;
  },
): Promise<void> {
  await tx
    .insertInto("provider_invoices")
    .values({ tenant_id: tid(tx), ...row })
    .execute();
}

export async function invoiceByKey(tx: TenantTx, key: string): Promise<InvoiceRow | undefined> {
  return tx
    .selectFrom("provider_invoices")
    .selectAll()
    .where("tenant_id", "=", tid(tx))
    .where("idempotency_key", "=", key)
    .executeTakeFirst();
}

export async function invoiceById(tx: TenantTx, invoiceId: string): Promise<InvoiceRow | undefined> {
  return tx
    .selectFrom("provider_invoices")
    .selectAll()
    .where("tenant_id", "=", tid(tx))
    .where("invoice_id", "=", invoiceId)
    .forUpdate()
    .executeTakeFirst();
}

export async function decideInvoice(
  tx: TenantTx,
  invoiceId: string,
  change: { status: "paid" | "rejected"; reject_reason: string | null },
): Promise<void> {
  await tx
    .updateTable("provider_invoices")
    .set({ ...change, decided_at: new Date() })
    .where("tenant_id", "=", tid(tx))
    .where("invoice_id", "=", invoiceId)
    .execute();
}

// ---- receipts ----------------------------------------------------------------------------------------------

export async function insertReceipt(tx: TenantTx, row: Omit<DB["receipts"], "tenant_id" | "created_at">) {
  await tx
    .insertInto("receipts")
    .values({ tenant_id: tid(tx), ...row })
    .execute();
}

export async function receiptsOfPerson(tx: TenantTx, personId: string): Promise<ReceiptMeta[]> {
  return receiptsOfPeople(tx, [personId]);
}

/** The receipts of many people in one query, newest first. */
export async function receiptsOfPeople(tx: TenantTx, personIds: readonly string[]): Promise<ReceiptMeta[]> {
  if (personIds.length === 0) return [];
  return tx
    .selectFrom("receipts")
    .select([
      "tenant_id",
      "receipt_id",
      "spend_id",
      "person_id",
      "file_name",
      "media_type",
      "size_bytes",
      "sha256",
      "uploaded_by",
      "created_at",
    ])
    .where("tenant_id", "=", tid(tx))
    .where("person_id", "=", anyUuid(personIds))
    .orderBy("created_at", "desc")
    .execute();
}

export async function receiptById(tx: TenantTx, receiptId: string) {
  return tx
    .selectFrom("receipts")
    .selectAll()
    .where("tenant_id", "=", tid(tx))
    .where("receipt_id", "=", receiptId)
    .executeTakeFirst();
}

// ---- top-ups -----------------------------------------------------------------------------------------------

export async function insertTopUp(tx: TenantTx, row: Omit<DB["top_ups"], "tenant_id" | "created_at">) {
  await tx
    .insertInto("top_ups")
    .values({ tenant_id: tid(tx), ...row })
    .execute();
}

export async function topUpsOf(tx: TenantTx, budgetIds: readonly string[]): Promise<TopUpRow[]> {
  if (budgetIds.length === 0) return [];
  return tx
    .selectFrom("top_ups")
    .selectAll()
    .where("tenant_id", "=", tid(tx))
    .where("budget_id", "=", anyUuid(budgetIds))
    .orderBy("received_on", "desc")
    .execute();
}

// ---- surplus -----------------------------------------------------------------------------------------------

export async function surplusSettings(tx: TenantTx): Promise<SurplusSettingRow[]> {
  return tx
    .selectFrom("surplus_settings")
    .selectAll()
    .where("tenant_id", "=", tid(tx))
    .orderBy("valid_from")
    .execute();
}

export async function insertSurplusSetting(
  tx: TenantTx,
  row: Omit<DB["surplus_settings"], "tenant_id" | "created_at" | "minimum_recovery_pence"> & {
    minimum_recovery_pence: number;
  },
): Promise<boolean> {
  const done = await tx
    .insertInto("surplus_settings")
    .values({ tenant_id: tid(tx), ...row })
    .onConflict((oc) => oc.columns(["tenant_id", "valid_from"]).doNothing())
    .executeTakeFirst();
  return Number(done.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function insertRecovery(
  tx: TenantTx,
  row: Omit<
    DB["surplus_recoveries"],
    | "tenant_id"
    | "created_at"
    | "decided_by"
    | "decided_at"
    | "decision_note"
    | "explanation"
    | "first_approved_by"
    | "first_approved_at"
  > & {
    explanation: string;
  },
): Promise<void> {
  await tx
    .insertInto("surplus_recoveries")
    .values({ tenant_id: tid(tx), ...row })
    .execute();
}

export async function openRecoveryOf(tx: TenantTx, budgetId: string): Promise<RecoveryRow | undefined> {
  return tx
    .selectFrom("surplus_recoveries")
    .selectAll()
    .where("tenant_id", "=", tid(tx))
    .where("budget_id", "=", budgetId)
    .where("status", "=", "proposed")
    .executeTakeFirst();
}

export async function recoveryById(tx: TenantTx, recoveryId: string): Promise<RecoveryRow | undefined> {
  return tx
    .selectFrom("surplus_recoveries")
    .selectAll()
    .where("tenant_id", "=", tid(tx))
    .where("recovery_id", "=", recoveryId)
    .forUpdate()
    .executeTakeFirst();
}

export async function recoveries(
  tx: TenantTx,
  filter: { status?: RecoveryRow["status"]; personId?: string },
): Promise<RecoveryRow[]> {
  let q = tx.selectFrom("surplus_recoveries").selectAll().where("tenant_id", "=", tid(tx));
  if (filter.status) q = q.where("status", "=", filter.status);
  if (filter.personId) q = q.where("person_id", "=", filter.personId);
  return q.orderBy("created_at", "desc").limit(500).execute();
}

/** The first approval: recorded, nothing moves, the recovery stays proposed for a second officer. */
export async function firstApproveRecovery(tx: TenantTx, recoveryId: string, by: string): Promise<void> {
  await tx
    .updateTable("surplus_recoveries")
    .set({ first_approved_by: by, first_approved_at: new Date() })
    .where("tenant_id", "=", tid(tx))
    .where("recovery_id", "=", recoveryId)
    .where("first_approved_by", "is", null)
    .execute();
}

export async function decideRecovery(
  tx: TenantTx,
  recoveryId: string,
  change: { status: "approved" | "rejected"; decided_by: string; decision_note: string | null },
): Promise<void> {
  await tx
    .updateTable("surplus_recoveries")
    .set({ ...change, decided_at: new Date() })
    .where("tenant_id", "=", tid(tx))
    .where("recovery_id", "=", recoveryId)
    .execute();
}

// ---- pools -------------------------------------------------------------------------------------------------

export async function insertPool(
  tx: TenantTx,
  pool: { pool_id: string; name: string; created_by: string },
  members: readonly Omit<DB["pool_members"], "tenant_id" | "pool_id">[],
): Promise<void> {
  await tx
    .insertInto("pools")
    .values({ tenant_id: tid(tx), ...pool })
    .execute();
  await tx
    .insertInto("pool_members")
    .values(members.map((m) => ({ tenant_id: tid(tx), pool_id: pool.pool_id, ...m })))
    .execute();
}

export async function poolById(tx: TenantTx, poolId: string) {
  const pool = await tx
    .selectFrom("pools")
    .selectAll()
    .where("tenant_id", "=", tid(tx))
    .where("pool_id", "=", poolId)
    .executeTakeFirst();
  if (!pool) return undefined;
  const members = await tx
    .selectFrom("pool_members")
    .selectAll()
    .where("tenant_id", "=", tid(tx))
    .where("pool_id", "=", poolId)
    .orderBy("budget_id")
    .execute();
  return { pool, members };
}

export async function insertPoolCost(tx: TenantTx, row: Omit<DB["pool_costs"], "tenant_id" | "created_at">) {
  await tx
    .insertInto("pool_costs")
    .values({ tenant_id: tid(tx), ...row })
    .execute();
}
