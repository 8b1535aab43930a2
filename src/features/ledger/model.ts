import type { Sums } from "#/features/ledger/ledger.calc.ts";
import { ConflictError } from "#/platform/errors.ts";

/** The ledger's words for other features: accounts, transfers, results, and the two refusals (409). */

export type TransferResult = { transfer: LedgerTransfer; replayed: boolean };

export type LedgerAccount = {
  accountId: string;
  code: string;
  kind: string;
  currency: string;
  name: string | null;
  budgetId: string | null;
  streamId: string | null;
  deployment: string | null;
  personId: string | null;
  mustNotGoBelowZero: boolean;
  sums: Sums;
  /** credits_posted − debits_posted. */
  balance: number;
  /** balance − debits_pending: what may still be spent from a flagged account. */
  available: number;
};

export type LedgerTransfer = {
  transferId: string;
  /** As sent: a caller's key is theirs alone (keyUserId), a system key has none. */
  idempotencyKey: string;
  debitAccountId: string;
  creditAccountId: string;
  amount: number;
  currency: string;
  code: string;
  refKind: string | null;
  refId: string | null;
  pending: boolean;
  pendingOf: string | null;
  state: "pending" | "posted" | "voided";
  createdAt: Date;
};

export type AccountSpec = {
  code: string;
  kind: string;
  currency?: string;
  name?: string | null;
  budgetId?: string | null;
  streamId?: string | null;
  deployment?: string | null;
  personId?: string | null;
  mustNotGoBelowZero?: boolean;
};

/** A transfer the ledger will not make: a flagged account would go below zero, or currencies differ. */
export class LedgerRefusedError extends ConflictError {
  readonly reason: "insufficient_funds" | "currency_mismatch" | "already_resolved";
  /** Which request of the batch (0 for a single transfer). */
  readonly index: number;
  constructor(reason: LedgerRefusedError["reason"], index: number, message: string) {
    super(message);
    this.name = "LedgerRefusedError";
    this.reason = reason;
    this.index = index;
  }
}

/** The idempotency key was used before for a different transfer. */
export class IdempotencyConflictError extends ConflictError {
  readonly idempotencyKey: string;
  constructor(key: string) {
    super(
      `The idempotency key "${key}" was already used for a different transfer: send the same content to get its result, or use a new key`,
    );
    this.name = "IdempotencyConflictError";
    this.idempotencyKey = key;
  }
}
