import { typedPoundsToPence } from "#/platform/money/parse.ts";
// Read with the forms kit (platform/web/forms.ts); this feature's boxes are read trimmed.
import { type FormBody, manyTrimmed as many, oneTrimmed as one } from "#/platform/web/forms.ts";

/** Reading the directory's GOV.UK forms: one value or many from a urlencoded body, and money typed in pounds. */

export { type FormBody, many, one };

/** "£1,234.50", "16.5" or "16" as whole pence; a message naming `what` when it is not an amount. */
export function parsePounds(
  text: string,
  what: string,
): { ok: true; pence: number } | { ok: false; message: string } {
  const pence = typedPoundsToPence(text, 9);
  if (pence === undefined) return { ok: false, message: `Enter ${what} in pounds, like 18.50` };
  return { ok: true, pence };
}

/** Pence as the pounds a person would type: 1850 → "18.50". */
export const poundsText = (pence: number | undefined): string =>
  pence === undefined ? "" : `${Math.floor(pence / 100)}.${String(pence % 100).padStart(2, "0")}`;
