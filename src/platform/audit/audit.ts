import { uuidv7 } from "#/platform/db/ids.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

export type AuditAction = "create" | "update" | "submit" | "view" | "decide" | "delete" | "revoke" | string;

/**
 * Appends one audit event inside the caller's transaction, so the event exists exactly when the change
 * (or the view) does. Personal data belongs in `changes` only as far as the change itself needs it.
 */
export async function audit(
  tx: TenantTx,
  event: { action: AuditAction; recordType: string; recordId: string; changes?: unknown },
): Promise<void> {
  await tx
    .insertInto("audit_events")
    .values({
      tenant_id: tx.scope.tenantId,
      event_id: uuidv7(),
      actor_type: tx.scope.actor.type,
      actor_id: tx.scope.actor.id,
      action: event.action,
      record_type: event.recordType,
      record_id: event.recordId,
      changes: event.changes === undefined ? null : JSON.stringify(event.changes),
    })
    .execute();
}
