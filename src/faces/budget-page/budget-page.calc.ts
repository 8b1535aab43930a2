import { formatPounds, type Pence } from "#/platform/money/pence.ts";

/**
 * Two rules of the budget page, pure: the statement of an account of the budget as the person reads it, and the
 * balance projected at the end of the period.
 *
 * The statement. Every movement of money on the account in date order (the day money was spent for a card
 * payment or an invoice, the day it moved for anything else; the ledger's own order breaks ties), with "Money
 * in" and "Money out" from the person's side: a payment from the council is money in; a card payment, an invoice
 * paid, money sent on to the person's bank account or a provider, the person's contribution taken off a payment,
 * and unspent money returned to the council are money out. The running balance is worked out again in that
 * order from the opening balance, counting only money that has moved (a card payment still going through shows
 * its amount in words and does not change the balance). Each line is described in plain words: never a ledger
 * code, a funding stream, or "deployment".
 *
 * The projection. The balance now, less money going through, less what the plan still expects to spend in the
 * period (what it plans for the period less what has gone out, never below 0). Until the first payment from the
 * council has reached the account (the account has never had money in), that payment is counted as coming: it
 * pays for the period in advance, so the budget's first days never show a shortfall of the whole period's plan
 * that is only a payment not yet due.
 */

export type LedgerLine = {
  /** The ledger's code: payment, funding, spend, refund, topup, contribution, recovery, return, … */
  readonly code: string;
  readonly refKind: string | null;
  /** YYYY-MM-DD (UK) the transfer was written. */
  readonly writtenOn: string;
  /** Which way it goes for this account (credited: in), whether or not it has moved yet. */
  readonly direction: "in" | "out";
  /** What moved on this account: + in, − out; 0 while a hold is pending, or once voided. */
  readonly signedAmount: number;
  readonly amount: number;
  readonly state: "pending" | "posted" | "voided";
  /** A hold (a card payment authorised, an invoice received): it moves nothing itself. */
  readonly pending: boolean;
  /** The hold this transfer posts or voids. */
  readonly pendingOf: string | null;
  /** Only for a payment recorded in spending (a card transaction, an invoice): when and to whom. */
  readonly spend?: {
    readonly date: string;
    readonly payeeName: string;
    readonly source: "card" | "invoice" | "pool";
    readonly matchExplanation: string;
  };
};

export type BudgetStatementRow = {
  date: string;
  description: string;
  inPence: number;
  outPence: number;
  balancePence: number;
  state: "pending" | "posted" | "voided";
};

const money = (p: number) => formatPounds(p as Pence);

/** What a movement was, in the person's words. `inward`: money came into the account. */
function describe(line: LedgerLine, deployment: string, inward: boolean): string {
  const spend = line.spend;
  if (spend) {
    const pool = spend.source === "pool" ? ` (${spend.matchExplanation})` : "";
    if (inward) return `Refund from ${spend.payeeName}${pool}`;
    const what =
      spend.source === "card" ? "Card payment" : spend.source === "invoice" ? "Invoice paid" : "Paid";
    return `${what} to ${spend.payeeName}${pool}`;
  }
  if (line.refKind === "payment_debt")
    return "Money paid for after the budget ended, returned to the council";
  if (line.refKind === "invoice") return inward ? "Invoice refunded" : "Invoice paid";
  switch (line.code) {
    case "payment":
    case "funding":
      if (inward) return "Payment from the council";
      return deployment === "direct_payment"
        ? "Paid into your bank account"
        : "Paid to the organisation that holds the money for you";
    case "contribution":
      return "Your contribution towards your care, taken off the council's payment";
    case "spend":
      return inward ? "Refund" : "Payment for your support";
    case "refund":
      return "Refund";
    case "topup":
      return "Your own money added";
    case "recovery":
      return "Unspent money returned to the council";
    case "return":
      return "A payment the bank sent back";
    case "adjustment":
      return "Correction";
    case "pool_share":
      return inward
        ? "Money back from support shared with others"
        : "Your share of support shared with others";
    default:
      return inward ? "Money added by the council" : "Money taken off by the council";
  }
}

/** An account's movements as the person reads them: date order, money in and out, running balance. */
export function budgetStatementRows(input: {
  readonly deployment: string;
  readonly openingPence: number;
  readonly lines: readonly LedgerLine[];
}): BudgetStatementRow[] {
  const shown = input.lines
    .map((line, order) => ({ line, order, date: line.spend?.date ?? line.writtenOn }))
    // A hold that has been posted shows as its posting; the record of a hold voided, as the hold ("cancelled").
    .filter(
      ({ line }) =>
        !(line.pending && line.state === "posted") && !(line.pendingOf && line.state === "voided"),
    )
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.order - b.order));
  let balance = input.openingPence;
  return shown.map(({ line, date }) => {
    const words = describe(line, input.deployment, line.direction === "in");
    balance += line.signedAmount;
    return {
      date,
      description:
        line.state === "pending"
          ? `${words}: ${money(line.amount)} going through`
          : line.state === "voided"
            ? `${words} (cancelled)`
            : words,
      inPence: Math.max(0, line.signedAmount),
      outPence: Math.max(0, -line.signedAmount),
      balancePence: balance,
      state: line.state,
    };
  });
}

/** The balance at the end of the period if the rest of its plan is spent (see the file's comment). */
export function projectedBalance(input: {
  readonly balancePence: number;
  /** Money going through (card payments and invoices held, not yet posted). */
  readonly heldPence: number;
  readonly plannedPence: number;
  readonly wentOutPence: number;
  /** Has the council's first payment reached this account? */
  readonly firstPaymentArrived: boolean;
}): number {
  const stillPlanned = Math.max(0, input.plannedPence - input.wentOutPence);
  const stillToComeIn = input.firstPaymentArrived ? 0 : input.plannedPence;
  return input.balancePence - input.heldPence - stillPlanned + stillToComeIn;
}
