import writeXlsxFile, { type SheetData } from "write-excel-file/node";

/**
 * Writing a spreadsheet (.xlsx) with write-excel-file: one sheet, a bold header row, then one row per record;
 * the same rows as the CSV beside it (platform/csv/write.ts), so both downloads hold the same figures. Text is
 * written as text (never as a formula), numbers as numbers, and an empty cell for null.
 */

export type XlsxCell = string | number | boolean | null | undefined;

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** Excel's limit on a sheet name, and the characters it refuses in one. */
const SHEET_NAME_MAX = 31;
const SHEET_NAME_BAD = /[\\/?*[\]:]/g;

export async function writeXlsx(
  sheetName: string,
  header: readonly string[],
  rows: readonly (readonly XlsxCell[])[],
): Promise<Buffer> {
  const data: SheetData = [
    header.map((value) => ({ value, fontWeight: "bold" as const })),
    ...rows.map((row) =>
      row.map((value) =>
        value === null || value === undefined
          ? null
          : typeof value === "number" && !Number.isFinite(value)
            ? null
            : {
                value,
                type: typeof value === "number" ? Number : typeof value === "boolean" ? Boolean : String,
              },
      ),
    ),
  ];
  const sheet = sheetName.replace(SHEET_NAME_BAD, " ").slice(0, SHEET_NAME_MAX) || "Sheet1";
  return writeXlsxFile(data, { sheet }).toBuffer();
}
