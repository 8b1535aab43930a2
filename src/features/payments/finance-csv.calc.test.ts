import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  csvCell,
  FINANCE_CSV_COLUMNS,
  type FinanceCodeMapping,
  FinanceCsvError,
  type FinancePayment,
  financeCsv,
  poundsText,
} from "#/features/payments/finance-csv.calc.ts";
import { pence } from "#/platform/money/pence.ts";

const mapping: FinanceCodeMapping = {
  streams: {
    asc: { glCode: "5100", costCentre: "ASC01" },
    dfg: { glCode: "5200", costCentre: "HOU02" },
  },
  contribution: { glCode: "9100", costCentre: "ASC01" },
};

const payment: FinancePayment = {
  paymentId: "pay-1",
  runId: "run-7",
  payDate: "2026-04-07",
  dueDate: "2026-04-06",
  budgetId: "budget-1",
  payeeAccountId: "dp-ann",
  payeeName: "Ann Example",
  parts: [
    { kind: "regular", fundingStreamId: "asc", amount: pence(120000) },
    { kind: "one_off", fundingStreamId: "dfg", amount: pence(45000), description: "Shower seat, fitted" },
    { kind: "contribution_netted", amount: pence(-20000) },
  ],
};

/** A minimal RFC 4180 reader, written from the RFC, to check what a finance import would read back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += c;
  }
  return rows;
}

describe("finance CSV: one row per payment, gross, contribution netted and net in their own columns", () => {
  it("rule (issue 15, money owed back taken off a payment): a deduction part lowers its stream's gross, and net is what the bank pays", () => {
    const taken: FinancePayment = {
      ...payment,
      paymentId: "pay-2",
      parts: [
        { kind: "regular", fundingStreamId: "asc", amount: pence(40000) },
        { kind: "contribution_netted", amount: pence(-8000) },
        { kind: "deduction", fundingStreamId: "asc", amount: pence(-12000) },
      ],
    };
    const row = parseCsv(financeCsv([taken], mapping).text)[1]!;
    const at = (column: string) => row[FINANCE_CSV_COLUMNS.indexOf(column as never)];
    expect(at("stream_gross_pence")).toBe("28000");
    expect(at("gross_pence")).toBe("28000");
    expect(at("contribution_netted_pence")).toBe("8000");
    // £400 a cycle, £80 contribution kept back, £120 owed back taken: £200 reaches the person.
    expect(at("net_pence")).toBe("20000");
  });

  it("rule (issue 12): a payment is one row, however many lines it has; gross, netted and net in pounds and pence", () => {
    const csv = financeCsv([payment], mapping);
    const rows = parseCsv(csv.text);
    expect(rows[0]).toEqual([...FINANCE_CSV_COLUMNS]);
    expect(rows.slice(1)).toEqual([
      [
        "pay-1",
        "run-7",
        "2026-04-07",
        "2026-04-06",
        "budget-1",
        "dp-ann",
        "Ann Example",
        "asc;dfg",
        "5100;5200",
        "ASC01;HOU02",
        "120000;45000",
        "1650.00",
        "165000",
        "200.00",
        "20000",
        "9100",
        "ASC01",
        "1450.00",
        "145000",
        "Shower seat, fitted",
      ],
    ]);
    // One row per payment id; totals (what was paid, the sum of net) are returned, not written as a row.
    expect(csv).toMatchObject({ rowCount: 1, totalPence: 145000 });
    expect(rows).toHaveLength(2);
    expect(new Set(rows.slice(1).map((r) => r[0])).size).toBe(rows.length - 1);
  });

  it("rule (issue 12): the pay_date column is the payment's pay date, the due date beside it", () => {
    const row = parseCsv(financeCsv([payment], mapping).text)[1]!;
    expect(row[FINANCE_CSV_COLUMNS.indexOf("pay_date")]).toBe(payment.payDate);
    expect(row[FINANCE_CSV_COLUMNS.indexOf("due_date")]).toBe(payment.dueDate);
  });

  it("a payment from one stream with nothing netted: one stream, netted 0.00, no contribution codes, net = gross", () => {
    const row = parseCsv(financeCsv([{ ...payment, parts: [payment.parts[0]!] }], mapping).text)[1]!;
    const col = (name: (typeof FINANCE_CSV_COLUMNS)[number]) => row[FINANCE_CSV_COLUMNS.indexOf(name)];
    expect([col("funding_stream_id"), col("gl_code"), col("cost_centre")]).toEqual(["asc", "5100", "ASC01"]);
    expect([col("gross"), col("contribution_netted"), col("net"), col("net_pence")]).toEqual([
      "1200.00",
      "0.00",
      "1200.00",
      "120000",
    ]);
    expect([col("contribution_gl_code"), col("contribution_cost_centre"), col("description")]).toEqual([
      "",
      "",
      "",
    ]);
  });

  it("RFC 4180: CR LF line ends, fields with commas, quotes or line breaks quoted, quotes doubled", () => {
    const csv = financeCsv(
      [{ ...payment, payeeName: 'Ann "Nan" Example,\r\nJr', parts: [payment.parts[0]!] }],
      mapping,
    );
    expect(csv.text.endsWith("\r\n")).toBe(true);
    expect(csv.text.split("\r\n")[1]).toContain('"Ann ""Nan"" Example,');
    expect(parseCsv(csv.text)[1]![6]).toBe('Ann "Nan" Example,\r\nJr');
  });

  it("formula injection (OWASP CSV Injection): text starting = + - @ tab or CR gets an apostrophe; numbers do not", () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell("+44 20")).toBe("'+44 20");
    expect(csvCell("-cmd")).toBe("'-cmd");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tx")).toBe("'\tx");
    expect(csvCell("-200.00")).toBe("-200.00");
    expect(csvCell("Ann")).toBe("Ann");
    const csv = financeCsv([{ ...payment, payeeName: "=1+1", parts: [payment.parts[0]!] }], mapping);
    expect(parseCsv(csv.text)[1]![6]).toBe("'=1+1");
  });

  it("no cell a reader gets back starts a formula, and every value survives the round trip (property)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), (name, description) => {
        const csv = financeCsv(
          [{ ...payment, payeeName: name, parts: [{ ...payment.parts[1]!, description }] }],
          mapping,
        );
        const row = parseCsv(csv.text)[1]!;
        for (const cell of row)
          expect(/^[=+@\t\r]/.test(cell) || (/^-/.test(cell) && !/^-?\d+(\.\d+)?$/.test(cell))).toBe(false);
        // What was written is the value, with an apostrophe before it only when it would start a formula.
        const safe = (v: string) => (/^[=+\-@\t\r]/.test(v) && !/^-?\d+(\.\d+)?$/.test(v) ? `'${v}` : v);
        expect(row[6]).toBe(safe(name));
        expect(row[19]).toBe(safe(description));
      }),
    );
  });

  it("pounds from whole pence without floats", () => {
    expect([0, 5, 100, 123456, -2000, -5].map(poundsText)).toEqual([
      "0.00",
      "0.05",
      "1.00",
      "1234.56",
      "-20.00",
      "-0.05",
    ]);
  });

  it("refuses payments whose funding stream has no codes, naming each payment and stream", () => {
    try {
      financeCsv(
        [
          { ...payment, parts: [{ kind: "regular", fundingStreamId: "ilf", amount: pence(100) }] },
          {
            ...payment,
            paymentId: "pay-2",
            parts: [{ kind: "regular", fundingStreamId: "toString", amount: pence(100) }],
          },
          { ...payment, paymentId: "pay-3", parts: [] },
        ],
        mapping,
      );
      throw new Error("expected a refusal");
    } catch (error) {
      expect(error).toBeInstanceOf(FinanceCsvError);
      const problems = (error as FinanceCsvError).problems;
      expect(problems.map((p) => p.paymentId)).toEqual(["pay-1", "pay-2", "pay-3"]);
      expect(problems[0]!.message).toContain('funding stream "ilf" has no general-ledger code');
    }
  });
});
