import { csvValue, writeCsv } from "#/platform/csv/write.ts";
import type { Pence } from "#/platform/money/pence.ts";

/**
 * The CSV a payment run gives the council's finance system: ONE ROW PER PAYMENT, as the bank sees it, with what the
 * budget paid (gross), the contribution netted from it and what reached the payee (net) in their own columns, and
 * the general-ledger (GL) code and cost centre of the funding stream it is charged to. Pure: payments in, text out.
 *
 * A payment drawn on one funding stream (the usual case) names that stream and its codes. A payment drawn on
 * several (a one-off cost paid from another stream, say) names each, separated by ";" in the same order in
 * funding_stream_id, gl_code, cost_centre and stream_gross_pence, so finance can split the gross between them.
 * No totals row: a finance import reads every row as a transaction, so totals are returned beside the text
 * (rowCount, totalPence: what was paid, the sum of net) for the page to show and to check against the bank file.
 *
 * Columns, in order:
 *   payment_id                 the payment's id (the same in the Bacs reference where the run puts it there)
 *   run_id                     the payment run
 *   pay_date                   the run's pay date: the day the money reaches the payee (YYYY-MM-DD)
 *   due_date                   the day the payment's cycle was due (earlier than pay_date for a cycle paid late)
 *   budget_id                  the personal budget paid from
 *   payee_account_id           the ledger account paid
 *   payee_name                 the name on the payee's bank account
 *   funding_stream_id          the stream(s) charged
 *   gl_code                    the stream(s)' general-ledger code(s)
 *   cost_centre                the stream(s)' cost centre(s)
 *   stream_gross_pence         each stream's part of the gross, in whole pence
 *   gross                      what the budget paid before the contribution, pounds and pence (e.g. 1234.56),
 *                              less any money owed back taken off the payment (its "deduction" parts, per stream)
 *   gross_pence                the same in whole pence
 *   contribution_netted        the person's contribution taken off it (0.00 when none), pounds and pence
 *   contribution_netted_pence  the same in whole pence
 *   contribution_gl_code       the council's contribution-income GL code (empty when nothing was netted)
 *   contribution_cost_centre   its cost centre (likewise)
 *   net                        what reached the payee, gross less contribution_netted, pounds and pence
 *   net_pence                  the same in whole pence
 *   description                the one-off costs' descriptions ("; " between them), else empty
 *
 * Money is written from whole pence, never a float. Format: RFC 4180 — comma separated, CR LF line ends, a header
 * row, a field quoted when it holds a comma, a double quote, CR or LF, and a quote inside a quoted field written
 * twice. Safe to open in a spreadsheet (OWASP, "CSV Injection"): a text cell starting with = + - @, tab or CR is
 * prefixed with an apostrophe so it is never run as a formula; the amount columns are plain numbers, written as
 * they are.
 */

export const FINANCE_CSV_COLUMNS = [
  "payment_id",
  "run_id",
  "pay_date",
  "due_date",
  "budget_id",
  "payee_account_id",
  "payee_name",
  "funding_stream_id",
  "gl_code",
  "cost_centre",
  "stream_gross_pence",
  "gross",
  "gross_pence",
  "contribution_netted",
  "contribution_netted_pence",
  "contribution_gl_code",
  "contribution_cost_centre",
  "net",
  "net_pence",
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
  /** deduction: money owed back taken off the payment, negative, per stream (it lowers that stream's gross). */
  readonly kind: "regular" | "one_off" | "contribution_netted" | "deduction";
  readonly fundingStreamId?: string;
  readonly amount: Pence;
  readonly description?: string;
};

export type FinancePayment = {
  readonly paymentId: string;
  readonly runId: string;
  /** The run's pay date (the money arrives). */
  readonly payDate: string;
  /** The cycle's due date. */
  readonly dueDate: string;
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

/** One cell: made formula-safe (unless a plain number), then quoted as RFC 4180 requires (platform/csv). */
export const csvCell = (value: string): string => csvValue(value);

/** Makes the CSV, or throws FinanceCsvError listing every payment that cannot be coded. */
export function financeCsv(payments: readonly FinancePayment[], mapping: FinanceCodeMapping): FinanceCsv {
  const problems: FinanceCsvProblem[] = [];
  const rows: string[][] = [];
  let total = 0;
  for (const payment of payments) {
    const problem = (message: string) => problems.push({ paymentId: payment.paymentId, message });
    if (payment.parts.length === 0) problem(`Payment ${payment.paymentId} has no lines`);
    // Each stream's part of the gross, in the order the payment's lines name them.
    const streams = new Map<string, { codes: LedgerCodes; pence: number }>();
    let gross = 0;
    let netted = 0;
    let ok = true;
    const descriptions: string[] = [];
    for (const part of payment.parts) {
      if (!Number.isSafeInteger(part.amount)) {
        problem(`Payment ${payment.paymentId}: an amount must be whole pence, got ${part.amount}`);
        ok = false;
        continue;
      }
      if (part.kind === "contribution_netted") {
        netted -= part.amount;
        continue;
      }
      if (part.description) descriptions.push(part.description);
      if (part.fundingStreamId === undefined) {
        problem(`Payment ${payment.paymentId}: a ${part.kind} line must name its funding stream`);
        ok = false;
        continue;
      }
      const codes = Object.hasOwn(mapping.streams, part.fundingStreamId)
        ? mapping.streams[part.fundingStreamId]
        : undefined;
      if (!codes) {
        problem(
          `Payment ${payment.paymentId}: funding stream "${part.fundingStreamId}" has no general-ledger code and cost centre; add them to the finance codes`,
        );
        ok = false;
        continue;
      }
      const stream = streams.get(part.fundingStreamId) ?? { codes, pence: 0 };
      stream.pence += part.amount;
      streams.set(part.fundingStreamId, stream);
      gross += part.amount;
    }
    if (!ok || payment.parts.length === 0) continue;
    const net = gross - netted;
    total += net;
    const list = [...streams.entries()];
    rows.push([
      payment.paymentId,
      payment.runId,
      payment.payDate,
      payment.dueDate,
      payment.budgetId,
      payment.payeeAccountId,
      payment.payeeName,
      list.map(([id]) => id).join(";"),
      list.map(([, s]) => s.codes.glCode).join(";"),
      list.map(([, s]) => s.codes.costCentre).join(";"),
      list.map(([, s]) => String(s.pence)).join(";"),
      poundsText(gross),
      String(gross),
      poundsText(netted),
      String(netted),
      netted !== 0 ? mapping.contribution.glCode : "",
      netted !== 0 ? mapping.contribution.costCentre : "",
      poundsText(net),
      String(net),
      descriptions.join("; "),
    ]);
  }
  if (problems.length > 0) throw new FinanceCsvError(problems);
  return { text: writeCsv(FINANCE_CSV_COLUMNS, rows), rowCount: rows.length, totalPence: total as Pence };
}
