import { describe, expect, it } from "vitest";
import { readCsv } from "#/platform/csv/read.ts";
import { csvValue, writeCsv } from "#/platform/csv/write.ts";

describe("CSV (RFC 4180)", () => {
  it("rule: commas separate fields, CRLF or LF ends a record, and a trailing line break adds no row", () => {
    expect(readCsv("a,b\r\n1,2\n3,4\n")).toEqual({
      records: [
        { row: 1, fields: ["a", "b"] },
        { row: 2, fields: ["1", "2"] },
        { row: 3, fields: ["3", "4"] },
      ],
      problems: [],
    });
  });

  it("rule: a quoted field may hold commas, line breaks and doubled quotes, and is still one row", () => {
    const { records, problems } = readCsv('ref,note\r\n"A1","one, ""two""\nthree"\r\nA2,x');
    expect(problems).toEqual([]);
    expect(records).toEqual([
      { row: 1, fields: ["ref", "note"] },
      { row: 2, fields: ["A1", 'one, "two"\nthree'] },
      { row: 3, fields: ["A2", "x"] },
    ]);
  });

  it("rule: Excel's byte order mark is dropped; empty fields are kept", () => {
    expect(readCsv("\uFEFFa,,c").records).toEqual([{ row: 1, fields: ["a", "", "c"] }]);
  });

  it("rule: a stray or unclosed quote is a problem of that row, not a crash", () => {
    const { problems } = readCsv('a,b\n1,x"y\n2,"z"w\n3,"open');
    expect(problems.map((p) => p.row)).toEqual([2, 3, 4]);
    expect(problems[2]!.message).toMatch(/never closed/);
  });

  it("rule: writing quotes what needs it, ends records with CRLF, and defuses spreadsheet formulas", () => {
    expect(writeCsv(["a", "b"], [["x,y", 'say "hi"']])).toBe('a,b\r\n"x,y","say ""hi"""\r\n');
    expect(csvValue("=SUM(A1)")).toBe("'=SUM(A1)");
    expect(csvValue("@cmd")).toBe("'@cmd");
    expect(csvValue(-1250)).toBe("-1250");
    expect(csvValue(null)).toBe("");
    // What is written reads back the same.
    const text = writeCsv(["n", "t"], [[1, "a\nb"]]);
    expect(readCsv(text).records[1]!.fields).toEqual(["1", "a\nb"]);
  });
});
