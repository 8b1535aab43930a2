/**
 * The NHS number check (NHS Data Dictionary, "NHS NUMBER": Modulus 11). An NHS number is 10 digits; the last is
 * a check digit. Multiply each of the first nine digits by a weight, 10 for the first down to 2 for the ninth,
 * and add the products; the check digit is 11 minus the remainder of that sum divided by 11. A result of 11 means
 * the check digit is 0; a result of 10 means the number is not valid (no NHS number is issued with it).
 *
 * Source: https://www.datadictionary.nhs.uk/attributes/nhs_number.html
 */

/** Digits only: spaces and hyphens as people write them ("943 476 5919", "943-476-5919") are dropped. */
export function normaliseNhsNumber(raw: string): string {
  return raw.replace(/[\s-]/g, "");
}

/** The check digit the first nine digits call for, or null when the sum makes 10 (no valid number). */
export function nhsCheckDigit(firstNine: string): number | null {
  if (!/^[0-9]{9}$/.test(firstNine)) throw new RangeError("An NHS number check digit needs exactly 9 digits");
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(firstNine[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  if (check === 10) return null;
  return check;
}

export type NhsNumberCheck =
  | { valid: true; nhsNumber: string }
  | { valid: false; reason: "length" | "check-digit" | "no-check-digit" };

/** Checks an NHS number written with or without spaces; a valid one comes back as its 10 digits. */
export function checkNhsNumber(raw: string): NhsNumberCheck {
  const digits = normaliseNhsNumber(raw);
  if (!/^[0-9]{10}$/.test(digits)) return { valid: false, reason: "length" };
  const expected = nhsCheckDigit(digits.slice(0, 9));
  if (expected === null) return { valid: false, reason: "no-check-digit" };
  if (expected !== Number(digits[9])) return { valid: false, reason: "check-digit" };
  return { valid: true, nhsNumber: digits };
}

/** "9434765919" → "943 476 5919", the 3-3-4 grouping the NHS uses on paper and screen. */
export function formatNhsNumber(digits: string): string {
  return /^[0-9]{10}$/.test(digits)
    ? `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`
    : digits;
}
