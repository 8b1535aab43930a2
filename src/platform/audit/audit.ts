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

/** A record something was done to (not just viewed or exported), from the audit trail. */
export type AuditedRecord = { recordType: string; recordId: string };

/**
 * The records of these types that were created or changed (any action but a view or an export) in the time
 * window (after `after`, up to and including `upTo`), each once: for a job that keeps derived data up to date
 * with the records it is derived from. Inside the caller's tenant transaction.
 */
export async function recordsChangedIn(
  tx: TenantTx,
  window: { after: Date; upTo: Date; recordTypes: readonly string[] },
): Promise<AuditedRecord[]> {
  if (window.recordTypes.length === 0) return [];
  const rows = await tx
    .selectFrom("audit_events")
    .select(["record_type", "record_id"])
    .distinct()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("occurred_at", ">", window.after)
    .where("occurred_at", "<=", window.upTo)
    .where("record_type", "in", [...window.recordTypes])
    .where("action", "not in", ["view", "export"])
    .execute();
  return rows.map((r) => ({ recordType: r.record_type, recordId: r.record_id }));
}
