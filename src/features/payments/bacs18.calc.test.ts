import { describe, expect, it } from "vitest";
import {
  type BacsCredit,
  BacsFileError,
  type BacsFileInput,
  bacs18DirectCreditFile,
  bacsName,
} from "#/features/payments/bacs18.calc.ts";
import { bacsJulianDate } from "#/features/payments/pay-dates.calc.ts";
import { pence } from "#/platform/money/pence.ts";

/**
 * Bacs Standard 18 direct-credit file, checked field by field. The positions below are copied from the layout in
 * HSBC's "Message Implementation Guide: BACS Standard 18" (August 2012), not from rules/uk/bacs18-layout.ts, so a
 * slip in the layout data fails here. Positions are 1-based, as the guide counts them.
 */

const field = (line: string, start: number, length: number) => line.slice(start - 1, start - 1 + length);
/** Checks each [start, length, expected] of a record, and that the fields cover the record with no gap. */
function expectFields(line: string, length: number, fields: [number, number, string][]) {
  expect(line).toHaveLength(length);
  let next = 1;
  for (const [start, len, expected] of fields) {
    expect(start, `field at ${start} follows on`).toBe(next);
    expect(expected, `expected value at ${start} is ${len} long`).toHaveLength(len);
    expect(field(line, start, len), `positions ${start}–${start + len - 1}`).toBe(expected);
    next = start + len;
  }
  expect(next - 1).toBe(length);
}

const sp = (n: number) => " ".repeat(n);

const credits: BacsCredit[] = [
  {
    paymentId: "pay-1",
    accountName: "Ann Example",
    sortCode: "20-00-00",
    accountNumber: "55779911",
    amount: pence(12345),
    reference: "UPFRONT DP 0001",
  },
  {
    paymentId: "pay-2",
    accountName: "Zoë O'Brien-Smith & Co Limited",
    sortCode: "309634",
    accountNumber: "00012345",
    amount: pence(98_765_43),
    reference: "isf/2026/04",
  },
  {
    paymentId: "pay-3",
    accountName: "B. Jones",
    sortCode: "60 16 13",
    accountNumber: "31926819",
    amount: pence(1),
    reference: "DP-0003",
  },
];

const input: BacsFileInput = {
  originator: {
    serviceUserNumber: "123456",
    sortCode: "40-11-62",
    accountNumber: "12345678",
    accountName: "Demo Council",
  },
  credits,
  // Wednesday 8 April 2026, after the Easter Monday bank holiday on 6 April.
  processingDay: "2026-04-08",
  creationDate: "2026-04-07",
  volumeSerialNumber: "RUN001",
  fileNumber: 7,
  contraNarrative: "Run 2026-04 DP",
};

describe("Bacs Standard 18 direct-credit file (HSBC MIG, Aug 2012)", () => {
  const file = bacs18DirectCreditFile(input);
  const [vol1, hdr1, hdr2, uhl1, s1, s2, s3, contra, eof1, eof2, utl1] = file.records as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];

  it("has the records in order: VOL1 HDR1 HDR2 UHL1, the payments, the contra, EOF1 EOF2 UTL1, each ended by CR LF", () => {
    expect(file.records).toHaveLength(11);
    expect(file.records.map((r) => r.slice(0, 4))).toEqual([
      "VOL1",
      "HDR1",
      "HDR2",
      "UHL1",
      "2000",
      "3096",
      "6016",
      "4011",
      "EOF1",
      "EOF2",
      "UTL1",
    ]);
    expect(file.text).toBe(`${file.records.join("\r\n")}\r\n`);
    // Labels are 80 characters; data records 100 (single processing day, no day at 101–106).
    expect(file.records.map((r) => r.length)).toEqual([80, 80, 80, 80, 100, 100, 100, 100, 80, 80, 80]);
  });

  it("VOL1: label, serial number, owner id (SUN between spaces), label standard level", () => {
    expectFields(vol1, 80, [
      [1, 3, "VOL"],
      [4, 1, "1"],
      [5, 6, "RUN001"],
      [11, 1, " "],
      [12, 20, sp(20)],
      [32, 6, sp(6)],
      [38, 14, `${sp(4)}123456${sp(4)}`],
      [52, 28, sp(28)],
      [80, 1, "1"],
    ]);
  });

  it("HDR1: file identifier, set id, section and sequence numbers, creation and expiry dates as  YYDDD, block count", () => {
    expectFields(hdr1, 80, [
      [1, 3, "HDR"],
      [4, 1, "1"],
      [5, 17, "A123456S  1123456"],
      [22, 6, "RUN001"],
      [28, 4, "0001"],
      [32, 4, "0001"],
      [36, 4, sp(4)],
      [40, 2, sp(2)],
      [42, 6, " 26097"],
      [48, 6, " 26097"],
      [54, 1, " "],
      [55, 6, "000000"],
      [61, 13, sp(13)],
      [74, 7, sp(7)],
    ]);
  });

  it("HDR2: fixed records, block length 2000, record length 100, buffer offset 00", () => {
    expectFields(hdr2, 80, [
      [1, 4, "HDR2"],
      [5, 1, "F"],
      [6, 5, "02000"],
      [11, 5, "00100"],
      [16, 35, sp(35)],
      [51, 2, "00"],
      [53, 28, sp(28)],
    ]);
  });

  it("UHL1: processing day (day 2 of the cycle), receiving party 999999, sterling, single-day work code, file number", () => {
    expectFields(uhl1, 80, [
      [1, 4, "UHL1"],
      [5, 6, " 26098"],
      [11, 10, `999999${sp(4)}`],
      [21, 2, "00"],
      [23, 6, "000000"],
      [29, 9, "1 DAILY  "],
      [38, 3, "007"],
      [41, 7, sp(7)],
      [48, 7, sp(7)],
      [55, 26, sp(26)],
    ]);
  });

  it("standard records: payee sort code and account, type 0, code 99, council's account, amount in pence (11 digits), names and reference", () => {
    expectFields(s1, 100, [
      [1, 6, "200000"],
      [7, 8, "55779911"],
      [15, 1, "0"],
      [16, 2, "99"],
      [18, 6, "401162"],
      [24, 8, "12345678"],
      [32, 4, sp(4)],
      [36, 11, "00000012345"],
      [47, 18, "DEMO COUNCIL".padEnd(18)],
      [65, 18, "UPFRONT DP 0001".padEnd(18)],
      [83, 18, "ANN EXAMPLE".padEnd(18)],
    ]);
    // Accents and apostrophes dropped, capitals, cut to 18; reference upper-cased.
    expect(field(s2, 1, 6)).toBe("309634");
    expect(field(s2, 7, 8)).toBe("00012345");
    expect(field(s2, 36, 11)).toBe("00009876543");
    expect(field(s2, 65, 18)).toBe("ISF/2026/04".padEnd(18));
    expect(field(s2, 83, 18)).toBe("ZOE OBRIEN-SMITH &");
    expect(field(s3, 1, 6)).toBe("601613");
    expect(field(s3, 36, 11)).toBe("00000000001");
    expect(field(s3, 83, 18)).toBe("B. JONES".padEnd(18));
  });

  it("contra: the council's account debited (code 17) with the total of the credits, narrative, CONTRA, account name", () => {
    expectFields(contra, 100, [
      [1, 6, "401162"],
      [7, 8, "12345678"],
      [15, 1, "0"],
      [16, 2, "17"],
      [18, 6, "401162"],
      [24, 8, "12345678"],
      [32, 4, sp(4)],
      [36, 11, String(12345 + 9876543 + 1).padStart(11, "0")],
      [47, 18, "RUN 2026-04 DP".padEnd(18)],
      [65, 18, "CONTRA".padEnd(18)],
      [83, 18, "DEMO COUNCIL".padEnd(18)],
    ]);
  });

  it("EOF1 and EOF2 repeat HDR1 and HDR2 with the EOF label", () => {
    expect(eof1).toBe(`EOF${hdr1.slice(3)}`);
    expect(eof2).toBe(`EOF${hdr2.slice(3)}`);
  });

  it("UTL1: debit and credit value totals (13 digits) and item counts (7 digits); the contra is the one debit", () => {
    const total = String(12345 + 9876543 + 1);
    expectFields(utl1, 80, [
      [1, 4, "UTL1"],
      [5, 13, total.padStart(13, "0")],
      [18, 13, total.padStart(13, "0")],
      [31, 7, "0000001"],
      [38, 7, "0000003"],
      [45, 10, sp(10)],
      [55, 26, sp(26)],
    ]);
    expect(file).toMatchObject({ creditCount: 3, debitCount: 1, creditTotal: 9888889, debitTotal: 9888889 });
  });

  it("the credits' amounts add up to the contra and to UTL1's totals (balanced file)", () => {
    const sumCredits = [s1, s2, s3].reduce((sum, r) => sum + Number(field(r, 36, 11)), 0);
    expect(Number(field(contra, 36, 11))).toBe(sumCredits);
    expect(Number(field(utl1, 5, 13))).toBe(sumCredits);
    expect(Number(field(utl1, 18, 13))).toBe(sumCredits);
  });
});

describe("Bacs julian date ' YYDDD' (space, year, day of year)", () => {
  it.each([
    ["2026-01-01", " 26001"],
    ["2026-04-08", " 26098"],
    ["2024-02-29", " 24060"],
    ["2024-12-31", " 24366"],
    ["2025-12-31", " 25365"],
    ["2030-07-04", " 30185"],
  ])("%s is '%s'", (date, julian) => {
    expect(bacsJulianDate(date)).toBe(julian);
  });
});

describe("account names in the Bacs character set (A–Z 0–9 . & / - space)", () => {
  it("capitals, accents and apostrophes dropped, spaces collapsed", () => {
    expect(bacsName("  Siân  d’Arcy ")).toBe("SIAN DARCY");
    expect(bacsName("Smith & Sons/Ltd.")).toBe("SMITH & SONS/LTD.");
  });
});

describe("refusals: bad input is refused whole, every problem named with its payment", () => {
  const refuse = (change: Partial<BacsFileInput>) => {
    try {
      bacs18DirectCreditFile({ ...input, ...change });
    } catch (error) {
      expect(error).toBeInstanceOf(BacsFileError);
      return (error as BacsFileError).problems;
    }
    throw new Error("expected the file to be refused");
  };
  const withCredit = (c: Partial<BacsCredit>) => ({ credits: [{ ...credits[0]!, ...c }] });

  it.each([
    [{ sortCode: "20-00-0" }, "sortCode", "sort code must be 6 digits"],
    [{ sortCode: "20000X" }, "sortCode", "sort code must be 6 digits"],
    [{ accountNumber: "1234567" }, "accountNumber", "8 digits"],
    [{ accountNumber: "1234567A" }, "accountNumber", "8 digits"],
    [{ accountName: "Ann @ Example" }, "accountName", "remove @"],
    [{ accountName: "  " }, "accountName", "give the name"],
    [{ amount: pence(0) }, "amount", "above zero"],
    [{ amount: pence(-500) }, "amount", "above zero"],
    [{ amount: 12.5 as never }, "amount", "whole number of pence"],
    [{ amount: pence(2_000_000_001) }, "amount", "limit for one payment"],
    [{ reference: "A REFERENCE LONGER THAN 18" }, "reference", "18 characters or fewer"],
    [{ reference: "RENT £50" }, "reference", "may only use"],
    [{ reference: "  " }, "reference", "at least one letter or digit"],
  ])("%o is refused (%s)", (change, fieldName, message) => {
    const problems = refuse(withCredit(change));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ paymentId: "pay-1", field: fieldName });
    expect(problems[0]!.message).toContain("Payment pay-1 (row 1)");
    expect(problems[0]!.message).toContain(message);
  });

  it("reports every problem in every payment at once", () => {
    const problems = refuse({
      credits: [
        { ...credits[0]!, sortCode: "1" },
        credits[1]!,
        { ...credits[2]!, amount: pence(0), accountNumber: "12" },
      ],
    });
    expect(problems.map((p) => [p.paymentId, p.field])).toEqual([
      ["pay-1", "sortCode"],
      ["pay-3", "accountNumber"],
      ["pay-3", "amount"],
    ]);
  });

  it("refuses the same payment twice, an empty file, and more payments than UTL1 can count", () => {
    expect(refuse({ credits: [credits[0]!, credits[0]!] })[0]!.message).toContain("in the file twice");
    expect(refuse({ credits: [] })[0]!.message).toContain("no payments");
    expect(refuse({ credits: new Array(10_000_000) })[0]!.message).toContain("at most 9999999 payments");
  });

  it("refuses a processing day that is a weekend or bank holiday (Bacs does not process), or before the file is made", () => {
    expect(refuse({ processingDay: "2026-04-06", creationDate: "2026-04-01" })[0]!.message).toContain(
      "weekend or bank holiday",
    );
    expect(refuse({ processingDay: "2026-04-11", creationDate: "2026-04-01" })[0]!.field).toBe(
      "processingDay",
    );
    expect(refuse({ creationDate: "2026-04-09" })[0]!.field).toBe("creationDate");
    expect(refuse({ processingDay: "2026-02-30" })[0]!.message).toContain("real date");
  });

  it("refuses a bad council account, service user number, serial or file number", () => {
    const problems = refuse({
      originator: {
        serviceUserNumber: "12345",
        sortCode: "40116",
        accountNumber: "123",
        accountName: "Démo!",
      },
      volumeSerialNumber: "run1",
      fileNumber: 1000,
    });
    expect(problems.map((p) => p.field)).toEqual([
      "serviceUserNumber",
      "sortCode",
      "accountNumber",
      "accountName",
      "volumeSerialNumber",
      "fileNumber",
    ]);
    expect(problems.every((p) => p.paymentId === undefined)).toBe(true);
  });
});
