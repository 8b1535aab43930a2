import { accept, type Fresh, judge, lockFor, rowSlot } from "#/features/ledger/checks.ts";
import { type GroupOutcome as GenericGroupOutcome, GroupCommitter } from "#/features/ledger/group-commit.ts";
import {
  addSums,
  applyTransfers,
  keySlot,
  type NewTransferRequest,
  type StatementLine,
  type Sums,
  statementLines,
  type TransferRequest,
  validateAccountCode,
  validateAccountKind,
  validateTransferRequests,
  ZERO_SUMS,
} from "#/features/ledger/ledger.calc.ts";
import {
  type AccountSpec,
  IdempotencyConflictError,
  type LedgerAccount,
  LedgerRefusedError,
  type LedgerTransfer,
  type TransferResult,
} from "#/features/ledger/model.ts";
import * as repo from "#/features/ledger/repository.ts";
import { fingerprintOf, toAccount, toTransfer } from "#/features/ledger/rows.ts";
import { KeyTakenMeanwhile, writeFresh } from "#/features/ledger/write.ts";
import { audit, auditMany } from "#/platform/audit/audit.ts";
import { inTenant, type ServiceContext, type TxContext } from "#/platform/context.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import { ConflictError, NotFoundError, ValidationError } from "#/platform/errors.ts";
import type { FieldError } from "#/platform/validation.ts";

/**
 * The budget ledger: every penny a balanced transfer between two accounts (TigerBeetle's model in PostgreSQL).
 *
 * For other features (payments, spending, budgets), the whole API:
 *
 *   ensureAccountIn(t, { code, kind, mustNotGoBelowZero?, budgetId?, streamId?, deployment?, personId?, name? })
 *       find-or-create the account with that code ("budget:<budgetId>:direct_payment", "stream:<streamId>",
 *       "payee:<id>", "contribution:<budgetId>", "surplus_recovered:<streamId>", "topup:<budgetId>",
 *       "pool:<poolId>", "bank:clearing"); a code already used with another kind, currency or flag is refused.
 *   accountByCodeIn(t, code) → the account or undefined.   balanceIn(t, accountId) → account + balances.
 *   transferIn(t, { type: "posted" | "pending", idempotencyKey, debitAccountId, creditAccountId, amount, code,
 *       refKind?, refId?, currency? })  → { transfer, replayed }
 *   postPendingIn(t, { idempotencyKey, pendingId, amount? })   settle a hold (for less, if amount is smaller)
 *   voidPendingIn(t, { idempotencyKey, pendingId })            release a hold
 *   transfersIn(t, requests[])   many at once, any mix of the above, applied in order, ALL OR NOTHING; one writing
 *       statement whatever the batch size. Use it for a run or an import (and for several transfers in one
 *       transaction: one call locks all their accounts in one fixed order, two calls could deadlock another run).
 *   statementIn(t, accountId, { from?, to? })   transfers with the running posted balance.
 *   Each has a ServiceContext wrapper without "In" (its own tenant transaction). transfer, postPending and
 *       voidPending commit concurrent callers' requests together (group commit: one transaction for the requests
 *       queued while the previous group was written, each judged as if made alone in order, each caller's promise
 *       settled after COMMIT; a group that fails fails every caller in it and writes nothing).
 *
 * Rules: money moves from the debit account to the credit account; balance = credits − debits. An account with
 * mustNotGoBelowZero (a budget's holding account) refuses a transfer that would take credits_posted −
 * debits_posted − debits_pending below 0, so fund it (debit the stream, credit the budget) before spending from it.
 * The accounts are locked in id order, checked, then written, so this holds under any concurrency. A refusal
 * throws LedgerRefusedError (409) before anything is written; a bad request throws ValidationError (400).
 * Idempotency: the same key with the same content returns the first result (replayed: true) and writes nothing;
 * with different content it throws IdempotencyConflictError (409). Inside your transaction, a throw means roll
 * back: let it propagate.
 *
 * Audit: one "ledger.transfer" event per call (or group of single transfers) that writes (the transfer ids, up
 * to 100, and the count and total), in the same transaction; a replay writes nothing. The transfers themselves are append-only (a trigger refuses
 * changes other than a hold being posted or voided), so they are their own trail.
 */

export type { AccountSpec, LedgerAccount, LedgerTransfer, TransferResult } from "#/features/ledger/model.ts";
export { IdempotencyConflictError, LedgerRefusedError } from "#/features/ledger/model.ts";
export { KeyTakenMeanwhile } from "#/features/ledger/write.ts";

// ---- accounts ----------------------------------------------------------------------------------------------

export async function ensureAccountIn(t: TxContext, spec: AccountSpec): Promise<LedgerAccount> {
  return (await ensureAccountsIn(t, [spec])).get(spec.code)!;
}

/**
 * Finds or makes many accounts in a few statements (a payment run needs thousands), by code: the same checks,
 * rows and audit events as one at a time. Rows go in code order, so two callers making the same new accounts
 * wait for each other rather than deadlock. An account asked for as something it is not is refused.
 */
export async function ensureAccountsIn(
  t: TxContext,
  specs: readonly AccountSpec[],
): Promise<Map<string, LedgerAccount>> {
  const errors: FieldError[] = [];
  const rows = new Map<string, repo.NewAccountRow>();
  for (const [i, spec] of specs.entries()) {
    const at = (field: string) => (specs.length === 1 ? field : `${i}.${field}`);
    const codeProblem = validateAccountCode(spec.code);
    if (codeProblem) errors.push({ path: at("code"), message: codeProblem });
    const kindProblem = validateAccountKind(spec.kind);
    if (kindProblem) errors.push({ path: at("kind"), message: kindProblem });
    const currency = spec.currency ?? "GBP";
    if (!/^[A-Z]{3}$/.test(currency))
      errors.push({ path: at("currency"), message: "Use a three-letter code, such as GBP" });
    const row: repo.NewAccountRow = {
      account_id: uuidv7(),
      code: spec.code,
      kind: spec.kind,
      currency,
      name: spec.name ?? null,
      budget_id: spec.budgetId ?? null,
      stream_id: spec.streamId ?? null,
      deployment: spec.deployment ?? null,
      person_id: spec.personId ?? null,
      must_not_go_below_zero: spec.mustNotGoBelowZero ?? false,
    };
    const earlier = rows.get(spec.code);
    if (earlier && !sameAccount(earlier, row)) {
      errors.push({ path: at("code"), message: `The account ${spec.code} is asked for twice, differently` });
    }
    if (!earlier) rows.set(spec.code, row);
  }
  if (errors.length) throw new ValidationError(errors, "The ledger account is not valid");

  const wanted = [...rows.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const found = new Map<string, LedgerAccount>();
  const created = await repo.insertAccounts(t.tx, wanted);
  await auditMany(
    t.tx,
    created.map((c) => ({
      action: "create",
      recordType: "ledger_account",
      recordId: c.account_id,
      changes: {
        code: c.code,
        kind: c.kind,
        currency: c.currency,
        mustNotGoBelowZero: c.must_not_go_below_zero,
      },
    })),
  );
  for (const c of created) found.set(c.code, toAccount(c));
  const others = wanted.filter((w) => !found.has(w.code));
  const existing = new Map(
    (
      await repo.accountsByCode(
        t.tx,
        others.map((o) => o.code),
      )
    ).map((e) => [e.code, e]),
  );
  for (const row of others) {
    const e = existing.get(row.code);
    if (!e) throw new Error(`ledger account ${row.code} neither inserted nor found`);
    if (!sameAccount(e, row)) {
      throw new ConflictError(
        `The ledger account ${row.code} exists as a ${e.kind} account in ${e.currency}${e.must_not_go_below_zero ? " that may not go below zero" : ""}: ask for it as it is`,
      );
    }
    found.set(row.code, toAccount(e));
  }
  return found;
}

/** What makes an account the one asked for: its kind, currency and whether it may go below zero. */
const sameAccount = (
  a: Pick<repo.NewAccountRow, "kind" | "currency" | "must_not_go_below_zero">,
  b: Pick<repo.NewAccountRow, "kind" | "currency" | "must_not_go_below_zero">,
) => a.kind === b.kind && a.currency === b.currency && a.must_not_go_below_zero === b.must_not_go_below_zero;

export async function accountByCodeIn(t: TxContext, code: string): Promise<LedgerAccount | undefined> {
  const row = await repo.accountByCode(t.tx, code);
  return row && toAccount(row);
}

/** Many accounts by code in one query (those that exist), keyed by code. */
export async function accountsByCodesIn(
  t: TxContext,
  codes: readonly string[],
): Promise<Map<string, LedgerAccount>> {
  const rows = await repo.accountsByCode(t.tx, [...new Set(codes)]);
  return new Map(rows.map((r) => [r.code, toAccount(r)]));
}

export async function balanceIn(t: TxContext, accountId: string): Promise<LedgerAccount> {
  const row = await repo.accountById(t.tx, accountId);
  if (!row) throw new NotFoundError("The ledger account");
  return toAccount(row);
}

// ---- transfers ---------------------------------------------------------------------------------------------

export async function transferIn(t: TxContext, request: NewTransferRequest): Promise<TransferResult> {
  return (await transfersIn(t, [request]))[0]!;
}

export async function postPendingIn(
  t: TxContext,
  request: {
    idempotencyKey: string;
    keyUserId?: string | null;
    pendingId: string;
    amount?: number;
    refKind?: string;
    refId?: string;
  },
): Promise<TransferResult> {
  return (await transfersIn(t, [{ type: "post", ...request }]))[0]!;
}

export async function voidPendingIn(
  t: TxContext,
  request: {
    idempotencyKey: string;
    keyUserId?: string | null;
    pendingId: string;
    refKind?: string;
    refId?: string;
  },
): Promise<TransferResult> {
  return (await transfersIn(t, [{ type: "void", ...request }]))[0]!;
}

/**
 * Makes the transfers, in order, all or none. Steps: validate; lock the holds being resolved, then every
 * account (id order); find the keys already used (replays and clashes); resolve and check every new transfer
 * against the locked balances (the calc); then one statement inserts them, updates the accounts and the holds.
 */
export async function transfersIn(
  t: TxContext,
  requests: readonly TransferRequest[],
): Promise<TransferResult[]> {
  if (requests.length === 0) return [];
  const problems = validateTransferRequests(requests);
  if (problems.length) throw new ValidationError(problems, "The transfer is not valid");
  const tx = t.tx;
  const locked = await lockFor(tx, requests);

  const accepted = { byKey: new Map<string, Fresh>(), holds: new Set<string>() };
  const fresh: Fresh[] = [];
  const errors: FieldError[] = [];
  requests.forEach((r, index) => {
    const at = (field: string) => (requests.length === 1 ? field : `[${index}].${field}`);
    const j = judge(r, index, fingerprintOf(r), locked, accepted, at);
    if (j.kind === "invalid") errors.push(...j.errors);
    else if (j.kind === "fresh") {
      accept(accepted, j.fresh);
      fresh.push(j.fresh);
    }
  });
  if (errors.length) throw new ValidationError(errors, "The transfer is not valid");

  const outcome = applyTransfers(
    locked.accounts,
    fresh.map((f) => f.resolved),
  );
  if (!outcome.ok) {
    const { refusal } = outcome;
    throw new LedgerRefusedError(refusal.reason, fresh[refusal.index]!.index, refusal.message);
  }
  let written: Map<string, repo.TransferRow>;
  try {
    written = await writeFresh(tx, fresh, outcome.deltas);
  } catch (error) {
    if (error instanceof KeyTakenMeanwhile) throw new IdempotencyConflictError(error.idempotencyKey);
    throw error;
  }
  return requests.map((r, index) => {
    const slot = keySlot(r);
    const mine = accepted.byKey.get(slot);
    return mine && mine.index === index
      ? { transfer: toTransfer(written.get(slot)!), replayed: false }
      : { transfer: toTransfer(locked.existing.get(slot) ?? written.get(slot)!), replayed: true };
  });
}

/** One caller's result in a group: its transfer, or the error it alone gets. */
export type GroupOutcome = GenericGroupOutcome<TransferResult>;

/**
 * Single transfers from different callers in ONE transaction (group commit), each judged exactly as if they
 * were made one after another in the order given: a request that is invalid, refused or clashes gets its own
 * error and the others go on; a key repeated later in the group is a replay of the first. Every caller's
 * outcome holds only once the caller's transaction commits. Throws (the caller rolls back and fails every
 * member) if the write does not come out as the locks promised; KeyTakenMeanwhile means a concurrent writer used
 * one of the keys, and the members should be retried one by one.
 */
export async function transferGroupIn(
  t: TxContext,
  requests: readonly TransferRequest[],
): Promise<GroupOutcome[]> {
  const outcomes: (GroupOutcome | undefined)[] = requests.map((r) => {
    const problems = validateTransferRequests([r]);
    return problems.length
      ? { ok: false, error: new ValidationError(problems, "The transfer is not valid") }
      : undefined;
  });
  const valid = requests.filter((_, i) => outcomes[i] === undefined);
  const locked = await lockFor(t.tx, valid);
  const accepted = { byKey: new Map<string, Fresh>(), holds: new Set<string>() };
  const fresh: Fresh[] = [];
  // Balances as the accepted transfers leave them, so each request is checked after the ones before it.
  const now = new Map(locked.accounts);
  const deltas = new Map<string, Sums>();
  const pendingResults: { index: number; replayOf?: repo.TransferRow; repeatOf?: Fresh }[] = [];
  requests.forEach((r, index) => {
    if (outcomes[index]) return;
    try {
      const j = judge(r, 0, fingerprintOf(r), locked, accepted, (field) => field);
      if (j.kind === "invalid") {
        outcomes[index] = { ok: false, error: new ValidationError(j.errors, "The transfer is not valid") };
      } else if (j.kind === "replay") pendingResults.push({ index, replayOf: j.row });
      else if (j.kind === "repeat") pendingResults.push({ index, repeatOf: j.of });
      else {
        const outcome = applyTransfers(now, [j.fresh.resolved]);
        if (!outcome.ok) {
          const { refusal } = outcome;
          outcomes[index] = { ok: false, error: new LedgerRefusedError(refusal.reason, 0, refusal.message) };
          return;
        }
        for (const [id, change] of outcome.deltas) {
          now.set(id, { ...now.get(id)!, ...addSums(now.get(id)!, change) });
          deltas.set(id, addSums(deltas.get(id) ?? ZERO_SUMS, change));
        }
        j.fresh.index = index;
        accept(accepted, j.fresh);
        fresh.push(j.fresh);
        pendingResults.push({ index, repeatOf: j.fresh });
      }
    } catch (error) {
      outcomes[index] = { ok: false, error };
    }
  });
  const written = await writeFresh(t.tx, fresh, deltas);
  for (const p of pendingResults) {
    const row = p.replayOf ?? written.get(rowSlot(p.repeatOf!.row))!;
    outcomes[p.index] = {
      ok: true,
      result: {
        transfer: toTransfer(row),
        replayed: p.replayOf !== undefined || p.repeatOf!.index !== p.index,
      },
    };
  }
  return outcomes as GroupOutcome[];
}

// ---- statements --------------------------------------------------------------------------------------------

export type Statement = {
  account: LedgerAccount;
  from: string | null;
  to: string | null;
  openingBalance: number;
  closingBalance: number;
  lines: StatementLine<LedgerTransfer>[];
};

/** Midnight at the start of a YYYY-MM-DD in London (statements are by UK calendar date). */
function londonMidnight(date: string): Date {
  const utc = new Date(`${date}T00:00:00Z`);
  // London is UTC or UTC+1: find the offset at that moment and step back by it.
  const hour = Number(
    new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", hour: "2-digit", hourCycle: "h23" }).format(
      utc,
    ),
  );
  return new Date(utc.getTime() - hour * 3_600_000);
}

/** The account's transfers from `from` to `to` (dates inclusive, UK), with the running posted balance. */
export async function statementIn(
  t: TxContext,
  accountId: string,
  range: { from?: string; to?: string; limit?: number } = {},
): Promise<Statement> {
  const errors: FieldError[] = [];
  for (const k of ["from", "to"] as const) {
    const v = range[k];
    if (v !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(v)))) {
      errors.push({ path: k, message: "Give the date as YYYY-MM-DD" });
    }
  }
  if (!errors.length && range.from && range.to && range.from > range.to) {
    errors.push({ path: "to", message: "The end date must be on or after the start date" });
  }
  if (errors.length) throw new ValidationError(errors, "The statement dates are not valid");
  const account = await balanceIn(t, accountId);
  const from = range.from ? londonMidnight(range.from) : undefined;
  const to = range.to
    ? londonMidnight(new Date(Date.parse(range.to) + 86_400_000).toISOString().slice(0, 10))
    : undefined;
  const opening = from ? await repo.postedBalanceBefore(t.tx, account.accountId, from) : 0;
  const rows = await repo.transfersOfAccount(t.tx, account.accountId, {
    from,
    to,
    limit: range.limit ?? 10_000,
  });
  const lines = statementLines(account.accountId, opening, rows.map(toTransfer));
  await audit(t.tx, {
    action: "view",
    recordType: "ledger_account",
    recordId: account.accountId,
    changes: { statement: { from: range.from ?? null, to: range.to ?? null } },
  });
  return {
    account,
    from: range.from ?? null,
    to: range.to ?? null,
    openingBalance: opening,
    closingBalance: lines.at(-1)?.balanceAfter ?? opening,
    lines,
  };
}

// ---- ServiceContext wrappers: one tenant transaction each ---------------------------------------------------

export const ensureAccount = (ctx: ServiceContext, spec: AccountSpec) =>
  inTenant(ctx, (t) => ensureAccountIn(t, spec));
export const transfer = (ctx: ServiceContext, r: Parameters<typeof transferIn>[1]) => grouped(ctx, r);
export const transfers = (ctx: ServiceContext, rs: readonly TransferRequest[]) =>
  inTenant(ctx, (t) => transfersIn(t, rs));
export const postPending = (ctx: ServiceContext, r: Parameters<typeof postPendingIn>[1]) =>
  grouped(ctx, { type: "post", ...r });
export const voidPending = (ctx: ServiceContext, r: Parameters<typeof voidPendingIn>[1]) =>
  grouped(ctx, { type: "void", ...r });
/** A member of staff reads an account's balance: audited as a view. */
export const viewBalance = (ctx: ServiceContext, accountId: string) =>
  inTenant(ctx, async (t) => {
    const account = await balanceIn(t, accountId);
    await audit(t.tx, { action: "view", recordType: "ledger_account", recordId: account.accountId });
    return account;
  });
export const statement = (ctx: ServiceContext, accountId: string, range: Parameters<typeof statementIn>[2]) =>
  inTenant(ctx, (t) => statementIn(t, accountId, range));

// ---- group commit of single transfers ----------------------------------------------------------------------

/**
 * One group of single transfers in one tenant transaction. If a concurrent transaction took one of the group's
 * keys after we looked (so the group rolled back), each request is made again on its own, in order, and gets
 * exactly the result it would have had alone.
 */
export async function writeTransferGroup(
  ctx: ServiceContext,
  requests: readonly TransferRequest[],
): Promise<GroupOutcome[]> {
  try {
    return await inTenant(ctx, (t) => transferGroupIn(t, requests));
  } catch (error) {
    if (!(error instanceof KeyTakenMeanwhile)) throw error;
    const outcomes: GroupOutcome[] = [];
    for (const r of requests) {
      try {
        outcomes.push({ ok: true, result: (await inTenant(ctx, (t) => transfersIn(t, [r])))[0]! });
      } catch (e) {
        outcomes.push({ ok: false, error: e });
      }
    }
    return outcomes;
  }
}

const singleTransfers = new GroupCommitter<ServiceContext, TransferRequest, TransferResult>(
  writeTransferGroup,
);
const databaseIds = new WeakMap<object, number>();
let nextDatabaseId = 1;

/**
 * A single transfer from a caller with no transaction of its own joins the next group for its database, tenant,
 * actor and date (what one transaction and its audit event share); it resolves once that group has committed.
 */
function grouped(ctx: ServiceContext, request: TransferRequest): Promise<TransferResult> {
  let id = databaseIds.get(ctx.db);
  if (id === undefined) {
    id = nextDatabaseId++;
    databaseIds.set(ctx.db, id);
  }
  const { tenantId, actor } = ctx.scope;
  const key = JSON.stringify([id, tenantId, actor.type, actor.id, actor.name ?? null, ctx.today]);
  return singleTransfers.submit(key, ctx, request);
}
