import {
  type AccountState,
  isNewTransfer,
  keySlot,
  type ResolvedTransfer,
  type TransferRequest,
} from "#/features/ledger/ledger.calc.ts";
import { IdempotencyConflictError, LedgerRefusedError } from "#/features/ledger/model.ts";
import * as repo from "#/features/ledger/repository.ts";
import { toAccountState } from "#/features/ledger/rows.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";
import type { FieldError } from "#/platform/validation.ts";

/**
 * Checking a batch of transfer requests before anything is written: lock the holds and accounts they touch, then
 * judge each request against the locked rows (a replay, a repeat, a new transfer, or field errors).
 */

/** What the locks and the key look-up found for a set of requests. */
export type Locked = {
  holds: Map<string, repo.TransferRow>;
  accounts: Map<string, AccountState>;
  existing: Map<string, repo.TransferRow>;
};

/** Locks the holds being resolved, then every account (id order); finds the keys already used. */
export async function lockFor(tx: TenantTx, requests: readonly TransferRequest[]): Promise<Locked> {
  const holdIds = [
    ...new Set(requests.flatMap((r) => (isNewTransfer(r) ? [] : [r.pendingId.toLowerCase()]))),
  ];
  const holds = new Map((await repo.lockTransfers(tx, holdIds)).map((h) => [h.transfer_id, h]));
  const accountIds = new Set<string>();
  for (const r of requests) {
    if (isNewTransfer(r)) {
      accountIds.add(r.debitAccountId.toLowerCase());
      accountIds.add(r.creditAccountId.toLowerCase());
    }
  }
  for (const h of holds.values()) {
    accountIds.add(h.debit_account_id);
    accountIds.add(h.credit_account_id);
  }
  const accounts = new Map<string, AccountState>(
    (await repo.lockAccounts(tx, [...accountIds].sort())).map((a) => [a.account_id, toAccountState(a)]),
  );
  const existing = new Map((await repo.transfersByKeys(tx, requests)).map((row) => [rowSlot(row), row]));
  return { holds, accounts, existing };
}

/** A new transfer, checked against the locked rows, ready to write. */
export type Fresh = {
  index: number;
  row: repo.NewTransferRow;
  resolved: ResolvedTransfer & { currency: string };
};

/**
 * What one request is, given the locked rows and the transfers accepted before it in this call: a replay of a
 * transfer written before (`existing`), a repeat of one accepted earlier in the call, a new transfer, or field
 * errors. Throws IdempotencyConflictError (key used for other content) or LedgerRefusedError (hold already
 * resolved). Changes nothing: the caller records what it accepts in `accepted`.
 */
export function judge(
  r: TransferRequest,
  index: number,
  fingerprint: string,
  locked: Locked,
  accepted: { byKey: Map<string, Fresh>; holds: Set<string> },
  at: (field: string) => string,
):
  | { kind: "replay"; row: repo.TransferRow }
  | { kind: "repeat"; of: Fresh }
  | { kind: "fresh"; fresh: Fresh }
  | { kind: "invalid"; errors: FieldError[] } {
  const before = locked.existing.get(keySlot(r));
  if (before) {
    if (before.request_fingerprint !== fingerprint) throw new IdempotencyConflictError(r.idempotencyKey);
    return { kind: "replay", row: before };
  }
  const earlier = accepted.byKey.get(keySlot(r));
  if (earlier) {
    if (earlier.row.request_fingerprint !== fingerprint) throw new IdempotencyConflictError(r.idempotencyKey);
    return { kind: "repeat", of: earlier };
  }
  const errors: FieldError[] = [];
  let resolved: ResolvedTransfer & { currency: string };
  let code: string;
  let refKind = r.refKind ?? null;
  let refId = r.refId ?? null;
  if (isNewTransfer(r)) {
    const debit = locked.accounts.get(r.debitAccountId.toLowerCase());
    const credit = locked.accounts.get(r.creditAccountId.toLowerCase());
    if (!debit)
      errors.push({ path: at("debitAccountId"), message: "There is no ledger account with this id" });
    if (!credit)
      errors.push({ path: at("creditAccountId"), message: "There is no ledger account with this id" });
    if (!debit || !credit) return { kind: "invalid", errors };
    resolved = {
      debitAccountId: debit.accountId,
      creditAccountId: credit.accountId,
      amount: r.amount,
      currency: r.currency ?? "GBP",
      state: r.type === "pending" ? "pending" : "posted",
      pending: r.type === "pending",
      releases: 0,
    };
    code = r.code;
  } else {
    const hold = locked.holds.get(r.pendingId.toLowerCase());
    if (!hold?.pending) {
      errors.push({ path: at("pendingId"), message: "There is no pending transfer with this id" });
      return { kind: "invalid", errors };
    }
    if (hold.state !== "pending" || accepted.holds.has(hold.transfer_id)) {
      throw new LedgerRefusedError(
        "already_resolved",
        index,
        `The pending transfer ${hold.transfer_id} has already been ${hold.state === "pending" ? "resolved in this batch" : hold.state}`,
      );
    }
    if (r.amount !== undefined && r.amount > hold.amount) {
      errors.push({
        path: at("amount"),
        message: `The amount may be at most the ${hold.amount} pence held by the pending transfer`,
      });
      return { kind: "invalid", errors };
    }
    resolved = {
      debitAccountId: hold.debit_account_id,
      creditAccountId: hold.credit_account_id,
      amount: r.type === "post" ? (r.amount ?? hold.amount) : hold.amount,
      currency: hold.currency,
      state: r.type === "post" ? "posted" : "voided",
      pending: false,
      releases: hold.amount,
    };
    code = r.code ?? hold.code;
    refKind ??= hold.ref_kind;
    refId ??= hold.ref_id;
  }
  return {
    kind: "fresh",
    fresh: {
      index,
      resolved,
      row: {
        transfer_id: uuidv7(),
        idempotency_key: r.idempotencyKey,
        key_user_id: r.keyUserId ? r.keyUserId.toLowerCase() : null,
        request_fingerprint: fingerprint,
        debit_account_id: resolved.debitAccountId,
        credit_account_id: resolved.creditAccountId,
        amount: resolved.amount,
        currency: resolved.currency,
        code,
        ref_kind: refKind,
        ref_id: refId,
        pending: resolved.pending,
        pending_of: isNewTransfer(r) ? null : r.pendingId.toLowerCase(),
        state: resolved.state,
      },
    },
  };
}

export function accept(accepted: { byKey: Map<string, Fresh>; holds: Set<string> }, f: Fresh) {
  accepted.byKey.set(rowSlot(f.row), f);
  if (f.row.pending_of) accepted.holds.add(f.row.pending_of);
}

/** A key's slot from a written row (keySlot's, for a request). */
export const rowSlot = (row: Pick<repo.TransferRow, "idempotency_key" | "key_user_id">) =>
  keySlot({ idempotencyKey: row.idempotency_key, keyUserId: row.key_user_id });
