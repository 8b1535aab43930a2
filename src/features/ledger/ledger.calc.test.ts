import { describe, expect, it } from "vitest";
import {
  type AccountState,
  applyTransfers,
  fingerprintContent,
  statementLines,
  validateTransferRequests,
  verifyLedger,
  ZERO_SUMS,
} from "#/features/ledger/ledger.calc.ts";

/** The ledger's pure rules (issue 6, Ledger; TigerBeetle's account and transfer semantics). */

const A = "01900000-0000-7000-8000-00000000000a";
const B = "01900000-0000-7000-8000-00000000000b";
const account = (id: string, over: Partial<AccountState> = {}): AccountState => ({
  accountId: id,
  currency: "GBP",
  mustNotGoBelowZero: false,
  ...ZERO_SUMS,
  ...over,
});

describe("applyTransfers", () => {
  it("a flagged account may spend what it holds less its pending debits, and not a penny more (debits_must_not_exceed_credits)", () => {
    const accounts = new Map([
      [A, account(A, { mustNotGoBelowZero: true, creditsPosted: 1000, debitsPending: 300 })],
      [B, account(B)],
    ]);
    const t = (amount: number) => ({
      debitAccountId: A,
      creditAccountId: B,
      amount,
      currency: "GBP",
      state: "posted" as const,
      pending: false,
      releases: 0,
    });
    expect(applyTransfers(accounts, [t(700)]).ok).toBe(true);
    const refused = applyTransfers(accounts, [t(500), t(201)]);
    expect(refused).toMatchObject({ ok: false, refusal: { index: 1, reason: "insufficient_funds" } });
  });

  it("refuses a transfer in another currency than an account's", () => {
    const accounts = new Map([
      [A, account(A)],
      [B, account(B, { currency: "EUR" })],
    ]);
    expect(
      applyTransfers(accounts, [
        {
          debitAccountId: A,
          creditAccountId: B,
          amount: 1,
          currency: "GBP",
          state: "posted",
          pending: false,
          releases: 0,
        },
      ]),
    ).toMatchObject({ ok: false, refusal: { reason: "currency_mismatch" } });
  });

  it("posting a hold for less moves the settled amount to posted and releases the whole hold from pending", () => {
    const accounts = new Map([
      [A, account(A, { mustNotGoBelowZero: true, creditsPosted: 1000, debitsPending: 600 })],
      [B, account(B, { creditsPending: 600 })],
    ]);
    const result = applyTransfers(accounts, [
      {
        debitAccountId: A,
        creditAccountId: B,
        amount: 450,
        currency: "GBP",
        state: "posted",
        pending: false,
        releases: 600,
      },
    ]);
    expect(result.ok && result.deltas.get(A)).toEqual({
      ...ZERO_SUMS,
      debitsPending: -600,
      debitsPosted: 450,
    });
    expect(result.ok && result.deltas.get(B)).toEqual({
      ...ZERO_SUMS,
      creditsPending: -600,
      creditsPosted: 450,
    });
  });
});

describe("validateTransferRequests and fingerprints", () => {
  it("the same key twice in a batch with different content is named; leaving out GBP is the same content as giving it", () => {
    const base = {
      type: "posted" as const,
      idempotencyKey: "k",
      debitAccountId: A,
      creditAccountId: B,
      amount: 5,
      code: "spend",
    };
    expect(fingerprintContent(base)).toBe(fingerprintContent({ ...base, currency: "GBP" }));
    expect(validateTransferRequests([base, { ...base, currency: "GBP" }])).toEqual([]);
    expect(validateTransferRequests([base, { ...base, amount: 6 }]).map((e) => e.path)).toEqual([
      "[1].idempotencyKey",
    ]);
  });
});

describe("statementLines", () => {
  it("runs the posted balance from the opening one; holds and voids move nothing", () => {
    const rows = [
      { debitAccountId: B, creditAccountId: A, amount: 1000, state: "posted", pending: false },
      { debitAccountId: A, creditAccountId: B, amount: 300, state: "pending", pending: true },
      { debitAccountId: A, creditAccountId: B, amount: 250, state: "posted", pending: false },
    ];
    expect(statementLines(A, 50, rows).map((l) => [l.signedAmount, l.balanceAfter])).toEqual([
      [1000, 1050],
      [0, 1050],
      [-250, 800],
    ]);
  });
});

describe("verifyLedger", () => {
  const healthy = {
    tenantId: "t",
    currency: "GBP",
    mustNotGoBelowZero: false,
  };
  it("passes a balanced ledger and names each broken invariant", () => {
    const s = { ...ZERO_SUMS, creditsPosted: 10 };
    const d = { ...ZERO_SUMS, debitsPosted: 10 };
    const ok = verifyLedger({
      accounts: [
        { ...healthy, accountId: A, code: "a", stored: s, fromTransfers: s },
        { ...healthy, accountId: B, code: "b", stored: d, fromTransfers: d },
      ],
      badTransfers: [],
      transferCount: 1,
    });
    expect(ok).toEqual({ ok: true, accounts: 2, transfers: 1, problems: [] });
    const broken = verifyLedger({
      accounts: [
        {
          ...healthy,
          accountId: A,
          code: "a",
          mustNotGoBelowZero: true,
          stored: { ...ZERO_SUMS, debitsPosted: 1 },
          fromTransfers: ZERO_SUMS,
        },
      ],
      badTransfers: [{ tenantId: "t", transferId: "x", problem: "amount is not above 0" }],
      transferCount: 1,
    });
    expect(broken.ok).toBe(false);
    expect(broken.problems).toEqual([
      "transfer x (tenant t): amount is not above 0",
      expect.stringContaining("debitsPosted is 1 but its transfers sum to 0"),
      expect.stringContaining("is below zero but must not be"),
      expect.stringContaining("posted balances sum to -1, not 0"),
    ]);
  });
});
