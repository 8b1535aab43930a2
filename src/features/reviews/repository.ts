import { type Selectable, sql } from "kysely";
import { anyUuid } from "#/platform/db/any-of.ts";
import { numberedVersions } from "#/platform/db/dated-versions.ts";
import type { DB } from "#/platform/db/schema.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * SQL for reviews, requests to look at a decision again (migrations/0008) and the council's review settings
 * (migrations/0011), inside the caller's tenant transaction. Plans and budgets belong to planning and budgets:
 * they are only read here, with plain SQL, so this file declares none of their types (those features do).
 * Queries name tenant_id even under RLS, so Citus can route them.
 */

export type ReviewRow = Selectable<DB["reviews"]>;
export type LookAgainRow = Selectable<DB["look_again_requests"]>;
export type ReviewSettingsRow = Selectable<DB["review_settings_versions"]>;

// ---- live budgets and their plans (read-only) ------------------------------------------------------------------

/** A live budget with what its review dates are worked out from. */
export type LiveBudgetRow = {
  budget_id: string;
  person_id: string;
  given_name: string;
  family_name: string;
  reference: string;
  plan_id: string;
  plan_version: number;
  start_date: string;
  first_payment_date: string | null;
  /** When the approved version was signed off. */
  decided_at: Date;
  lead_worker_id: string | null;
  lead_worker_name: string | null;
  has_direct_payment: boolean;
};

/** Every live budget (or one person's), with the plan version it came from and its lead worker. */
export async function liveBudgets(tx: TenantTx, personId?: string): Promise<LiveBudgetRow[]> {
  const tenant = tx.scope.tenantId;
  const { rows } = await sql<LiveBudgetRow>`
    SELECT b.budget_id, b.person_id, p.given_name, p.family_name, p.reference, b.plan_id, b.plan_version,
           b.start_date, b.first_payment_date, v.decided_at, sp.lead_worker_id, s.name AS lead_worker_name,
           EXISTS (SELECT 1 FROM personal_budget_lines l
                    WHERE l.tenant_id = b.tenant_id AND l.budget_id = b.budget_id
                      AND l.deployment = 'direct_payment') AS has_direct_payment
      FROM personal_budgets b
      JOIN people p ON p.tenant_id = b.tenant_id AND p.person_id = b.person_id
      JOIN plan_versions v ON v.tenant_id = b.tenant_id AND v.plan_id = b.plan_id AND v.version = b.plan_version
      JOIN support_plans sp ON sp.tenant_id = b.tenant_id AND sp.plan_id = b.plan_id
      LEFT JOIN staff_users s ON s.tenant_id = sp.tenant_id AND s.user_id = sp.lead_worker_id
     WHERE b.tenant_id = ${tenant} AND b.status = 'live'
       ${personId === undefined ? sql`` : sql`AND b.person_id = ${personId}`}
     ORDER BY b.person_id`.execute(tx);
  return rows.map((r) => ({ ...r, decided_at: new Date(r.decided_at) }));
}

/** The outcomes of one plan version, as the plan holds them (id and the person's words). */
export async function planOutcomes(
  tx: TenantTx,
  planId: string,
  version: number,
): Promise<{ id: string; inTheirWords: string }[]> {
  const { rows } = await sql<{ content: unknown }>`
    SELECT content FROM plan_versions
     WHERE tenant_id = ${tx.scope.tenantId} AND plan_id = ${planId} AND version = ${version}`.execute(tx);
  const content = rows[0]?.content as { outcomes?: { id?: unknown; inTheirWords?: unknown }[] } | undefined;
  return (content?.outcomes ?? [])
    .filter((o) => typeof o.id === "string")
    .map((o) => ({ id: o.id as string, inTheirWords: String(o.inTheirWords ?? "") }));
}

export async function staffName(tx: TenantTx, userId: string): Promise<string | null> {
  const row = await tx
    .selectFrom("staff_users")
    .select("name")
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row?.name ?? null;
}

// ---- reviews ---------------------------------------------------------------------------------------------------

/** Reviews of these people (all when none given), earliest first. */
export async function reviewsOf(tx: TenantTx, personIds?: readonly string[]): Promise<ReviewRow[]> {
  if (personIds !== undefined && personIds.length === 0) return [];
  let query = tx.selectFrom("reviews").selectAll().where("tenant_id", "=", tx.scope.tenantId);
  if (personIds !== undefined) query = query.where("person_id", "=", anyUuid(personIds));
  return query.orderBy("held_on").orderBy("recorded_at").execute();
}

export async function insertReview(
  tx: TenantTx,
  row: Omit<ReviewRow, "tenant_id" | "recorded_at" | "record"> & { record: unknown },
): Promise<ReviewRow> {
  return tx
    .insertInto("reviews")
    .values({ ...row, tenant_id: tx.scope.tenantId, record: JSON.stringify(row.record) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

// ---- requests to look at a decision again ----------------------------------------------------------------------

export async function insertLookAgain(
  tx: TenantTx,
  row: Omit<LookAgainRow, "tenant_id" | "asked_at" | "answer" | "answered_by" | "answered_at" | "status">,
): Promise<LookAgainRow> {
  return tx
    .insertInto("look_again_requests")
    .values({ ...row, tenant_id: tx.scope.tenantId, status: "open" })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function listLookAgain(
  tx: TenantTx,
  filter: { personId?: string; status?: "open" | "answered" } = {},
): Promise<(LookAgainRow & { given_name: string; family_name: string })[]> {
  let query = tx
    .selectFrom("look_again_requests as r")
    .innerJoin("people as p", (j) =>
      j.onRef("p.tenant_id", "=", "r.tenant_id").onRef("p.person_id", "=", "r.person_id"),
    )
    .selectAll("r")
    .select(["p.given_name", "p.family_name"])
    .where("r.tenant_id", "=", tx.scope.tenantId);
  if (filter.personId !== undefined) query = query.where("r.person_id", "=", filter.personId);
  if (filter.status !== undefined) query = query.where("r.status", "=", filter.status);
  return query.orderBy("r.due_on").orderBy("r.asked_at").execute();
}

export async function findLookAgain(tx: TenantTx, requestId: string): Promise<LookAgainRow | undefined> {
  return tx
    .selectFrom("look_again_requests")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("request_id", "=", requestId)
    .forUpdate()
    .executeTakeFirst();
}

export async function answerLookAgain(
  tx: TenantTx,
  requestId: string,
  answer: { answer: string; answered_by: string },
): Promise<LookAgainRow> {
  return tx
    .updateTable("look_again_requests")
    .set({ ...answer, status: "answered", answered_at: new Date() })
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("request_id", "=", requestId)
    .where("status", "=", "open")
    .returningAll()
    .executeTakeFirstOrThrow();
}

// ---- the council's review settings -----------------------------------------------------------------------------

const settingsVersions = numberedVersions("review_settings_versions", "review-settings");

/** One change to the review settings at a time per tenant, so version numbers follow one another. */
export const lockSettings = settingsVersions.lock;

export const listSettingsVersions = settingsVersions.list;

/** The version in force on a date: the latest start on or before it; of two from one day, the later recorded. */
export const settingsVersionOn = settingsVersions.inForceOn;

export async function insertSettingsVersion(
  tx: TenantTx,
  row: {
    settings_version_id: string;
    valid_from: string;
    settings: unknown;
    reason: string;
    created_by: string;
  },
): Promise<ReviewSettingsRow> {
  return tx
    .insertInto("review_settings_versions")
    .values({
      ...row,
      version: await settingsVersions.nextVersion(tx),
      tenant_id: tx.scope.tenantId,
      settings: JSON.stringify(row.settings),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}
