import { type Selectable, sql } from "kysely";
import { anyUuid } from "#/platform/db/any-of.ts";
import type { DB } from "#/platform/db/schema.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * SQL for support plans, their versions and attributed changes, and allocation overrides
 * (migrations/0008_plans_budgets_reviews.sql), inside the caller's tenant transaction. An approved version is
 * final (a trigger refuses any other change). Queries name tenant_id even under RLS, so Citus can route them.
 */

export type PlanRow = Selectable<DB["support_plans"]>;
export type VersionRow = Selectable<DB["plan_versions"]>;
export type ChangeRow = Selectable<DB["plan_changes"]>;
export type OverrideRow = Selectable<DB["allocation_overrides"]>;

// ---- plans ---------------------------------------------------------------------------------------------------------

export async function insertPlan(
  tx: TenantTx,
  plan: Omit<
    PlanRow,
    "tenant_id" | "created_at" | "lead_worker_id" | "previous_package_weekly_pence" | "previous_package_date"
  > & { lead_worker_id?: string | null },
): Promise<void> {
  await tx
    .insertInto("support_plans")
    .values({ ...plan, tenant_id: tx.scope.tenantId })
    .execute();
}

export async function findPlan(tx: TenantTx, planId: string, lock = false): Promise<PlanRow | undefined> {
  let q = tx
    .selectFrom("support_plans")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("plan_id", "=", planId);
  // Versions of one plan change one at a time: the plan row is the lock.
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function plansOfPerson(tx: TenantTx, personId: string): Promise<PlanRow[]> {
  return tx
    .selectFrom("support_plans")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("person_id", "=", personId)
    .orderBy("created_at", "desc")
    .orderBy("plan_id", "desc")
    .execute();
}

// ---- versions ------------------------------------------------------------------------------------------------------

export async function insertVersion(
  tx: TenantTx,
  row: {
    plan_id: string;
    version: number;
    content: unknown;
    indicative_weekly_pence: number;
    created_by: string;
  },
): Promise<void> {
  await tx
    .insertInto("plan_versions")
    .values({
      tenant_id: tx.scope.tenantId,
      plan_id: row.plan_id,
      version: row.version,
      status: "draft",
      content: JSON.stringify(row.content),
      indicative_weekly_pence: row.indicative_weekly_pence,
      created_by: row.created_by,
    })
    .execute();
}

export async function versionsOf(tx: TenantTx, planIds: readonly string[]): Promise<VersionRow[]> {
  if (planIds.length === 0) return [];
  return tx
    .selectFrom("plan_versions")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("plan_id", "=", anyUuid(planIds))
    .orderBy("plan_id")
    .orderBy("version")
    .execute();
}

export type VersionUpdate = Partial<{
  status: VersionRow["status"];
  content: unknown;
  indicative_weekly_pence: number;
  costing: unknown;
  fit: unknown;
  apportionment: unknown;
  required_level: string | null;
  submitted_by: string | null;
  submitted_at: Date | null;
  decided_by: string | null;
  decided_at: Date | null;
  decision_reasons: unknown;
  approver_level: string | null;
}>;

const JSON_COLUMNS = ["content", "costing", "fit", "apportionment", "decision_reasons"] as const;

export async function updateVersion(
  tx: TenantTx,
  planId: string,
  version: number,
  change: VersionUpdate,
): Promise<void> {
  const set: Record<string, unknown> = { ...change, updated_at: sql`now()` };
  for (const k of JSON_COLUMNS) {
    if (k in change) set[k] = change[k] === null ? null : JSON.stringify(change[k]);
  }
  await tx
    .updateTable("plan_versions")
    .set(set as never)
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("plan_id", "=", planId)
    .where("version", "=", version)
    .execute();
}

/** Submitted versions, oldest submission first: the approval queue. */
export async function submittedVersions(tx: TenantTx): Promise<(VersionRow & { person_id: string })[]> {
  return tx
    .selectFrom("plan_versions as v")
    .innerJoin("support_plans as p", (j) =>
      j.onRef("p.tenant_id", "=", "v.tenant_id").onRef("p.plan_id", "=", "v.plan_id"),
    )
    .selectAll("v")
    .select("p.person_id")
    .where("v.tenant_id", "=", tx.scope.tenantId)
    .where("v.status", "=", "submitted")
    .orderBy("v.submitted_at")
    .orderBy("v.plan_id")
    .execute();
}

/** The person's latest approved version (across their plans), for the cost of care and the money statement. */
export async function latestApprovedVersionOfPerson(
  tx: TenantTx,
  personId: string,
): Promise<VersionRow | undefined> {
  return tx
    .selectFrom("plan_versions as v")
    .innerJoin("support_plans as p", (j) =>
      j.onRef("p.tenant_id", "=", "v.tenant_id").onRef("p.plan_id", "=", "v.plan_id"),
    )
    .selectAll("v")
    .where("v.tenant_id", "=", tx.scope.tenantId)
    .where("p.person_id", "=", personId)
    .where("v.status", "=", "approved")
    .orderBy("v.decided_at", "desc")
    .limit(1)
    .executeTakeFirst();
}

/** Every version of these plans: when each was decided, and who leads the plan. */
export async function versionDecisions(
  tx: TenantTx,
  planIds: readonly string[],
): Promise<{ plan_id: string; version: number; decided_at: Date | null; lead_worker_id: string | null }[]> {
  if (planIds.length === 0) return [];
  return tx
    .selectFrom("plan_versions as v")
    .innerJoin("support_plans as p", (j) =>
      j.onRef("p.tenant_id", "=", "v.tenant_id").onRef("p.plan_id", "=", "v.plan_id"),
    )
    .select(["v.plan_id", "v.version", "v.decided_at", "p.lead_worker_id"])
    .where("v.tenant_id", "=", tx.scope.tenantId)
    .where("v.plan_id", "=", anyUuid(planIds))
    .execute();
}

/** One version's stored content (as stored: the caller reads what it needs). */
export async function versionContent(tx: TenantTx, planId: string, version: number): Promise<unknown> {
  const row = await tx
    .selectFrom("plan_versions")
    .select("content")
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("plan_id", "=", planId)
    .where("version", "=", version)
    .executeTakeFirst();
  return row?.content;
}

// ---- changes -------------------------------------------------------------------------------------------------------

export async function insertChange(tx: TenantTx, row: Omit<ChangeRow, "tenant_id" | "at">): Promise<void> {
  await tx
    .insertInto("plan_changes")
    .values({ ...row, tenant_id: tx.scope.tenantId })
    .execute();
}

export async function changesOf(tx: TenantTx, planId: string): Promise<ChangeRow[]> {
  return tx
    .selectFrom("plan_changes")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("plan_id", "=", planId)
    .orderBy("version")
    .orderBy("at")
    .orderBy("change_id")
    .execute();
}

// ---- allocation overrides -----------------------------------------------------------------------------------------

export async function insertOverride(
  tx: TenantTx,
  row: Omit<OverrideRow, "tenant_id" | "requested_at">,
): Promise<void> {
  await tx
    .insertInto("allocation_overrides")
    .values({ ...row, tenant_id: tx.scope.tenantId })
    .execute();
}

export async function findOverride(
  tx: TenantTx,
  overrideId: string,
  lock = false,
): Promise<OverrideRow | undefined> {
  let q = tx
    .selectFrom("allocation_overrides")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("override_id", "=", overrideId);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** An allocation's overrides, oldest first. */
export async function overridesOf(tx: TenantTx, allocationId: string): Promise<OverrideRow[]> {
  return tx
    .selectFrom("allocation_overrides")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("allocation_id", "=", allocationId)
    .orderBy("requested_at")
    .orderBy("override_id")
    .execute();
}

export async function decideOverride(
  tx: TenantTx,
  overrideId: string,
  change: { status: "approved" | "refused"; decided_by: string; note: string | null },
): Promise<void> {
  await tx
    .updateTable("allocation_overrides")
    .set({
      status: change.status,
      decided_by: change.decided_by,
      decided_at: sql`now()` as never,
      decision_note: change.note,
    })
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("override_id", "=", overrideId)
    .execute();
}

/** One allocation's overrides change one at a time (the allocation row is the lock). */
export async function lockAllocation(tx: TenantTx, allocationId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`allocation:${tx.scope.tenantId}:${allocationId}`}, 0))`.execute(
    tx,
  );
}
