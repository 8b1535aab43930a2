/**
 * The money benchmark (issue 6), on real PostgreSQL. Run by hand, prints figures, asserts nothing:
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node bench/ledger.ts [options]
 *     --transfers N   transfers through the batch service (default 200000)
 *     --batch B       transfers per transfersIn call, one transaction each (default 5000)
 *     --workers W     batch callers at once, each on its own budgets so they never wait for each other (default 1)
 *     --clients C     concurrent clients for single transfers (default 8)
 *     --seconds S     how long the single-transfer and pgbench runs last (default 10)
 *     --budgets N     live budgets for the payment run (default 100000)
 *     --only a,b      run only the named sections (see SECTIONS)
 *     --keep          keep the benchmark database (its name is printed)
 *
 * Figures measured so far (before/after, machine, sizes, where the time goes): docs/benchmarks.md.
 *
 * It creates its own database (upfront_bench_<pid>) next to DATABASE_URL's, migrates it and drops it after.
 * Sections share one Bench (database, tenant, options, a report line printer); to add one,
 * write `async function mySection(b: Bench)` and add it to SECTIONS.
 */
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import pg from "pg";
import { budgetAccountIn } from "#/features/budgets/accounts.ts";
import { currentBudgetIn, liveBudgetsIn } from "#/features/budgets/service.ts";
import type { NewTransferRequest, TransferRequest } from "#/features/ledger/ledger.calc.ts";
import { ledgerTenant } from "#/features/ledger/ledger.fixture.ts";
import { ensureAccountIn, transfer, transferIn, transfersIn } from "#/features/ledger/service.ts";
import { paymentsTenant } from "#/features/payments/payments.fixture.ts";
import { prepareRun } from "#/features/payments/run.ts";
import { importCardFeed } from "#/features/spending/card-import.ts";
import { linkCardIn } from "#/features/spending/cards.ts";
import { listStaff } from "#/features/staff/service.ts";
import { SYSTEM_ACTOR } from "#/features/tenants/service.ts";
import { inTenant, type ServiceContext } from "#/platform/context.ts";
import { type Database, openPostgres } from "#/platform/db/database.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import { migrate } from "#/platform/db/migrator.ts";
import { seedDemo } from "#/seed/seed.ts";
import { bulkBudgetsSql } from "./bulk-budgets.ts";

export type Bench = {
  database: Database;
  url: string;
  ctx: ServiceContext;
  options: {
    transfers: number;
    batch: number;
    workers: number;
    clients: number;
    seconds: number;
    budgets: number;
  };
  report: (label: string, value: string) => void;
  /** Figures other sections may compare with (e.g. copyRowsPerSecond). */
  figures: Map<string, number>;
};

type Section = { name: string; run: (b: Bench) => Promise<void> };

const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);
const fmt = (n: number) => n.toLocaleString("en-GB");

/** Budgets funded from one stream, each able to pay every spend the benchmark sends it. */
async function fundedBudgets(b: Bench, prefix: string, count: number, eachPence: number) {
  return inTenant(b.ctx, async (t) => {
    const stream = await ensureAccountIn(t, { code: `stream:${prefix}`, kind: "stream" });
    const payee = await ensureAccountIn(t, { code: `payee:${prefix}`, kind: "payee" });
    const budgets: string[] = [];
    for (let i = 0; i < count; i++) {
      budgets.push(
        (
          await ensureAccountIn(t, {
            code: `budget:${prefix}${i}:direct_payment`,
            kind: "budget",
            mustNotGoBelowZero: true,
          })
        ).accountId,
      );
    }
    await transfersIn(
      t,
      budgets.map((id, i) => ({
        type: "posted" as const,
        idempotencyKey: `${prefix}:fund:${i}`,
        debitAccountId: stream.accountId,
        creditAccountId: id,
        amount: eachPence,
        code: "funding",
      })),
    );
    return { budgets, payee: payee.accountId };
  });
}

/** N spends through transfersIn in batches, beside COPY of N rows as wide as ledger_transfers into a plain table. */
async function batchTransfers(b: Bench) {
  const { transfers: n, batch } = b.options;
  const { budgets, payee } = await fundedBudgets(b, "batch", 1000, 1_000_000_000);
  const requests = (from: number, to: number): TransferRequest[] =>
    Array.from({ length: to - from }, (_, k) => {
      const i = from + k;
      return {
        type: "posted",
        idempotencyKey: `card:${i}`,
        debitAccountId: budgets[i % budgets.length]!,
        creditAccountId: payee,
        amount: 100 + (i % 5000),
        code: "spend",
        refKind: "card_transaction",
        refId: `txn-${i}`,
      };
    });
  // Worker w takes the batches whose budgets are w mod W (a batch's budgets are i mod 1000 for its rows i), so
  // workers' account locks never overlap, as a payment run split by budget would be.
  const { workers } = b.options;
  const wide = openPostgres(b.url, { max: workers });
  const ctx = { ...b.ctx, db: wide.db };
  const byWorker = Array.from({ length: workers }, (_, w) =>
    Array.from({ length: Math.ceil(n / workers) }, (_, k) => k * workers + w).filter((i) => i < n),
  );
  let t0 = performance.now();
  await Promise.all(
    byWorker.map(async (rows) => {
      for (let from = 0; from < rows.length; from += batch) {
        const chunk = rows.slice(from, from + batch).map((i) => requests(i, i + 1)[0]!);
        await inTenant(ctx, (t) => transfersIn(t, chunk));
      }
    }),
  );
  const ledgerMs = performance.now() - t0;
  await wide.close();
  const ledgerRate = rate(n, ledgerMs);
  b.report(
    "ledger batch transfers",
    `${fmt(n)} in ${(ledgerMs / 1000).toFixed(1)} s: ${fmt(ledgerRate)}/s (batches of ${batch}, ${workers} at once)`,
  );

  // The database's own limit: COPY the same number of rows, as wide as a transfer, into a plain table.
  const client = new pg.Client({ connectionString: b.url });
  await client.connect();
  await client.query(`CREATE TABLE bench_copy_plain (tenant_id uuid, transfer_id uuid, seq bigint,
    idempotency_key text, request_fingerprint text, debit_account_id uuid, credit_account_id uuid, amount bigint,
    currency text, code text, ref_kind text, ref_id text, pending boolean, pending_of uuid, state text,
    created_at timestamptz)`);
  await client.end();
  const tenant = b.ctx.scope.tenantId;
  const fingerprint = "f".repeat(64);
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    lines.push(
      `${tenant},${uuidv7()},${i},card:${i},${fingerprint},${budgets[i % budgets.length]},${payee},${100 + (i % 5000)},GBP,spend,card_transaction,txn-${i},f,,posted,2026-11-23 12:00:00+00\n`,
    );
  }
  t0 = performance.now();
  await psqlCopy(b.url, "\\copy bench_copy_plain FROM STDIN WITH (FORMAT csv)", lines.join(""));
  const copyMs = performance.now() - t0;
  const copyRate = rate(n, copyMs);
  b.figures.set("copyRowsPerSecond", copyRate);
  b.report(
    "COPY into a plain table",
    `${fmt(n)} rows in ${(copyMs / 1000).toFixed(1)} s: ${fmt(copyRate)}/s (psql \\copy)`,
  );
  b.report("ledger ÷ COPY", `${((ledgerRate / copyRate) * 100).toFixed(0)}% (aim: at least 50%)`);
}

/**
 * Single transfers through the service from C concurrent clients, beside pgbench. `transfer(ctx, …)` commits
 * concurrent callers' transfers together (group commit, features/ledger/group-commit.ts); for comparison the same
 * load is also run with each transfer in its own transaction (transferIn inside inTenant), as before.
 */
async function singleTransfers(b: Bench) {
  const { clients, seconds } = b.options;
  const { budgets, payee } = await fundedBudgets(b, "single", clients * 4, 1_000_000_000);
  const wide = openPostgres(b.url, { max: clients });
  const ctx = { ...b.ctx, db: wide.db };
  const load = async (
    label: string,
    send: (ctx: ServiceContext, r: NewTransferRequest) => Promise<unknown>,
  ) => {
    let done = 0;
    const stopAt = performance.now() + seconds * 1000;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        for (let i = 0; performance.now() < stopAt; i++) {
          await send(ctx, {
            type: "posted",
            idempotencyKey: `single:${label}:${c}:${i}`,
            // Each client mostly on its own budgets, sometimes on another's: real contention, not none.
            debitAccountId: budgets[(c * 4 + (i % 5)) % budgets.length]!,
            creditAccountId: payee,
            amount: 250,
            code: "spend",
          });
          done++;
        }
      }),
    );
    const ms = performance.now() - t0;
    return { done, ms, rate: rate(done, ms) };
  };
  const alone = await load("alone", (c, r) => inTenant(c, (t) => transferIn(t, r)));
  b.report(
    "single, a transaction each",
    `${fmt(alone.done)} in ${(alone.ms / 1000).toFixed(1)} s with ${clients} clients: ${fmt(alone.rate)}/s`,
  );
  const grouped = await load("grouped", (c, r) => transfer(c, r));
  await wide.close();
  b.report(
    "ledger single transfers",
    `${fmt(grouped.done)} in ${(grouped.ms / 1000).toFixed(1)} s with ${clients} clients: ${fmt(grouped.rate)}/s (group commit)`,
  );
  const done = grouped.done;
  const ms = grouped.ms;

  const init = await run("pgbench", ["-i", "-q", "-s", "1", b.url]);
  if (init.code !== 0) {
    b.report("pgbench TPC-B", `not run: ${init.stderr.trim().split("\n").at(-1)}`);
    return;
  }
  const bench = await run("pgbench", ["-c", String(clients), "-j", "2", "-T", String(seconds), b.url]);
  const tps = /tps = ([\d.]+)/.exec(bench.stdout)?.[1];
  b.report(
    "pgbench TPC-B (default)",
    tps ? `${fmt(Math.round(Number(tps)))} tps with ${clients} clients` : "no figure",
  );
  if (tps) {
    b.report(
      "ledger ÷ pgbench",
      `${((rate(done, ms) / Number(tps)) * 100).toFixed(0)}% (aim: at least 100%; a transaction each: ${((alone.rate / Number(tps)) * 100).toFixed(0)}%)`,
    );
  }
}

/**
 * Card import (issue 6): BENCH_CARD_TRANSACTIONS (default 1,000,000) settled card payments on the demo council's
 * live budget, through the real import (parse, check, match to the plan, one ledger batch, spend records), in
 * files of 100,000 rows (each file one transaction, as a finance officer would send them); then the same files
 * again, which must add nothing. Printed beside COPY's rate when the transfers section measured it.
 */
async function cardImport(b: Bench) {
  const total = Number(process.env.BENCH_CARD_TRANSACTIONS ?? 1_000_000);
  const perFile = Math.min(100_000, total);
  const today = "2026-11-23";
  const { tenantId } = await seedDemo(b.database, { today, people: 14 });
  // Staff and budgets are read through their features' services, like any other code outside them.
  const system: ServiceContext = { db: b.database.db, scope: { tenantId, actor: SYSTEM_ACTOR }, today };
  const finance = (await listStaff(system)).find((s) => s.email === "finance.officer@demo.upfront.test")!;
  const ctx: ServiceContext = {
    ...system,
    scope: { tenantId, actor: { type: "staff", id: finance.userId } },
  };
  const budget = await inTenant(ctx, async (t) => {
    const live = (await liveBudgetsIn(t.tx, today))[0]!;
    const budget = (await currentBudgetIn(t.tx, live.personId))!;
    const streamId = budget.lines.find((l) => l.deployment === "direct_payment")!.streamId;
    const stream = await ensureAccountIn(t, { code: `stream:${streamId}`, kind: "stream", streamId });
    const account = await budgetAccountIn(t, budget, "direct_payment");
    await transfersIn(t, [
      {
        type: "posted",
        idempotencyKey: "bench:card:fund",
        debitAccountId: stream.accountId,
        creditAccountId: account.accountId,
        amount: 1_000_000_000_000,
        code: "payment",
      },
    ]);
    await linkCardIn(t, { provider: "bench", cardId: "BENCH-1", personId: budget.personId });
    return budget;
  });
  const start = budget.startDate;
  const files: string[] = [];
  for (let f = 0; f * perFile < total; f++) {
    const lines = ["card_id,transaction_id,date_time,type,status,amount,merchant_name,mcc"];
    for (let i = f * perFile; i < Math.min(total, (f + 1) * perFile); i++) {
      lines.push(
        `BENCH-1,B${i},${start}T10:00:00,purchase,settled,${(1 + (i % 5000) / 100).toFixed(2)},Town Taxis,4121`,
      );
    }
    files.push(lines.join("\n"));
  }
  const importAll = async () => {
    let added = 0;
    const t0 = performance.now();
    for (const [i, text] of files.entries()) {
      const r = await importCardFeed(ctx, {
        fileName: `bench-${i}.csv`,
        text,
        layout: "upfront",
        provider: "bench",
        cashWithdrawalsPermitted: false,
      });
      added += r.newCount;
    }
    return { added, ms: performance.now() - t0 };
  };
  const first = await importAll();
  b.report(
    "card import",
    `${fmt(first.added)} transactions in ${(first.ms / 1000).toFixed(1)} s: ${fmt(rate(first.added, first.ms))}/s`,
  );
  const copy = b.figures.get("copyRowsPerSecond");
  if (copy) b.report("card import ÷ COPY", `${((rate(first.added, first.ms) / copy) * 100).toFixed(1)}%`);
  const again = await importAll();
  b.report(
    "card import, same files",
    `${fmt(again.added)} new in ${(again.ms / 1000).toFixed(1)} s (must be 0)`,
  );
}

/**
 * Payments (issue 6): --budgets N (default 100,000) people with a live budget, each a payee with approved bank
 * details, set up in bulk with SQL (the owner, not the service: set-up is not what is measured). Then ONE payment
 * run through the real code path (payments/run.ts prepareRun: plan every live budget's schedule, then committed
 * batches of budgets, each inserting its payments and moving the money in the ledger) for the first cycle: per
 * budget one bank payment, three ledger transfers (stream → budget, the netted contribution → income, budget →
 * payee). Prints payments and ledger transfers per second beside COPY; then the same run again, which must make
 * nothing (exactly once).
 */
async function paymentRun(b: Bench) {
  const n = b.options.budgets;
  const payDate = "2026-01-12"; // a Monday: cycle 1 of the fixture settings' four-weekly cycles
  const tenant = await paymentsTenant(b.database, "2026-01-07");
  const t0 = performance.now();
  const id = tenant.tenantId;
  const maker = tenant.maker.scope.actor.id!;
  const checker = tenant.checker.scope.actor.id!;
  // One connection, the simple protocol, the owner (RLS does not apply to a superuser). Ids are fresh uuids;
  // the budgets match payments.fixture.ts personWithBudget: £100 a week direct payment, £20 a week netted.
  const client = new pg.Client({ connectionString: b.url });
  await client.connect();
  await client.query(
    bulkBudgetsSql({
      tenantId: id,
      count: n,
      maker,
      checker,
      startDate: "2026-01-12",
      weeklyPence: 10_000,
      contributionWeeklyPence: 2_000,
    }),
  );
  const transfersNow = async () =>
    Number(
      (await client.query(`SELECT count(*) AS n FROM ledger_transfers WHERE tenant_id = '${id}'`)).rows[0].n,
    );
  b.report(
    "payments set-up (SQL)",
    `${fmt(n)} live budgets in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const runOnce = async () => {
    const before = await transfersNow();
    const t1 = performance.now();
    const outcome = await prepareRun(tenant.maker, { date: payDate });
    const ms = performance.now() - t1;
    return { outcome, ms, transfers: (await transfersNow()) - before };
  };
  let first: Awaited<ReturnType<typeof runOnce>>;
  try {
    first = await runOnce();
  } catch (error) {
    b.report("payment run", `FAILED with ${fmt(n)} budgets: ${(error as Error).message.split("\n")[0]}`);
    await client.end();
    return;
  }
  const { outcome, ms } = first;
  b.report(
    "payment run",
    `${fmt(outcome.made)} payments (${fmt(outcome.due)} due, ${fmt(outcome.held.length)} held) in ${(ms / 1000).toFixed(1)} s: ${fmt(rate(outcome.made, ms))}/s`,
  );
  b.report(
    "payment run, ledger",
    `${fmt(first.transfers)} transfers: ${fmt(rate(first.transfers, ms))}/s (batches of ${process.env.UPFRONT_PAYMENT_BATCH_SIZE ?? 200} budgets)`,
  );
  const copy = b.figures.get("copyRowsPerSecond");
  if (copy)
    b.report(
      "payment run ledger ÷ COPY",
      `${((rate(first.transfers, ms) / copy) * 100).toFixed(1)}% (payments ÷ COPY ${((rate(outcome.made, ms) / copy) * 100).toFixed(1)}%)`,
    );
  const again = await runOnce();
  b.report(
    "payment run, same date",
    `${fmt(again.outcome.made)} payments, ${fmt(again.transfers)} transfers in ${(again.ms / 1000).toFixed(1)} s (must be 0)`,
  );
  await client.end();
}

const SECTIONS: Section[] = [
  { name: "transfers", run: batchTransfers },
  { name: "single", run: singleTransfers },
  { name: "cards", run: cardImport }, // features/spending: BENCH_CARD_TRANSACTIONS card payments through the import
  { name: "payments", run: paymentRun }, // features/payments: --budgets live budgets through one payment run
];

function run(
  cmd: string,
  args: string[],
  input?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(input ?? "");
  });
}

async function psqlCopy(url: string, command: string, data: string) {
  const result = await run("psql", [url, "-v", "ON_ERROR_STOP=1", "-q", "-c", command], data);
  if (result.code !== 0) throw new Error(`psql: ${result.stderr}`);
}

async function main() {
  const { values } = parseArgs({
    options: {
      transfers: { type: "string", default: "200000" },
      batch: { type: "string", default: "5000" },
      workers: { type: "string", default: "1" },
      clients: { type: "string", default: "8" },
      seconds: { type: "string", default: "10" },
      budgets: { type: "string", default: "100000" },
      only: { type: "string" },
      keep: { type: "boolean", default: false },
    },
  });
  const base = process.env.DATABASE_URL;
  if (!base)
    throw new Error("Set DATABASE_URL to a PostgreSQL server (the benchmark creates its own database)");
  const name = `upfront_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const database = openPostgres(url.toString(), { max: 4 });
  try {
    await migrate(database);
    const b: Bench = {
      database,
      url: url.toString(),
      ctx: await ledgerTenant(database, "bench"),
      options: {
        transfers: Number(values.transfers),
        batch: Number(values.batch),
        workers: Number(values.workers),
        clients: Number(values.clients),
        seconds: Number(values.seconds),
        budgets: Number(values.budgets),
      },
      report: (label, value) => console.log(`${label.padEnd(28)} ${value}`),
      figures: new Map(),
    };
    const only = values.only?.split(",");
    console.log(`upfront ledger benchmark on ${url.host}, database ${name}`);
    for (const section of SECTIONS) {
      if (only && !only.includes(section.name)) continue;
      await section.run(b);
    }
  } finally {
    await database.close();
    if (!values.keep) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

await main();
