import type { Insertable, Selectable } from "kysely";
import { sql } from "kysely";
import { anyUuid } from "#/platform/db/any-of.ts";
import type { DB } from "#/platform/db/schema.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * SQL for money taken from future direct payments (migrations/0031): the deductions and what each payment took,
 * inside the caller's tenant transaction. Queries name tenant_id even under RLS, so Citus can route them.
 */

export type DeductionRow = Selectable<DB["payment_deductions"]>;
export type TakeRow = Selectable<DB["payment_deduction_takes"]>;

export async function insertDeduction(
  tx: TenantTx,
  row: Omit<Insertable<DB["payment_deductions"]>, "tenant_id" | "status">,
): Promise<DeductionRow> {
  return tx
    .insertInto("payment_deductions")
    .values({ ...row, tenant_id: tx.scope.tenantId, status: "to_take" })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The open deductions of these budgets, oldest first, with what payments have taken so far; locked when asked. */
export async function openDeductionsOfBudgets(
  tx: TenantTx,
  budgetIds: readonly string[],
  options: { forUpdate?: boolean } = {},
): Promise<(DeductionRow & { taken: number })[]> {
  if (budgetIds.length === 0) return [];
  let query = tx
    .selectFrom("payment_deductions as d")
    .selectAll("d")
    .select(
      sql<string>`(select coalesce(sum(k.amount), 0) from payment_deduction_takes k
        where k.tenant_id = d.tenant_id and k.deduction_id = d.deduction_id)`.as("taken"),
    )
    .where("d.tenant_id", "=", tx.scope.tenantId)
    .where("d.budget_id", "=", anyUuid(budgetIds))
    .where("d.status", "=", "to_take")
    .orderBy("d.created_at")
    .orderBy("d.deduction_id");
  if (options.forUpdate) query = query.forUpdate(["d"]);
  return (await query.execute()).map((r) => ({ ...r, amount: Number(r.amount), taken: Number(r.taken) }));
}

export async function insertTakes(
  tx: TenantTx,
  rows: readonly Omit<Insertable<DB["payment_deduction_takes"]>, "tenant_id">[],
): Promise<void> {
  if (rows.length === 0) return;
  await tx
    .insertInto("payment_deduction_takes")
    .values(rows.map((r) => ({ ...r, tenant_id: tx.scope.tenantId })))
    .execute();
}

export async function markTaken(tx: TenantTx, deductionIds: readonly string[]): Promise<void> {
  if (deductionIds.length === 0) return;
  await tx
    .updateTable("payment_deductions")
    .set({ status: "taken" })
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("deduction_id", "=", anyUuid(deductionIds))
    .execute();
}

export async function deductionsOfPerson(tx: TenantTx, personId: string): Promise<DeductionRow[]> {
  return tx
    .selectFrom("payment_deductions")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("person_id", "=", personId)
    .orderBy("created_at", "desc")
    .execute();
}

export async function findDeduction(tx: TenantTx, deductionId: string): Promise<DeductionRow | undefined> {
  return tx
    .selectFrom("payment_deductions")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("deduction_id", "=", deductionId)
    .executeTakeFirst();
}

export async function takesOf(tx: TenantTx, deductionIds: readonly string[]): Promise<TakeRow[]> {
  if (deductionIds.length === 0) return [];
  return tx
    .selectFrom("payment_deduction_takes")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("deduction_id", "=", anyUuid(deductionIds))
    .orderBy("pay_date")
    .execute();
}
