import { type Selectable, sql } from "kysely";
import type { DB, StaffRole } from "#/platform/db/schema.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * SQL for the staff task list (migrations/0019_referrals_tasks.sql, 0020_task_teams.sql), inside the caller's tenant transaction. Tasks
 * are only added and marked done. Queries name tenant_id even under RLS, so Citus can route them.
 */

export type TaskRow = Selectable<DB["tasks"]>;
export type NewTaskRow = Omit<TaskRow, "tenant_id" | "created_at" | "status" | "done_by" | "done_at">;

export async function insertTask(tx: TenantTx, row: NewTaskRow): Promise<TaskRow> {
  return tx
    .insertInto("tasks")
    .values({ ...row, tenant_id: tx.scope.tenantId, status: "open" })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Tasks for this officer, for their team, or for a role group they are in when the task is not given to a team;
 * open ones first by due date.
 */
export async function tasksFor(
  tx: TenantTx,
  who: { userId: string; roles: readonly StaffRole[]; teamId: string | null },
  status: "open" | "done",
  limit: number,
): Promise<TaskRow[]> {
  const roles = sql`ARRAY[${sql.join(who.roles.length ? who.roles.map((r) => sql`${r}`) : [sql`''`])}]::text[]`;
  return tx
    .selectFrom("tasks")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("status", "=", status)
    .where((eb) =>
      eb.or([
        eb("assigned_user_id", "=", who.userId),
        ...(who.teamId ? [eb("team_id", "=", who.teamId)] : []),
        eb.and([eb("team_id", "is", null), eb(sql<boolean>`for_roles && ${roles}`, "=", true)]),
      ]),
    )
    .orderBy(status === "open" ? "due_on" : "done_at", status === "open" ? "asc" : "desc")
    .orderBy("created_at")
    .limit(limit)
    .execute();
}

export async function findTask(tx: TenantTx, taskId: string): Promise<TaskRow | undefined> {
  return tx
    .selectFrom("tasks")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("task_id", "=", taskId)
    .forUpdate()
    .executeTakeFirst();
}

export async function markDone(tx: TenantTx, taskIds: readonly string[], doneBy: string): Promise<void> {
  if (taskIds.length === 0) return;
  await tx
    .updateTable("tasks")
    .set({ status: "done", done_by: doneBy, done_at: sql`now()` })
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("task_id", "in", taskIds)
    .where("status", "=", "open")
    .execute();
}

export async function openTasksForSource(
  tx: TenantTx,
  sourceType: string,
  sourceId: string,
): Promise<TaskRow[]> {
  return tx
    .selectFrom("tasks")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("source_type", "=", sourceType)
    .where("source_id", "=", sourceId)
    .where("status", "=", "open")
    .execute();
}
