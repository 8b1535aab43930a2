import { describe, expect, it } from "vitest";
import {
  budgetStatementRows,
  type LedgerLine,
  projectedBalance,
} from "#/faces/budget-page/budget-page.calc.ts";

const line = (
  over: Partial<LedgerLine> & Pick<LedgerLine, "code" | "writtenOn" | "signedAmount">,
): LedgerLine => ({
  refKind: null,
  direction: over.signedAmount < 0 ? "out" : "in",
  amount: Math.abs(over.signedAmount),
  state: "posted",
  pending: false,
  pendingOf: null,
  ...over,
});
const card = (date: string, payeeName: string) => ({
  date,
  payeeName,
  source: "card" as const,
  matchExplanation: "",
});

describe("the budget statement as the person reads it (issue 12)", () => {
  it("rule: in date order (a card payment on the day it was spent, though recorded later), with the balance worked out again in that order", () => {
    const rows = budgetStatementRows({
      deployment: "direct_payment",
      openingPence: 0,
      lines: [
        line({ code: "payment", refKind: "payment", writtenOn: "2026-10-26", signedAmount: 50_000 }),
        line({ code: "payment", refKind: "payment", writtenOn: "2026-11-23", signedAmount: 50_000 }),
        // The card feed for October arrived after the second payment.
        line({
          code: "spend",
          refKind: "spend",
          writtenOn: "2026-11-24",
          signedAmount: -3_600,
          spend: card("2026-10-31", "Riverside Swimming Club"),
        }),
      ],
    });
    expect(rows.map((r) => [r.date, r.inPence, r.outPence, r.balancePence])).toEqual([
      ["2026-10-26", 50_000, 0, 50_000],
      ["2026-10-31", 0, 3_600, 46_400],
      ["2026-11-23", 50_000, 0, 96_400],
    ]);
  });

  it("rule: a payment from the council is money in, whatever the ledger calls it; money sent on, a card payment, an invoice paid and the contribution are money out, in plain words", () => {
    const rows = budgetStatementRows({
      deployment: "direct_payment",
      openingPence: 0,
      lines: [
        line({ code: "funding", refKind: "payment", writtenOn: "2026-11-01", signedAmount: 40_000 }),
        line({ code: "contribution", refKind: "payment", writtenOn: "2026-11-01", signedAmount: -5_000 }),
        line({ code: "payment", refKind: "payment", writtenOn: "2026-11-01", signedAmount: -35_000 }),
        line({ code: "payment", refKind: "payment", writtenOn: "2026-11-02", signedAmount: 10_000 }),
        line({ code: "spend", refKind: "invoice", writtenOn: "2026-11-03", signedAmount: -2_000 }),
        line({ code: "mystery_code", writtenOn: "2026-11-04", signedAmount: 1 }),
      ],
    });
    expect(rows.map((r) => [r.description, r.inPence, r.outPence])).toEqual([
      ["Payment from the council", 40_000, 0],
      ["Your contribution towards your care, taken off the council's payment", 0, 5_000],
      ["Paid into your bank account", 0, 35_000],
      ["Payment from the council", 10_000, 0],
      ["Invoice paid", 0, 2_000],
      ["Money added by the council", 1, 0],
    ]);
    const words = rows.map((r) => r.description).join(" ");
    expect(words).not.toMatch(/funding|deployment|stream|mystery_code/i);
  });

  it("rule: a card payment going through shows its amount in words and moves no money; once posted only its posting shows; a cancelled one says so", () => {
    const rows = budgetStatementRows({
      deployment: "direct_payment",
      openingPence: 10_000,
      lines: [
        line({
          code: "spend",
          refKind: "spend",
          writtenOn: "2026-11-10",
          signedAmount: 0,
          direction: "out",
          amount: 1_840,
          state: "pending",
          pending: true,
          spend: card("2026-11-10", "Greens Supermarket"),
        }),
        // A hold that was posted, and its posting.
        line({
          code: "spend",
          refKind: "spend",
          writtenOn: "2026-11-11",
          signedAmount: 0,
          direction: "out",
          amount: 500,
          pending: true,
          spend: card("2026-11-11", "Town Taxis"),
        }),
        line({
          code: "spend",
          refKind: "spend",
          writtenOn: "2026-11-12",
          signedAmount: -500,
          pendingOf: "hold-2",
          spend: card("2026-11-11", "Town Taxis"),
        }),
        // A hold voided, and the record of the void.
        line({
          code: "spend",
          refKind: "spend",
          writtenOn: "2026-11-13",
          signedAmount: 0,
          direction: "out",
          amount: 700,
          state: "voided",
          pending: true,
          spend: card("2026-11-13", "Cafe"),
        }),
        line({
          code: "spend",
          refKind: "spend",
          writtenOn: "2026-11-14",
          signedAmount: 0,
          direction: "out",
          amount: 700,
          state: "voided",
          pendingOf: "hold-3",
          spend: card("2026-11-13", "Cafe"),
        }),
      ],
    });
    expect(rows.map((r) => [r.description, r.outPence, r.balancePence])).toEqual([
      ["Card payment to Greens Supermarket: £18.40 going through", 0, 10_000],
      ["Card payment to Town Taxis", 500, 9_500],
      ["Card payment to Cafe (cancelled)", 0, 9_500],
    ]);
  });
});

describe("the projected balance at the end of the period (issue 12)", () => {
  it("rule: before the council's first payment has reached the account, the projection counts it as coming: never the whole period's plan below zero", () => {
    expect(
      projectedBalance({
        balancePence: 0,
        heldPence: 0,
        plannedPence: 28_200,
        wentOutPence: 0,
        firstPaymentArrived: false,
      }),
    ).toBe(0);
  });

  it("rule: once money has come in, the projection is the balance less money going through and what the plan still expects to spend", () => {
    const base = { heldPence: 1_840, plannedPence: 28_352, firstPaymentArrived: true };
    expect(projectedBalance({ ...base, balancePence: 40_428, wentOutPence: 0 })).toBe(
      40_428 - 1_840 - 28_352,
    );
    // More gone out than planned: nothing more is expected to be spent.
    expect(projectedBalance({ ...base, balancePence: 1_000, wentOutPence: 30_000 })).toBe(1_000 - 1_840);
    // Money that did not come (a late payment, after the first) still shows as a shortfall.
    expect(projectedBalance({ ...base, heldPence: 0, balancePence: 0, wentOutPence: 0 })).toBe(-28_352);
  });
});
