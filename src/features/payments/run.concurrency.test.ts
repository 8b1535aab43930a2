import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyLedgerIn } from "#/features/ledger/verify.ts";
import { earliestPayDate } from "#/features/payments/pay-dates.calc.ts";
import {
  countRows,
  type PaymentsTenant,
  paymentsTenant,
  personWithBudget,
} from "#/features/payments/payments.fixture.ts";
import { prepareRun } from "#/features/payments/run.ts";
import { todayInLondon } from "#/platform/context.ts";
import { type Database, openPostgres } from "#/platform/db/database.ts";
import { databaseFor, postgresUrl, type TestDatabase } from "../../../test/databases.ts";

/**
 * Issue 6, "Tests that must exist", on real PostgreSQL: a payment run run twice and run concurrently pays each
 * payment once; a payment run killed with SIGKILL part-way (the CLI as a child process, killed once it has
 * reported progress) and run again pays each payment exactly once. PGlite has one connection and runs one
 * transaction at a time, and cannot be shared with a child process, so there is no concurrency or kill to test
 * there: these run only when DATABASE_URL is set.
 */

const PEOPLE = 24;
const CLI = fileURLToPath(new URL("../../cli/main.ts", import.meta.url));

/** Budgets whose first cycle starts on `start` (the fixture settings' cycles anchored there), all due by then. */
async function tenantWithBudgets(database: Database, start = "2026-01-12"): Promise<PaymentsTenant> {
  const tenant = await paymentsTenant(database, "2026-01-07", { anchorDate: start });
  for (let n = 1; n <= PEOPLE; n++)
    await personWithBudget(
      database,
      tenant,
      { startDate: start, approvedOn: "2026-01-05", directWeekly: 10_000 + n },
      n,
    );
  return tenant;
}

describe.runIf(postgresUrl)("payment runs under concurrency and SIGKILL on postgres", () => {
  let database: TestDatabase;
  let wide: Database;
  let url: string;

  beforeAll(async () => {
    database = await databaseFor("postgres", "migrated");
    url = (database.native as { url: string }).url;
    wide = openPostgres(url, { max: 12 });
  }, 60_000);
  afterAll(async () => {
    await wide?.close();
    await database?.drop();
  });

  const exactlyOnce = async (tenantId: string) => {
    const payments = await countRows(
      database.db,
      sql<{ n: number }>`SELECT count(*) AS n FROM payments WHERE tenant_id = ${tenantId}`,
    );
    const keys = await countRows(
      database.db,
      sql<{ n: number }>`SELECT count(DISTINCT payment_key) AS n FROM payments WHERE tenant_id = ${tenantId}`,
    );
    const paid = await countRows(
      database.db,
      sql<{
        n: number;
      }>`SELECT count(*) AS n FROM ledger_transfers WHERE tenant_id = ${tenantId} AND code = 'payment'`,
    );
    const paidPence = await countRows(
      database.db,
      sql<{ n: number }>`SELECT coalesce(sum(amount), 0) AS n FROM ledger_transfers
        WHERE tenant_id = ${tenantId} AND code = 'payment'`,
    );
    return { payments, keys, paid, paidPence };
  };
  // 4 weeks of each person's weekly amount: 10_001 … 10_024 pence a week.
  const expectedPence = Array.from({ length: PEOPLE }, (_, i) => 4 * (10_001 + i)).reduce((a, b) => a + b, 0);

  it("six runs for the same date at once, in small batches, pay each payment once; a run after them pays nothing", async () => {
    const tenant = await tenantWithBudgets(database);
    const ctx = { ...tenant.maker, db: wide.db };
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, () => prepareRun(ctx, { date: "2026-01-12" }, { batchSize: 3 })),
    );
    expect(new Set(outcomes.map((o) => o.runId)).size).toBe(1);
    expect(outcomes.reduce((s, o) => s + o.made, 0)).toBe(PEOPLE);
    expect(await exactlyOnce(tenant.tenantId)).toEqual({
      payments: PEOPLE,
      keys: PEOPLE,
      paid: PEOPLE,
      paidPence: expectedPence,
    });
    expect((await prepareRun(ctx, { date: "2026-01-12" })).made).toBe(0);
    expect((await verifyLedgerIn(database.db)).problems).toEqual([]);
  }, 120_000);

  it("the CLI killed with SIGKILL part-way, then run again, pays each payment exactly once", async () => {
    // The command runs on the real date, as the README's `upfront payments run` (no --date) does: the run is for
    // the earliest pay date a Bacs file sent today can meet, so the budgets start then (issue 12).
    const tenant = await tenantWithBudgets(database, earliestPayDate(todayInLondon(), "england-and-wales"));
    const env = {
      ...process.env,
      DATABASE_URL: url,
      NODE_ENV: "test",
      UPFRONT_PAYMENT_BATCH_SIZE: "1",
      UPFRONT_PAYMENT_BATCH_PAUSE_MS: "150",
    };
    const child = spawn(process.execPath, [CLI, "payments", "run", "--tenant", tenant.slug], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += String(d);
    });
    const killedAt = await new Promise<number>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (d) => {
        out += String(d);
        const done = [...out.matchAll(/budgets (\d+)\/\d+/g)].map((m) => Number(m[1]));
        if ((done.at(-1) ?? 0) >= 5 && !child.killed) {
          child.kill("SIGKILL");
          resolve(done.at(-1)!);
        }
      });
      child.on("exit", (code, signal) => {
        if (signal !== "SIGKILL")
          reject(new Error(`the CLI ended (${code}) before it was killed: ${stderr}${out}`));
      });
    });
    // Wait until the process is gone (it may already be).
    if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once("exit", r));
    const part = await exactlyOnce(tenant.tenantId);
    expect(part.payments).toBeGreaterThanOrEqual(killedAt);
    expect(part.payments).toBeLessThan(PEOPLE);
    expect(part.paid).toBe(part.payments); // a batch is committed whole: payment rows and transfers together

    const rerun = spawn(process.execPath, [CLI, "payments", "run", "--tenant", tenant.slug], {
      env: { ...env, UPFRONT_PAYMENT_BATCH_SIZE: "7", UPFRONT_PAYMENT_BATCH_PAUSE_MS: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    rerun.stdout.on("data", (d) => {
      out += String(d);
    });
    const code = await new Promise((r) => rerun.on("exit", r));
    expect(code).toBe(0);
    expect(out).toMatch(
      new RegExp(`${PEOPLE - part.payments} payments made .*${part.payments} already made`),
    );
    expect(await exactlyOnce(tenant.tenantId)).toEqual({
      payments: PEOPLE,
      keys: PEOPLE,
      paid: PEOPLE,
      paidPence: expectedPence,
    });
    expect((await verifyLedgerIn(database.db)).problems).toEqual([]);
  }, 120_000);
});
