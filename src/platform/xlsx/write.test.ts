import { strFromU8, unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { writeXlsx } from "#/platform/xlsx/write.ts";

/** The spreadsheet download: the same rows as the CSV, text kept as text, numbers as numbers. */

function sheetXml(file: Buffer): string {
  const files = unzipSync(new Uint8Array(file));
  const sheet = Object.keys(files).find((name) => /^xl\/worksheets\/sheet1\.xml$/.test(name));
  const strings = files["xl/sharedStrings.xml"];
  return strFromU8(files[sheet!]!) + (strings ? strFromU8(strings) : "");
}

describe("writeXlsx", () => {
  it("rule: a header row and one row per record, numbers as numbers, an empty cell for null", async () => {
    const file = await writeXlsx(
      "Caseload by week",
      ["week_start", "requests"],
      [
        ["2026-11-30", 12],
        ["2026-12-07", null],
      ],
    );
    expect(file.subarray(0, 2).toString()).toBe("PK"); // a zip, as .xlsx files are
    const xml = sheetXml(file);
    expect(xml).toContain("week_start");
    expect(xml).toContain("2026-11-30");
    expect(xml).toMatch(/<c r="B2"[^>]*><v>12<\/v><\/c>/);
    expect(xml).not.toMatch(/<c r="B3"/);
  });

  it("rule (CSV injection's cousin): text that looks like a formula is written as text, never as a formula", async () => {
    const xml = sheetXml(await writeXlsx("x", ["name"], [['=HYPERLINK("http://evil")']]));
    expect(xml).not.toContain("<f>");
    expect(xml).toContain("HYPERLINK");
  });

  it("rule: a sheet name Excel would refuse is made safe (no / ? * [ ] : \\, at most 31 characters)", async () => {
    const files = unzipSync(
      new Uint8Array(await writeXlsx("Money: by stream / deployment [2026-27] and more", ["a"], [])),
    );
    const workbook = strFromU8(files["xl/workbook.xml"]!);
    const name = /<sheet [^>]*name="([^"]*)"/.exec(workbook)![1]!;
    expect(name.length).toBeLessThanOrEqual(31);
    expect(name).not.toMatch(/[\\/?*[\]:]/);
  });
});
