import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { looksLikeCardNumber, parseFeedDateTime } from "#/features/spending/card-feed.calc.ts";
import { detectCardFeedLayout, readCardFeedCsv } from "#/features/spending/card-feed-layouts.calc.ts";
import { parsePoundsText } from "#/platform/money/parse.ts";
import { englandSpendingRules as rules } from "#/rules/england/spending-rules.ts";

const options = { rules, cashWithdrawalsPermitted: false };
const example = (name: string) => readFileSync(new URL(`../../../examples/${name}`, import.meta.url), "utf8");
const HEADER = "card_id,transaction_id,date_time,type,status,amount,merchant_name,mcc";
const feed = (...rows: string[]) => [HEADER, ...rows].join("\r\n");

describe("amounts (house rule: money is integer pence, never floats)", () => {
  it.each([
    ["12.50", 1250],
    ["12.5", 1250],
    ["12", 1200],
    ["0.07", 7],
    ["£1,234.56", 123456],
    ["-3.20", 320],
    ["0.10", 10],
    // 0.1 + 0.2 in floating point is 0.30000000000000004; text digits never pass through a float.
    ["0.30", 30],
    ["90071992547.40", 9007199254740],
  ])("%s is %d pence", (text, expected) => {
    expect(parsePoundsText(text)?.pence).toBe(expected);
  });

  it.each(["12.345", "1e3", "12,34", "1,2345.00", "abc", "", "12.", ".50", "£-3", "12 .50"])(
    "refuses %j",
    (text) => {
      expect(parsePoundsText(text)).toBeUndefined();
    },
  );

  it("reads any pounds-and-pence text back to the same pence (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), (p) => {
        const text = `${Math.floor(p / 100)}.${String(p % 100).padStart(2, "0")}`;
        expect(parsePoundsText(text)?.pence).toBe(p);
      }),
    );
  });
});

describe("dates in feeds", () => {
  it("reads ISO 8601 and UK dates, with or without a time, and refuses impossible ones", () => {
    expect(parseFeedDateTime("2025-04-01T09:30:00Z", ["iso"])).toEqual({
      date: "2025-04-01",
      time: "09:30:00",
    });
    expect(parseFeedDateTime("2025-04-01", ["iso"])).toEqual({ date: "2025-04-01", time: null });
    expect(parseFeedDateTime("1/4/2025 9:30", ["uk"])).toEqual({ date: "2025-04-01", time: "09:30:00" });
    expect(parseFeedDateTime("31/02/2025", ["uk"])).toBeUndefined();
    expect(parseFeedDateTime("2025-04-01 24:00", ["iso"])).toBeUndefined();
    expect(parseFeedDateTime("01/04/2025", ["iso"])).toBeUndefined(); // not a format this layout uses
  });
});

describe("Upfront's own layout (docs/card-feed.md)", () => {
  it("normalises the example file: pence, direction, categories by MCC, stable keys", () => {
    const result = readCardFeedCsv(example("card-feed-upfront.csv"), "upfront", options);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const byId = new Map(result.transactions.map((t) => [t.transactionId, t]));
    expect(result.transactions).toHaveLength(8);
    expect(byId.get("T-1001")).toMatchObject({
      type: "load",
      direction: "in",
      amountPence: 48000,
      signedPence: 48000,
    });
    expect(byId.get("T-1002")).toMatchObject({
      type: "purchase",
      direction: "out",
      amountPence: 3600,
      signedPence: -3600,
      category: "community_access",
      idempotencyKey: "card:upfront:T-1002:settled",
      transactionKey: "card:upfront:T-1002",
      date: "2025-04-02",
      time: "10:15:00",
    });
    expect(byId.get("T-1003")?.category).toBe("transport");
    expect(byId.get("T-1004")).toMatchObject({
      merchantName: "Greens Supermarket, High Street",
      status: "authorised",
    });
    expect(byId.get("T-1005")).toMatchObject({ type: "refund", direction: "in", category: "transport" });
  });

  it("flags blocked merchant codes (REFERENCE.md: pubs, off-licences, gambling, dating, tobacco, pawnbrokers; MCC per ISO 18245)", () => {
    const result = readCardFeedCsv(example("card-feed-upfront.csv"), "upfront", options);
    if (!result.ok) throw new Error("refused");
    const pub = result.transactions.find((t) => t.transactionId === "T-1006")!;
    expect(pub.flags).toEqual([expect.objectContaining({ code: "blocked_merchant", group: "pubs" })]);
    expect(pub.category).toBeNull();
    const groceries = result.transactions.find((t) => t.transactionId === "T-1004")!;
    expect(groceries.flags).toEqual([]);
  });

  it("flags cash withdrawals unless the council permits cash (REFERENCE.md: cash only where the council permits)", () => {
    const refused = readCardFeedCsv(example("card-feed-upfront.csv"), "upfront", options);
    const permitted = readCardFeedCsv(example("card-feed-upfront.csv"), "upfront", {
      ...options,
      cashWithdrawalsPermitted: true,
    });
    if (!refused.ok || !permitted.ok) throw new Error("refused");
    const cash = (r: typeof refused) => r.transactions.find((t) => t.transactionId === "T-1007")!;
    expect(cash(refused).flags.map((f) => f.code)).toEqual(["cash_withdrawal"]);
    expect(cash(permitted).flags).toEqual([]);
  });

  it("treats a purchase at a cash machine (MCC 6011) as a cash withdrawal", () => {
    const result = readCardFeedCsv(
      feed("C1,X1,2025-04-01,purchase,settled,10.00,ATM,6011"),
      "upfront",
      options,
    );
    if (!result.ok) throw new Error("refused");
    expect(result.transactions[0]).toMatchObject({
      type: "atm_cash",
      flags: [expect.objectContaining({ code: "cash_withdrawal" })],
    });
  });

  it("gives the same idempotency keys when the same file is read twice (issue 6: re-importing adds nothing)", () => {
    const a = readCardFeedCsv(example("card-feed-upfront.csv"), "upfront", options);
    const b = readCardFeedCsv(example("card-feed-upfront.csv"), "upfront", options);
    if (!a.ok || !b.ok) throw new Error("refused");
    expect(b.transactions.map((t) => t.idempotencyKey)).toEqual(a.transactions.map((t) => t.idempotencyKey));
    expect(new Set(a.transactions.map((t) => t.idempotencyKey)).size).toBe(a.transactions.length);
  });

  it("refuses the whole file with every bad row's number and reason (issue 6)", () => {
    const result = readCardFeedCsv(
      feed(
        "C1,X1,2025-04-01,purchase,settled,10.00,Shop,5411",
        "C1,X2,2025-02-30,purchase,settled,10.00,Shop,5411",
        "C1,X3,2025-04-01,purchase,settled,10.005,Shop,5411",
        "C1,X4,2025-04-01,bought,settled,10.00,Shop,5411",
        "C1,X5,2025-04-01,purchase,done,-10.00,Shop,54A1",
        "4111111111111111,X6,2025-04-01,purchase,settled,1.00,Shop,5411",
        "C1,,2025-04-01,purchase,settled,1.00,Shop,",
        "C1,X8,2025-04-01,purchase,settled,1.00",
      ),
      "upfront",
      options,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const rows = result.problems.map((p) => [p.row, p.column]);
    expect(rows).toEqual([
      [3, "date_time"],
      [4, "amount"],
      [5, "type"],
      [6, "status"],
      [6, "amount"],
      [6, "mcc"],
      [7, "card_id"],
      [8, "transaction_id"],
      [8, "mcc"],
      [9, undefined],
    ]);
    expect(result.problems.find((p) => p.row === 7)?.message).toMatch(/full card number/);
    expect(result.problems.find((p) => p.row === 9)?.message).toMatch(
      /has 6 values but the header has 8 columns/,
    );
  });

  it("refuses a transaction id repeated at the same stage, naming both rows", () => {
    const result = readCardFeedCsv(
      feed(
        "C1,X1,2025-04-01,purchase,settled,10.00,Shop,5411",
        "C1,X1,2025-04-01,purchase,settled,10.00,Shop,5411",
      ),
      "upfront",
      options,
    );
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          row: 3,
          column: "transaction_id",
          message: '"X1" (settled) is also on row 2: remove the repeated row',
        },
      ],
    });
  });

  it("accepts the same transaction at a later stage (authorised then settled) as a new event of the same transaction", () => {
    const result = readCardFeedCsv(
      feed(
        "C1,X1,2025-04-01,purchase,authorised,10.00,Shop,5411",
        "C1,X1,2025-04-02,purchase,settled,10.00,Shop,5411",
      ),
      "upfront",
      options,
    );
    if (!result.ok) throw new Error("refused");
    expect(result.transactions.map((t) => t.transactionKey)).toEqual(["card:upfront:X1", "card:upfront:X1"]);
    expect(new Set(result.transactions.map((t) => t.idempotencyKey)).size).toBe(2);
  });

  it("refuses a missing column, a broken quote and an empty file with row 1 messages", () => {
    const missing = readCardFeedCsv("card_id,transaction_id\r\nC1,X1\r\n", "upfront", options);
    expect(!missing.ok && missing.problems[0]?.message).toMatch(/The column "date_time" is missing/);
    const quote = readCardFeedCsv(
      `${HEADER}\r\nC1,X1,2025-04-01,purchase,settled,1.00,"Shop,5411\r\n`,
      "upfront",
      options,
    );
    expect(!quote.ok && quote.problems[0]?.message).toMatch(/never closed/);
    const empty = readCardFeedCsv("", "upfront", options);
    expect(!empty.ok && empty.problems[0]).toEqual({
      row: 1,
      message: "The file is empty: the first row must name the columns",
    });
  });
});

describe("provider-style layout (modelled on Crosscard's transaction report)", () => {
  it("is recognised from its header, ignores declined cards, and reads signed amounts by entry type", () => {
    const text = example("card-feed-crosscard-style.csv");
    const header = text.split("\r\n")[0]!.split(",");
    expect(detectCardFeedLayout(header)?.id).toBe("crosscard-style");
    const result = readCardFeedCsv(text, "detect", options);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.ignored).toEqual([{ row: 5, reason: "the card was declined, so no money moved" }]);
    expect(result.transactions.map((t) => [t.transactionId, t.type, t.status, t.signedPence])).toEqual([
      ["900000001", "load", "settled", 48000],
      ["900000002", "purchase", "authorised", -3600],
      ["900000002", "purchase", "settled", -3600],
      ["900000004", "purchase", "authorised", -5240],
      ["900000004", "purchase", "reversed", -5240],
      ["900000005", "refund", "settled", 1200],
    ]);
    expect(result.transactions[0]!.idempotencyKey).toBe("card:crosscard:900000001:settled");
  });

  it("refuses a transaction in another currency", () => {
    const text = example("card-feed-crosscard-style.csv").replace(
      "-36.00,GBP,-36.00,GBP",
      "-36.00,EUR,-36.00,EUR",
    );
    const result = readCardFeedCsv(text, "crosscard-style", options);
    expect(!result.ok && result.problems.map((p) => [p.row, p.column])).toEqual([[3, "Bill Currency"]]);
  });
});

describe("full card numbers are never accepted as a card id (PCI DSS: do not store the primary account number)", () => {
  it("spots Luhn-valid 13 to 19 digit numbers and leaves short tokens alone", () => {
    expect(looksLikeCardNumber("4111 1111 1111 1111")).toBe(true);
    expect(looksLikeCardNumber("4111111111111112")).toBe(false);
    expect(looksLikeCardNumber("123456789")).toBe(false);
  });
});
