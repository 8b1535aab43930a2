import { type Fresh, rowSlot } from "#/features/ledger/checks.ts";
import type { Sums } from "#/features/ledger/ledger.calc.ts";
import * as repo from "#/features/ledger/repository.ts";
import { audit } from "#/platform/audit/audit.ts";
import { isUniqueViolation } from "#/platform/context.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/** Writing the accepted transfers in one statement, and telling a concurrent writer's key apart. */

const IDEMPOTENCY_KEY = "ledger_transfers_key";

/**
 * The key named in a unique violation's detail:
 * "Key (tenant_id, key_user_id, idempotency_key)=(<uuid>, <uuid or null>, <key>) already exists."
 */
function takenKey(error: unknown): string | undefined {
  const detail = (error as { detail?: unknown }).detail;
  return typeof detail === "string"
    ? /^Key \(tenant_id, key_user_id, idempotency_key\)=\([0-9a-f-]{36}, (?:null|[0-9a-f-]{36}), (.*)\) already exists\.$/s.exec(
        detail,
      )?.[1]
    : undefined;
}

/** Another transaction wrote one of these keys (for other content or accounts) after we looked. */
export class KeyTakenMeanwhile extends Error {
  readonly idempotencyKey: string;
  constructor(key: string) {
    super(`ledger: the key ${key} was written by another transaction meanwhile`);
    this.idempotencyKey = key;
  }
}

/**
 * One statement writes the accepted transfers, their accounts' changes and the holds they resolve, then one
 * audit event names them. Throws (so the caller rolls back) if the counts are not what the locks promised.
 */
export async function writeFresh(tx: TenantTx, fresh: readonly Fresh[], deltas: ReadonlyMap<string, Sums>) {
  if (fresh.length === 0) return new Map<string, repo.TransferRow>();
  const resolutions = fresh.flatMap((f) =>
    f.row.pending_of ? [{ transferId: f.row.pending_of, state: f.row.state as "posted" | "voided" }] : [],
  );
  const rows = fresh.map((f) => f.row);
  let written: Awaited<ReturnType<typeof repo.writeTransfers>>;
  try {
    written = await repo.writeTransfers(tx, rows, deltas, resolutions);
  } catch (error) {
    // Another transaction wrote one of these keys since we looked (the transaction is now aborted).
    if (isUniqueViolation(error) && (error as { constraint?: string }).constraint === IDEMPOTENCY_KEY)
      throw new KeyTakenMeanwhile(takenKey(error) ?? rows[0]!.idempotency_key);
    throw error;
  }
  const { inserted, createdAt, accountsUpdated, holdsResolved } = written;
  if (inserted !== fresh.length) throw new Error("ledger: fewer transfers written than checked");
  if (accountsUpdated !== deltas.size) throw new Error("ledger: an account changed under its lock");
  if (holdsResolved !== resolutions.length)
    throw new Error("ledger: a pending transfer changed under its lock");
  await audit(tx, {
    action: "ledger.transfer",
    recordType: rows.length === 1 ? "ledger_transfer" : "ledger_transfer_batch",
    recordId: rows[0]!.transfer_id,
    changes: {
      count: rows.length,
      totalPence: rows.reduce((s, w) => s + w.amount, 0),
      ...(rows.length <= 100 ? { transferIds: rows.map((w) => w.transfer_id) } : {}),
    },
  });
  const tenantId = tx.scope.tenantId;
  return new Map<string, repo.TransferRow>(
    rows.map((r) => [rowSlot(r), { ...r, tenant_id: tenantId, seq: 0, created_at: createdAt }]),
  );
}
