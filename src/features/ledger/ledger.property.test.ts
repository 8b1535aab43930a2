import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TransferRequest } from "#/features/ledger/ledger.calc.ts";
import { addSums, availableBalance, effectOf, type Sums, ZERO_SUMS } from "#/features/ledger/ledger.calc.ts";
import { ledgerTenant } from "#/features/ledger/ledger.fixture.ts";
import {
  ensureAccount,
  IdempotencyConflictError,
  LedgerRefusedError,
  type TransferResult,
  transfers,
} from "#/features/ledger/service.ts";
import { verifyLedgerIn } from "#/features/ledger/verify.ts";
import { withTenant } from "#/platform/db/tenant.ts";
import { ValidationError } from "#/platform/errors.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";

/**
 * Issue 6, "Tests that must exist": fast-check property tests over random sequences of ledger operations
 * (new accounts, posted and pending transfers, posts for the whole or less, voids, replays with the same key,
 * replays with other content, overdrafts against flagged accounts) checked against a simple in-memory model.
 * After every step the database's sums equal the model's; at the end: conservation (credits equal debits, posted
 * and pending, so all balances sum to zero), no flagged account below zero, and `ledger verify` passes. A replay
 * returns the first transfer and changes nothing; a clash is refused and changes nothing.
 */

type Op =
  | { op: "account"; flagged: boolean }
  | { op: "posted" | "pending"; debit: number; credit: number; amount: number }
  | { op: "post"; hold: number; less: number }
  | { op: "void"; hold: number }
  | { op: "replay" | "clash"; of: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ op: fc.constant("account" as const), flagged: fc.boolean() }) },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constantFrom("posted" as const, "pending" as const),
      debit: fc.nat(20),
      credit: fc.nat(20),
      amount: fc.integer({ min: 1, max: 5_000 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant("post" as const), hold: fc.nat(20), less: fc.nat(3_000) }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("void" as const), hold: fc.nat(20) }) },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constantFrom("replay" as const, "clash" as const), of: fc.nat(50) }),
  },
);

type Hold = { transferId: string; debit: string; credit: string; amount: number; open: boolean };

describe.each(enginesUnderTest())("ledger properties on %s", (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await databaseFor(engine, "migrated");
  }, 60_000);
  afterAll(() => database?.drop());

  it("random operation sequences match the model: conservation, no flagged account below zero, idempotent replays, verify passes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 25 }), async (ops) => {
        const ctx = await ledgerTenant(database);
        const model = new Map<string, Sums & { flagged: boolean }>();
        const ids: string[] = [];
        const holds: Hold[] = [];
        const done: { request: TransferRequest; result: TransferResult }[] = [];
        const addAccount = async (flagged: boolean) => {
          const a = await ensureAccount(ctx, {
            code: `acct:${ids.length}`,
            kind: flagged ? "budget" : "stream",
            mustNotGoBelowZero: flagged,
          });
          ids.push(a.accountId);
          model.set(a.accountId, { ...ZERO_SUMS, flagged });
        };
        await addAccount(false);
        await addAccount(true);
        await addAccount(true);

        const apply = (debit: string, credit: string, change: ReturnType<typeof effectOf>) => {
          model.set(debit, {
            ...addSums(model.get(debit)!, change.debit),
            flagged: model.get(debit)!.flagged,
          });
          model.set(credit, {
            ...addSums(model.get(credit)!, change.credit),
            flagged: model.get(credit)!.flagged,
          });
        };
        const run = (request: TransferRequest) =>
          transfers(ctx, [request]).then(
            (r) => ({ ok: true as const, result: r[0]! }),
            (error: unknown) => ({ ok: false as const, error }),
          );

        for (const [i, op] of ops.entries()) {
          const key = `k${i}`;
          if (op.op === "account") {
            await addAccount(op.flagged);
          } else if (op.op === "posted" || op.op === "pending") {
            const debit = ids[op.debit % ids.length]!;
            let credit = ids[op.credit % ids.length]!;
            if (credit === debit) credit = ids[(op.credit + 1) % ids.length]!;
            const request: TransferRequest = {
              type: op.op,
              idempotencyKey: key,
              debitAccountId: debit,
              creditAccountId: credit,
              amount: op.amount,
              code: "spend",
            };
            const d = model.get(debit)!;
            const fits = !d.flagged || availableBalance(d) >= op.amount;
            const outcome = await run(request);
            if (fits) {
              expect(outcome.ok, String(!outcome.ok && outcome.error)).toBe(true);
              if (!outcome.ok) return;
              const t = outcome.result.transfer;
              apply(debit, credit, effectOf({ ...t, releases: 0 }));
              if (op.op === "pending")
                holds.push({ transferId: t.transferId, debit, credit, amount: op.amount, open: true });
              done.push({ request, result: outcome.result });
            } else {
              expect(!outcome.ok && outcome.error).toBeInstanceOf(LedgerRefusedError);
            }
          } else if (op.op === "post" || op.op === "void") {
            if (holds.length === 0) continue;
            const hold = holds[op.hold % holds.length]!;
            const amount = op.op === "post" ? hold.amount - op.less : undefined;
            const request: TransferRequest =
              op.op === "post"
                ? { type: "post", idempotencyKey: key, pendingId: hold.transferId, amount }
                : { type: "void", idempotencyKey: key, pendingId: hold.transferId };
            const outcome = await run(request);
            // The request's shape is checked before the hold's state.
            if (amount !== undefined && amount <= 0) {
              expect(!outcome.ok && outcome.error).toBeInstanceOf(ValidationError);
            } else if (!hold.open) {
              expect(!outcome.ok && outcome.error).toBeInstanceOf(LedgerRefusedError);
            } else {
              expect(outcome.ok, String(!outcome.ok && outcome.error)).toBe(true);
              if (!outcome.ok) return;
              hold.open = false;
              const posted = op.op === "post";
              apply(
                hold.debit,
                hold.credit,
                effectOf({
                  debitAccountId: hold.debit,
                  creditAccountId: hold.credit,
                  amount: amount ?? hold.amount,
                  state: posted ? "posted" : "voided",
                  pending: false,
                  releases: hold.amount,
                }),
              );
              done.push({ request, result: outcome.result });
            }
          } else if (op.op === "replay" || op.op === "clash") {
            if (done.length === 0) continue;
            const first = done[op.of % done.length]!;
            const request =
              op.op === "replay"
                ? first.request
                : { ...first.request, code: first.request.code === "x" ? "y" : "x" };
            const outcome = await run(request);
            if (op.op === "replay") {
              expect(outcome.ok && outcome.result.replayed).toBe(true);
              expect(outcome.ok && outcome.result.transfer.transferId).toBe(first.result.transfer.transferId);
            } else {
              expect(!outcome.ok && outcome.error).toBeInstanceOf(IdempotencyConflictError);
            }
          }
          // After every step, replay or refusal included, the database holds exactly the model's sums.
          expect(await storedSums(ctx.scope.tenantId, ctx)).toEqual(
            new Map([...model].map(([id, { flagged: _, ...s }]) => [id, s])),
          );
        }

        const total = [...model.values()].reduce<Sums>((s, a) => addSums(s, a), ZERO_SUMS);
        expect(total.creditsPosted).toBe(total.debitsPosted);
        expect(total.creditsPending).toBe(total.debitsPending);
        for (const a of model.values()) if (a.flagged) expect(availableBalance(a)).toBeGreaterThanOrEqual(0);
        const report = await verifyLedgerIn(database.db, ctx.scope.tenantId);
        expect(report.problems).toEqual([]);
      }),
      { numRuns: engine === "postgres" ? 40 : 60 },
    );
  }, 240_000);

  async function storedSums(
    tenantId: string,
    ctx: Parameters<typeof transfers>[0],
  ): Promise<Map<string, Sums>> {
    const rows = await withTenant(ctx.db, ctx.scope, (tx) =>
      tx.selectFrom("ledger_accounts").selectAll().where("tenant_id", "=", tenantId).execute(),
    );
    return new Map(
      rows.map((r) => [
        r.account_id,
        {
          debitsPending: r.debits_pending,
          debitsPosted: r.debits_posted,
          creditsPending: r.credits_pending,
          creditsPosted: r.credits_posted,
        },
      ]),
    );
  }
});
