import type { Selectable } from "kysely";
import { anyUuid } from "#/platform/db/any-of.ts";
import type { DB } from "#/platform/db/schema.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * SQL for money owed back after a budget ends: the debts a payment run records (payment_debts, with the payment
 * they came from, migrations/0010) and finance's decision on each (payment_debt_decisions, 0015), inside the
 * caller's tenant transaction. The payment run writes debts (repository.ts); this file reads them and moves their
 * status on. Queries name tenant_id even under RLS, so Citus can route them.
 */

export type DebtDecisionRow = Selectable<DB["payment_debt_decisions"]>;

/** A debt with the payment it came from and finance's decision, if made. */
export type DebtRow = {
  debt_id: string;
  budget_id: string;
  payment_id: string;
  amount: number;
  status: "to_recover" | "recovered" | "written_off";
  created_at: Date;
  person_id: string;
  payment_key: string;
  cycle_start: string;
  cycle_end: string;
  pay_date: string;
  payment_kind: "bank" | "funding";
  payment_status: "made" | "returned";
  deployment: "direct_payment" | "council_managed" | "individual_service_fund" | "council_arranged";
  payee_id: string | null;
  payment_amount: number;
  parts: { kind: string; fundingStreamId?: string; deployment?: string; amount: number }[];
  outcome: "recovered" | "written_off" | null;
  reason: string | null;
  decided_by: string | null;
  decided_at: Date | null;
};

function debtsQuery(tx: TenantTx) {
  return tx
    .selectFrom("payment_debts as d")
    .innerJoin("payments as p", (j) =>
      j.onRef("p.tenant_id", "=", "d.tenant_id").onRef("p.payment_id", "=", "d.payment_id"),
    )
    .leftJoin("payment_debt_decisions as x", (j) =>
      j.onRef("x.tenant_id", "=", "d.tenant_id").onRef("x.debt_id", "=", "d.debt_id"),
    )
    .select([
      "d.debt_id",
      "d.budget_id",
      "d.payment_id",
      "d.amount",
      "d.status",
      "d.created_at",
      "p.person_id",
      "p.payment_key",
      "p.cycle_start",
      "p.cycle_end",
      "p.pay_date",
      "p.kind as payment_kind",
      "p.status as payment_status",
      "p.deployment",
      "p.payee_id",
      "p.amount as payment_amount",
      "p.parts",
      "x.outcome",
      "x.reason",
      "x.decided_by",
      "x.decided_at",
    ])
    .where("d.tenant_id", "=", tx.scope.tenantId);
}

// bigint columns come back as strings from pg (pence fit in a number); jsonb may come back as text.
const toRow = (r: Awaited<ReturnType<ReturnType<typeof debtsQuery>["execute"]>>[number]): DebtRow => {
  const parts: unknown = r.parts;
  return {
    ...r,
    amount: Number(r.amount),
    payment_amount: Number(r.payment_amount),
    parts: (typeof parts === "string" ? JSON.parse(parts) : parts) as DebtRow["parts"],
  };
};

/** Every debt of a person's budgets, newest payment period first. */
export async function debtsOfPerson(tx: TenantTx, personId: string): Promise<DebtRow[]> {
  const rows = await debtsQuery(tx)
    .where("p.person_id", "=", personId)
    .orderBy("p.cycle_start", "desc")
    .orderBy("d.debt_id")
    .execute();
  return rows.map(toRow);
}

export async function findDebt(tx: TenantTx, debtId: string): Promise<DebtRow | undefined> {
  const row = await debtsQuery(tx).where("d.debt_id", "=", debtId).executeTakeFirst();
  return row ? toRow(row) : undefined;
}

/** Locks the debt for the rest of the transaction, so two decisions on it queue one behind the other. */
export async function lockDebt(tx: TenantTx, debtId: string): Promise<boolean> {
  const row = await tx
    .selectFrom("payment_debts")
    .select("debt_id")
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("debt_id", "=", debtId)
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined;
}

export async function recordDecision(
  tx: TenantTx,
  decision: Omit<DebtDecisionRow, "tenant_id" | "decided_at">,
): Promise<void> {
  await tx
    .insertInto("payment_debt_decisions")
    .values({ ...decision, tenant_id: tx.scope.tenantId })
    .execute();
  await tx
    .updateTable("payment_debts")
    .set({ status: decision.outcome })
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("debt_id", "=", decision.debt_id)
    .execute();
}

// ---- written by the payment run ---------------------------------------------------------------------------------

const tenant = (tx: TenantTx) => tx.scope.tenantId;

export async function insertDebts(
  tx: TenantTx,
  rows: readonly { debt_id: string; payment_id: string; budget_id: string; amount: number }[],
) {
  if (rows.length === 0) return [];
  return tx
    .insertInto("payment_debts")
    .values(rows.map((r) => ({ ...r, tenant_id: tenant(tx), status: "to_recover" as const })))
    .onConflict((oc) => oc.columns(["tenant_id", "payment_id"]).doNothing())
    .returningAll()
    .execute();
}

export async function debtsOfBudgets(tx: TenantTx, budgetIds: readonly string[]) {
  if (budgetIds.length === 0) return [];
  return tx
    .selectFrom("payment_debts")
    .selectAll()
    .where("tenant_id", "=", tenant(tx))
    .where("budget_id", "=", anyUuid(budgetIds))
    .execute();
}

/** Money still to recover, newest first, with whose budget it was (so finance can open the debt's page). */
export async function openDebts(tx: TenantTx) {
  return tx
    .selectFrom("payment_debts as d")
    .innerJoin("payments as p", (j) =>
      j.onRef("p.tenant_id", "=", "d.tenant_id").onRef("p.payment_id", "=", "d.payment_id"),
    )
    .selectAll("d")
    .select("p.person_id")
    .where("d.tenant_id", "=", tenant(tx))
    .where("d.status", "=", "to_recover")
    .orderBy("d.created_at", "desc")
    .execute();
}
