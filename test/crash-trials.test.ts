import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { budgetsForPersonIn, type PersonalBudget } from "#/features/budgets/service.ts";
import { earliestPayDate } from "#/features/payments/pay-dates.calc.ts";
import {
  type PaymentsTenant,
  paymentsTenant,
  personWithBudget,
} from "#/features/payments/payments.fixture.ts";
import { linkCard } from "#/features/spending/cards.ts";
import { fund } from "#/features/spending/spending.fixture.ts";
import { inTenant, todayInLondon } from "#/platform/context.ts";
import { budgetAvailable, cardCounts, paymentCounts, paymentTally, upfront } from "./crash-trials.ts";
import { databaseFor, postgresUrl, type TestDatabase } from "./databases.ts";

/**
 * Issue 13, kill -9 trials at small scale, on real PostgreSQL: the `upfront` command as a child process kills
 * itself with SIGKILL at a named crash point (UPFRONT_CRASH_AT, src/platform/crash-points.ts) in a payment run or
 * a card-feed import; then it is run again without one, `upfront ledger verify` must pass, and every payment and
 * every card transaction must be there exactly once, with balances equal to the sums of what moved. No timing
 * is asserted. The counts are printed at the end for the CI log. A child process cannot share the embedded
 * PGlite, so this runs only when DATABASE_URL is set (bench/crash-trials.ts does 50 trials over 10,000 budgets).
 */

const PEOPLE = 12;
const BATCH = 2; // budgets a batch: 6 batches a run
const CARDS = 8;

type Tally = { trials: number; killed: number; lost: number; doubled: number; verified: number };
const tally = (): Tally => ({ trials: 0, killed: 0, lost: 0, doubled: 0, verified: 0 });
const counts = { payments: tally(), cardFeed: tally() };
const line = (what: string, t: Tally) =>
  `kill -9 trials, ${what}: ${t.trials} trials, ${t.killed} killed by SIGKILL at their crash point, ` +
  `${t.verified} ledgers verified after the re-run, ${t.lost} lost, ${t.doubled} doubled`;

describe.runIf(postgresUrl)("kill -9 trials on postgres", () => {
  let database: TestDatabase;
  let url: string;

  beforeAll(async () => {
    database = await databaseFor("postgres", "migrated");
    url = (database.native as { url: string }).url;
  }, 60_000);
  afterAll(async () => {
    // The figures, for the CI log (issue 13): printed whether or not the trials passed.
    console.log([line("payment run", counts.payments), line("card-feed import", counts.cardFeed)].join("\n"));
    await database?.drop();
  });

  const verify = async (slug: string) => {
    const result = await upfront(url, ["ledger", "verify", "--tenant", slug]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/^ledger verified: /);
  };

  describe("payment runs", () => {
    // The command runs on the real date (no --date): the run is for the earliest pay date a Bacs file sent today
    // can meet, so the budgets start then, one payment each.
    const start = earliestPayDate(todayInLondon(), "england-and-wales");
    const weekly = (n: number) => 10_000 + n;
    const expectedPence = Array.from({ length: PEOPLE }, (_, i) => 4 * weekly(i + 1)).reduce((a, b) => a + b);

    async function tenantWithBudgets(): Promise<PaymentsTenant> {
      const tenant = await paymentsTenant(database, "2026-01-07", { anchorDate: start });
      for (let n = 1; n <= PEOPLE; n++)
        await personWithBudget(
          database,
          tenant,
          { startDate: start, approvedOn: "2026-01-05", directWeekly: weekly(n) },
          n,
        );
      return tenant;
    }

    it.each([
      // [crash point, times reached, batches committed when it died]
      ["payments.batch", 1, 1],
      ["payments.batch", 4, 4],
      ["payments.batch.inserted", 1, 0],
      ["payments.batch.inserted", 5, 4],
    ] as const)(
      "rule (issue 13): a run killed at %s:%i and run again makes each payment exactly once; the ledger verifies",
      async (point, at, committed) => {
        const tenant = await tenantWithBudgets();
        const env = { UPFRONT_PAYMENT_BATCH_SIZE: String(BATCH) };
        counts.payments.trials++;
        const killed = await upfront(url, ["payments", "run", "--tenant", tenant.slug], {
          crashAt: `${point}:${at}`,
          env,
        });
        expect(killed.signal, `${killed.out}${killed.err}`).toBe("SIGKILL");
        counts.payments.killed++;
        // Whole batches only: a batch killed inside its transaction left nothing.
        const part = await paymentCounts(database.db, tenant.tenantId);
        expect(part.payments).toBe(committed * BATCH);
        expect(part.transfers).toBe(part.payments);

        const rerun = await upfront(url, ["payments", "run", "--tenant", tenant.slug], { env });
        expect(rerun.code, rerun.err).toBe(0);
        expect(rerun.out).toMatch(
          new RegExp(`${PEOPLE - part.payments} payments? made .*, ${part.payments} already made`),
        );
        await verify(tenant.slug);
        counts.payments.verified++;
        const after = await paymentCounts(database.db, tenant.tenantId);
        const { lost, doubled } = paymentTally(PEOPLE, after);
        counts.payments.lost += lost;
        counts.payments.doubled += doubled;
        expect(after).toEqual({
          payments: PEOPLE,
          keys: PEOPLE,
          transfers: PEOPLE,
          transferPence: expectedPence,
          paymentPence: expectedPence,
          wrongBalances: 0,
        });
        // The money went in from the stream and out to the payee: every budget account is back to nothing.
        expect(await budgetAvailable(database.db, tenant.tenantId)).toBe(0);
      },
      120_000,
    );
  });

  describe("card-feed imports", () => {
    const FUNDED = 100_000;
    const HEADER = "card_id,transaction_id,date_time,type,status,amount,merchant_name,mcc";
    const feed = (rows: (c: number) => string[]) =>
      [HEADER, ...Array.from({ length: CARDS }, (_, i) => rows(i + 1)).flat()].join("\n");
    const pounds = (p: number) => (p / 100).toFixed(2);
    const a = (c: number) => 1_000 + c; // settled purchase
    const b = (c: number) => 2_000 + c; // authorised, then settled
    const h = (c: number) => 500 + c; // authorised, then reversed
    const r = (c: number) => 300 + (c % 3); // a refund
    const d = (c: number) => 700 + c; // a later purchase
    // File 1: a purchase, two holds and a refund a card; file 2: one hold settled, one reversed; file 3: more.
    const FILES = {
      "first.csv": feed((c) => [
        `CT-${c},A${c},2026-01-13T10:00:00,purchase,settled,${pounds(a(c))},Riverside Swimming Club,7997`,
        `CT-${c},B${c},2026-01-14T10:00:00,purchase,authorised,${pounds(b(c))},Greens Supermarket,5411`,
        `CT-${c},H${c},2026-01-14T11:00:00,purchase,authorised,${pounds(h(c))},Town Taxis,4121`,
        `CT-${c},R${c},2026-01-15T10:00:00,refund,settled,${pounds(r(c))},Town Taxis,4121`,
      ]),
      "second.csv": feed((c) => [
        `CT-${c},B${c},2026-01-16T10:00:00,purchase,settled,${pounds(b(c))},Greens Supermarket,5411`,
        `CT-${c},H${c},2026-01-16T11:00:00,purchase,reversed,${pounds(h(c))},Town Taxis,4121`,
      ]),
      "third.csv": feed((c) => [
        `CT-${c},D${c},2026-01-20T10:00:00,purchase,settled,${pounds(d(c))},Riverside Swimming Club,7997`,
      ]),
    };
    const sum = (f: (c: number) => number) =>
      Array.from({ length: CARDS }, (_, i) => f(i + 1)).reduce((x, y) => x + y, 0);
    let tenant: PaymentsTenant;
    let dir: string;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), "upfront-crash-"));
      for (const [name, text] of Object.entries(FILES)) await writeFile(join(dir, name), text);
      tenant = await paymentsTenant(database, "2026-01-07");
      for (let c = 1; c <= CARDS; c++) {
        const person = await personWithBudget(
          database,
          tenant,
          { startDate: "2026-01-12", approvedOn: "2026-01-05", directWeekly: 10_000, bankDetails: false },
          c,
        );
        await linkCard(tenant.maker, { provider: "upfront", cardId: `CT-${c}`, personId: person.personId });
        const budget: PersonalBudget = await inTenant(
          tenant.maker,
          async ({ tx }) => (await budgetsForPersonIn(tx, person.personId))[0]!,
        );
        await fund(tenant.maker, budget, FUNDED, `crash-${c}`);
      }
    }, 120_000);
    afterAll(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    // In order, on one council: each import builds on the one before.
    it.each([
      // [file, crash point, spends after, card transfers after, what the budgets can still spend after]
      [
        "first.csv",
        "card-feed.transfers",
        4 * CARDS,
        4 * CARDS,
        CARDS * FUNDED - sum(a) - sum(b) - sum(h) + sum(r),
      ],
      ["second.csv", "card-feed.transfers", 4 * CARDS, 6 * CARDS, CARDS * FUNDED - sum(a) - sum(b) + sum(r)],
      [
        "third.csv",
        "card-feed.imported",
        5 * CARDS,
        7 * CARDS,
        CARDS * FUNDED - sum(a) - sum(b) + sum(r) - sum(d),
      ],
    ] as const)(
      "rule (issue 13): %s killed at %s and imported again records each card transaction exactly once; the ledger verifies",
      async (file, point, spends, transfers, available) => {
        const args = [
          "card-feed",
          "import",
          "--tenant",
          tenant.slug,
          "--file",
          join(dir, file),
          "--layout",
          "upfront",
        ];
        const before = await cardCounts(database.db, tenant.tenantId);
        counts.cardFeed.trials++;
        const killed = await upfront(url, args, { crashAt: `${point}:1` });
        expect(killed.signal, `${killed.out}${killed.err}`).toBe("SIGKILL");
        counts.cardFeed.killed++;
        const part = await cardCounts(database.db, tenant.tenantId);
        // Killed inside the import's one transaction: nothing; killed after it committed: all of it.
        if (point === "card-feed.transfers") expect(part).toEqual(before);
        else expect(part).toMatchObject({ spends, transfers, imports: before.imports + 1 });

        const rerun = await upfront(url, args);
        expect(rerun.code, rerun.err).toBe(0);
        const stages = transfers - before.transfers;
        expect(rerun.out).toMatch(
          point === "card-feed.transfers"
            ? `${stages} new, 0 already imported`
            : `0 new, ${stages} already imported`,
        );
        await verify(tenant.slug);
        counts.cardFeed.verified++;
        const after = await cardCounts(database.db, tenant.tenantId);
        counts.cardFeed.lost += Math.max(0, spends - after.keys) + Math.max(0, transfers - after.transfers);
        counts.cardFeed.doubled += after.spends - after.keys + Math.max(0, after.transfers - transfers);
        expect(after).toMatchObject({ spends, keys: spends, transfers });
        expect(await budgetAvailable(database.db, tenant.tenantId)).toBe(available);
      },
      120_000,
    );
  });
});
