import type { SourceReference } from "#/rules/types.ts";

/**
 * Bacs Standard 18: the record layout of a direct-credit submission, as data. features/payments/bacs18.calc.ts
 * fills it in; a field's position and length live here only.
 *
 * Sources. Bacs publishes the full Standard 18 specification to service users and bureaux only, so this layout is
 * read from a bank's public message implementation guide and checked against an open-source writer:
 *  - HSBC, "Message Implementation Guide: BACS Standard 18", version August 2012 (VOL, HDR1, HDR2, UHL1, standard,
 *    contra, EOF1, EOF2 and UTL1 records, field by field);
 *  - the ISO/ANSI magnetic-tape label standard the VOL/HDR/EOF labels come from (ISO 1001 / ANSI X3.27: HDR1 set
 *    identification, section and sequence numbers, " YYDDD" dates, block count; EOF1/EOF2 repeat HDR1/HDR2);
 *  - Odoo's UK Bacs module (l10n_uk_bacs, account_journal.py), which writes the same layout for UK banks.
 * *check* before first live use: the service user's own bank or bureau may ask for particular values in the
 * fields marked "set by the bank" (owner id, HDR1 file identifier, UHL1 receiving party); send a test file first.
 *
 * A file for one processing day ("1 DAILY") has 80-character label records and 100-character data records (the
 * multi-day form adds a processing day at 101–106, which we do not write). Records end with CR LF.
 *
 * Direct credits: each payment is a standard record with transaction code 99 to the payee; one contra record with
 * code 17 debits the service user's (council's) own account with their total, so the file balances; UTL1 carries
 * the debit and credit value totals and item counts (the contra is the one debit item).
 */

export type FieldSpec = {
  readonly name: string;
  /** 1-based position of the first character, as specifications count. */
  readonly start: number;
  readonly length: number;
};

export type RecordSpec = {
  readonly kind: string;
  readonly length: 80 | 100;
  readonly fields: readonly FieldSpec[];
};

const f = (name: string, start: number, length: number): FieldSpec => ({ name, start, length });

export const VOL1: RecordSpec = {
  kind: "VOL1",
  length: 80,
  fields: [
    f("labelIdentifier", 1, 3), // "VOL"
    f("labelNumber", 4, 1), // "1"
    f("volumeSerialNumber", 5, 6), // chosen by the service user, A–Z 0–9
    f("accessibilityIndicator", 11, 1), // space
    f("reserved1", 12, 20),
    f("reserved2", 32, 6),
    f("ownerIdentification", 38, 14), // 4 spaces, the service user number, 4 spaces (set by the bank)
    f("reserved3", 52, 28),
    f("labelStandardLevel", 80, 1), // "1"
  ],
};

/** HDR1 and EOF1 share a layout; only the label identifier differs. */
const fileLabel1 = (identifier: "HDR1" | "EOF1"): RecordSpec => ({
  kind: identifier,
  length: 80,
  fields: [
    f("labelIdentifier", 1, 3), // "HDR" / "EOF"
    f("labelNumber", 4, 1), // "1"
    f("fileIdentifier", 5, 17), // "A", SUN, "S", 2 spaces, "1", SUN (set by the bank)
    f("setIdentification", 22, 6), // the VOL1 volume serial number
    f("fileSectionNumber", 28, 4), // "0001"
    f("fileSequenceNumber", 32, 4), // "0001"
    f("generationNumber", 36, 4), // spaces
    f("generationVersionNumber", 40, 2), // spaces
    f("creationDate", 42, 6), // " YYDDD"
    f("expirationDate", 48, 6), // " YYDDD"
    f("accessibilityIndicator", 54, 1), // space
    f("blockCount", 55, 6), // "000000"
    f("systemCode", 61, 13), // spaces
    f("reserved", 74, 7),
  ],
});
export const HDR1 = fileLabel1("HDR1");
export const EOF1 = fileLabel1("EOF1");

/** HDR2 and EOF2 share a layout. */
const fileLabel2 = (identifier: "HDR2" | "EOF2"): RecordSpec => ({
  kind: identifier,
  length: 80,
  fields: [
    f("labelIdentifier", 1, 3),
    f("labelNumber", 4, 1), // "2"
    f("recordFormat", 5, 1), // "F" (fixed length)
    f("blockLength", 6, 5), // "02000"
    f("recordLength", 11, 5), // "00100"
    f("reserved1", 16, 35),
    f("bufferOffset", 51, 2), // "00"
    f("reserved2", 53, 28),
  ],
});
export const HDR2 = fileLabel2("HDR2");
export const EOF2 = fileLabel2("EOF2");

export const UHL1: RecordSpec = {
  kind: "UHL1",
  length: 80,
  fields: [
    f("labelIdentifier", 1, 3), // "UHL"
    f("labelNumber", 4, 1), // "1"
    f("processingDay", 5, 6), // " YYDDD": day 2 of the Bacs cycle
    f("receivingPartyIdentification", 11, 10), // "999999" and 4 spaces (set by the bank)
    f("currencyCode", 21, 2), // "00" sterling
    f("countryCode", 23, 6), // "000000"
    f("workCode", 29, 9), // "1 DAILY  " (one processing day)
    f("fileNumber", 38, 3), // "001"–"999", the service user's file number for the day
    f("reserved1", 41, 7),
    f("auditPrintIdentifier", 48, 7), // spaces
    f("reserved2", 55, 26),
  ],
};

/** A payment (standard record) and the contra share one layout; the contra fills it from the council's side. */
export const STANDARD: RecordSpec = {
  kind: "standard",
  length: 100,
  fields: [
    f("destinationSortCode", 1, 6),
    f("destinationAccountNumber", 7, 8),
    f("destinationAccountType", 15, 1), // "0"
    f("transactionCode", 16, 2), // "99" credit; "17" on the contra
    f("originatingSortCode", 18, 6),
    f("originatingAccountNumber", 24, 8),
    f("freeFormat", 32, 4), // spaces (the real-time information checksum when a bureau adds one)
    f("amount", 36, 11), // pence, right-aligned, zero-filled
    f("serviceUserName", 47, 18), // contra: the service user's narrative
    f("serviceUserReference", 65, 18), // contra: "CONTRA"
    f("destinationAccountName", 83, 18), // contra: the service user's account name
  ],
};

export const UTL1: RecordSpec = {
  kind: "UTL1",
  length: 80,
  fields: [
    f("labelIdentifier", 1, 3), // "UTL"
    f("labelNumber", 4, 1), // "1"
    f("debitValueTotal", 5, 13), // pence, zero-filled
    f("creditValueTotal", 18, 13),
    f("debitItemCount", 31, 7),
    f("creditItemCount", 38, 7),
    f("reserved1", 45, 10),
    f("reserved2", 55, 26),
  ],
};

/**
 * The Bacs three-day cycle, as data: a file sent on the input day (day 1) is processed on day 2 and the money is in
 * the payee's account on the entry day (day 3), each a Bacs processing day. So the earliest pay date a payment run
 * can meet is this many Bacs processing days after the day its file is sent (today, or the next processing day);
 * features/payments/pay-dates.calc.ts earliestPayDate applies it, and a run for an earlier date is refused.
 */
export const bacsCycleRules = {
  id: "bacs-three-day-cycle",
  /** Processing days from the input day (day 1) to the entry day (day 3). */
  leadProcessingDays: 2,
  sources: [
    {
      title: "Pay.UK (Bacs), How Bacs works: the three-day processing cycle",
      url: "https://www.bacs.co.uk/services/bacs-services/direct-credit",
      note: "day 1 input, day 2 processing, day 3 entry (the money arrives); *check* the page address",
    },
    {
      title: "HSBC, Message Implementation Guide: BACS Standard 18 (version August 2012)",
      provision: "UHL1 processing day (day 2 of the cycle)",
      url: "https://vdocuments.us/message-implementation-guide-bacs-standard-18.html",
    },
  ] satisfies readonly SourceReference[],
} as const;

export const BACS18_TRANSACTION_CODES = { directCredit: "99", debitContra: "17" } as const;

/** Bacs's character set for names and references: capital letters, digits, full stop, ampersand, slash, hyphen, space. */
export const BACS_CHARACTERS = /^[A-Z0-9.&/\- ]*$/;

export const bacs18Rules = {
  id: "bacs-standard-18-direct-credit",
  recordSeparator: "\r\n",
  /** The most one amount field can hold (11 digits of pence), and Bacs's limit for one item. */
  maxAmountFieldPence: 99_999_999_999,
  /** Bacs's limit for a single item, £20 million (*check* against the current Bacs scheme rules). */
  maxItemPence: 2_000_000_000,
  /** UTL1's item counts are 7 digits; the contra is counted as the one debit. */
  maxCreditsPerFile: 9_999_999,
  maxTotalFieldPence: 9_999_999_999_999,
  receivingPartyIdentification: "999999    ",
  workCodeSingleDay: "1 DAILY  ",
  sources: [
    {
      title: "HSBC, Message Implementation Guide: BACS Standard 18 (version August 2012)",
      url: "https://vdocuments.us/message-implementation-guide-bacs-standard-18.html",
      note: "a bank's public guide to the Bacs Standard 18 layout; Bacs's own specification is for service users only",
    },
    {
      title: "Bacs Payment Schemes Ltd, Standard 18 file format (Bacs Service User Guide)",
      url: "https://www.bacs.co.uk/",
      note: "*check*: restricted to service users; confirm values the bank sets before first live use",
    },
    {
      title: "Odoo, l10n_uk_bacs (account_journal.py), cross-check of the same layout",
      url: "https://github.com/odoo/enterprise",
    },
  ] satisfies readonly SourceReference[],
} as const;
