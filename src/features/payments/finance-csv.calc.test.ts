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

describe("finance CSV: one row per payment and funding stream, with its GL code and cost centre", () => {
  it("writes the documented columns, a row per part, amounts in pounds and in pence, no totals row", () => {
    const csv = financeCsv([payment], mapping);
    const rows = parseCsv(csv.text);
    expect(rows[0]).toEqual([...FINANCE_CSV_COLUMNS]);
    expect(rows.slice(1)).toEqual([
      [
        "pay-1",
        "run-7",
        "2026-04-07",
        "budget-1",
        "dp-ann",
        "Ann Example",
        "regular",
        "asc",
        "5100",
        "ASC01",
        "1200.00",
        "120000",
        "",
      ],
      [
        "pay-1",
        "run-7",
        "2026-04-07",
        "budget-1",
        "dp-ann",
        "Ann Example",
        "one_off",
        "dfg",
        "5200",
        "HOU02",
        "450.00",
        "45000",
        "Shower seat, fitted",
      ],
      [
        "pay-1",
        "run-7",
        "2026-04-07",
        "budget-1",
        "dp-ann",
        "Ann Example",
        "contribution_netted",
        "",
        "9100",
        "ASC01",
        "-200.00",
        "-20000",
        "",
      ],
    ]);
    // The payment's rows add up to what was paid; totals are returned, not written as a row.
    expect(csv).toMatchObject({ rowCount: 3, totalPence: 145000 });
    expect(rows).toHaveLength(4);
  });

  it("RFC 4180: CR LF line ends, fields with commas, quotes or line breaks quoted, quotes doubled", () => {
    const csv = financeCsv(
      [{ ...payment, payeeName: 'Ann "Nan" Example,\r\nJr', parts: [payment.parts[0]!] }],
      mapping,
    );
    expect(csv.text.endsWith("\r\n")).toBe(true);
    expect(csv.text.split("\r\n")[1]).toContain('"Ann ""Nan"" Example,');
    expect(parseCsv(csv.text)[1]![5]).toBe('Ann "Nan" Example,\r\nJr');
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
    expect(parseCsv(csv.text)[1]![5]).toBe("'=1+1");
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
        expect(row[5]).toBe(safe(name));
        expect(row[12]).toBe(safe(description));
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
