import type { Pence } from "#/platform/money/pence.ts";

/**
 * The CSV a payment run gives the council's finance system: one row per payment and funding stream, carrying that
 * stream's general-ledger (GL) code and cost centre. Pure: rows in, text out.
 *
 * Rows. A payment drawn on two streams is two rows with the same payment_id (finance posts each stream to its own
 * codes); a one-off cost is its own row; a contribution netted from a direct payment is a row of its own with a
 * negative amount and the council's contribution-income codes. The rows of a payment add up to what was paid.
 * No totals row: a finance import reads every row as a transaction, so totals are returned beside the text
 * (rowCount, totalPence) for the page to show and for finance to check against the bank file.
 *
 * Columns, in order:
 *   payment_id        the payment's id (the same in the Bacs reference where the run puts it there)
 *   run_id            the payment run
 *   pay_date          the day the money reaches the payee (YYYY-MM-DD)
 *   budget_id         the personal budget paid from
 *   payee_account_id  the ledger account paid
 *   payee_name        the name on the payee's bank account
 *   line_kind         regular | one_off | contribution_netted
 *   funding_stream_id the stream the row is charged to (empty for the netted contribution)
 *   gl_code           the stream's general-ledger code (the contribution-income code for a netted contribution)
 *   cost_centre       the stream's cost centre (likewise)
 *   amount            pounds and pence, e.g. 1234.56 or -20.00, written from whole pence (never a float)
 *   amount_pence      the same in whole pence
 *   description       the one-off cost's description, else empty
 *
 * Format: RFC 4180 — comma separated, CR LF line ends, a header row, a field quoted when it holds a comma, a
 * double quote, CR or LF, and a quote inside a quoted field written twice. Safe to open in a spreadsheet (OWASP,
 * "CSV Injection"): a text cell starting with = + - @, tab or CR is prefixed with an apostrophe so it is never
 * run as a formula; the two amount columns are plain numbers and are written as they are.
 */

export const FINANCE_CSV_COLUMNS = [
  "payment_id",
  "run_id",
  "pay_date",
  "budget_id",
  "payee_account_id",
  "payee_name",
  "line_kind",
  "funding_stream_id",
  "gl_code",
  "cost_centre",
  "amount",
  "amount_pence",
  "description",
] as const;

export type LedgerCodes = { readonly glCode: string; readonly costCentre: string };

export type FinanceCodeMapping = {
  /** Per funding stream id. */
  readonly streams: Readonly<Record<string, LedgerCodes>>;
  /** Where a contribution netted from a direct payment is posted (contribution income). */
  readonly contribution: LedgerCodes;
};

export type FinancePaymentPart = {
  readonly kind: "regular" | "one_off" | "contribution_netted";
  readonly fundingStreamId?: string;
  readonly amount: Pence;
  readonly description?: string;
};

export type FinancePayment = {
  readonly paymentId: string;
  readonly runId: string;
  readonly payDate: string;
  readonly budgetId: string;
  readonly payeeAccountId: string;
  readonly payeeName: string;
  readonly parts: readonly FinancePaymentPart[];
};

export type FinanceCsvProblem = { readonly paymentId: string; readonly message: string };

export class FinanceCsvError extends Error {
  override name = "FinanceCsvError";
  readonly problems: readonly FinanceCsvProblem[];
  constructor(problems: readonly FinanceCsvProblem[]) {
    super(`The finance file cannot be made: ${problems.map((p) => p.message).join("; ")}`);
    this.problems = problems;
  }
}

export type FinanceCsv = {
  readonly text: string;
  readonly rowCount: number;
  readonly totalPence: Pence;
};

/** "1234.56" from 123456 pence; "-20.00" from -2000. Integer arithmetic only. */
export function poundsText(amount: number): string {
  const sign = amount < 0 ? "-" : "";
  const abs = Math.abs(amount);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

const NUMBER = /^-?\d+(\.\d+)?$/;

/** One cell: made formula-safe (unless a plain number), then quoted as RFC 4180 requires. */
export function csvCell(value: string): string {
  const safe = !NUMBER.test(value) && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Makes the CSV, or throws FinanceCsvError listing every payment that cannot be coded. */
export function financeCsv(payments: readonly FinancePayment[], mapping: FinanceCodeMapping): FinanceCsv {
  const problems: FinanceCsvProblem[] = [];
  const rows: string[][] = [];
  let total = 0;
  for (const payment of payments) {
    if (payment.parts.length === 0)
      problems.push({ paymentId: payment.paymentId, message: `Payment ${payment.paymentId} has no lines` });
    for (const part of payment.parts) {
      if (!Number.isSafeInteger(part.amount)) {
        problems.push({
          paymentId: payment.paymentId,
          message: `Payment ${payment.paymentId}: an amount must be whole pence, got ${part.amount}`,
        });
        continue;
      }
      let codes: LedgerCodes | undefined;
      if (part.kind === "contribution_netted") codes = mapping.contribution;
      else if (part.fundingStreamId === undefined)
        problems.push({
          paymentId: payment.paymentId,
          message: `Payment ${payment.paymentId}: a ${part.kind} line must name its funding stream`,
        });
      else {
        codes = Object.hasOwn(mapping.streams, part.fundingStreamId)
          ? mapping.streams[part.fundingStreamId]
          : undefined;
        if (!codes)
          problems.push({
            paymentId: payment.paymentId,
            message: `Payment ${payment.paymentId}: funding stream "${part.fundingStreamId}" has no general-ledger code and cost centre; add them to the finance codes`,
          });
      }
      if (!codes) continue;
      total += part.amount;
      rows.push([
        payment.paymentId,
        payment.runId,
        payment.payDate,
        payment.budgetId,
        payment.payeeAccountId,
        payment.payeeName,
        part.kind,
        part.kind === "contribution_netted" ? "" : (part.fundingStreamId ?? ""),
        codes.glCode,
        codes.costCentre,
        poundsText(part.amount),
        String(part.amount),
        part.description ?? "",
      ]);
    }
  }
  if (problems.length > 0) throw new FinanceCsvError(problems);
  const lines = [FINANCE_CSV_COLUMNS.join(","), ...rows.map((row) => row.map(csvCell).join(","))];
  return { text: `${lines.join("\r\n")}\r\n`, rowCount: rows.length, totalPence: total as Pence };
}
