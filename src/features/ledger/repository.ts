import { type Kysely, type RawBuilder, type Selectable, sql, type Transaction } from "kysely";
import type { Sums } from "#/features/ledger/ledger.calc.ts";
import { anyText } from "#/platform/db/any-of.ts";
import type { DB } from "#/platform/db/schema.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * SQL for the ledger (migrations/0009_ledger.sql), inside the caller's tenant transaction. Set-based: a batch of
 * transfers is one INSERT … SELECT FROM unnest(…) and one UPDATE of the accounts, whatever its size. Queries
 * name tenant_id even under RLS, so Citus can route them.
 */

export type AccountRow = Selectable<DB["ledger_accounts"]>;
export type TransferRow = Selectable<DB["ledger_transfers"]>;

export type NewAccountRow = {
  account_id: string;
  code: string;
  kind: string;
  currency: string;
  name: string | null;
  budget_id: string | null;
  stream_id: string | null;
  deployment: string | null;
  person_id: string | null;
  must_not_go_below_zero: boolean;
};

/** Inserts the account unless its code exists; returns the row only if this call made it. */
export async function insertAccount(tx: TenantTx, row: NewAccountRow): Promise<AccountRow | undefined> {
  return tx
    .insertInto("ledger_accounts")
    .values({ ...row, tenant_id: tx.scope.tenantId })
    .onConflict((oc) => oc.columns(["tenant_id", "code"]).doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** Inserts the accounts not there yet (by code) and returns those it inserted; rows in code order. */
export async function insertAccounts(tx: TenantTx, rows: readonly NewAccountRow[]): Promise<AccountRow[]> {
  const inserted: AccountRow[] = [];
  // 11 parameters a row: 2,000 rows stay well under the protocol's 65,535.
  for (let i = 0; i < rows.length; i += 2_000) {
    const chunk = rows.slice(i, i + 2_000).map((row) => ({ ...row, tenant_id: tx.scope.tenantId }));
    inserted.push(
      ...(await tx
        .insertInto("ledger_accounts")
        .values(chunk)
        .onConflict((oc) => oc.columns(["tenant_id", "code"]).doNothing())
        .returningAll()
        .execute()),
    );
  }
  return inserted;
}

export async function accountsByCode(tx: TenantTx, codes: readonly string[]): Promise<AccountRow[]> {
  if (codes.length === 0) return [];
  return tx
    .selectFrom("ledger_accounts")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("code", "=", anyText(codes))
    .execute();
}

export async function accountByCode(tx: TenantTx, code: string): Promise<AccountRow | undefined> {
  return tx
    .selectFrom("ledger_accounts")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("code", "=", code)
    .executeTakeFirst();
}

export async function accountById(tx: TenantTx, accountId: string): Promise<AccountRow | undefined> {
  return tx
    .selectFrom("ledger_accounts")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("account_id", "=", accountId)
    .executeTakeFirst();
}

/**
 * Locks the accounts in account-id order (the lock is taken row by row as the sorted rows come out), so two
 * transactions touching the same accounts queue instead of deadlocking. Under READ COMMITTED, a row another
 * transaction changed and committed while we waited comes back as it is now.
 */
export async function lockAccounts(tx: TenantTx, accountIds: readonly string[]): Promise<AccountRow[]> {
  if (accountIds.length === 0) return [];
  const result = await sql<AccountRow>`
    SELECT * FROM ledger_accounts
    WHERE tenant_id = ${tx.scope.tenantId} AND account_id = ANY(${[...accountIds]}::uuid[])
    ORDER BY account_id
    FOR UPDATE`.execute(tx);
  return result.rows;
}

/** The pending transfers a batch posts or voids, locked (in id order) so each is resolved once. */
export async function lockTransfers(tx: TenantTx, transferIds: readonly string[]): Promise<TransferRow[]> {
  if (transferIds.length === 0) return [];
  const result = await sql<TransferRow>`
    SELECT * FROM ledger_transfers
    WHERE tenant_id = ${tx.scope.tenantId} AND transfer_id = ANY(${[...transferIds]}::uuid[])
    ORDER BY transfer_id
    FOR UPDATE`.execute(tx);
  return result.rows;
}

/**
 * The transfers already written with these keys, each in its namespace (the system's, or one member of staff's):
 * one query per namespace, on the unique key (tenant_id, key_user_id, idempotency_key).
 */
export async function transfersByKeys(
  tx: TenantTx,
  keys: readonly { idempotencyKey: string; keyUserId?: string | null }[],
): Promise<TransferRow[]> {
  const byOwner = new Map<string | null, Set<string>>();
  for (const k of keys) {
    const owner = k.keyUserId ? k.keyUserId.toLowerCase() : null;
    const set = byOwner.get(owner) ?? new Set<string>();
    set.add(k.idempotencyKey);
    byOwner.set(owner, set);
  }
  const rows: TransferRow[] = [];
  for (const [owner, set] of byOwner) {
    rows.push(
      ...(await tx
        .selectFrom("ledger_transfers")
        .selectAll()
        .where("tenant_id", "=", tx.scope.tenantId)
        .where("key_user_id", owner === null ? "is" : "=", owner)
        .where("idempotency_key", "=", sql<string>`ANY(${[...set]}::text[])`)
        .execute()),
    );
  }
  return rows;
}

export async function transferById(tx: TenantTx, transferId: string): Promise<TransferRow | undefined> {
  return tx
    .selectFrom("ledger_transfers")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("transfer_id", "=", transferId)
    .executeTakeFirst();
}

export type NewTransferRow = {
  transfer_id: string;
  idempotency_key: string;
  key_user_id: string | null;
  request_fingerprint: string;
  debit_account_id: string;
  credit_account_id: string;
  amount: number;
  currency: string;
  code: string;
  ref_kind: string | null;
  ref_id: string | null;
  pending: boolean;
  pending_of: string | null;
  state: "pending" | "posted" | "voided";
};

/**
 * An array literal for values that never need quoting (uuids we generated or read back, integers, booleans):
 * pg's own array serialiser escapes every element, a measurable cost at 10,000 elements a batch.
 */
function plainArray(values: readonly (string | number | boolean)[]): string {
  return `{${values.join(",")}}`;
}

/** An array literal for text: each element quoted, a backslash or double quote escaped; null as NULL. */
function textArray(values: readonly (string | null)[]): string {
  return `{${values.map((v) => (v === null ? "NULL" : `"${/[\\"]/.test(v) ? v.replace(/[\\"]/g, "\\$&") : v}"`)).join(",")}}`;
}

type Cell = string | number | boolean | null;

/**
 * The INSERT's source for a batch: a column whose value is the same in every row (the currency, the code, the
 * state, …) is sent once as a scalar, the rest as arrays unnested together. Fewer elements to serialise, send
 * and parse; the rows written are the same.
 */
function transferSource(rows: readonly NewTransferRow[]) {
  const columns: { name: keyof NewTransferRow; type: string; text: boolean; always?: boolean }[] = [
    { name: "transfer_id", type: "uuid", text: false, always: true },
    { name: "idempotency_key", type: "text", text: true },
    { name: "key_user_id", type: "uuid", text: true },
    { name: "request_fingerprint", type: "text", text: false },
    { name: "debit_account_id", type: "uuid", text: false },
    { name: "credit_account_id", type: "uuid", text: false },
    { name: "amount", type: "bigint", text: false },
    { name: "currency", type: "text", text: true },
    { name: "code", type: "text", text: true },
    { name: "ref_kind", type: "text", text: true },
    { name: "ref_id", type: "text", text: true },
    { name: "pending", type: "boolean", text: false },
    { name: "pending_of", type: "uuid", text: true },
    { name: "state", type: "text", text: true },
  ];
  const selects: RawBuilder<unknown>[] = [];
  const arrays: RawBuilder<unknown>[] = [];
  const names: RawBuilder<unknown>[] = [];
  for (const c of columns) {
    const values = rows.map((r) => r[c.name] as Cell);
    const first = values[0] ?? null;
    const type = sql.raw(c.type);
    if (!c.always && values.every((v) => v === first)) {
      selects.push(sql`${first}::${type}`);
      continue;
    }
    // Hex ids, hex fingerprints, integers and booleans never need quoting; text may, and may be null.
    const literal = c.text
      ? textArray(values as (string | null)[])
      : plainArray(values as (string | number)[]);
    arrays.push(sql`${literal}::${sql.raw(`${c.type}[]`)}`);
    names.push(sql.raw(c.name));
    selects.push(sql.raw(`t.${c.name}`));
  }
  return sql`SELECT ${sql.join(selects)} FROM unnest(${sql.join(arrays)}) AS t(${sql.join(names)})`;
}

/**
 * The write of a checked batch in ONE statement (one round trip while the accounts are locked): insert the
 * transfers and mark the holds resolved. The accounts' sums follow from the inserted transfers in the same
 * statement (migrations/0025's ledger_balances trigger: the app role cannot write a sum itself), and the table's
 * CHECK refuses a flagged account going below zero. Returns counts only, not the rows (the caller built them;
 * created_at is the transaction's now()): the caller compares the counts with what it expected and throws
 * (rolling back) if they differ. A key another transaction wrote since the caller looked fails the statement
 * with the unique key's violation (a plain INSERT: ON CONFLICT's speculative insert cost about an eighth of the
 * statement, and the caller rolls back either way).
 */
export async function writeTransfers(
  tx: TenantTx,
  rows: readonly NewTransferRow[],
  deltas: ReadonlyMap<string, Sums>,
  resolutions: readonly { transferId: string; state: "posted" | "voided" }[],
): Promise<{ inserted: number; createdAt: Date; accountsUpdated: number; holdsResolved: number }> {
  const tenant = tx.scope.tenantId;
  const result = await sql<{
    inserted: number;
    created_at: Date;
    holds_resolved: number;
  }>`
    WITH ins AS (
      INSERT INTO ledger_transfers (transfer_id, idempotency_key, key_user_id, request_fingerprint, debit_account_id,
        credit_account_id, amount, currency, code, ref_kind, ref_id, pending, pending_of, state, tenant_id)
      SELECT s.*, ${tenant}::uuid FROM (${transferSource(rows)}) AS s
      RETURNING 1
    ), res AS (
      UPDATE ledger_transfers h SET state = r.state
      FROM unnest(${resolutions.map((r) => r.transferId)}::uuid[], ${resolutions.map((r) => r.state)}::text[])
        AS r(transfer_id, state)
      WHERE h.tenant_id = ${tenant}::uuid AND h.transfer_id = r.transfer_id AND h.state = 'pending'
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM ins)::bigint AS inserted, now() AS created_at,
      (SELECT count(*) FROM res)::bigint AS holds_resolved
  `.execute(tx);
  const row = result.rows[0]!;
  return {
    inserted: Number(row.inserted),
    createdAt: row.created_at instanceof Date ? row.created_at : new Date(row.created_at),
    // Every account with a change is updated by the trigger (or the statement failed): nothing to count.
    accountsUpdated: deltas.size,
    holdsResolved: Number(row.holds_resolved),
  };
}

/** An account's transfers written from `from` (inclusive) to `to` (exclusive), oldest first. */
export async function transfersOfAccount(
  tx: TenantTx,
  accountId: string,
  range: { from?: Date; to?: Date; limit: number },
): Promise<TransferRow[]> {
  let q = tx
    .selectFrom("ledger_transfers")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where((eb) => eb.or([eb("debit_account_id", "=", accountId), eb("credit_account_id", "=", accountId)]));
  if (range.from) q = q.where("created_at", ">=", range.from);
  if (range.to) q = q.where("created_at", "<", range.to);
  return q.orderBy("seq").limit(range.limit).execute();
}

/** The account's posted balance from transfers written before a moment (a statement's opening balance). */
export async function postedBalanceBefore(tx: TenantTx, accountId: string, before: Date): Promise<number> {
  const row = await sql<{ balance: number }>`
    SELECT coalesce(sum(CASE WHEN credit_account_id = ${accountId}::uuid THEN amount ELSE -amount END), 0)::bigint
      AS balance
    FROM ledger_transfers
    WHERE tenant_id = ${tx.scope.tenantId} AND state = 'posted' AND NOT pending AND created_at < ${before}
      AND (debit_account_id = ${accountId}::uuid OR credit_account_id = ${accountId}::uuid)`.execute(tx);
  return Number(row.rows[0]?.balance ?? 0);
}

// ---- verify: as the owner, across tenants (or one), not under RLS ------------------------------------------

type SumsRow = {
  tenant_id: string;
  account_id: string;
  code: string;
  currency: string;
  must_not_go_below_zero: boolean;
  debits_pending: number;
  debits_posted: number;
  credits_pending: number;
  credits_posted: number;
  t_debits_pending: number;
  t_debits_posted: number;
  t_credits_pending: number;
  t_credits_posted: number;
};

/**
 * Each account's stored sums beside the sums of its transfers: a pending transfer counts in *_pending while it is
 * pending; a plain transfer and the post of a pending one count in *_posted; voids and resolved holds nowhere.
 */
export async function accountSumsForVerify(db: Kysely<DB> | Transaction<DB>, tenantId?: string) {
  const tenant = tenantId ? sql`AND a.tenant_id = ${tenantId}::uuid` : sql``;
  const result = await sql<SumsRow>`
    WITH per_side AS (
      SELECT tenant_id, debit_account_id AS account_id,
        sum(amount) FILTER (WHERE pending AND state = 'pending') AS dpe,
        sum(amount) FILTER (WHERE NOT pending AND state = 'posted') AS dpo, 0 AS cpe, 0 AS cpo
      FROM ledger_transfers GROUP BY tenant_id, debit_account_id
      UNION ALL
      SELECT tenant_id, credit_account_id, 0, 0,
        sum(amount) FILTER (WHERE pending AND state = 'pending'),
        sum(amount) FILTER (WHERE NOT pending AND state = 'posted')
      FROM ledger_transfers GROUP BY tenant_id, credit_account_id
    ), sums AS (
      SELECT tenant_id, account_id, coalesce(sum(dpe), 0)::bigint AS dpe, coalesce(sum(dpo), 0)::bigint AS dpo,
        coalesce(sum(cpe), 0)::bigint AS cpe, coalesce(sum(cpo), 0)::bigint AS cpo
      FROM per_side GROUP BY tenant_id, account_id
    )
    SELECT a.tenant_id, a.account_id, a.code, a.currency, a.must_not_go_below_zero, a.debits_pending,
      a.debits_posted, a.credits_pending, a.credits_posted,
      coalesce(s.dpe, 0)::bigint AS t_debits_pending, coalesce(s.dpo, 0)::bigint AS t_debits_posted,
      coalesce(s.cpe, 0)::bigint AS t_credits_pending, coalesce(s.cpo, 0)::bigint AS t_credits_posted
    FROM ledger_accounts a LEFT JOIN sums s ON s.tenant_id = a.tenant_id AND s.account_id = a.account_id
    WHERE true ${tenant}
    ORDER BY a.tenant_id, a.code`.execute(db);
  return result.rows.map((r) => ({
    tenantId: r.tenant_id,
    accountId: r.account_id,
    code: r.code,
    currency: r.currency,
    mustNotGoBelowZero: r.must_not_go_below_zero,
    stored: {
      debitsPending: r.debits_pending,
      debitsPosted: r.debits_posted,
      creditsPending: r.credits_pending,
      creditsPosted: r.credits_posted,
    },
    fromTransfers: {
      debitsPending: r.t_debits_pending,
      debitsPosted: r.t_debits_posted,
      creditsPending: r.t_credits_pending,
      creditsPosted: r.t_credits_posted,
    },
  }));
}

/** Transfers breaking a per-row rule: balanced, positive, one currency, a resolution that fits its hold. */
export async function badTransfersForVerify(db: Kysely<DB> | Transaction<DB>, tenantId?: string) {
  const tenant = tenantId ? sql`AND t.tenant_id = ${tenantId}::uuid` : sql``;
  const result = await sql<{ tenant_id: string; transfer_id: string; problem: string }>`
    SELECT t.tenant_id, t.transfer_id, concat_ws('; ',
      CASE WHEN t.debit_account_id = t.credit_account_id THEN 'debits and credits the same account' END,
      CASE WHEN t.amount <= 0 THEN 'amount is not above 0' END,
      CASE WHEN d.currency IS DISTINCT FROM t.currency OR c.currency IS DISTINCT FROM t.currency
        THEN 'currency differs from an account''s' END,
      CASE WHEN t.pending_of IS NOT NULL AND (p.transfer_id IS NULL OR NOT p.pending
          OR p.debit_account_id <> t.debit_account_id OR p.credit_account_id <> t.credit_account_id
          OR t.amount > p.amount OR (t.state = 'voided' AND t.amount <> p.amount) OR p.state <> t.state)
        THEN 'does not match the pending transfer it resolves' END,
      CASE WHEN t.pending AND t.state <> 'pending' AND r.transfer_id IS NULL
        THEN 'marked ' || t.state || ' with no transfer that resolves it' END
    ) AS problem
    FROM ledger_transfers t
    LEFT JOIN ledger_accounts d ON d.tenant_id = t.tenant_id AND d.account_id = t.debit_account_id
    LEFT JOIN ledger_accounts c ON c.tenant_id = t.tenant_id AND c.account_id = t.credit_account_id
    LEFT JOIN ledger_transfers p ON p.tenant_id = t.tenant_id AND p.transfer_id = t.pending_of
    LEFT JOIN ledger_transfers r ON r.tenant_id = t.tenant_id AND r.pending_of = t.transfer_id
    WHERE (t.debit_account_id = t.credit_account_id OR t.amount <= 0
      OR d.currency IS DISTINCT FROM t.currency OR c.currency IS DISTINCT FROM t.currency
      OR (t.pending_of IS NOT NULL AND (p.transfer_id IS NULL OR NOT p.pending
        OR p.debit_account_id <> t.debit_account_id OR p.credit_account_id <> t.credit_account_id
        OR t.amount > p.amount OR (t.state = 'voided' AND t.amount <> p.amount) OR p.state <> t.state))
      OR (t.pending AND t.state <> 'pending' AND r.transfer_id IS NULL)) ${tenant}
    ORDER BY t.tenant_id, t.seq`.execute(db);
  return result.rows.map((r) => ({ tenantId: r.tenant_id, transferId: r.transfer_id, problem: r.problem }));
}

export async function transferCountForVerify(db: Kysely<DB> | Transaction<DB>, tenantId?: string) {
  const tenant = tenantId ? sql`WHERE tenant_id = ${tenantId}::uuid` : sql``;
  const result = await sql<{
    n: number;
  }>`SELECT count(*)::bigint AS n FROM ledger_transfers ${tenant}`.execute(db);
  return Number(result.rows[0]?.n ?? 0);
}
