import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ledgerTenant } from "#/features/ledger/ledger.fixture.ts";
import { ensureAccount, LedgerRefusedError, transfer, viewBalance } from "#/features/ledger/service.ts";
import { verifyLedgerIn } from "#/features/ledger/verify.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { type Database, openPostgres } from "#/platform/db/database.ts";
import { withTenant } from "#/platform/db/tenant.ts";
import { databaseFor, postgresUrl, type TestDatabase } from "../../../test/databases.ts";

/**
 * Issue 6, "Tests that must exist": on real PostgreSQL, 32+ concurrent spends against one budget never overdraw
 * it and every accepted spend is posted once; concurrent replays of one key make one transfer; transfers both
 * ways between two accounts do not deadlock (accounts are locked in id order). Each request runs in its own
 * transaction on its own connection (a pool of 40). PGlite has one connection and runs transactions one at a
 * time, so there is no concurrency to test there: these run only when DATABASE_URL is set.
 */
describe.runIf(postgresUrl)("ledger under concurrent requests on postgres", () => {
  let database: TestDatabase;
  let wide: Database;
  let ctx: ServiceContext;
  let stream: string;

  beforeAll(async () => {
    database = await databaseFor("postgres", "migrated");
    wide = openPostgres((database.native as { url: string }).url, { max: 40 });
    ctx = { ...(await ledgerTenant(database)), db: wide.db };
    stream = (await ensureAccount(ctx, { code: "stream:asc", kind: "stream" })).accountId;
  }, 60_000);
  afterAll(async () => {
    await wide?.close();
    await database?.drop();
  });

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

  it("40 concurrent spends of £7 against a £100 budget: exactly 14 accepted, each posted once, never below zero", async () => {
    const budget = await fundedBudget("budget:race:direct_payment", 10_000);
    const payee = (await ensureAccount(ctx, { code: "payee:race", kind: "payee" })).accountId;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) =>
        transfer(ctx, {
          type: "posted",
          idempotencyKey: `spend:race:${i}`,
          debitAccountId: budget,
          creditAccountId: payee,
          amount: 700,
          code: "spend",
        }),
      ),
    );
    const accepted = outcomes.filter((o) => o.status === "fulfilled");
    const refused = outcomes.filter((o) => o.status === "rejected");
    expect(accepted).toHaveLength(14);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(LedgerRefusedError);
    const account = await viewBalance(ctx, budget);
    expect(account.balance).toBe(10_000 - 14 * 700);
    const posted = await withTenant(ctx.db, ctx.scope, (tx) =>
      sql<{ idempotency_key: string; n: number }>`
        SELECT idempotency_key, count(*)::bigint AS n FROM ledger_transfers
        WHERE debit_account_id = ${budget} GROUP BY idempotency_key`.execute(tx),
    );
    expect(posted.rows).toHaveLength(14);
    expect(posted.rows.every((r) => r.n === 1)).toBe(true);
    expect((await verifyLedgerIn(database.db)).problems).toEqual([]);
  });

  it("32 concurrent replays of one key make one transfer; every caller gets the same one", async () => {
    const budget = await fundedBudget("budget:replay:direct_payment", 5_000);
    const payee = (await ensureAccount(ctx, { code: "payee:replay", kind: "payee" })).accountId;
    const results = await Promise.all(
      Array.from({ length: 32 }, () =>
        transfer(ctx, {
          type: "posted",
          idempotencyKey: "payment:once",
          debitAccountId: budget,
          creditAccountId: payee,
          amount: 1_234,
          code: "payment",
        }),
      ),
    );
    expect(new Set(results.map((r) => r.transfer.transferId)).size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect((await viewBalance(ctx, budget)).balance).toBe(5_000 - 1_234);
  });

  it("32 concurrent transfers both ways between two flagged accounts finish without deadlock and conserve money", async () => {
    const a = await fundedBudget("pool:a", 50_000);
    const b = await fundedBudget("pool:b", 50_000);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 32 }, (_, i) =>
        transfer(ctx, {
          type: "posted",
          idempotencyKey: `swap:${i}`,
          debitAccountId: i % 2 ? a : b,
          creditAccountId: i % 2 ? b : a,
          amount: 100 + i,
          code: "pool_share",
        }),
      ),
    );
    expect(outcomes.filter((o) => o.status === "rejected")).toEqual([]);
    const total = (await viewBalance(ctx, a)).balance + (await viewBalance(ctx, b)).balance;
    expect(total).toBe(100_000);
    expect((await verifyLedgerIn(database.db)).problems).toEqual([]);
  });
});
