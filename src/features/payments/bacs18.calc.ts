import {
  BACS_CALENDAR,
  bacsJulianDate,
  isBankingDay,
  PayDateError,
} from "#/features/payments/pay-dates.calc.ts";
import type { Pence } from "#/platform/money/pence.ts";
import {
  BACS_CHARACTERS,
  BACS18_TRANSACTION_CODES,
  bacs18Rules,
  EOF1,
  EOF2,
  HDR1,
  HDR2,
  type RecordSpec,
  STANDARD,
  UHL1,
  UTL1,
  VOL1,
} from "#/rules/registry.ts";

/**
 * A Bacs Standard 18 direct-credit file for one processing day: VOL1, HDR1, HDR2, UHL1, one standard record
 * (code 99) per payment, one contra (code 17) debiting the council's account with the total, EOF1, EOF2, UTL1.
 * The layout and its sources are in rules/uk/bacs18-layout.ts. Pure: every date is an input.
 *
 * Everything is checked before anything is written, and every problem is reported at once, naming the payment:
 * sort codes are 6 digits (hyphens allowed in the input), account numbers 8 digits, amounts whole pence above zero
 * and within Bacs's item limit, references 1–18 characters of the Bacs set. Account names are put in capitals,
 * accents and apostrophes are dropped ("O'Brien" → "OBRIEN", "Zoë" → "ZOE") and the result cut to the field's 18
 * characters, as banks do; any other character outside the Bacs set is refused rather than silently changed.
 */

export type BacsOriginator = {
  /** The council's Bacs service user number (SUN), 6 digits. */
  readonly serviceUserNumber: string;
  readonly sortCode: string;
  readonly accountNumber: string;
  readonly accountName: string;
};

export type BacsCredit = {
  /** Named in messages, so finance can find the payment. */
  readonly paymentId: string;
  readonly accountName: string;
  readonly sortCode: string;
  readonly accountNumber: string;
  readonly amount: Pence;
  /** Shown on the payee's statement. */
  readonly reference: string;
};

export type BacsFileInput = {
  readonly originator: BacsOriginator;
  readonly credits: readonly BacsCredit[];
  /** Day 2 of the Bacs cycle (pay-dates.calc.ts bacsCycleForDueDate), YYYY-MM-DD. */
  readonly processingDay: string;
  /** The day the file is made (an input, never the clock). */
  readonly creationDate: string;
  /** HDR1 expiration date; the creation date when not given. */
  readonly expirationDate?: string;
  /** VOL1 serial number and HDR1 set identification: 6 of A–Z 0–9, different for each file sent. */
  readonly volumeSerialNumber: string;
  /** UHL1 file number for the processing day, 1–999. */
  readonly fileNumber?: number;
  /** The contra's narrative on the council's statement, e.g. the payment run's reference. */
  readonly contraNarrative: string;
};

export type BacsProblem = {
  /** The payment the problem is in; absent for the file's own details. */
  readonly paymentId?: string;
  readonly field: string;
  readonly message: string;
};

export class BacsFileError extends Error {
  override name = "BacsFileError";
  readonly problems: readonly BacsProblem[];
  constructor(problems: readonly BacsProblem[]) {
    super(`The Bacs file cannot be made: ${problems.map((p) => p.message).join("; ")}`);
    this.problems = problems;
  }
}

export type BacsFile = {
  /** The file's text, records separated (and ended) by CR LF. */
  readonly text: string;
  readonly records: readonly string[];
  readonly creditCount: number;
  readonly creditTotal: Pence;
  readonly debitCount: number;
  readonly debitTotal: Pence;
};

/** Lays values into a record by its spec; every value must already be exactly its field's length. */
export function layRecord(spec: RecordSpec, values: Readonly<Record<string, string>>): string {
  let line = "";
  for (const field of spec.fields) {
    if (line.length !== field.start - 1)
      throw new Error(`${spec.kind} layout: ${field.name} does not follow on`);
    const value = values[field.name] ?? " ".repeat(field.length);
    if (value.length !== field.length)
      throw new Error(`${spec.kind}.${field.name} must be ${field.length} characters, got ${value.length}`);
    line += value;
  }
  if (line.length !== spec.length) throw new Error(`${spec.kind} must be ${spec.length} characters`);
  return line;
}

const digits = (n: number, width: number) => String(n).padStart(width, "0");
const spaces = (n: number) => " ".repeat(n);

/** Capitals, no accents, no apostrophes; what is left must be in the Bacs set (checked by the caller). */
export function bacsName(name: string): string {
  return name
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/['’‘`]/g, "")
    .toUpperCase()
    .replace(/\s+/g, " ")
    .trim();
}

function sortCodeOf(input: string): string | undefined {
  const compact = input.replace(/[-\s]/g, "");
  return /^\d{6}$/.test(compact) && /^(\d{6}|\d{2}-\d{2}-\d{2}|\d{2} \d{2} \d{2})$/.test(input.trim())
    ? compact
    : undefined;
}

type Checked = { sortCode: string; accountNumber: string; name: string };

function checkAccount(
  who: { sortCode: string; accountNumber: string; accountName: string },
  describe: string,
  paymentId: string | undefined,
  problems: BacsProblem[],
): Checked {
  const sortCode = sortCodeOf(who.sortCode);
  if (!sortCode)
    problems.push({
      paymentId,
      field: "sortCode",
      message: `${describe}: the sort code must be 6 digits, like 12-34-56, got "${who.sortCode}"`,
    });
  if (!/^\d{8}$/.test(who.accountNumber))
    problems.push({
      paymentId,
      field: "accountNumber",
      message: `${describe}: the account number must be 8 digits (ask the bank for the 8-digit form of a shorter one), got "${who.accountNumber}"`,
    });
  const name = bacsName(who.accountName);
  if (name.length === 0)
    problems.push({ paymentId, field: "accountName", message: `${describe}: give the name on the account` });
  else if (!BACS_CHARACTERS.test(name)) {
    const bad = [...new Set([...name].filter((c) => !BACS_CHARACTERS.test(c)))].join(" ");
    problems.push({
      paymentId,
      field: "accountName",
      message: `${describe}: the account name may only use letters, digits, spaces and . & / - (remove ${bad})`,
    });
  }
  return {
    sortCode: sortCode ?? "000000",
    accountNumber: who.accountNumber,
    name: name.slice(0, 18).trimEnd(),
  };
}

function checkText(
  text: string,
  field: string,
  label: string,
  describe: string,
  paymentId: string | undefined,
  problems: BacsProblem[],
): string {
  const value = text.trim().toUpperCase();
  if (!/[A-Z0-9]/.test(value))
    problems.push({
      paymentId,
      field,
      message: `${describe}: give a ${label} with at least one letter or digit`,
    });
  else if (value.length > 18)
    problems.push({ paymentId, field, message: `${describe}: the ${label} must be 18 characters or fewer` });
  else if (!BACS_CHARACTERS.test(value))
    problems.push({
      paymentId,
      field,
      message: `${describe}: the ${label} may only use letters, digits, spaces and . & / -`,
    });
  return value;
}

function checkDate(date: string, field: string, label: string, problems: BacsProblem[]): boolean {
  try {
    bacsJulianDate(date);
    return true;
  } catch (error) {
    if (!(error instanceof PayDateError)) throw error;
    problems.push({ field, message: `The ${label} must be a real date written YYYY-MM-DD, got "${date}"` });
    return false;
  }
}

/** The file's own fields (the council's account, narrative, serial and file numbers, dates), checked. */
function checkFileFields(input: BacsFileInput, problems: BacsProblem[]) {
  const o = input.originator;
  if (!/^\d{6}$/.test(o.serviceUserNumber))
    problems.push({
      field: "serviceUserNumber",
      message: `The council's Bacs service user number must be 6 digits, got "${o.serviceUserNumber}"`,
    });
  const council = checkAccount(o, "The council's account", undefined, problems);
  const narrative = checkText(
    input.contraNarrative,
    "contraNarrative",
    "narrative",
    "The contra",
    undefined,
    problems,
  );
  if (!/^[A-Z0-9]{6}$/.test(input.volumeSerialNumber))
    problems.push({
      field: "volumeSerialNumber",
      message: `The file's serial number must be 6 capital letters or digits, got "${input.volumeSerialNumber}"`,
    });
  const fileNumber = input.fileNumber ?? 1;
  if (!Number.isInteger(fileNumber) || fileNumber < 1 || fileNumber > 999)
    problems.push({ field: "fileNumber", message: `The file number must be 1 to 999, got ${fileNumber}` });

  const expirationDate = input.expirationDate ?? input.creationDate;
  const datesOk = [
    checkDate(input.processingDay, "processingDay", "processing day", problems),
    checkDate(input.creationDate, "creationDate", "creation date", problems),
    checkDate(expirationDate, "expirationDate", "expiration date", problems),
  ].every(Boolean);
  if (datesOk) {
    if (!isBankingDay(input.processingDay, BACS_CALENDAR))
      problems.push({
        field: "processingDay",
        message: `The processing day ${input.processingDay} is a weekend or bank holiday, when Bacs does not process`,
      });
    if (input.creationDate > input.processingDay)
      problems.push({
        field: "creationDate",
        message: "The file must be made on or before its processing day",
      });
    if (expirationDate < input.creationDate)
      problems.push({
        field: "expirationDate",
        message: "The expiration date cannot be before the creation date",
      });
  }
  return { council, narrative, fileNumber, expirationDate };
}

/** Each payment checked (and the count first: refused outright when UTL1's count field cannot hold them). */
function checkCredits(input: BacsFileInput, problems: BacsProblem[]) {
  if (input.credits.length === 0)
    problems.push({ field: "credits", message: "There are no payments to put in the file" });
  if (input.credits.length > bacs18Rules.maxCreditsPerFile) {
    // Refused before looking at each payment: UTL1's count field cannot hold them.
    problems.push({
      field: "credits",
      message: `A file holds at most ${bacs18Rules.maxCreditsPerFile} payments; split the run into more files`,
    });
    throw new BacsFileError(problems);
  }

  const seen = new Set<string>();
  let creditTotal = 0;
  const checked: { payee: Checked; reference: string; amount: number }[] = [];
  for (const [index, credit] of input.credits.entries()) {
    const id = credit.paymentId;
    const describe = `Payment ${id} (row ${index + 1})`;
    if (seen.has(id))
      problems.push({ paymentId: id, field: "paymentId", message: `${describe} is in the file twice` });
    seen.add(id);
    const payee = checkAccount(credit, describe, id, problems);
    const reference = checkText(credit.reference, "reference", "reference", describe, id, problems);
    if (!Number.isSafeInteger(credit.amount) || credit.amount <= 0)
      problems.push({
        paymentId: id,
        field: "amount",
        message: `${describe}: the amount must be a whole number of pence above zero, got ${credit.amount}`,
      });
    else if (credit.amount > bacs18Rules.maxItemPence)
      problems.push({
        paymentId: id,
        field: "amount",
        message: `${describe}: ${credit.amount} pence is more than Bacs's limit for one payment (${bacs18Rules.maxItemPence} pence)`,
      });
    else creditTotal += credit.amount;
    checked.push({ payee, reference, amount: credit.amount });
  }
  if (creditTotal > bacs18Rules.maxAmountFieldPence)
    problems.push({
      field: "credits",
      message: `The payments add up to more than the contra can hold (${bacs18Rules.maxAmountFieldPence} pence); split the run into more files`,
    });
  return { checked, creditTotal };
}

type CheckedFile = ReturnType<typeof checkFileFields> & ReturnType<typeof checkCredits>;

/** The records of a file whose every field has been checked. */
function layFile(input: BacsFileInput, file: CheckedFile): string[] {
  const o = input.originator;
  const { council, narrative, fileNumber, expirationDate, checked, creditTotal } = file;
  const sun = o.serviceUserNumber;
  const serial = input.volumeSerialNumber;
  const processing = bacsJulianDate(input.processingDay);
  const fileLabel1 = {
    fileIdentifier: `A${sun}S  1${sun}`,
    setIdentification: serial,
    fileSectionNumber: "0001",
    fileSequenceNumber: "0001",
    generationNumber: spaces(4),
    generationVersionNumber: spaces(2),
    creationDate: bacsJulianDate(input.creationDate),
    expirationDate: bacsJulianDate(expirationDate),
    accessibilityIndicator: " ",
    blockCount: "000000",
  };
  const fileLabel2 = { recordFormat: "F", blockLength: "02000", recordLength: "00100", bufferOffset: "00" };

  const lines = checked.map(({ payee, reference, amount }) =>
    layRecord(STANDARD, {
      destinationSortCode: payee.sortCode,
      destinationAccountNumber: payee.accountNumber,
      destinationAccountType: "0",
      transactionCode: BACS18_TRANSACTION_CODES.directCredit,
      originatingSortCode: council.sortCode,
      originatingAccountNumber: council.accountNumber,
      freeFormat: spaces(4),
      amount: digits(amount, 11),
      serviceUserName: council.name.padEnd(18),
      serviceUserReference: reference.padEnd(18),
      destinationAccountName: payee.name.padEnd(18),
    }),
  );
  const contra = layRecord(STANDARD, {
    destinationSortCode: council.sortCode,
    destinationAccountNumber: o.accountNumber,
    destinationAccountType: "0",
    transactionCode: BACS18_TRANSACTION_CODES.debitContra,
    originatingSortCode: council.sortCode,
    originatingAccountNumber: o.accountNumber,
    freeFormat: spaces(4),
    amount: digits(creditTotal, 11),
    serviceUserName: narrative.padEnd(18),
    serviceUserReference: "CONTRA".padEnd(18),
    destinationAccountName: council.name.padEnd(18),
  });

  const records = [
    layRecord(VOL1, {
      labelIdentifier: "VOL",
      labelNumber: "1",
      volumeSerialNumber: serial,
      ownerIdentification: `${spaces(4)}${sun}${spaces(4)}`,
      labelStandardLevel: "1",
    }),
    layRecord(HDR1, { labelIdentifier: "HDR", labelNumber: "1", ...fileLabel1 }),
    layRecord(HDR2, { labelIdentifier: "HDR", labelNumber: "2", ...fileLabel2 }),
    layRecord(UHL1, {
      labelIdentifier: "UHL",
      labelNumber: "1",
      processingDay: processing,
      receivingPartyIdentification: bacs18Rules.receivingPartyIdentification,
      currencyCode: "00",
      countryCode: "000000",
      workCode: bacs18Rules.workCodeSingleDay,
      fileNumber: digits(fileNumber, 3),
    }),
    ...lines,
    contra,
    layRecord(EOF1, { labelIdentifier: "EOF", labelNumber: "1", ...fileLabel1 }),
    layRecord(EOF2, { labelIdentifier: "EOF", labelNumber: "2", ...fileLabel2 }),
    layRecord(UTL1, {
      labelIdentifier: "UTL",
      labelNumber: "1",
      debitValueTotal: digits(creditTotal, 13),
      creditValueTotal: digits(creditTotal, 13),
      debitItemCount: digits(1, 7),
      creditItemCount: digits(input.credits.length, 7),
    }),
  ];
  return records;
}

/** Makes the file, or throws BacsFileError listing every problem. */
export function bacs18DirectCreditFile(input: BacsFileInput): BacsFile {
  const problems: BacsProblem[] = [];
  const fields = checkFileFields(input, problems);
  const credits = checkCredits(input, problems);
  if (problems.length > 0) throw new BacsFileError(problems);
  const records = layFile(input, { ...fields, ...credits });
  const sep = bacs18Rules.recordSeparator;
  return {
    text: records.join(sep) + sep,
    records,
    creditCount: input.credits.length,
    creditTotal: credits.creditTotal as Pence,
    debitCount: 1,
    debitTotal: credits.creditTotal as Pence,
  };
}
