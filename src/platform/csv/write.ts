import { stringify } from "csv-stringify/sync";

/**
 * Writing CSV (RFC 4180) with csv-stringify: a field is quoted when it holds a comma, a quote or a line break;
 * records end with CRLF. The one writer, so spreadsheet safety is done once, here: a text field that starts
 * with =, +, - or @ (or a tab or carriage return), unless it is a plain number, gets a leading apostrophe, so a
 * spreadsheet shows it as text rather than running it as a formula (OWASP "CSV injection").
 */

export type CsvCell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/** Text a spreadsheet will show as text: a would-be formula gets a leading apostrophe; a plain number ("-1500") does not. */
export const spreadsheetSafe = (text: string): string =>
  FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;

const OPTIONS = {
  record_delimiter: "\r\n",
  // A line break of either kind inside a value is quoted too (csv-stringify quotes only "\r\n" once it is set).
  quote_record_delimiter: true,
  cast: {
    string: spreadsheetSafe,
    number: (value: number) => (Number.isFinite(value) ? String(value) : ""),
    boolean: (value: boolean) => (value ? "yes" : "no"),
  },
} as const;

/** A whole CSV file: the header, then one line per row, CRLF line ends. */
export function writeCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return stringify([header, ...rows] as CsvCell[][], OPTIONS);
}

/** One value as writeCsv writes it: numbers as they are, text made safe for spreadsheets and quoted where needed. */
export function csvValue(value: CsvCell): string {
  return stringify([[value]], { ...OPTIONS, eof: false });
}
