/**
 * kill -9 trials at scale (issue 13), on real PostgreSQL. Run by hand; prints its counts:
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node bench/crash-trials.ts [options]
 *     --budgets N   live budgets, each with a payee, approved bank details and a linked card (default 10000)
 *     --trials T    trials (default 50)
 *     --batch B     budgets a payment-run batch (UPFRONT_PAYMENT_BATCH_SIZE, default 200)
 *     --seed S      the random choices' seed (default: the time; printed, so a run can be repeated)
 *     --keep        keep the database (its name is printed)
 *
 * Each trial is, at random, a payment run (the next weekly cycle for every budget: `upfront payments run
 * --date …`) or a card-feed import (one purchase for every budget's card: `upfront card-feed import`), started as
 * a child process with UPFRONT_CRASH_AT naming a random crash point (src/platform/crash-points.ts) — for a run,
 * after a random committed batch or inside a random batch's transaction; for an import, inside its transaction or
 * after it committed — so that it kills itself with SIGKILL there. Then the same command runs again without it,
 * `upfront ledger verify` runs, and the database is counted (test/crash-trials.ts): payments and card
 * transactions missing (lost) or there twice, as rows or as money (doubled), and balances that are not the sums
 * of what moved. It prints a line a trial and the totals; the exit code is 1 if anything was lost or doubled, a
 * ledger did not verify, or a command did not die where it was told to. test/crash-trials.test.ts runs the same
 * trials small in CI. Figures: docs/benchmarks.md.
 *
 * It creates its own database (upfront_crash_<pid>) next to DATABASE_URL's, migrates it and drops it after.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import pg from "pg";
import type { NewTransferRequest } from "#/features/ledger/ledger.calc.ts";
import { type AccountSpec, ensureAccountsIn, transfersIn } from "#/features/ledger/service.ts";
import { addDays, bankingDayOnOrBefore, earliestPayDate } from "#/features/payments/pay-dates.calc.ts";
import { paymentsTenant } from "#/features/payments/payments.fixture.ts";
import { inTenant, todayInLondon } from "#/platform/context.ts";
import type { CrashPointName } from "#/platform/crash-points.ts";
import { openPostgres } from "#/platform/db/database.ts";
import { migrate } from "#/platform/db/migrator.ts";
import {
  budgetAvailable,
  type CliResult,
  cardCounts,
  paymentCounts,
  paymentTally,
  upfront,
} from "../test/crash-trials.ts";
import { bulkBudgetsSql } from "./bulk-budgets.ts";

const { values } = parseArgs({
  options: {
    budgets: { type: "string", default: "10000" },
    trials: { type: "string", default: "50" },
    batch: { type: "string", default: "200" },
    seed: { type: "string" },
    keep: { type: "boolean", default: false },
  },
});
const BUDGETS = Number(values.budgets);
const TRIALS = Number(values.trials);
const BATCH = Number(values.batch);
const SEED = Number(values.seed ?? Date.now() % 1_000_000);
const FUNDED = 10_000_000; // pence in each budget's direct-payment account for its card, before any trial
const WEEKLY = 10_000;

/** mulberry32: a small seeded generator, so a run's choices can be repeated with --seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const fmt = (n: number) => n.toLocaleString("en-GB");
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main() {
  const base = process.env.DATABASE_URL;
  if (!base)
    throw new Error("Set DATABASE_URL to a PostgreSQL server (the trials create their own database)");
  const name = `upfront_crash_${process.pid}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const database = openPostgres(url.toString(), { max: 4 });
  const dir = await mkdtemp(join(tmpdir(), "upfront-crash-"));
  let failed = false;
  try {
    await migrate(database);
    console.log(
      `kill -9 trials on ${url.host}, database ${name}: ${fmt(BUDGETS)} budgets, ${TRIALS} trials, batches of ${BATCH}, seed ${SEED}`,
    );

    // Set-up: the budgets start on the earliest pay date a Bacs file sent today can meet (the command checks the
    // date against today), paid weekly, so each payment trial is the next week's cycle.
    const start = earliestPayDate(todayInLondon(), "england-and-wales");
    const tenant = await paymentsTenant(database, "2026-01-07", { anchorDate: start, frequency: "weekly" });
    const t0 = performance.now();
    await bulkBudgets(url.toString(), tenant, start);
    await fundCards(tenant.maker, await budgetRows(url.toString(), tenant.tenantId));
    console.log(
      `set-up: ${fmt(BUDGETS)} live budgets, payees, cards and card money in ${secs(performance.now() - t0)}`,
    );

    const rand = random(SEED);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
    const batches = Math.ceil(BUDGETS / BATCH);
    const totals = {
      trials: 0,
      payments: 0,
      cards: 0,
      killed: 0,
      verified: 0,
      lost: 0,
      doubled: 0,
      wrong: 0,
    };
    let cycles = 0;
    let cardFiles = 0;
    let cardPence = 0;
    const db = database.db;

    for (let trial = 1; trial <= TRIALS; trial++) {
      const t1 = performance.now();
      const kind = pick(["payments", "card-feed"] as const);
      let args: string[];
      let point: CrashPointName;
      let at = 1;
      if (kind === "payments") {
        cycles++;
        const payDate = bankingDayOnOrBefore(addDays(start, 7 * (cycles - 1)), "england-and-wales");
        args = ["payments", "run", "--tenant", tenant.slug, "--date", payDate];
        point = pick(["payments.batch", "payments.batch.inserted"] as const);
        at = 1 + Math.floor(rand() * batches);
      } else {
        cardFiles++;
        const file = join(dir, `cards-${cardFiles}.csv`);
        const lines = ["card_id,transaction_id,date_time,type,status,amount,merchant_name,mcc"];
        for (let i = 1; i <= BUDGETS; i++) {
          const pence = 100 + ((i * 7 + cardFiles * 13) % 900);
          cardPence += pence;
          lines.push(
            `BC-${i},K${cardFiles}-${i},${start}T10:00:00,purchase,settled,${(pence / 100).toFixed(2)},Town Taxis,4121`,
          );
        }
        await writeFile(file, lines.join("\n"));
        args = ["card-feed", "import", "--tenant", tenant.slug, "--file", file, "--layout", "upfront"];
        point = pick(["card-feed.transfers", "card-feed.imported"] as const);
      }
      const env = { UPFRONT_PAYMENT_BATCH_SIZE: String(BATCH) };
      const crashed = await upfront(url.toString(), args, { crashAt: `${point}:${at}`, env });
      const killed = crashed.signal === "SIGKILL";
      const rerun = await upfront(url.toString(), args, { env });
      const verify = await upfront(url.toString(), ["ledger", "verify", "--tenant", tenant.slug]);
      const verified = verify.code === 0;

      let lost: number;
      let doubled: number;
      let wrong: number;
      if (kind === "payments") {
        const c = await paymentCounts(db, tenant.tenantId);
        ({ lost, doubled } = paymentTally(BUDGETS * cycles, c));
        wrong = c.wrongBalances + (c.transferPence === c.paymentPence ? 0 : 1);
      } else {
        const c = await cardCounts(db, tenant.tenantId);
        const expected = BUDGETS * cardFiles;
        lost = Math.max(0, expected - c.keys) + Math.max(0, expected - c.transfers);
        doubled = c.spends - c.keys + Math.max(0, c.transfers - expected);
        wrong = (await budgetAvailable(db, tenant.tenantId)) === BUDGETS * FUNDED - cardPence ? 0 : 1;
      }
      totals.trials++;
      if (kind === "payments") totals.payments++;
      else totals.cards++;
      if (killed) totals.killed++;
      if (verified) totals.verified++;
      totals.lost += lost;
      totals.doubled += doubled;
      totals.wrong += wrong;
      const ok = killed && verified && rerun.code === 0 && lost === 0 && doubled === 0 && wrong === 0;
      if (!ok) failed = true;
      console.log(
        `trial ${String(trial).padStart(2)}/${TRIALS} ${kind.padEnd(9)} ${`${point}:${at}`.padEnd(28)} ` +
          `${killed ? "killed" : `NOT KILLED (${describe(crashed)})`}; re-run: ${summary(rerun)}; ` +
          `${verified ? "ledger verified" : `LEDGER NOT VERIFIED: ${firstLines(verify.err, 3)}`}; ` +
          `${lost} lost, ${doubled} doubled${wrong ? `, ${wrong} WRONG BALANCES` : ""} (${secs(performance.now() - t1)})`,
      );
    }
    console.log(
      `kill -9 trials: ${totals.trials} trials (${totals.payments} payment runs, ${totals.cards} card-feed imports) over ${fmt(BUDGETS)} budgets; ` +
        `${totals.killed} killed by SIGKILL at their crash point, ${totals.verified} ledgers verified, ` +
        `${totals.lost} lost, ${totals.doubled} doubled, ${totals.wrong} wrong balances`,
    );
  } finally {
    await database.close();
    await rm(dir, { recursive: true, force: true });
    if (!values.keep) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
  process.exitCode = failed ? 1 : 0;
}

const describe = (r: CliResult) =>
  `exit ${r.code ?? r.signal}${r.err ? `: ${r.err.trim().split("\n")[0]}` : ""}`;
/** The first lines of a command's output, and how many more there were. */
function firstLines(text: string, n: number): string {
  const lines = text.trim().split("\n");
  return lines.slice(0, n).join(" | ") + (lines.length > n ? ` | … ${fmt(lines.length - n)} more lines` : "");
}
/** The command's result line, or why it failed. */
function summary(r: CliResult): string {
  if (r.code !== 0) return `FAILED (${describe(r)})`;
  const made = /(\d[\d,]*) payments? made \(£[\d.,]+\), (\d+) already made/.exec(r.out);
  if (made) return `${made[1]} made, ${made[2]} already made`;
  const cards = /(\d+) new, (\d+) already imported/.exec(r.out);
  return cards ? `${cards[1]} new, ${cards[2]} already imported` : r.out.trim().split("\n").at(-1)!;
}

/**
 * The budgets, in bulk with SQL as the owner (set-up is not what is tried): as payments.fixture.ts makes them,
 * £100 a week direct payment, each person a payee with approved bank details and a linked card BC-<n>.
 */
async function bulkBudgets(url: string, tenant: Awaited<ReturnType<typeof paymentsTenant>>, start: string) {
  const id = tenant.tenantId;
  const maker = tenant.maker.scope.actor.id!;
  const checker = tenant.checker.scope.actor.id!;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      bulkBudgetsSql({
        tenantId: id,
        count: BUDGETS,
        maker,
        checker,
        startDate: start,
        weeklyPence: WEEKLY,
        contributionWeeklyPence: 0,
        cards: true,
      }),
    );
  } finally {
    await client.end();
  }
}

async function budgetRows(url: string, tenantId: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ budget_id: string; person_id: string }>(
      "SELECT budget_id, person_id FROM personal_budgets WHERE tenant_id = $1 ORDER BY budget_id",
      [tenantId],
    );
    return rows;
  } finally {
    await client.end();
  }
}

/** Money for the cards to spend: FUNDED pence into each budget's direct-payment account, through the ledger. */
async function fundCards(
  ctx: Awaited<ReturnType<typeof paymentsTenant>>["maker"],
  budgets: { budget_id: string; person_id: string }[],
) {
  for (let i = 0; i < budgets.length; i += 2000) {
    const chunk = budgets.slice(i, i + 2000);
    await inTenant(ctx, async (t) => {
      const specs: AccountSpec[] = [
        { code: "stream:asc", kind: "stream", streamId: "asc" },
        ...chunk.map((b) => ({
          code: `budget:${b.budget_id}:direct_payment`,
          kind: "budget",
          budgetId: b.budget_id,
          deployment: "direct_payment",
          personId: b.person_id,
          mustNotGoBelowZero: true,
        })),
      ];
      const accounts = await ensureAccountsIn(t, specs);
      await transfersIn(
        t,
        chunk.map(
          (b): NewTransferRequest => ({
            type: "posted",
            idempotencyKey: `bench-card-money:${b.budget_id}`,
            debitAccountId: accounts.get("stream:asc")!.accountId,
            creditAccountId: accounts.get(`budget:${b.budget_id}:direct_payment`)!.accountId,
            amount: FUNDED,
            code: "funding",
          }),
        ),
      );
    });
  }
}

await main();
