/**
 * Reading CSV as RFC 4180 describes it: the one reader (writing is write.ts).
 *
 * Read by hand rather than with csv-parse: csv-parse stops at (or, skipping, loses its place after) the first
 * broken quote, but a person fixing a file needs every bad row named, in the row numbers their spreadsheet
 * shows, while the rest is still read.
 *
 * Fields are separated by commas and records by CRLF or LF; a field may be quoted with double quotes,
 * and then may hold commas, line breaks and doubled quotes (""). A UTF-8 byte order mark at the start (Excel
 * writes one) is dropped. Records are numbered from 1 as a spreadsheet numbers its rows (a quoted field that
 * spans lines is still one row), so a message can say "row 7" and mean what the person sees.
 *
 */

export type CsvRecord = {
  /** Row number, counting the header (if any) as row 1. */
  row: number;
  fields: string[];
};

export type CsvReadProblem = { row: number; message: string };

export type CsvReadResult = { records: CsvRecord[]; problems: CsvReadProblem[] };

/** Splits text into records. Problems (a stray or unclosed quote) are reported per row, not thrown. */
export function readCsv(text: string): CsvReadResult {
  const input = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  const problems: CsvReadProblem[] = [];
  let fields: string[] = [];
  let field = "";
  let row = 1;
  let i = 0;
  let quoted = false; // inside a quoted field
  let wasQuoted = false; // the current field started with a quote and it has closed
  let rowProblem: string | undefined;

  const endField = () => {
    fields.push(field);
    field = "";
    wasQuoted = false;
  };
  const endRecord = () => {
    endField();
    if (rowProblem) problems.push({ row, message: rowProblem });
    records.push({ row, fields });
    fields = [];
    rowProblem = undefined;
    row++;
  };

  while (i < input.length) {
    const c = input[i]!;
    if (quoted) {
      if (c === '"') {
        if (input[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        wasQuoted = true;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === ",") {
      endField();
      i++;
    } else if (c === "\r" && input[i + 1] === "\n") {
      endRecord();
      i += 2;
    } else if (c === "\n" || c === "\r") {
      endRecord();
      i++;
    } else if (c === '"') {
      if (field === "" && !wasQuoted) quoted = true;
      else {
        rowProblem ??=
          'has a double quote (") inside a value that does not start with one: put the whole value in double quotes and double the quote inside it ("")';
        field += c;
      }
      i++;
    } else {
      if (wasQuoted) {
        rowProblem ??= "has text after a closing double quote: check the quotes in this row";
      }
      field += c;
      i++;
    }
  }
  if (quoted) {
    rowProblem = "has a double quote that is never closed, so the rest of the file is one value";
  }
  // A last record without a line break after it still counts; a file that ends with one does not get an empty row.
  if (field !== "" || fields.length > 0 || wasQuoted || rowProblem) endRecord();
  return { records, problems };
}

/** True when every field of the record is empty (a spreadsheet's blank line): such rows are skipped. */
export function isBlankRecord(record: CsvRecord): boolean {
  return record.fields.every((f) => f.trim() === "");
}
