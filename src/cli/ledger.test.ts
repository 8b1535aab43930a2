import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runLedgerVerify } from "#/cli/ledger.ts";
import { ledgerTenant } from "#/features/ledger/ledger.fixture.ts";
import { ensureAccount, transfer, transfers } from "#/features/ledger/service.ts";
import type { ServiceContext } from "#/platform/context.ts";
import { withSystem } from "#/platform/db/tenant.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../test/databases.ts";

/**
 * `upfront ledger verify` (issue 6): a healthy ledger prints "ledger verified: N accounts, M transfers" and exits
 * 0; a row tampered with by the owner (past the service and the app role's grants) is found, named and exits 1.
 */
describe.each(enginesUnderTest())("upfront ledger verify on %s", (engine) => {
  let database: TestDatabase;
  let ctx: ServiceContext;
  let slug: string;
  let budget: string;
  let stream: string;
  const run = async (tenant?: string) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runLedgerVerify(
      database,
      { tenant },
      { out: (l) => out.push(l), err: (l) => err.push(l) },
    );
    return { code, out, err };
  };

  beforeAll(async () => {
    database = await databaseFor(engine, "migrated");
    slug = "verify-me";
    ctx = await ledgerTenant(database, slug);
    stream = (await ensureAccount(ctx, { code: "stream:asc", kind: "stream" })).accountId;
    budget = (
      await ensureAccount(ctx, { code: "budget:b:direct_payment", kind: "budget", mustNotGoBelowZero: true })
    ).accountId;
    const payee = (await ensureAccount(ctx, { code: "payee:x", kind: "payee" })).accountId;
    await transfer(ctx, {
      type: "posted",
      idempotencyKey: "f",
      debitAccountId: stream,
      creditAccountId: budget,
      amount: 900,
      code: "funding",
    });
    const [hold] = await transfers(ctx, [
      {
        type: "pending",
        idempotencyKey: "h",
        debitAccountId: budget,
        creditAccountId: payee,
        amount: 300,
        code: "spend",
      },
      {
        type: "pending",
        idempotencyKey: "h2",
        debitAccountId: budget,
        creditAccountId: payee,
        amount: 100,
        code: "spend",
      },
    ]);
    await transfers(ctx, [
      { type: "post", idempotencyKey: "p", pendingId: hold!.transfer.transferId, amount: 250 },
    ]);
  }, 60_000);
  afterAll(() => database?.drop());

  it("a healthy ledger: verified, with the counts, exit code 0", async () => {
    expect(await run(slug)).toEqual({ code: 0, out: ["ledger verified: 3 accounts, 4 transfers"], err: [] });
    expect((await run()).code).toBe(0);
  });

  it("an unknown tenant slug: exit code 2", async () => {
    expect((await run("nobody")).code).toBe(2);
  });

  it("a balance tampered with as the owner is found: the account named, the sum not zero, exit code 1", async () => {
    await withSystem(database.db, (trx) =>
      sql`UPDATE ledger_accounts SET credits_posted = credits_posted + 1 WHERE account_id = ${budget}`.execute(
        trx,
      ),
    );
    const result = await run(slug);
    expect(result.code).toBe(1);
    expect(result.err.join("\n")).toContain("account budget:b:direct_payment");
    expect(result.err.join("\n")).toContain("creditsPosted is 901 but its transfers sum to 900");
    expect(result.err.join("\n")).toContain("posted balances sum to 1, not 0");
    await withSystem(database.db, (trx) =>
      sql`UPDATE ledger_accounts SET credits_posted = credits_posted - 1 WHERE account_id = ${budget}`.execute(
        trx,
      ),
    );
    expect((await run(slug)).code).toBe(0);
  });

  it("a transfer inserted behind the service's back (no balance change) is found", async () => {
    // Since migrations/0025 every inserted transfer moves its accounts' sums (a trigger); only the owner, turning
    // that trigger off, can write one that does not.
    await withSystem(database.db, async (trx) => {
      await sql`ALTER TABLE ledger_transfers DISABLE TRIGGER ledger_balances`.execute(trx);
      await sql`INSERT INTO ledger_transfers (tenant_id, transfer_id, idempotency_key, request_fingerprint, debit_account_id,
            credit_account_id, amount, currency, code, state)
          VALUES (${ctx.scope.tenantId}, gen_random_uuid(), 'sneaky', 'x', ${stream}, ${budget}, 5, 'GBP', 'funding', 'posted')`.execute(
        trx,
      );
      await sql`ALTER TABLE ledger_transfers ENABLE TRIGGER ledger_balances`.execute(trx);
    });
    const result = await run(slug);
    expect(result.code).toBe(1);
    expect(result.err.join("\n")).toMatch(/debitsPosted is 900 but its transfers sum to 905/);
  });
});
