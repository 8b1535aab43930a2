import { uuidv7 } from "#/platform/db/ids.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

export type AuditAction = "create" | "update" | "submit" | "view" | "decide" | "delete" | "revoke" | string;

/**
 * Appends one audit event inside the caller's transaction, so the event exists exactly when the change
 * (or the view) does. Personal data belongs in `changes` only as far as the change itself needs it.
 */
export async function audit(tx: TenantTx, event: AuditEvent): Promise<void> {
  await auditMany(tx, [event]);
}

export type AuditEvent = { action: AuditAction; recordType: string; recordId: string; changes?: unknown };

/** Many events in a few statements (a payment run makes thousands): the same rows `audit` would write. */
export async function auditMany(tx: TenantTx, events: readonly AuditEvent[]): Promise<void> {
  const rows = events.map((event) => ({
    tenant_id: tx.scope.tenantId,
    event_id: uuidv7(),
    actor_type: tx.scope.actor.type,
    actor_id: tx.scope.actor.id,
    action: event.action,
    record_type: event.recordType,
    record_id: event.recordId,
    changes: event.changes === undefined ? null : JSON.stringify(event.changes),
  }));
  // 8 parameters a row: 2,000 rows stay well under the protocol's 65,535.
  for (let i = 0; i < rows.length; i += 2_000) {
    await tx
      .insertInto("audit_events")
      .values(rows.slice(i, i + 2_000))
      .execute();
  }
}
