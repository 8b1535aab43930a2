import { type Pence, pence } from "#/platform/money/pence.ts";

/**
 * Pounds and pence written as text → whole pence, without floating point. Accepts "12", "12.5", "12.50",
 * "£1,234.56", "-3.20", "+3.20"; refuses more than two decimal places, exponents, stray characters and commas
 * that do not group thousands. Returns undefined when the text is not an amount. Pure.
 */
export function parsePoundsText(text: string): { pence: Pence; negative: boolean } | undefined {
  const m = /^([+-]?)£?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return undefined;
  const pounds = m[2]!.replaceAll(",", "");
  if (pounds.length > 13) return undefined; // keeps pounds × 100 a safe integer
  const pennies = (m[3] ?? "").padEnd(2, "0");
  const value = Number(pounds) * 100 + Number(pennies);
  return { pence: pence(value), negative: m[1] === "-" && value !== 0 };
}

/** Pounds as a person types them into a form box (already trimmed): a leading £ and every comma dropped, then trimmed. */
export const typedPounds = (text: string): string => text.replace(/^£/, "").replace(/,/g, "").trim();

/**
 * A form box's pounds ("£1,234.50", "16.5", "16") as whole pence: up to `maxPoundsDigits` digits of pounds and
 * at most two decimal places, never negative. Undefined when it is not such an amount; each form says why in its
 * own words.
 */
export function typedPoundsToPence(text: string, maxPoundsDigits: number): number | undefined {
  const cleaned = typedPounds(text);
  if (!new RegExp(`^\\d{1,${maxPoundsDigits}}(\\.\\d{1,2})?$`).test(cleaned)) return undefined;
  const [pounds, pennies = ""] = cleaned.split(".");
  return Number(pounds) * 100 + Number(pennies.padEnd(2, "0"));
}
