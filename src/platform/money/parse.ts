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
