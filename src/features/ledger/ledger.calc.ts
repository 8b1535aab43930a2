import type { FieldError } from "#/platform/validation.ts";

/**
 * The ledger's pure rules (TigerBeetle's model, https://docs.tigerbeetle.com/reference/): what a transfer may be,
 * what it does to the four sums of its two accounts, whether a flagged account would go below zero, the
 * content that makes two requests "the same", a statement's running balance, and the checks `ledger verify`
 * makes. No I/O: the service locks and reads the rows, asks these functions, then writes.
 */

/** Why money moved. Others may be used (lower_snake_case); these are the ones the features use. */
export const LEDGER_CODES = [
  "funding", // stream → budget: the council funds a budget's holding account
  "payment", // budget → payee or bank: a payment run pays out
  "spend", // budget → payee: a card transaction, an invoice
  "topup", // person's own money into their budget
  "contribution", // the person's contribution towards the budget
  "recovery", // surplus taken back to the stream
  "return", // a payment the bank returned
  "pool_share", // a budget's agreed share into a pool
  "adjustment", // a correction by a finance officer
] as const;

/** What kind of thing an account stands for (free text in SQL; these are the ones the features use). */
export const ACCOUNT_KINDS = [
  "stream",
  "budget",
  "contribution",
  "payee",
  "surplus_recovered",
  "topup",
  "pool",
  "bank",
  "other",
] as const;

const CODE = /^[a-z][a-z0-9_]{0,39}$/;
const ACCOUNT_CODE = /^[a-z][a-z0-9_]*(:[A-Za-z0-9_.-]+)*$/;
const CURRENCY = /^[A-Z]{3}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The four sums TigerBeetle keeps per account, in pence. */
export type Sums = {
  debitsPending: number;
  debitsPosted: number;
  creditsPending: number;
  creditsPosted: number;
};

export const ZERO_SUMS: Sums = { debitsPending: 0, debitsPosted: 0, creditsPending: 0, creditsPosted: 0 };

/** Posted balance (credits less debits): what a statement shows. */
export function postedBalance(s: Sums): number {
  return s.creditsPosted - s.debitsPosted;
}

/** What a flagged account may still spend: posted balance less what pending transfers hold. */
export function availableBalance(s: Sums): number {
  return s.creditsPosted - s.debitsPosted - s.debitsPending;
}

/**
 * One request to the ledger. `posted` and `pending` name both accounts; `post` and `void` resolve a pending
 * transfer (its accounts are the pending one's; a post may settle for less than was held, as a card
 * authorisation often does, and the rest is released).
 */
export type NewTransferRequest = {
  type: "posted" | "pending";
  idempotencyKey: string;
  /**
   * Whose key it is: the member of staff who sent it as an API Idempotency-Key (callerKey in ledger/api.ts). Left
   * out for the keys the system makes (payment runs, feeds, imports). The two never meet: a caller's key is
   * unique among that member of staff's keys only, so no string they send can take or replay a system key.
   */
  keyUserId?: string | null;
  debitAccountId: string;
  creditAccountId: string;
  amount: number;
  currency?: string;
  code: string;
  refKind?: string | null;
  refId?: string | null;
};

export type ResolveRequest = {
  type: "post" | "void";
  idempotencyKey: string;
  /** As NewTransferRequest's: whose key it is; left out for the system's. */
  keyUserId?: string | null;
  pendingId: string;
  /** post only: the amount to settle, at most the pending amount; the whole of it when left out. */
  amount?: number;
  code?: string;
  refKind?: string | null;
  refId?: string | null;
};

export type TransferRequest = NewTransferRequest | ResolveRequest;

/**
 * Where a key lives: the system's keys and each member of staff's are separate namespaces. Text no key can
 * start a namespace with ("system" is not a uuid), so two slots are equal only for the same namespace and key.
 */
export function keySlot(r: { idempotencyKey: string; keyUserId?: string | null }): string {
  return `${r.keyUserId ? r.keyUserId.toLowerCase() : "system"} ${r.idempotencyKey}`;
}

/** A posted or pending transfer between two named accounts (not a post or void of a hold). */
export function isNewTransfer(r: TransferRequest): r is NewTransferRequest {
  return r.type === "posted" || r.type === "pending";
}

/** Checks the shape of each request; paths are `[i].field` so a batch's bad item is named. */
export function validateTransferRequests(requests: readonly TransferRequest[]): FieldError[] {
  const errors: FieldError[] = [];
  const keys = new Map<string, number>();
  requests.forEach((r, i) => {
    const at = (field: string) => (requests.length === 1 ? field : `[${i}].${field}`);
    const add = (field: string, message: string) => errors.push({ path: at(field), message });
    if (
      typeof r.idempotencyKey !== "string" ||
      r.idempotencyKey.length < 1 ||
      r.idempotencyKey.length > 200
    ) {
      add("idempotencyKey", "Give an idempotency key of 1 to 200 characters");
    } else {
      const first = keys.get(keySlot(r));
      if (first !== undefined && fingerprintContent(requests[first]!) !== fingerprintContent(r)) {
        add("idempotencyKey", `The key is used by item ${first} with different content: use a new key`);
      } else if (first === undefined) keys.set(keySlot(r), i);
    }
    if (r.keyUserId != null && !UUID.test(r.keyUserId)) add("keyUserId", "Give the key's owner as a UUID");
    if (isNewTransfer(r)) {
      if (!UUID.test(r.debitAccountId)) add("debitAccountId", "Give the debit account's id (a UUID)");
      if (!UUID.test(r.creditAccountId)) add("creditAccountId", "Give the credit account's id (a UUID)");
      if (r.debitAccountId === r.creditAccountId) {
        add("creditAccountId", "The debit and credit accounts must be different accounts");
      }
      if (!Number.isSafeInteger(r.amount) || r.amount <= 0) {
        add("amount", "The amount must be a whole number of pence above 0");
      }
      if (r.currency !== undefined && !CURRENCY.test(r.currency)) {
        add("currency", "The currency must be a three-letter code, such as GBP");
      }
      if (!CODE.test(r.code)) add("code", "The code must be lower case letters, digits and _, such as spend");
    } else {
      if (!UUID.test(r.pendingId)) add("pendingId", "Give the pending transfer's id (a UUID)");
      if (r.type === "void" && r.amount !== undefined)
        add("amount", "A void releases the whole pending amount");
      if (r.amount !== undefined && (!Number.isSafeInteger(r.amount) || r.amount <= 0)) {
        add("amount", "The amount must be a whole number of pence above 0");
      }
      if (r.code !== undefined && !CODE.test(r.code)) {
        add("code", "The code must be lower case letters, digits and _, such as spend");
      }
    }
    if (r.refKind != null && !CODE.test(r.refKind)) {
      add("refKind", "The record kind must be lower case letters, digits and _, such as payment");
    }
    if (r.refId != null && (r.refId.length < 1 || r.refId.length > 200)) {
      add("refId", "The record id must be 1 to 200 characters");
    }
    if ((r.refKind == null) !== (r.refId == null))
      add("refId", "Give both the record kind and its id, or neither");
  });
  return errors;
}

export function validateAccountCode(code: string): string | undefined {
  if (code.length > 200 || !ACCOUNT_CODE.test(code)) {
    return "The account code must be a lower-case name then :-separated parts, such as stream:adult_social_care";
  }
  return undefined;
}

export function validateAccountKind(kind: string): string | undefined {
  return CODE.test(kind)
    ? undefined
    : "The account kind must be lower case letters, digits and _, such as budget";
}

/**
 * The content that makes a request what it is, as one canonical string: the same key with the same content is a
 * replay, with different content a clash. Defaults are filled so leaving out GBP equals giving it.
 */
export function fingerprintContent(r: TransferRequest): string {
  if (isNewTransfer(r)) {
    return JSON.stringify([
      r.type,
      r.debitAccountId.toLowerCase(),
      r.creditAccountId.toLowerCase(),
      r.amount,
      r.currency ?? "GBP",
      r.code,
      r.refKind ?? null,
      r.refId ?? null,
    ]);
  }
  return JSON.stringify([
    r.type,
    r.pendingId.toLowerCase(),
    r.amount ?? null,
    r.code ?? null,
    r.refKind ?? null,
    r.refId ?? null,
  ]);
}

/** A transfer as it will be written, its accounts resolved (for post/void, from the pending transfer). */
export type ResolvedTransfer = {
  debitAccountId: string;
  creditAccountId: string;
  amount: number;
  /** posted: a plain transfer or the post of a pending one; pending: first phase; voided: a void. */
  state: "posted" | "pending" | "voided";
  pending: boolean;
  /** For post/void: the pending amount being released from the *_pending sums. */
  releases: number;
};

export type AccountState = Sums & { accountId: string; currency: string; mustNotGoBelowZero: boolean };

/** The change a transfer makes to its two accounts' sums. */
export function effectOf(t: ResolvedTransfer): { debit: Sums; credit: Sums } {
  if (t.pending) {
    return {
      debit: { ...ZERO_SUMS, debitsPending: t.amount },
      credit: { ...ZERO_SUMS, creditsPending: t.amount },
    };
  }
  const posted = t.state === "posted" ? t.amount : 0;
  return {
    debit: { ...ZERO_SUMS, debitsPending: -t.releases, debitsPosted: posted },
    credit: { ...ZERO_SUMS, creditsPending: -t.releases, creditsPosted: posted },
  };
}

export function addSums(a: Sums, b: Sums): Sums {
  return {
    debitsPending: a.debitsPending + b.debitsPending,
    debitsPosted: a.debitsPosted + b.debitsPosted,
    creditsPending: a.creditsPending + b.creditsPending,
    creditsPosted: a.creditsPosted + b.creditsPosted,
  };
}

export type Refusal = { index: number; reason: "insufficient_funds" | "currency_mismatch"; message: string };

/**
 * Applies transfers in order to the accounts' current sums. Refuses (naming the first transfer that fails) if a
 * flagged account would go below zero at any step, or a transfer's currency differs from an account's. Returns
 * each touched account's change, so the service writes one UPDATE for all of them.
 */
export function applyTransfers(
  accounts: ReadonlyMap<string, AccountState>,
  transfers: readonly (ResolvedTransfer & { currency: string })[],
): { ok: true; deltas: Map<string, Sums> } | { ok: false; refusal: Refusal } {
  const now = new Map<string, Sums>();
  const deltas = new Map<string, Sums>();
  for (const [index, t] of transfers.entries()) {
    const debit = accounts.get(t.debitAccountId);
    const credit = accounts.get(t.creditAccountId);
    if (!debit || !credit) throw new Error("applyTransfers: every account must be given");
    for (const a of [debit, credit]) {
      if (a.currency !== t.currency) {
        return {
          ok: false,
          refusal: {
            index,
            reason: "currency_mismatch",
            message: `Account ${a.accountId} holds ${a.currency}, but the transfer is in ${t.currency}`,
          },
        };
      }
    }
    const effect = effectOf(t);
    for (const [account, change] of [
      [debit, effect.debit],
      [credit, effect.credit],
    ] as const) {
      const after = addSums(now.get(account.accountId) ?? account, change);
      if (account.mustNotGoBelowZero && availableBalance(after) < 0) {
        const before = availableBalance(now.get(account.accountId) ?? account);
        return {
          ok: false,
          refusal: {
            index,
            reason: "insufficient_funds",
            message: `Account ${account.accountId} may not go below zero: it has ${before} pence available and the transfer needs ${t.amount}`,
          },
        };
      }
      now.set(account.accountId, after);
      deltas.set(account.accountId, addSums(deltas.get(account.accountId) ?? ZERO_SUMS, change));
    }
  }
  return { ok: true, deltas };
}

/** One line of an account's statement: the transfer, signed from the account's side, and the balance after. */
export type StatementLine<T> = T & { signedAmount: number; balanceAfter: number };

/**
 * Running posted balance over an account's transfers (in the order written), from an opening balance. Pending
 * holds and voids move no posted money: they are listed with the balance unchanged.
 */
export function statementLines<
  T extends {
    debitAccountId: string;
    creditAccountId: string;
    amount: number;
    state: string;
    pending: boolean;
  },
>(accountId: string, opening: number, rows: readonly T[]): StatementLine<T>[] {
  let balance = opening;
  return rows.map((row) => {
    const moves = row.state === "posted" && !row.pending;
    const signed = !moves ? 0 : row.creditAccountId === accountId ? row.amount : -row.amount;
    balance += signed;
    return { ...row, signedAmount: signed, balanceAfter: balance };
  });
}

/** What `ledger verify` reads: each account's stored sums beside the sums recomputed from its transfers. */
export type VerifyInput = {
  accounts: readonly {
    tenantId: string;
    accountId: string;
    code: string;
    currency: string;
    mustNotGoBelowZero: boolean;
    stored: Sums;
    fromTransfers: Sums;
  }[];
  /** Transfers failing a per-row rule (found by SQL, described here). */
  badTransfers: readonly { tenantId: string; transferId: string; problem: string }[];
  transferCount: number;
};

export type VerifyReport = { ok: boolean; accounts: number; transfers: number; problems: string[] };

const SUM_NAMES: readonly (keyof Sums)[] = [
  "debitsPending",
  "debitsPosted",
  "creditsPending",
  "creditsPosted",
];

/**
 * The ledger's invariants: every transfer balances (checked per row), stored sums equal the sums of their
 * transfers (pending and posted separately; voided ones nowhere), no flagged account below zero, and per tenant
 * and currency the credits equal the debits (posted and pending), so all balances sum to zero.
 */
export function verifyLedger(input: VerifyInput): VerifyReport {
  const problems: string[] = [];
  for (const b of input.badTransfers)
    problems.push(`transfer ${b.transferId} (tenant ${b.tenantId}): ${b.problem}`);
  const totals = new Map<string, { stored: Sums; label: string }>();
  for (const a of input.accounts) {
    for (const name of SUM_NAMES) {
      if (a.stored[name] !== a.fromTransfers[name]) {
        problems.push(
          `account ${a.code} (${a.accountId}, tenant ${a.tenantId}): ${name} is ${a.stored[name]} but its transfers sum to ${a.fromTransfers[name]}`,
        );
      }
    }
    if (a.mustNotGoBelowZero && availableBalance(a.stored) < 0) {
      problems.push(`account ${a.code} (${a.accountId}, tenant ${a.tenantId}) is below zero but must not be`);
    }
    const key = `${a.tenantId} ${a.currency}`;
    const total = totals.get(key) ?? { stored: ZERO_SUMS, label: `tenant ${a.tenantId}, ${a.currency}` };
    totals.set(key, { ...total, stored: addSums(total.stored, a.stored) });
  }
  for (const { stored, label } of totals.values()) {
    if (stored.creditsPosted !== stored.debitsPosted) {
      problems.push(
        `${label}: posted balances sum to ${stored.creditsPosted - stored.debitsPosted}, not 0 (credits ${stored.creditsPosted}, debits ${stored.debitsPosted})`,
      );
    }
    if (stored.creditsPending !== stored.debitsPending) {
      problems.push(
        `${label}: pending balances sum to ${stored.creditsPending - stored.debitsPending}, not 0 (credits ${stored.creditsPending}, debits ${stored.debitsPending})`,
      );
    }
  }
  return {
    ok: problems.length === 0,
    accounts: input.accounts.length,
    transfers: input.transferCount,
    problems,
  };
}
