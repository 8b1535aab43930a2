import { formatPounds, type Pence } from "#/platform/money/pence.ts";

/**
 * Amounts of money as people type them into a form: "125.50", "£1,250", " 30000 ". Read exactly (no floating
 * point): whole pounds and up to two decimal places of pence.
 */

export type MoneyRead =
  | { ok: true; pence: number }
  | { ok: false; problem: "empty" | "not_money" | "negative" | "too_many_decimals" | "too_big" };

const MONEY = /^(\d+)(?:\.(\d{1,2}))?$/;
const TOO_MANY_DECIMALS = /^\d*\.\d{3,}$/;

/** Reads an amount in pounds as whole pence; `max` in pence. */
export function readPounds(raw: string, max: number): MoneyRead {
  let text = raw.trim().replace(/\s+/g, "");
  if (text === "") return { ok: false, problem: "empty" };
  let negative = false;
  if (text.startsWith("-")) {
    negative = true;
    text = text.slice(1);
  }
  text = text.replace(/^£/, "");
  if (text.startsWith("-")) {
    negative = true;
    text = text.slice(1);
  }
  // Commas only as thousands separators: "1,250.00" yes, "1,25" no.
  if (text.includes(",")) {
    if (!/^\d{1,3}(,\d{3})+(\.\d*)?$/.test(text)) return { ok: false, problem: "not_money" };
    text = text.replaceAll(",", "");
  }
  if (text.startsWith(".")) text = `0${text}`;
  if (TOO_MANY_DECIMALS.test(text)) return { ok: false, problem: "too_many_decimals" };
  const match = MONEY.exec(text);
  if (!match) return { ok: false, problem: "not_money" };
  if (negative && /[1-9]/.test(text)) return { ok: false, problem: "negative" };
  const pounds = match[1]!.replace(/^0+(?=\d)/, "");
  // Longer than any amount we accept: refuse before the number could lose precision.
  if (pounds.length > 12) return { ok: false, problem: "too_big" };
  const pence = Number(pounds) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
  if (pence > max) return { ok: false, problem: "too_big" };
  return { ok: true, pence };
}

/** An amount as the form shows it again: "125.50", or "30000" for whole pounds. */
export function poundsForInput(pence: number): string {
  const whole = Math.floor(pence / 100);
  const part = pence % 100;
  return part === 0 ? String(whole) : `${whole}.${String(part).padStart(2, "0")}`;
}

/** The message for a problem with one amount; `what` is the field's name in the message's words. */
export function moneyMessage(
  problem: Exclude<MoneyRead, { ok: true }>["problem"],
  what: string,
  opts: { max: number; weekly: boolean; required: string; per?: string },
): string {
  const sentence = what.charAt(0).toUpperCase() + what.slice(1);
  switch (problem) {
    case "empty":
      return opts.required;
    case "not_money":
      return `${sentence} must be an amount of money, like 125.50`;
    case "negative":
      return `${sentence} cannot be negative`;
    case "too_many_decimals":
      return `${sentence} must be in pounds and pence, like 125.50`;
    case "too_big":
      if (!opts.weekly) return `${sentence} must be ${formatPounds(opts.max as Pence)} or less`;
      return opts.per === undefined || opts.per === "a week"
        ? `${sentence} must be ${formatPounds(opts.max as Pence)} a week or less: check it is a weekly amount`
        : `${sentence} must be ${formatPounds(opts.max as Pence)} ${opts.per} or less: check the amount and how often`;
  }
}
