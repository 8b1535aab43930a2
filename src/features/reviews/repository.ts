import type { Selectable } from "kysely";
import { anyUuid } from "#/platform/db/any-of.ts";
import { numberedVersions } from "#/platform/db/dated-versions.ts";
import type { DB } from "#/platform/db/schema.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * SQL for reviews, requests to look at a decision again (migrations/0008) and the council's review settings
 * (migrations/0011), inside the caller's tenant transaction. Budgets, plans, people and staff
 * belong to other features: reviews reads them through their services (live-budgets.ts). Queries name tenant_id even under RLS, so Citus can route them.
 */

export type ReviewRow = Selectable<DB["reviews"]>;
export type LookAgainRow = Selectable<DB["look_again_requests"]>;
export type ReviewSettingsRow = Selectable<DB["review_settings_versions"]>;

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
): Promise<LookAgainRow[]> {
  let query = tx.selectFrom("look_again_requests").selectAll().where("tenant_id", "=", tx.scope.tenantId);
  if (filter.personId !== undefined) query = query.where("person_id", "=", filter.personId);
  if (filter.status !== undefined) query = query.where("status", "=", filter.status);
  return query.orderBy("due_on").orderBy("asked_at").execute();
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
