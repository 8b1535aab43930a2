import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GroupCommitter } from "#/features/ledger/group-commit.ts";
import type { NewTransferRequest, TransferRequest } from "#/features/ledger/ledger.calc.ts";
import { ledgerTenant } from "#/features/ledger/ledger.fixture.ts";
import {
  ensureAccount,
  IdempotencyConflictError,
  LedgerRefusedError,
  postPending,
  type TransferResult,
  transfer,
  transferGroupIn,
  transfersIn,
  viewBalance,
  voidPending,
} from "#/features/ledger/service.ts";
import { verifyLedgerIn } from "#/features/ledger/verify.ts";
import { inTenant, type ServiceContext } from "#/platform/context.ts";
import { type Database, openPostgres } from "#/platform/db/database.ts";
import { withTenant } from "#/platform/db/tenant.ts";
import { ValidationError } from "#/platform/errors.ts";
import { databaseFor, enginesUnderTest, postgresUrl, type TestDatabase } from "../../../test/databases.ts";

/**
 * Group commit of single transfers (issue 6, "Benchmark": match pgbench "by committing concurrent requests
 * together") must keep every ledger guarantee: requests made in one turn go to the database as ONE group (one
 * transaction, one audit event), and each is judged exactly as if made one after another in order: a refusal
 * or a bad request fails only its own caller, a key repeated in the group is a replay of its first, and a
 * group that rolls back fails every caller in it and writes nothing. Callers' promises settle after COMMIT.
 */
describe.each(enginesUnderTest())("group commit of single transfers on %s", (engine) => {
  let database: TestDatabase;
  let ctx: ServiceContext;
  let stream: string;
  let payee: string;

  beforeAll(async () => {
    database = await databaseFor(engine, "migrated");
    ctx = await ledgerTenant(database);
    stream = (await ensureAccount(ctx, { code: "stream:gc", kind: "stream" })).accountId;
    payee = (await ensureAccount(ctx, { code: "payee:gc", kind: "payee" })).accountId;
  }, 60_000);
  afterAll(() => database?.drop());

  async function fundedBudget(code: string, pence: number): Promise<string> {
    const budget = (await ensureAccount(ctx, { code, kind: "budget", mustNotGoBelowZero: true })).accountId;
    await transfer(ctx, {
      type: "posted",
      idempotencyKey: `fund:${code}`,
      debitAccountId: stream,
      creditAccountId: budget,
      amount: pence,
      code: "funding",
    });
    return budget;
  }

  const spend = (key: string, from: string, amount: number): NewTransferRequest => ({
    type: "posted",
    idempotencyKey: key,
    debitAccountId: from,
    creditAccountId: payee,
    amount,
    code: "spend",
  });

  /** Read in a transaction of its own: what a caller sees here was committed. */
  const transferEvents = (ids: string[]) =>
    withTenant(ctx.db, ctx.scope, async (tx) =>
      (
        await sql<{ changes: { count: number; transferIds: string[] } }>`
          SELECT changes FROM audit_events WHERE action = 'ledger.transfer'`.execute(tx)
      ).rows
        .map((r) => (typeof r.changes === "string" ? JSON.parse(r.changes) : r.changes))
        .filter((c: { transferIds?: string[] }) => c.transferIds?.some((id) => ids.includes(id))),
    );

  it("mixed accepted and refused in one group: each checked after the ones before it, refusals fail only their caller", async () => {
    const budget = await fundedBudget("budget:gc-mixed:direct_payment", 1_000);
    const settled = await Promise.allSettled([
      transfer(ctx, spend("mixed:1", budget, 400)),
      transfer(ctx, spend("mixed:2", budget, 400)),
      transfer(ctx, spend("mixed:3", budget, 400)), // 200 left: refused
      transfer(ctx, spend("mixed:4", budget, 200)), // fits exactly after 1 and 2
      transfer(ctx, spend("mixed:5", budget, 0)), // not valid
      transfer(ctx, {
        ...spend("mixed:6", budget, 1),
        debitAccountId: "0190f0f0-0000-7000-8000-000000000000",
      }),
    ]);
    expect(settled.map((s) => s.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "rejected",
      "fulfilled",
      "rejected",
      "rejected",
    ]);
    const reason = (i: number) => (settled[i] as PromiseRejectedResult).reason;
    expect(reason(2)).toBeInstanceOf(LedgerRefusedError);
    expect(reason(2).reason).toBe("insufficient_funds");
    expect(reason(2).index).toBe(0);
    expect(reason(4)).toBeInstanceOf(ValidationError);
    expect(reason(5)).toBeInstanceOf(ValidationError);
    const ok = [0, 1, 3].map((i) => (settled[i] as PromiseFulfilledResult<TransferResult>).value);
    expect(ok.every((r) => !r.replayed)).toBe(true);
    // Committed when the callers heard: another transaction sees the balance and ONE event for the three.
    expect((await viewBalance(ctx, budget)).balance).toBe(0);
    const ids = ok.map((r) => r.transfer.transferId);
    const events = await transferEvents(ids);
    expect(events).toHaveLength(1);
    expect(events[0]!.count).toBe(3);
    expect([...events[0]!.transferIds].sort()).toEqual([...ids].sort());
    expect((await verifyLedgerIn(database.db)).problems).toEqual([]);
  });

  it("a key repeated in the same group is a replay of its first; other content under it is a clash", async () => {
    const budget = await fundedBudget("budget:gc-replay:direct_payment", 10_000);
    const before = await transfer(ctx, spend("replay:earlier", budget, 100));
    const settled = await Promise.allSettled([
      transfer(ctx, spend("replay:k", budget, 700)),
      transfer(ctx, spend("replay:k", budget, 700)),
      transfer(ctx, spend("replay:k", budget, 701)),
      transfer(ctx, spend("replay:earlier", budget, 100)),
    ]);
    const value = (i: number) => (settled[i] as PromiseFulfilledResult<TransferResult>).value;
    expect(value(0).replayed).toBe(false);
    expect(value(1).replayed).toBe(true);
    expect(value(1).transfer.transferId).toBe(value(0).transfer.transferId);
    expect((settled[2] as PromiseRejectedResult).reason).toBeInstanceOf(IdempotencyConflictError);
    expect(value(3).replayed).toBe(true);
    expect(value(3).transfer.transferId).toBe(before.transfer.transferId);
    expect((await viewBalance(ctx, budget)).balance).toBe(10_000 - 100 - 700);
    const rows = await withTenant(ctx.db, ctx.scope, (tx) =>
      sql<{ n: number }>`SELECT count(*)::bigint AS n FROM ledger_transfers
        WHERE idempotency_key = 'replay:k'`.execute(tx),
    );
    expect(Number(rows.rows[0]!.n)).toBe(1);
  });

  it("a hold posted and voided in one group: the first resolves it, the second is refused as already resolved", async () => {
    const budget = await fundedBudget("budget:gc-hold:direct_payment", 5_000);
    const hold = await transfer(ctx, { ...spend("hold:1", budget, 3_000), type: "pending" });
    const settled = await Promise.allSettled([
      postPending(ctx, { idempotencyKey: "hold:1:post", pendingId: hold.transfer.transferId, amount: 2_500 }),
      voidPending(ctx, { idempotencyKey: "hold:1:void", pendingId: hold.transfer.transferId }),
    ]);
    expect(settled[0]!.status).toBe("fulfilled");
    const refused = (settled[1] as PromiseRejectedResult).reason;
    expect(refused).toBeInstanceOf(LedgerRefusedError);
    expect(refused.reason).toBe("already_resolved");
    const account = await viewBalance(ctx, budget);
    expect(account.balance).toBe(2_500);
    expect(account.sums.debitsPending).toBe(0);
  });

  it("a group that rolls back fails every caller in it and writes nothing", async () => {
    const budget = await fundedBudget("budget:gc-crash:direct_payment", 10_000);
    // The real group write, then a crash before COMMIT.
    const crashing = new GroupCommitter<ServiceContext, TransferRequest, TransferResult>((c, requests) =>
      inTenant(c, async (t) => {
        await transferGroupIn(t, requests);
        throw new Error("crash before commit");
      }),
    );
    const requests = [
      spend("crash:1", budget, 100),
      spend("crash:2", budget, 200),
      spend("crash:3", budget, 0),
    ];
    const settled = await Promise.allSettled(requests.map((r) => crashing.submit("k", ctx, r)));
    expect(settled.map((s) => s.status)).toEqual(["rejected", "rejected", "rejected"]);
    for (const s of settled) expect((s as PromiseRejectedResult).reason.message).toBe("crash before commit");
    expect((await viewBalance(ctx, budget)).balance).toBe(10_000);
    // Nothing was kept: the same keys now make new transfers, not replays.
    const again = await transfer(ctx, requests[0]!);
    expect(again.replayed).toBe(false);
    expect((await verifyLedgerIn(database.db)).problems).toEqual([]);
  });

  it("a group never holds more than maxSize requests; the rest follow in the next group", async () => {
    const budget = await fundedBudget("budget:gc-size:direct_payment", 10_000);
    const sizes: number[] = [];
    const small = new GroupCommitter<ServiceContext, TransferRequest, TransferResult>(
      async (c, requests) => {
        sizes.push(requests.length);
        return inTenant(c, (t) => transferGroupIn(t, requests));
      },
      { maxSize: 2, maxInFlight: 1 },
    );
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((i) => small.submit("k", ctx, spend(`size:${i}`, budget, 10))),
    );
    expect(results.every((r) => !r.replayed)).toBe(true);
    expect(sizes).toEqual([2, 2, 1]);
    expect((await viewBalance(ctx, budget)).balance).toBe(10_000 - 50);
  });
});

/**
 * On real PostgreSQL only (PGlite runs one transaction at a time): another transaction writes one of a group's
 * keys after the group looked but before it wrote. The group rolls back and its requests are made one by one,
 * so the clashing key is refused and the others are made, as they would have been alone.
 */
describe.runIf(postgresUrl)("group commit racing another writer on postgres", () => {
  let database: TestDatabase;
  let wide: Database;
  let ctx: ServiceContext;

  beforeAll(async () => {
    database = await databaseFor("postgres", "migrated");
    wide = openPostgres((database.native as { url: string }).url, { max: 6 });
    ctx = { ...(await ledgerTenant(database)), db: wide.db };
  }, 60_000);
  afterAll(async () => {
    await wide?.close();
    await database?.drop();
  });

  it("a key taken meanwhile: the group is retried one by one, the clash refused, the rest made once", async () => {
    const stream = (await ensureAccount(ctx, { code: "stream:race", kind: "stream" })).accountId;
    // Its own accounts, so it holds no lock the group needs: the group meets it only at the key.
    const otherStream = (await ensureAccount(ctx, { code: "stream:race2", kind: "stream" })).accountId;
    const [a, b, c] = await Promise.all(
      ["a", "b", "c"].map(
        async (x) => (await ensureAccount(ctx, { code: `payee:${x}`, kind: "payee" })).accountId,
      ),
    );
    // Another transaction writes "race:k" (its stream → a) and waits before committing.
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let written!: () => void;
    const isWritten = new Promise<void>((r) => {
      written = r;
    });
    const other = withTenant(wide.db, ctx.scope, async (tx) => {
      await transfersIn({ tx, today: ctx.today }, [{ ...base(otherStream, a!), idempotencyKey: "race:k" }]);
      written();
      await gate;
    });
    await isWritten;
    const group = Promise.allSettled([
      transfer(ctx, { ...base(stream, b!), idempotencyKey: "race:k" }),
      transfer(ctx, { ...base(stream, c!), idempotencyKey: "race:other" }),
    ]);
    // The group's insert now waits on the other transaction's key: let it commit.
    await waitFor(async () => (await waitingOnTransaction()) >= 1);
    release();
    await other;
    const [clash, made] = await group;
    expect((clash as PromiseRejectedResult).reason).toBeInstanceOf(IdempotencyConflictError);
    expect((made as PromiseFulfilledResult<TransferResult>).value.replayed).toBe(false);
    expect((await viewBalance(ctx, a!)).balance).toBe(100);
    expect((await viewBalance(ctx, b!)).balance).toBe(0);
    expect((await viewBalance(ctx, c!)).balance).toBe(100);
    expect((await verifyLedgerIn(database.db)).problems).toEqual([]);
  });

  const base = (from: string, to: string) =>
    ({ type: "posted", debitAccountId: from, creditAccountId: to, amount: 100, code: "payment" }) as const;

  async function waitingOnTransaction(): Promise<number> {
    const r = await sql<{ n: number }>`
      SELECT count(*)::bigint AS n FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'transactionid'`.execute(
      database.db,
    );
    return Number(r.rows[0]!.n);
  }
  async function waitFor(ok: () => Promise<boolean>) {
    for (let i = 0; i < 2_000; i++) {
      if (await ok()) return;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error("the database never reached the expected state");
  }
});
