import type { Insertable, Selectable, Updateable } from "kysely";
import { numberedVersions } from "#/platform/db/dated-versions.ts";
import type { DB } from "#/platform/db/schema.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * SQL for direct-payment audits and the council's audit settings (migrations/0026), inside the caller's tenant
 * transaction. Budgets, spending, payments and people belong to their features: dp-audits reads them through their
 * services (facts.ts). Queries name tenant_id even under RLS, so Citus can route them.
 */

export type AuditRow = Selectable<DB["dp_audits"]>;
export type AuditSettingsRow = Selectable<DB["dp_audit_settings_versions"]>;

// ---- the council's audit settings ------------------------------------------------------------------------------

const settingsVersions = numberedVersions("dp_audit_settings_versions", "dp-audit-settings");

export const lockSettings = settingsVersions.lock;
export const listSettingsVersions = settingsVersions.list;
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
): Promise<AuditSettingsRow> {
  return tx
    .insertInto("dp_audit_settings_versions")
    .values({
      ...row,
      version: await settingsVersions.nextVersion(tx),
      tenant_id: tx.scope.tenantId,
      settings: JSON.stringify(row.settings),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

// ---- audits ----------------------------------------------------------------------------------------------------

export async function insertAudit(
  tx: TenantTx,
  row: Omit<Insertable<DB["dp_audits"]>, "tenant_id" | "findings"> & { findings: unknown },
): Promise<AuditRow> {
  return tx
    .insertInto("dp_audits")
    .values({ ...row, tenant_id: tx.scope.tenantId, findings: JSON.stringify(row.findings) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** One audit, locked for a decision or a reply when asked. */
export async function findAudit(
  tx: TenantTx,
  auditId: string,
  options: { forUpdate?: boolean } = {},
): Promise<AuditRow | undefined> {
  let query = tx
    .selectFrom("dp_audits")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("audit_id", "=", auditId);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function openAuditOf(tx: TenantTx, budgetId: string): Promise<AuditRow | undefined> {
  return tx
    .selectFrom("dp_audits")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("budget_id", "=", budgetId)
    .where("status", "=", "open")
    .executeTakeFirst();
}

/** The follow-up audit that turned an unpaid repayment request into a recovery, if any. */
export async function followUpOf(tx: TenantTx, auditId: string): Promise<AuditRow | undefined> {
  return tx
    .selectFrom("dp_audits")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("follows_audit_id", "=", auditId)
    .executeTakeFirst();
}

/** Audits, newest first: of one person, or every one. */
export async function audits(tx: TenantTx, filter: { personId?: string } = {}): Promise<AuditRow[]> {
  let query = tx.selectFrom("dp_audits").selectAll().where("tenant_id", "=", tx.scope.tenantId);
  if (filter.personId !== undefined) query = query.where("person_id", "=", filter.personId);
  return query.orderBy("opened_on", "desc").orderBy("created_at", "desc").execute();
}

export async function updateAudit(
  tx: TenantTx,
  auditId: string,
  changes: Omit<Updateable<DB["dp_audits"]>, "tenant_id" | "audit_id" | "budget_id" | "person_id">,
): Promise<AuditRow> {
  return tx
    .updateTable("dp_audits")
    .set(changes)
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("audit_id", "=", auditId)
    .returningAll()
    .executeTakeFirstOrThrow();
}
