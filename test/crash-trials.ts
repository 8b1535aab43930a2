import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type Kysely, sql } from "kysely";
import type { CrashPointName } from "#/platform/crash-points.ts";
import type { DB } from "#/platform/db/schema.ts";
import { withSystem } from "#/platform/db/tenant.ts";

/**
 * kill -9 trials (issue 13), shared by test/crash-trials.test.ts (small, in CI) and bench/crash-trials.ts (50
 * trials over 10,000 budgets, by hand): run the `upfront` command as a child process, optionally with
 * UPFRONT_CRASH_AT so it kills itself at a named crash point (src/platform/crash-points.ts), and count what a
 * payment run or a card-feed import left in the database, to show each payment and each card transaction
 * exactly once, with balances equal to the sums of what moved.
 */

const CLI = fileURLToPath(new URL("../src/cli/main.ts", import.meta.url));

export type CliResult = { code: number | null; signal: NodeJS.Signals | null; out: string; err: string };

/** `upfront <args>` against DATABASE_URL=url; `crashAt` sets UPFRONT_CRASH_AT (e.g. "payments.batch:3"). */
export function upfront(
  url: string,
  args: string[],
  options: { crashAt?: `${CrashPointName}:${number}`; env?: Record<string, string> } = {},
): Promise<CliResult> {
  const { UPFRONT_CRASH_AT: _, ...env } = process.env;
  const child = spawn(process.execPath, [CLI, ...args], {
    env: {
      ...env,
      DATABASE_URL: url,
      NODE_ENV: "test",
      ...options.env,
      ...(options.crashAt ? { UPFRONT_CRASH_AT: options.crashAt } : {}),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => {
    out += String(d);
  });
  child.stderr.on("data", (d) => {
    err += String(d);
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, out, err }));
  });
}

const one = async (db: Kysely<DB>, query: ReturnType<typeof sql<{ n: string | number }>>) =>
  Number((await withSystem(db, (trx) => query.execute(trx))).rows[0]!.n);

/**
 * A council's payments, counted: rows, distinct keys, the ledger's payment transfers and their pence, the
 * payments' pence, and payees whose ledger balance is not the sum of what was paid to them.
 */
export async function paymentCounts(db: Kysely<DB>, tenantId: string) {
  return {
    payments: await one(db, sql`SELECT count(*) AS n FROM payments WHERE tenant_id = ${tenantId}`),
    keys: await one(
      db,
      sql`SELECT count(DISTINCT payment_key) AS n FROM payments WHERE tenant_id = ${tenantId}`,
    ),
    transfers: await one(
      db,
      sql`SELECT count(*) AS n FROM ledger_transfers WHERE tenant_id = ${tenantId} AND code = 'payment'`,
    ),
    transferPence: await one(
      db,
      sql`SELECT coalesce(sum(amount), 0) AS n FROM ledger_transfers WHERE tenant_id = ${tenantId}
        AND code = 'payment'`,
    ),
    paymentPence: await one(
      db,
      sql`SELECT coalesce(sum(amount), 0) AS n FROM payments WHERE tenant_id = ${tenantId} AND kind = 'bank'`,
    ),
    /** Payees whose account's balance is not the sum of the payments made to them. */
    wrongBalances: await one(
      db,
      sql`WITH paid AS (SELECT payee_id, sum(amount) AS pence FROM payments
            WHERE tenant_id = ${tenantId} AND kind = 'bank' GROUP BY payee_id)
          SELECT count(*) AS n FROM paid LEFT JOIN ledger_accounts a
            ON a.tenant_id = ${tenantId} AND a.code = 'payee:' || paid.payee_id::text
          WHERE coalesce(a.credits_posted - a.debits_posted, -1) <> paid.pence`,
    ),
  };
}

/** Payments missing and payments made twice (as rows, or as money: a second transfer for one payment). */
export function paymentTally(expected: number, c: Awaited<ReturnType<typeof paymentCounts>>) {
  return {
    lost: Math.max(0, expected - c.keys),
    doubled: c.payments - c.keys + Math.max(0, c.transfers - c.payments),
  };
}

/**
 * A council's card spending, counted: spend records, distinct transaction keys, the ledger's card transfers
 * (one per stage: authorised, settled, reversed), and the spends' pence by state.
 */
export async function cardCounts(db: Kysely<DB>, tenantId: string) {
  return {
    spends: await one(
      db,
      sql`SELECT count(*) AS n FROM spends WHERE tenant_id = ${tenantId} AND source = 'card'`,
    ),
    keys: await one(
      db,
      sql`SELECT count(DISTINCT source_key) AS n FROM spends WHERE tenant_id = ${tenantId} AND source = 'card'`,
    ),
    transfers: await one(
      db,
      sql`SELECT count(*) AS n FROM ledger_transfers WHERE tenant_id = ${tenantId}
        AND idempotency_key LIKE 'card:%'`,
    ),
    imports: await one(db, sql`SELECT count(*) AS n FROM card_feed_imports WHERE tenant_id = ${tenantId}`),
  };
}

/** What the budgets' direct-payment accounts can still spend, in total (credits less debits, holds included). */
export function budgetAvailable(db: Kysely<DB>, tenantId: string): Promise<number> {
  return one(
    db,
    sql`SELECT coalesce(sum(credits_posted - debits_posted - debits_pending), 0) AS n FROM ledger_accounts
      WHERE tenant_id = ${tenantId} AND kind = 'budget' AND deployment = 'direct_payment'`,
  );
}
