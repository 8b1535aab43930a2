import { createHash } from "node:crypto";
import {
  type AccountState,
  availableBalance,
  fingerprintContent,
  postedBalance,
  type Sums,
  type TransferRequest,
} from "#/features/ledger/ledger.calc.ts";
import type { LedgerAccount, LedgerTransfer } from "#/features/ledger/model.ts";
import type * as repo from "#/features/ledger/repository.ts";

/** Ledger rows as the service hands them out, and a request's fingerprint (for idempotency). */

export function fingerprintOf(r: TransferRequest): string {
  return createHash("sha256").update(fingerprintContent(r)).digest("hex");
}

export function sumsOf(a: repo.AccountRow): Sums {
  return {
    debitsPending: Number(a.debits_pending),
    debitsPosted: Number(a.debits_posted),
    creditsPending: Number(a.credits_pending),
    creditsPosted: Number(a.credits_posted),
  };
}

export function toAccountState(a: repo.AccountRow): AccountState {
  return {
    accountId: a.account_id,
    currency: a.currency,
    mustNotGoBelowZero: a.must_not_go_below_zero,
    ...sumsOf(a),
  };
}

export function toAccount(a: repo.AccountRow): LedgerAccount {
  const sums = sumsOf(a);
  return {
    accountId: a.account_id,
    code: a.code,
    kind: a.kind,
    currency: a.currency,
    name: a.name,
    budgetId: a.budget_id,
    streamId: a.stream_id,
    deployment: a.deployment,
    personId: a.person_id,
    mustNotGoBelowZero: a.must_not_go_below_zero,
    sums,
    balance: postedBalance(sums),
    available: availableBalance(sums),
  };
}

export function toTransfer(r: repo.TransferRow): LedgerTransfer {
  return {
    transferId: r.transfer_id,
    idempotencyKey: r.idempotency_key,
    debitAccountId: r.debit_account_id,
    creditAccountId: r.credit_account_id,
    amount: Number(r.amount),
    currency: r.currency,
    code: r.code,
    refKind: r.ref_kind,
    refId: r.ref_id,
    pending: r.pending,
    pendingOf: r.pending_of,
    state: r.state,
    createdAt: r.created_at instanceof Date ? r.created_at : new Date(r.created_at),
  };
}
