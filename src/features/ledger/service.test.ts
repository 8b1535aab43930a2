import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ledgerTenant } from "#/features/ledger/ledger.fixture.ts";
import {
  ensureAccount,
  IdempotencyConflictError,
  LedgerRefusedError,
  postPending,
  statement,
  transfer,
  transfers,
  viewBalance,
  voidPending,
} from "#/features/ledger/service.ts";
import { verifyLedgerIn } from "#/features/ledger/verify.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { withSystem, withTenant } from "#/platform/db/tenant.ts";
import { ConflictError, ValidationError } from "#/platform/errors.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";

/**
 * The ledger service (issue 6, Ledger): balances move only with their transfer; a budget account flagged
 * must-not-go-below-zero refuses an overdraft and writes nothing; the same idempotency key with the same content
 * returns the first result, with other content is refused; two-phase holds are posted (in full or for less) or
 * voided once; statements carry the running balance; the app role may not rewrite transfers or account identity.
 */
describe.each(enginesUnderTest())("ledger service on %s", (engine) => {
  let database: TestDatabase;
  let ctx: ServiceContext;
  let stream: string;
  let budget: string;
  let payee: string;

  beforeAll(async () => {
    database = await databaseFor(engine, "migrated");
    ctx = await ledgerTenant(database);
    stream = (await ensureAccount(ctx, { code: "stream:asc", kind: "stream" })).accountId;
    budget = (
      await ensureAccount(ctx, { code: "budget:b1:direct_payment", kind: "budget", mustNotGoBelowZero: true })
    ).accountId;
    payee = (await ensureAccount(ctx, { code: "payee:p1", kind: "payee" })).accountId;
  }, 60_000);
  afterAll(() => database?.drop());

  const countTransfers = () =>
    withTenant(ctx.db, ctx.scope, async (tx) =>
      Number(
        (await sql<{ n: number }>`SELECT count(*)::bigint AS n FROM ledger_transfers`.execute(tx)).rows[0]!.n,
      ),
    );

  it("ensureAccount finds the account by its code, and refuses the code with another kind or flag", async () => {
    const again = await ensureAccount(ctx, {
      code: "budget:b1:direct_payment",
      kind: "budget",
      mustNotGoBelowZero: true,
    });
    expect(again.accountId).toBe(budget);
    await expect(ensureAccount(ctx, { code: "budget:b1:direct_payment", kind: "budget" })).rejects.toThrow(
      ConflictError,
    );
    await expect(ensureAccount(ctx, { code: "Not A Code", kind: "budget" })).rejects.toThrow(ValidationError);
  });

  it("a posted transfer moves the money: debit account down, credit account up, sum zero", async () => {
    const r = await transfer(ctx, {
      type: "posted",
      idempotencyKey: "fund-1",
      debitAccountId: stream,
      creditAccountId: budget,
      amount: 10_000,
      code: "funding",
    });
    expect(r.replayed).toBe(false);
    expect(r.transfer).toMatchObject({ amount: 10_000, state: "posted", currency: "GBP" });
    expect((await viewBalance(ctx, budget)).balance).toBe(10_000);
    expect((await viewBalance(ctx, stream)).balance).toBe(-10_000);
  });

  it("idempotency: the same key and content returns the first transfer and writes nothing; other content is refused (409)", async () => {
    const before = await countTransfers();
    const request = {
      type: "posted" as const,
      idempotencyKey: "fund-1",
      debitAccountId: stream,
      creditAccountId: budget,
      amount: 10_000,
      code: "funding",
    };
    const replay = await transfer(ctx, request);
    expect(replay.replayed).toBe(true);
    expect(await countTransfers()).toBe(before);
    expect((await viewBalance(ctx, budget)).balance).toBe(10_000);
    await expect(transfer(ctx, { ...request, amount: 9_999 })).rejects.toThrow(IdempotencyConflictError);
    expect(await countTransfers()).toBe(before);
  });

  it("must not go below zero: an overdraft of the budget account is refused and nothing is written", async () => {
    const before = await countTransfers();
    const error = await transfer(ctx, {
      type: "posted",
      idempotencyKey: "spend-too-much",
      debitAccountId: budget,
      creditAccountId: payee,
      amount: 10_001,
      code: "spend",
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LedgerRefusedError);
    expect((error as LedgerRefusedError).reason).toBe("insufficient_funds");
    expect(await countTransfers()).toBe(before);
    expect((await viewBalance(ctx, budget)).balance).toBe(10_000);
    // The key was not used up by the refusal.
    await transfer(ctx, {
      type: "posted",
      idempotencyKey: "spend-too-much",
      debitAccountId: budget,
      creditAccountId: payee,
      amount: 1_000,
      code: "spend",
    });
    expect((await viewBalance(ctx, budget)).balance).toBe(9_000);
  });

  it("bad requests are refused with every problem named (amount, same account, unknown account)", async () => {
    const error = await transfers(ctx, [
      {
        type: "posted",
        idempotencyKey: "bad-1",
        debitAccountId: budget,
        creditAccountId: budget,
        amount: 0,
        code: "spend",
      },
      {
        type: "posted",
        idempotencyKey: "bad-2",
        debitAccountId: budget,
        creditAccountId: payee,
        amount: 1.5,
        code: "Spend",
      },
    ]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fieldErrors.map((f) => f.path)).toEqual([
      "[0].creditAccountId",
      "[0].amount",
      "[1].amount",
      "[1].code",
    ]);
    const unknown = await transfer(ctx, {
      type: "posted",
      idempotencyKey: "bad-3",
      debitAccountId: budget,
      creditAccountId: "01900000-0000-7000-8000-000000000000",
      amount: 1,
      code: "spend",
    }).catch((e: unknown) => e);
    expect((unknown as ValidationError).fieldErrors).toEqual([
      { path: "creditAccountId", message: "There is no ledger account with this id" },
    ]);
  });

  it("two-phase: a hold counts against what is available; posting for less releases the rest; a void releases all; each hold resolves once", async () => {
    const hold = await transfer(ctx, {
      type: "pending",
      idempotencyKey: "card-auth-1",
      debitAccountId: budget,
      creditAccountId: payee,
      amount: 5_000,
      code: "spend",
      refKind: "card_transaction",
      refId: "auth-1",
    });
    let b = await viewBalance(ctx, budget);
    expect(b).toMatchObject({ balance: 9_000, available: 4_000 });
    await expect(
      transfer(ctx, {
        type: "posted",
        idempotencyKey: "over-hold",
        debitAccountId: budget,
        creditAccountId: payee,
        amount: 4_001,
        code: "spend",
      }),
    ).rejects.toThrow(LedgerRefusedError);
    const post = await postPending(ctx, {
      idempotencyKey: "card-settle-1",
      pendingId: hold.transfer.transferId,
      amount: 4_200,
    });
    expect(post.transfer).toMatchObject({
      state: "posted",
      amount: 4_200,
      pendingOf: hold.transfer.transferId,
      refId: "auth-1",
    });
    b = await viewBalance(ctx, budget);
    expect(b).toMatchObject({ balance: 4_800, available: 4_800, sums: { debitsPending: 0 } });
    await expect(
      voidPending(ctx, { idempotencyKey: "card-void-1", pendingId: hold.transfer.transferId }),
    ).rejects.toThrow(LedgerRefusedError);
    // Replaying the settlement returns it.
    expect(
      (
        await postPending(ctx, {
          idempotencyKey: "card-settle-1",
          pendingId: hold.transfer.transferId,
          amount: 4_200,
        })
      ).replayed,
    ).toBe(true);

    const hold2 = await transfer(ctx, {
      type: "pending",
      idempotencyKey: "card-auth-2",
      debitAccountId: budget,
      creditAccountId: payee,
      amount: 800,
      code: "spend",
    });
    await expect(
      postPending(ctx, {
        idempotencyKey: "card-settle-2",
        pendingId: hold2.transfer.transferId,
        amount: 801,
      }),
    ).rejects.toThrow(ValidationError);
    const v = await voidPending(ctx, { idempotencyKey: "card-void-2", pendingId: hold2.transfer.transferId });
    expect(v.transfer).toMatchObject({ state: "voided", amount: 800 });
    expect(await viewBalance(ctx, budget)).toMatchObject({ balance: 4_800, available: 4_800 });
    expect((await verifyLedgerIn(database.db, ctx.scope.tenantId)).problems).toEqual([]);
  });

  it("a batch is all or nothing: one overdraft in it refuses the whole batch, naming the item", async () => {
    const before = await countTransfers();
    const error = await transfers(ctx, [
      {
        type: "posted",
        idempotencyKey: "batch-1",
        debitAccountId: budget,
        creditAccountId: payee,
        amount: 4_000,
        code: "spend",
      },
      {
        type: "posted",
        idempotencyKey: "batch-2",
        debitAccountId: budget,
        creditAccountId: payee,
        amount: 801,
        code: "spend",
      },
    ]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LedgerRefusedError);
    expect((error as LedgerRefusedError).index).toBe(1);
    expect(await countTransfers()).toBe(before);
    const ok = await transfers(ctx, [
      {
        type: "posted",
        idempotencyKey: "batch-1",
        debitAccountId: budget,
        creditAccountId: payee,
        amount: 4_000,
        code: "spend",
      },
      {
        type: "posted",
        idempotencyKey: "batch-1",
        debitAccountId: budget,
        creditAccountId: payee,
        amount: 4_000,
        code: "spend",
      },
      {
        type: "posted",
        idempotencyKey: "batch-2",
        debitAccountId: budget,
        creditAccountId: payee,
        amount: 800,
        code: "spend",
      },
    ]);
    expect(ok.map((r) => r.replayed)).toEqual([false, true, false]);
    expect(ok[0]!.transfer.transferId).toBe(ok[1]!.transfer.transferId);
    expect((await viewBalance(ctx, budget)).balance).toBe(0);
  });

  it("a statement lists the account's transfers with the running posted balance", async () => {
    const s = await statement(ctx, budget, {});
    expect(s.openingBalance).toBe(0);
    expect(s.lines[0]).toMatchObject({
      idempotencyKey: "fund-1",
      signedAmount: 10_000,
      balanceAfter: 10_000,
    });
    expect(s.closingBalance).toBe(0);
    const holdLine = s.lines.find((l) => l.idempotencyKey === "card-auth-1")!;
    expect(holdLine.signedAmount).toBe(0);
    const future = await statement(ctx, budget, { from: "2999-01-01" });
    expect(future).toMatchObject({ openingBalance: 0, closingBalance: 0, lines: [] });
    await expect(statement(ctx, budget, { from: "2026-13-45" })).rejects.toThrow(ValidationError);
  });

  it("the app role cannot rewrite a transfer, delete one, or change an account's flag", async () => {
    const attempt = (q: string) =>
      withTenant(ctx.db, ctx.scope, (tx) => sql.raw(q).execute(tx)).then(
        () => "allowed",
        (e: Error) => e.message,
      );
    expect(await attempt("UPDATE ledger_transfers SET amount = 1")).toMatch(/permission denied/);
    expect(await attempt("DELETE FROM ledger_transfers")).toMatch(/permission denied/);
    expect(await attempt("UPDATE ledger_accounts SET must_not_go_below_zero = false")).toMatch(
      /permission denied/,
    );
    expect(await attempt("UPDATE ledger_transfers SET state = 'voided' WHERE NOT pending")).toMatch(
      /cannot be changed/,
    );
    // Even the owner cannot push a flagged account below zero: the table's CHECK holds.
    await expect(
      withSystem(ctx.db, (trx) =>
        sql`UPDATE ledger_accounts SET debits_posted = debits_posted + 1 WHERE account_id = ${budget}`.execute(
          trx,
        ),
      ),
    ).rejects.toThrow(/ledger_accounts_not_below_zero/);
  });

  it("another tenant sees none of it", async () => {
    const other = await ledgerTenant(database);
    await expect(viewBalance(other, budget)).rejects.toThrow(/was not found/);
  });
});
