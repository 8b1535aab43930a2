import { type Selectable, sql } from "kysely";
import { anyUuid } from "#/platform/db/any-of.ts";
import type { DB } from "#/platform/db/schema.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * SQL for live personal budgets (migrations/0008_plans_budgets_reviews.sql, 0012), inside the caller's tenant
 * transaction. A budget is never edited in place beyond its end (end date, status, what replaced it) and the
 * payments feature's first payment date. Queries name tenant_id even under RLS, so Citus can route them.
 */

export type BudgetRow = Selectable<DB["personal_budgets"]>;
export type BudgetLineRow = Selectable<DB["personal_budget_lines"]>;

export async function insertBudget(
  tx: TenantTx,
  row: Omit<
    BudgetRow,
    | "tenant_id"
    | "approved_at"
    | "end_date"
    | "status"
    | "end_reason"
    | "replaced_by_budget_id"
    | "first_payment_date"
  >,
  lines: readonly Omit<BudgetLineRow, "tenant_id" | "budget_id">[],
): Promise<void> {
  await tx
    .insertInto("personal_budgets")
    .values({ ...row, tenant_id: tx.scope.tenantId, status: "live" })
    .execute();
  if (lines.length === 0) return;
  await tx
    .insertInto("personal_budget_lines")
    .values(lines.map((l) => ({ ...l, tenant_id: tx.scope.tenantId, budget_id: row.budget_id })))
    .execute();
}

export async function findBudget(tx: TenantTx, budgetId: string): Promise<BudgetRow | undefined> {
  return tx
    .selectFrom("personal_budgets")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("budget_id", "=", budgetId)
    .executeTakeFirst();
}

/** Locks the budget row for the rest of the transaction (replacing or ending it). */
export async function findBudgetForUpdate(tx: TenantTx, budgetId: string): Promise<BudgetRow | undefined> {
  return tx
    .selectFrom("personal_budgets")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("budget_id", "=", budgetId)
    .forUpdate()
    .executeTakeFirst();
}

export async function findBudgetForPlanVersion(
  tx: TenantTx,
  planId: string,
  version: number,
): Promise<BudgetRow | undefined> {
  return tx
    .selectFrom("personal_budgets")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("plan_id", "=", planId)
    .where("plan_version", "=", version)
    .executeTakeFirst();
}

export async function linesOf(tx: TenantTx, budgetIds: readonly string[]): Promise<BudgetLineRow[]> {
  if (budgetIds.length === 0) return [];
  return tx
    .selectFrom("personal_budget_lines")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("budget_id", "=", anyUuid(budgetIds))
    .orderBy("budget_id")
    .orderBy("line_no")
    .execute();
}

/** The person's live budget (at most one: a unique index), locked when `lock`. */
export async function liveBudgetOf(
  tx: TenantTx,
  personId: string,
  lock = false,
): Promise<BudgetRow | undefined> {
  let q = tx
    .selectFrom("personal_budgets")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("person_id", "=", personId)
    .where("status", "=", "live");
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** Every budget marked live (each person's current one), by person. */
export async function liveBudgets(tx: TenantTx): Promise<BudgetRow[]> {
  return tx
    .selectFrom("personal_budgets")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("status", "=", "live")
    .orderBy("person_id")
    .execute();
}

/** Budgets with an end date, and that date. */
export async function endedBudgets(tx: TenantTx): Promise<{ budget_id: string; end_date: string }[]> {
  const rows = await tx
    .selectFrom("personal_budgets")
    .select(["budget_id", "end_date"])
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("end_date", "is not", null)
    .orderBy("budget_id")
    .execute();
  return rows.map((r) => ({ budget_id: r.budget_id, end_date: r.end_date! }));
}

/** Budgets in force on a date for one person (or everyone): started by then and not ended before it. */
export async function budgetsOn(tx: TenantTx, date: string, personId?: string): Promise<BudgetRow[]> {
  let q = tx
    .selectFrom("personal_budgets")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("start_date", "<=", date)
    .where((eb) => eb.or([eb("end_date", "is", null), eb("end_date", ">=", date)]));
  if (personId !== undefined) q = q.where("person_id", "=", personId);
  return q.orderBy("person_id").orderBy("start_date", "desc").execute();
}

export async function budgetsForPerson(tx: TenantTx, personId: string): Promise<BudgetRow[]> {
  return tx
    .selectFrom("personal_budgets")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("person_id", "=", personId)
    .orderBy("start_date", "desc")
    .orderBy("approved_at", "desc")
    .execute();
}

/** Every budget line on a stream with its budget's dates, for budgets overlapping [from, to]. */
export async function streamCommitments(
  tx: TenantTx,
  streamId: string,
  from: string,
  to: string,
): Promise<{ start_date: string; end_date: string | null; weekly_pence: number; one_off_pence: number }[]> {
  return tx
    .selectFrom("personal_budget_lines as l")
    .innerJoin("personal_budgets as b", (j) =>
      j.onRef("b.tenant_id", "=", "l.tenant_id").onRef("b.budget_id", "=", "l.budget_id"),
    )
    .select(["b.start_date", "b.end_date", "l.weekly_pence", "l.one_off_pence"])
    .where("l.tenant_id", "=", tx.scope.tenantId)
    .where("l.stream_id", "=", streamId)
    .where("b.start_date", "<=", to)
    .where((eb) => eb.or([eb("b.end_date", "is", null), eb("b.end_date", ">=", from)]))
    .orderBy("b.budget_id")
    .orderBy("l.line_no")
    .execute();
}

export async function endBudget(
  tx: TenantTx,
  budgetId: string,
  change: {
    endDate: string;
    status: "replaced" | "ended";
    reason: NonNullable<BudgetRow["end_reason"]>;
    replacedBy?: string;
  },
): Promise<void> {
  await tx
    .updateTable("personal_budgets")
    .set({
      end_date: change.endDate,
      status: change.status,
      end_reason: change.reason,
      replaced_by_budget_id: change.replacedBy ?? null,
    })
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("budget_id", "=", budgetId)
    .execute();
}

/** The budgets still without a first payment date, locked in id order (two runs wait rather than deadlock). */
export async function budgetsWithoutFirstPaymentForUpdate(
  tx: TenantTx,
  budgetIds: readonly string[],
): Promise<Pick<BudgetRow, "budget_id" | "start_date">[]> {
  if (budgetIds.length === 0) return [];
  return tx
    .selectFrom("personal_budgets")
    .select(["budget_id", "start_date"])
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("budget_id", "=", anyUuid(budgetIds))
    .where("first_payment_date", "is", null)
    .orderBy("budget_id")
    .forUpdate()
    .execute();
}

/** Sets many budgets' first payment dates in one statement. */
export async function setFirstPaymentDates(
  tx: TenantTx,
  dates: readonly { budgetId: string; date: string }[],
): Promise<void> {
  if (dates.length === 0) return;
  await sql`
    UPDATE personal_budgets AS b SET first_payment_date = d.date
    FROM unnest(${dates.map((d) => d.budgetId)}::uuid[], ${dates.map((d) => d.date)}::date[]) AS d(budget_id, date)
    WHERE b.tenant_id = ${tx.scope.tenantId} AND b.budget_id = d.budget_id`.execute(tx);
}

export async function setFirstPaymentDate(tx: TenantTx, budgetId: string, date: string): Promise<void> {
  await tx
    .updateTable("personal_budgets")
    .set({ first_payment_date: date })
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("budget_id", "=", budgetId)
    .execute();
}
