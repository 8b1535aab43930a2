// The RFC 4180 reader the calibration import already uses: pure text → records, no I/O.

import {
  type CardFeedLayout,
  type CardFeedOptions,
  type CardFeedResult,
  normaliseCardFeed,
} from "#/features/spending/card-feed.calc.ts";
import { readCsv } from "#/platform/csv/read.ts";

/**
 * The card-feed layouts Upfront reads (docs/card-feed.md), and the one entry point from CSV text. Layouts are
 * data: a new provider is a new entry here, not new code.
 */

/** Upfront's own layout: one transaction per row, documented column by column in docs/card-feed.md. */
export const UPFRONT_LAYOUT: CardFeedLayout = {
  id: "upfront",
  provider: "upfront",
  label: "Upfront card feed",
  basis: "Upfront's own documented layout (docs/card-feed.md)",
  columns: {
    cardId: "card_id",
    transactionId: "transaction_id",
    dateTime: "date_time",
    type: "type",
    status: "status",
    amount: "amount",
    merchantName: "merchant_name",
    mcc: "mcc",
  },
  types: {
    purchase: { type: "purchase" },
    refund: { type: "refund" },
    load: { type: "load" },
    atm_cash: { type: "atm_cash" },
    fee: { type: "fee" },
  },
  statuses: { authorised: "authorised", settled: "settled", reversed: "reversed" },
  amountSign: "unsigned",
  dateFormats: ["iso"],
};

/**
 * A provider-style layout modelled on a UK prepaid-card programme's transaction report: the column names
 * (Trace Id, Entry Type, Token, Tx Date, Bill Amount, Bill Currency, MCC, Merchant Name) and the entry types
 * "Auth approval", "Auth declined", "Auth Reversal", "Chargeback" and "Second presentment" are those Crosscard
 * publishes for its cardholder transaction report (support.crosscard.com, "Reports"). The other entry types
 * (Presentment, Refund, Load, Fee, ATM) and the date format are assumptions, so the layout is "modelled on", not
 * certified against, a real export: check a real file before relying on it. Bill Amount is the amount in the
 * card's own currency (pounds), so it is the one used; its sign is ignored and the entry type says the direction.
 */
export const CROSSCARD_STYLE_LAYOUT: CardFeedLayout = {
  id: "crosscard-style",
  provider: "crosscard",
  label: "Prepaid card transaction report (Crosscard style)",
  basis: "Modelled on Crosscard's published transaction report columns; not certified against a real export",
  columns: {
    cardId: "Token",
    transactionId: "Trace Id",
    dateTime: "Tx Date",
    type: "Entry Type",
    amount: "Bill Amount",
    currency: "Bill Currency",
    merchantName: "Merchant Name",
    mcc: "MCC",
  },
  types: {
    "auth approval": { type: "purchase", status: "authorised" },
    "auth declined": { ignore: "the card was declined, so no money moved" },
    "auth reversal": { type: "purchase", status: "reversed" },
    presentment: { type: "purchase", status: "settled" },
    "second presentment": { type: "purchase", status: "settled" },
    chargeback: { type: "refund", status: "settled" },
    refund: { type: "refund", status: "settled" },
    load: { type: "load", status: "settled" },
    fee: { type: "fee", status: "settled" },
    atm: { type: "atm_cash", status: "settled" },
  },
  amountSign: "either",
  dateFormats: ["iso", "uk"],
};

export const CARD_FEED_LAYOUTS: readonly CardFeedLayout[] = [UPFRONT_LAYOUT, CROSSCARD_STYLE_LAYOUT];
export const CARD_FEED_LAYOUT_IDS = CARD_FEED_LAYOUTS.map((l) => l.id);

export function cardFeedLayout(id: string): CardFeedLayout | undefined {
  return CARD_FEED_LAYOUTS.find((l) => l.id === id);
}

/** The layout whose every column is in the header, if exactly one is; for "work out the layout for me". */
export function detectCardFeedLayout(headerFields: readonly string[]): CardFeedLayout | undefined {
  const names = new Set(headerFields.map((f) => f.trim().toLowerCase()));
  const fits = CARD_FEED_LAYOUTS.filter((l) =>
    Object.values(l.columns).every((c) => c === undefined || names.has(c.toLowerCase())),
  );
  return fits.length === 1 ? fits[0] : undefined;
}

/**
 * Reads a card feed from CSV text. `layout` is a layout id, or "detect" to choose by the header. A file whose
 * quotes are broken is refused whole, like any other bad row.
 */
export function readCardFeedCsv(text: string, layout: string, options: CardFeedOptions): CardFeedResult {
  const { records, problems } = readCsv(text);
  if (problems.length > 0) return { ok: false, problems };
  const chosen =
    layout === "detect" ? detectCardFeedLayout(records[0]?.fields ?? []) : cardFeedLayout(layout);
  if (!chosen) {
    return {
      ok: false,
      problems: [
        {
          row: 1,
          message:
            layout === "detect"
              ? `The header row does not match a layout Upfront knows (${CARD_FEED_LAYOUTS.map((l) => l.label).join("; ")}): see docs/card-feed.md for the columns`
              : `"${layout}" is not a card feed layout: use one of ${CARD_FEED_LAYOUT_IDS.join(", ")}`,
        },
      ],
    };
  }
  return normaliseCardFeed(records, chosen, options);
}
