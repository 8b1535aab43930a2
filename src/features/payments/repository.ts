import { type Selectable, sql } from "kysely";
import type { HeldPayment, StoredPart } from "#/features/payments/tables.ts";
import { anyUuid } from "#/platform/db/any-of.ts";
import { numberedVersions } from "#/platform/db/dated-versions.ts";
import type { DB } from "#/platform/db/schema.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

export type { HeldPayment, StoredPart } from "#/features/payments/tables.ts";

/**
 * SQL for payment settings, runs and their later pay dates, and payments (migrations/0010_payments.sql, 0024),
 * inside the caller's tenant transaction. Payees and bank details (payees-repository.ts), contribution invoices
 * (invoices-repository.ts), debts (debts-repository.ts) and returns and messages (messages-repository.ts) have
 * their own files. Payments and contribution invoices are inserted with ON CONFLICT DO NOTHING on their
 * exactly-once keys: the rows returned are the ones this transaction made, and only those move money. Queries
 * name tenant_id even under RLS.
 */

export type SettingsRow = Selectable<DB["payment_settings_versions"]>;
export type RunRow = Selectable<DB["payment_runs"]>;
export type RedateRow = Selectable<DB["payment_run_redates"]>;
export type PaymentRow = Selectable<DB["payments"]>;

const tenant = (tx: TenantTx) => tx.scope.tenantId;

/** A JSON column as pg (parsed) or PGlite (parsed) or a driver that hands back text. */
export function parseJson<T>(value: unknown): T {
  return (typeof value === "string" ? JSON.parse(value) : value) as T;
}

// ---- settings --------------------------------------------------------------------------------------------------

const settingsVersions = numberedVersions("payment_settings_versions", "payment-settings");

/** One change to the payment settings at a time per tenant, so version numbers follow one another. */
export const lockSettings = settingsVersions.lock;

export const listSettings = settingsVersions.list;

/** The version in force on a date: the latest valid_from on or before it, the later version on a tie. */
export const settingsOn = settingsVersions.inForceOn;

export async function insertSettings(
  tx: TenantTx,
  row: Omit<SettingsRow, "tenant_id" | "created_at" | "version" | "settings"> & { settings: unknown },
): Promise<number> {
  const version = await settingsVersions.nextVersion(tx);
  await tx
    .insertInto("payment_settings_versions")
    .values({ ...row, tenant_id: tenant(tx), version, settings: JSON.stringify(row.settings) })
    .execute();
  return version;
}

// ---- runs ---------------------------------------------------------------------------------------------------------

/** The run for a pay date, made if there is none (two callers at once get the same one). */
export async function ensureRun(
  tx: TenantTx,
  row: { run_id: string; pay_date: string; created_by: string },
): Promise<RunRow> {
  // One run number at a time per tenant.
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`payment-runs:${tenant(tx)}`}, 0))`.execute(tx);
  const existing = await runForDate(tx, row.pay_date);
  if (existing) return existing;
  const last = await tx
    .selectFrom("payment_runs")
    .select(sql<number>`coalesce(max(run_no), 0)`.as("n"))
    .where("tenant_id", "=", tenant(tx))
    .executeTakeFirstOrThrow();
  return tx
    .insertInto("payment_runs")
    .values({ ...row, tenant_id: tenant(tx), run_no: Number(last.n) + 1, status: "prepared", held: "[]" })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function runForDate(tx: TenantTx, payDate: string): Promise<RunRow | undefined> {
  return tx
    .selectFrom("payment_runs")
    .selectAll()
    .where("tenant_id", "=", tenant(tx))
    .where("pay_date", "=", payDate)
    .executeTakeFirst();
}

export async function findRun(tx: TenantTx, runId: string, forUpdate = false): Promise<RunRow | undefined> {
  let q = tx
    .selectFrom("payment_runs")
    .selectAll()
    .where("tenant_id", "=", tenant(tx))
    .where("run_id", "=", runId);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function listRuns(tx: TenantTx, limit = 100): Promise<RunRow[]> {
  return tx
    .selectFrom("payment_runs")
    .selectAll()
    .where("tenant_id", "=", tenant(tx))
    .orderBy("pay_date", "desc")
    .limit(limit)
    .execute();
}

export async function setRunPrepared(
  tx: TenantTx,
  runId: string,
  held: readonly HeldPayment[],
): Promise<void> {
  await tx
    .updateTable("payment_runs")
    .set({ held: JSON.stringify(held), prepared_at: new Date() })
    .where("tenant_id", "=", tenant(tx))
    .where("run_id", "=", runId)
    .where("status", "=", "prepared")
    .execute();
}

export async function setRunReviewed(tx: TenantTx, runId: string, by: string): Promise<void> {
  await tx
    .updateTable("payment_runs")
    .set({ status: "reviewed", reviewed_by: by, reviewed_at: new Date() })
    .where("tenant_id", "=", tenant(tx))
    .where("run_id", "=", runId)
    .execute();
}

export async function setRunApproved(tx: TenantTx, runId: string, by: string): Promise<void> {
  await tx
    .updateTable("payment_runs")
    .set({ status: "approved", approved_by: by, approved_at: new Date() })
    .where("tenant_id", "=", tenant(tx))
    .where("run_id", "=", runId)
    .execute();
}

// ---- a later pay date for an approved run's Bacs file (migrations/0024) ------------------------------------------

/** Every re-date of some runs, oldest first. */
export async function redatesOfRuns(tx: TenantTx, runIds: readonly string[]): Promise<RedateRow[]> {
  if (runIds.length === 0) return [];
  return tx
    .selectFrom("payment_run_redates")
    .selectAll()
    .where("tenant_id", "=", tenant(tx))
    .where("run_id", "=", anyUuid(runIds))
    .orderBy("proposed_at")
    .orderBy("redate_id")
    .execute();
}

/** The date a run's files pay on: the last approved re-date's, or the run's own. */
export async function filePayDateOf(tx: TenantTx, run: RunRow): Promise<string> {
  const approved = (await redatesOfRuns(tx, [run.run_id])).filter((r) => r.status === "approved");
  return approved.at(-1)?.pay_date ?? run.pay_date;
}

export async function insertRedate(
  tx: TenantTx,
  row: Omit<RedateRow, "tenant_id" | "proposed_at" | "status" | "decided_by" | "decided_at">,
): Promise<RedateRow> {
  return tx
    .insertInto("payment_run_redates")
    .values({ ...row, tenant_id: tenant(tx), status: "proposed" })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Decides a waiting proposal; false when it was no longer waiting. */
export async function decideRedate(
  tx: TenantTx,
  redateId: string,
  status: "approved" | "replaced",
  by: string,
): Promise<boolean> {
  const r = await tx
    .updateTable("payment_run_redates")
    .set({ status, decided_by: by, decided_at: new Date() })
    .where("tenant_id", "=", tenant(tx))
    .where("redate_id", "=", redateId)
    .where("status", "=", "proposed")
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export type RunTotals = { payments: number; totalPence: number; bankPayments: number; bankPence: number };

export async function runTotals(tx: TenantTx, runIds: readonly string[]): Promise<Map<string, RunTotals>> {
  if (runIds.length === 0) return new Map();
  const rows = await tx
    .selectFrom("payments")
    .select([
      "run_id",
      sql<number>`count(*)`.as("n"),
      sql<number>`coalesce(sum(amount), 0)`.as("total"),
      sql<number>`count(*) FILTER (WHERE kind = 'bank' AND amount > 0)`.as("bank_n"),
      sql<number>`coalesce(sum(amount) FILTER (WHERE kind = 'bank'), 0)`.as("bank_total"),
    ])
    .where("tenant_id", "=", tenant(tx))
    .where("run_id", "=", anyUuid(runIds))
    .groupBy("run_id")
    .execute();
  return new Map(
    rows.map((r) => [
      r.run_id,
      {
        payments: Number(r.n),
        totalPence: Number(r.total),
        bankPayments: Number(r.bank_n),
        bankPence: Number(r.bank_total),
      },
    ]),
  );
}

// ---- payments -----------------------------------------------------------------------------------------------------

export type NewPaymentRow = Omit<PaymentRow, "tenant_id" | "created_at" | "status" | "parts"> & {
  parts: readonly StoredPart[];
};

/**
 * Rows per INSERT: a statement may bind at most 65,535 parameters, and a payment row takes 20. A run's batch
 * inserts every payment due so far for its budgets (those made before are skipped by ON CONFLICT), which grows
 * with each cycle: 200 budgets 17 cycles old were 3,400 rows, 68,000 parameters, and the run failed (issue 13,
 * found by bench/crash-trials.ts).
 */
const ROWS_PER_INSERT = 2_000;

export async function inChunks<T, R>(
  rows: readonly T[],
  insert: (chunk: readonly T[]) => Promise<R[]>,
): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT)
    out.push(...(await insert(rows.slice(i, i + ROWS_PER_INSERT))));
  return out;
}

/** Inserts the payments not made before; returns only the ones this call made (the others already exist). */
export async function insertPayments(tx: TenantTx, rows: readonly NewPaymentRow[]): Promise<PaymentRow[]> {
  return inChunks(rows, (chunk) =>
    tx
      .insertInto("payments")
      .values(
        chunk.map((r) => ({
          ...r,
          tenant_id: tenant(tx),
          status: "made" as const,
          parts: JSON.stringify(r.parts),
        })),
      )
      .onConflict((oc) => oc.columns(["tenant_id", "payment_key"]).doNothing())
      .returningAll()
      .execute(),
  );
}

export async function paymentsOfRun(tx: TenantTx, runId: string): Promise<PaymentRow[]> {
  return tx
    .selectFrom("payments")
    .selectAll()
    .where("tenant_id", "=", tenant(tx))
    .where("run_id", "=", runId)
    .orderBy("payment_key")
    .execute();
}

export async function paymentsOfBudgets(tx: TenantTx, budgetIds: readonly string[]): Promise<PaymentRow[]> {
  if (budgetIds.length === 0) return [];
  return tx
    .selectFrom("payments")
    .selectAll()
    .where("tenant_id", "=", tenant(tx))
    .where("budget_id", "=", anyUuid(budgetIds))
    .orderBy("cycle_start")
    .execute();
}

export async function paymentsOfPerson(tx: TenantTx, personId: string): Promise<PaymentRow[]> {
  return tx
    .selectFrom("payments")
    .selectAll()
    .where("tenant_id", "=", tenant(tx))
    .where("person_id", "=", personId)
    .orderBy("cycle_start", "desc")
    .execute();
}

export async function findPayment(tx: TenantTx, paymentId: string, forUpdate = false) {
  let q = tx
    .selectFrom("payments")
    .selectAll()
    .where("tenant_id", "=", tenant(tx))
    .where("payment_id", "=", paymentId);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function setPaymentReturned(tx: TenantTx, paymentId: string): Promise<void> {
  await tx
    .updateTable("payments")
    .set({ status: "returned" })
    .where("tenant_id", "=", tenant(tx))
    .where("payment_id", "=", paymentId)
    .execute();
}

/** The last day paid for by any payment of each of these budgets (budgets never paid are left out). */
export async function lastCycleEnds(
  tx: TenantTx,
  budgetIds: readonly string[],
): Promise<Map<string, string>> {
  if (budgetIds.length === 0) return new Map();
  const rows = await tx
    .selectFrom("payments")
    .select((eb) => ["budget_id", eb.fn.max("cycle_end").as("last_cycle_end")])
    .where("tenant_id", "=", tenant(tx))
    .where("budget_id", "=", anyUuid(budgetIds))
    .groupBy("budget_id")
    .execute();
  return new Map(rows.map((r) => [r.budget_id, r.last_cycle_end]));
}
