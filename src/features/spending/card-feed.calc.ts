import { parsePoundsText } from "#/platform/money/parse.ts";
import { type Pence, pence } from "#/platform/money/pence.ts";
import { countOf } from "#/platform/words.calc.ts";
import { isCalendarDate } from "#/rules/index.ts";
import { BLOCKED_GROUP_LABELS, type BlockedGroup, type SpendingRules } from "#/rules/spending-types.ts";

/**
 * A prepaid-card transaction feed, normalised: rows already split into fields (card-feed-layouts.calc.ts reads the
 * CSV text) in, one list of transactions in integer pence out, or every problem with its row number. Pure.
 *
 * - The whole file is refused if any row is bad (Upfront issue 6: "a file with bad rows is refused whole, with
 *   row numbers and reasons"), so a file is either all in or all out and can be fixed in one go.
 * - Amounts are read from the decimal text ("12.50", "£1,234.56") digit by digit: never through a float.
 * - Each transaction gets an idempotency key made of the provider, the provider's transaction id and the stage
 *   (authorised, settled, reversed), so importing the same file twice adds nothing, while a later file that
 *   settles or reverses an earlier authorisation is a new event for the same transaction (`transactionKey`),
 *   which the ledger's two-phase transfers (pending → posted or voided) follow.
 * - The same transaction id at the same stage twice in one file is refused as a duplicate.
 * - Each spend is put in a support category by its merchant category code (MCC), and flagged where the code is
 *   one the council blocks (pubs, off-licences, gambling, dating, tobacco, pawnbrokers) or is a cash withdrawal
 *   the council does not permit. Flags are for a person to look at: the money has already moved.
 */

export const CARD_TRANSACTION_TYPES = ["purchase", "refund", "load", "atm_cash", "fee"] as const;
export type CardTransactionType = (typeof CARD_TRANSACTION_TYPES)[number];

export const CARD_TRANSACTION_STATUSES = ["authorised", "settled", "reversed"] as const;
export type CardTransactionStatus = (typeof CARD_TRANSACTION_STATUSES)[number];

/** Money out of the card for purchases, cash and fees; money in for refunds and loads. */
export const DIRECTION_OF: Record<CardTransactionType, "out" | "in"> = {
  purchase: "out",
  atm_cash: "out",
  fee: "out",
  refund: "in",
  load: "in",
};

/** What a value in the layout's type column means; "ignore" for rows that moved no money (a declined card). */
export type TypeMeaning =
  | { readonly type: CardTransactionType; readonly status?: CardTransactionStatus }
  | { readonly ignore: string };

/** How one provider writes its feed: the column names and what their values mean. Data, not code. */
export type CardFeedLayout = {
  readonly id: string;
  /** The provider named in idempotency keys, e.g. "upfront" or "crosscard". */
  readonly provider: string;
  readonly label: string;
  /** Where the layout comes from, in words (documented, or "modelled on"). */
  readonly basis: string;
  /** Header names, matched without regard to case and surrounding spaces. */
  readonly columns: {
    readonly cardId: string;
    readonly transactionId: string;
    readonly dateTime: string;
    readonly type: string;
    /** Absent when the type column also says the stage (see `types`). */
    readonly status?: string;
    readonly amount: string;
    readonly merchantName: string;
    readonly mcc: string;
    readonly currency?: string;
  };
  /** Lower-cased type column value → meaning. */
  readonly types: Readonly<Record<string, TypeMeaning>>;
  /** Lower-cased status column value → status (when there is a status column). */
  readonly statuses?: Readonly<Record<string, CardTransactionStatus>>;
  /**
   * "unsigned": the amount must be written without a sign (the type says the direction);
   * "either": the provider signs amounts its own way, so the sign is ignored and the type says the direction.
   */
  readonly amountSign: "unsigned" | "either";
  readonly dateFormats: readonly ("iso" | "uk")[];
};

export type FeedRecord = { readonly row: number; readonly fields: readonly string[] };

export type CardFeedProblem = { readonly row: number; readonly column?: string; readonly message: string };

export type CardFlag =
  | { readonly code: "blocked_merchant"; readonly group: BlockedGroup; readonly message: string }
  | { readonly code: "cash_withdrawal"; readonly message: string };

export type CardTransaction = {
  /** The row of the file it came from (the header is row 1). */
  readonly row: number;
  readonly provider: string;
  readonly cardId: string;
  readonly transactionId: string;
  /** provider + transaction id: the same for every stage of one transaction. */
  readonly transactionKey: string;
  /** provider + transaction id + stage: the same event imported twice has the same key. */
  readonly idempotencyKey: string;
  readonly date: string;
  /** HH:MM:SS as the provider wrote it, or null when the feed gives only a date. */
  readonly time: string | null;
  readonly type: CardTransactionType;
  readonly status: CardTransactionStatus;
  readonly direction: "out" | "in";
  /** Always positive; see `signedPence`. */
  readonly amountPence: Pence;
  /** Money out negative, money in positive. */
  readonly signedPence: Pence;
  readonly merchantName: string;
  readonly mcc: string | null;
  /** A support category id, or null when the MCC maps to none (a person categorises it). */
  readonly category: string | null;
  readonly flags: readonly CardFlag[];
};

export type CardFeedOptions = {
  readonly rules: SpendingRules;
  /** Whether the council permits cash withdrawals on this card (a council and person setting). */
  readonly cashWithdrawalsPermitted: boolean;
  /** The provider name in keys; defaults to the layout's. */
  readonly provider?: string;
  readonly maxRows?: number;
};

export type CardFeedResult =
  | {
      readonly ok: true;
      readonly transactions: readonly CardTransaction[];
      /** Rows that moved no money (declined, zero amount), with why: reported, not imported. */
      readonly ignored: readonly { row: number; reason: string }[];
    }
  | { readonly ok: false; readonly problems: readonly CardFeedProblem[] };

export const DEFAULT_MAX_FEED_ROWS = 200_000;
/** £1,000,000 in one card transaction is far beyond any real one: a misplaced decimal point. */
const MAX_TRANSACTION_PENCE = 100_000_000;

// ---------------------------------------------------------------------------------------------------------------
// Amounts and dates

/** A date (and maybe time) in ISO 8601 (2025-04-01T09:30:00, zone ignored) or UK style (01/04/2025 9:30). */
export function parseFeedDateTime(
  text: string,
  formats: readonly ("iso" | "uk")[],
): { date: string; time: string | null } | undefined {
  const t = text.trim();
  const iso =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(t);
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:,? (\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(t);
  let parts: { y: string; mo: string; d: string; h?: string; mi?: string; s?: string } | undefined;
  if (iso && formats.includes("iso"))
    parts = { y: iso[1]!, mo: iso[2]!, d: iso[3]!, h: iso[4], mi: iso[5], s: iso[6] };
  else if (uk && formats.includes("uk")) {
    parts = {
      y: uk[3]!,
      mo: uk[2]!.padStart(2, "0"),
      d: uk[1]!.padStart(2, "0"),
      h: uk[4],
      mi: uk[5],
      s: uk[6],
    };
  }
  if (!parts) return undefined;
  const { y, mo, d, h, mi, s } = parts;
  const date = `${y}-${mo}-${d}`;
  if (!isCalendarDate(date)) return undefined;
  if (h === undefined) return { date, time: null };
  if (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) return undefined;
  return { date, time: `${h.padStart(2, "0")}:${mi}:${s ?? "00"}` };
}

/** True for 13 to 19 digits that pass the Luhn check: a full card number, which must never be stored. */
export function looksLikeCardNumber(value: string): boolean {
  const digits = value.replace(/[\s-]/g, "");
  if (!/^\d{13,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let n = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
  }
  return sum % 10 === 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Categories and flags

/** The support category the council's mapping gives an MCC, or null (blocked and cash codes are never mapped). */
export function categoryForMcc(mcc: string | null, rules: SpendingRules): string | null {
  if (mcc === null) return null;
  if (rules.blockedMerchantCategories.some((b) => b.mcc === mcc)) return null;
  if (rules.cashWithdrawalMccs.includes(mcc)) return null;
  // Four-digit codes compare correctly as strings.
  return rules.categoryByMcc.find((m) => m.from <= mcc && mcc <= m.to)?.category ?? null;
}

export function flagsFor(
  type: CardTransactionType,
  mcc: string | null,
  options: Pick<CardFeedOptions, "rules" | "cashWithdrawalsPermitted">,
): CardFlag[] {
  const flags: CardFlag[] = [];
  // Only money going out to a merchant is a concern; a refund from one is not.
  if (mcc !== null && (type === "purchase" || type === "atm_cash")) {
    const blocked = options.rules.blockedMerchantCategories.find((b) => b.mcc === mcc);
    if (blocked) {
      flags.push({
        code: "blocked_merchant",
        group: blocked.group,
        message: `Spent at a merchant the council blocks (${BLOCKED_GROUP_LABELS[blocked.group]}, code ${mcc}): check what it was for`,
      });
    }
  }
  if (type === "atm_cash" && !options.cashWithdrawalsPermitted) {
    flags.push({
      code: "cash_withdrawal",
      message: "Cash taken out, and this card's agreement does not permit cash: ask what it was for",
    });
  }
  return flags;
}

// ---------------------------------------------------------------------------------------------------------------
// The feed

const norm = (s: string) => s.trim().toLowerCase();

/** One line per problem, "Row 5, amount: …", for the CLI and error summaries. */
export function describeFeedProblem(p: CardFeedProblem): string {
  return `Row ${p.row}${p.column ? `, ${p.column}` : ""}: ${p.message}`;
}

type ColumnKey = keyof CardFeedLayout["columns"];

/** Where each column the layout needs is in the header (once each), or what is wrong with the header. */
function columnIndex(
  header: FeedRecord,
  layout: CardFeedLayout,
): { index: Record<ColumnKey, number> } | { problems: CardFeedProblem[] } {
  const names = header.fields.map(norm);
  const problems: CardFeedProblem[] = [];
  const index = {} as Record<ColumnKey, number>;
  for (const [key, name] of Object.entries(layout.columns) as [ColumnKey, string][]) {
    const at = names.indexOf(norm(name));
    if (at < 0) {
      problems.push({
        row: 1,
        message: `The column "${name}" is missing: the ${layout.label} layout needs it (see docs/card-feed.md)`,
      });
    } else if (names.indexOf(norm(name), at + 1) >= 0) {
      problems.push({ row: 1, message: `The column "${name}" appears twice: keep one` });
    } else index[key] = at;
  }
  return problems.length > 0 ? { problems } : { index };
}

/** Why the rows under the header cannot be taken at all (too many, or none), or null. */
function bodyProblem(rows: number, maxRows: number): CardFeedProblem | null {
  if (rows > maxRows) {
    return {
      row: 1,
      message: `The file has ${rows} transactions: split it into files of at most ${maxRows}`,
    };
  }
  if (rows === 0) return { row: 2, message: "The file has no transactions under its header row" };
  return null;
}

/** One row's cells by the layout's column keys, and where its problems are written down. */
type RowReader = {
  readonly cell: (key: ColumnKey) => string;
  readonly bad: (column: string, message: string) => void;
  readonly layout: CardFeedLayout;
};

/** The row's type and stage (from the type column, or a status column where the layout has one). */
function readStage(r: RowReader, meaning: TypeMeaning | undefined): CardTransactionStatus | undefined {
  const { layout, cell, bad } = r;
  const col = layout.columns;
  const typeText = cell("type");
  if (!meaning) {
    bad(
      col.type,
      typeText === ""
        ? `is empty: write one of ${Object.keys(layout.types).join(", ")}`
        : `"${typeText}" is not a type this layout knows: use one of ${Object.keys(layout.types).join(", ")}`,
    );
  }
  let status: CardTransactionStatus | undefined = meaning && "type" in meaning ? meaning.status : undefined;
  if (col.status !== undefined) {
    const statusText = cell("status");
    const fromColumn = layout.statuses?.[norm(statusText)];
    if (!fromColumn) {
      bad(
        col.status,
        `${statusText === "" ? "is empty" : `"${statusText}" is not a status this layout knows`}: use one of ${Object.keys(layout.statuses ?? {}).join(", ")}`,
      );
    }
    status = fromColumn;
  }
  return status;
}

/** The card's reference (never a full card number) and the provider's transaction id. */
function readIds(r: RowReader): { cardId: string; transactionId: string } {
  const { cell, bad } = r;
  const col = r.layout.columns;
  const cardId = cell("cardId");
  if (cardId === "") bad(col.cardId, "is empty: give the card's reference or token");
  else if (looksLikeCardNumber(cardId)) {
    bad(
      col.cardId,
      "looks like a full card number: use the card's reference or token; never send the long number",
    );
  } else if (cardId.length > 64) bad(col.cardId, "is longer than 64 characters: is it the card's reference?");

  const transactionId = cell("transactionId");
  if (transactionId === "") bad(col.transactionId, "is empty: every transaction needs the provider's id");
  else if (transactionId.length > 100 || /[\p{Cc}]/u.test(transactionId)) {
    bad(col.transactionId, "must be at most 100 characters with no control characters");
  }
  return { cardId, transactionId };
}

/** When, and how much: a real date and time, and pounds and pence written the layout's way. */
function readWhenAndAmount(r: RowReader) {
  const { cell, bad, layout } = r;
  const col = layout.columns;
  const when = parseFeedDateTime(cell("dateTime"), layout.dateFormats);
  if (!when) {
    const examples = layout.dateFormats
      .map((f) => (f === "iso" ? "2025-04-01T09:30:00" : "01/04/2025 09:30"))
      .join(" or ");
    bad(col.dateTime, `"${cell("dateTime")}" is not a real date and time: write it like ${examples}`);
  }

  const amountText = cell("amount");
  const amount = parsePoundsText(amountText);
  if (!amount) {
    bad(col.amount, `"${amountText}" is not an amount of money: write pounds and pence, like 12.50`);
  } else if (amount.negative && layout.amountSign === "unsigned") {
    bad(
      col.amount,
      "has a minus sign: write the amount without one; the type says whether money went out or came in",
    );
  } else if (amount.pence > MAX_TRANSACTION_PENCE) {
    bad(col.amount, `"${amountText}" is more than £1,000,000: check the decimal point`);
  }
  return { when, amount };
}

/** The merchant: its category code (needed for a purchase or refund), its name, and pounds sterling only. */
function readMerchant(r: RowReader, meaning: TypeMeaning | undefined) {
  const { cell, bad } = r;
  const col = r.layout.columns;
  const mccText = cell("mcc");
  let mcc: string | null = null;
  if (mccText !== "") {
    if (/^\d{1,4}$/.test(mccText)) mcc = mccText.padStart(4, "0");
    else bad(col.mcc, `"${mccText}" is not a merchant category code: it is 4 digits, like 5411`);
  } else if (meaning && "type" in meaning && (meaning.type === "purchase" || meaning.type === "refund")) {
    bad(col.mcc, "is empty: a purchase or refund needs the merchant category code (4 digits)");
  }

  const merchantName = cell("merchantName");
  if (merchantName.length > 200) bad(col.merchantName, "is longer than 200 characters");

  if (col.currency !== undefined) {
    const currency = norm(cell("currency"));
    if (currency !== "gbp" && currency !== "826") {
      bad(
        col.currency,
        `"${cell("currency")}" is not pounds sterling: only GBP (or 826) transactions can be imported`,
      );
    }
  }
  return { mcc, merchantName };
}

/** A row read: a transaction (without its keys checked against the rest of the file), ignored, or its problems. */
type RowOutcome =
  | { readonly kind: "transaction"; readonly transaction: CardTransaction }
  | { readonly kind: "ignored"; readonly reason: string }
  | { readonly kind: "problems"; readonly problems: readonly CardFeedProblem[] };

function readRow(
  record: FeedRecord,
  header: FeedRecord,
  index: Record<ColumnKey, number>,
  layout: CardFeedLayout,
  options: CardFeedOptions & { provider: string },
): RowOutcome {
  const { row } = record;
  if (record.fields.length !== header.fields.length) {
    const message = `has ${countOf(record.fields.length, "value")} but the header has ${countOf(header.fields.length, "column")}: check for a missing or extra comma, or a value with a comma that is not in double quotes`;
    return { kind: "problems", problems: [{ row, message }] };
  }
  const rowProblems: CardFeedProblem[] = [];
  const r: RowReader = {
    layout,
    cell: (key) => {
      const at = index[key];
      return at === undefined ? "" : (record.fields[at] ?? "").trim();
    },
    bad: (column, message) => rowProblems.push({ row, column, message }),
  };

  // Type and stage first: a declined card moved no money, so the rest of its row is not checked.
  const meaning = layout.types[norm(r.cell("type"))];
  if (meaning && "ignore" in meaning) return { kind: "ignored", reason: meaning.ignore };
  const status = readStage(r, meaning);
  const { cardId, transactionId } = readIds(r);
  const { when, amount } = readWhenAndAmount(r);
  const { mcc, merchantName } = readMerchant(r, meaning);

  if (rowProblems.length > 0 || !meaning || !("type" in meaning) || !status || !when || !amount) {
    return { kind: "problems", problems: rowProblems };
  }
  if (amount.pence === 0) return { kind: "ignored", reason: "the amount is £0.00, so no money moved" };

  // A purchase at a cash machine is a cash withdrawal, whatever the provider calls it.
  const type: CardTransactionType =
    meaning.type === "purchase" && mcc !== null && options.rules.cashWithdrawalMccs.includes(mcc)
      ? "atm_cash"
      : meaning.type;
  const transactionKey = `card:${options.provider}:${transactionId}`;
  const direction = DIRECTION_OF[type];
  return {
    kind: "transaction",
    transaction: {
      row,
      provider: options.provider,
      cardId,
      transactionId,
      transactionKey,
      idempotencyKey: `${transactionKey}:${status}`,
      date: when.date,
      time: when.time,
      type,
      status,
      direction,
      amountPence: amount.pence,
      signedPence: pence(direction === "out" ? -amount.pence : amount.pence),
      merchantName,
      mcc,
      category: type === "purchase" || type === "refund" ? categoryForMcc(mcc, options.rules) : null,
      flags: flagsFor(type, mcc, options),
    },
  };
}

export function normaliseCardFeed(
  records: readonly FeedRecord[],
  layout: CardFeedLayout,
  options: CardFeedOptions,
): CardFeedResult {
  const provider = options.provider ?? layout.provider;
  const header = records[0];
  if (!header || header.fields.every((f) => f.trim() === "")) {
    return {
      ok: false,
      problems: [{ row: 1, message: "The file is empty: the first row must name the columns" }],
    };
  }
  const columns = columnIndex(header, layout);
  if ("problems" in columns) return { ok: false, problems: columns.problems };

  const body = records.slice(1).filter((r) => !r.fields.every((f) => f.trim() === ""));
  const tooMany = bodyProblem(body.length, options.maxRows ?? DEFAULT_MAX_FEED_ROWS);
  if (tooMany) return { ok: false, problems: [tooMany] };

  const problems: CardFeedProblem[] = [];
  const transactions: CardTransaction[] = [];
  const ignored: { row: number; reason: string }[] = [];
  const seen = new Map<string, number>(); // idempotency key → row
  for (const record of body) {
    const outcome = readRow(record, header, columns.index, layout, { ...options, provider });
    if (outcome.kind === "ignored") ignored.push({ row: record.row, reason: outcome.reason });
    else if (outcome.kind === "problems") problems.push(...outcome.problems);
    else {
      const t = outcome.transaction;
      const earlier = seen.get(t.idempotencyKey);
      if (earlier !== undefined) {
        problems.push({
          row: t.row,
          column: layout.columns.transactionId,
          message: `"${t.transactionId}" (${t.status}) is also on row ${earlier}: remove the repeated row`,
        });
        continue;
      }
      seen.set(t.idempotencyKey, t.row);
      transactions.push(t);
    }
  }

  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, transactions, ignored };
}
