import type { z } from "zod";
import { formatPounds, type Pence } from "#/platform/money/pence.ts";
// Read with the forms kit (platform/web/forms.ts): single boxes trimmed, checkboxes as posted.
import {
  type ErrorLink,
  type FieldErrors,
  type FormBody,
  type FormValues,
  many,
  oneTrimmed as one,
} from "#/platform/web/forms.ts";

export { type ErrorLink, type FieldErrors, type FormBody, type FormValues, many, one };

/**
 * What every financial-assessment form shares: reading a posted field, amounts typed in pounds and pence
 * ("125.50", "£1,200") as whole pence, dates typed in three boxes, and errors keyed by the id of the field they
 * belong to, so the error summary's links land on it.
 */

export type PageResult<T> =
  | { ok: true; value: T; values: FormValues }
  | { ok: false; errors: FieldErrors; errorList: ErrorLink[]; values: FormValues };

// ---- money and dates as typed ---------------------------------------------------------------------------------

/** "£1,234.5" → 123450 pence; an error message for anything that is not a sum of money. */
export function parseMoney(
  text: string,
  what: string,
): { ok: true; pence: number } | { ok: false; message: string } {
  const cleaned = text.replace(/[£,\s]/g, "");
  if (cleaned === "") return { ok: false, message: `Enter ${what}` };
  if (/^-/.test(cleaned)) return { ok: false, message: `${capitalise(what)} cannot be negative` };
  const match = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(cleaned);
  if (!match) return { ok: false, message: `Enter ${what} in pounds and pence, like 125.50` };
  return { ok: true, pence: Number(match[1]) * 100 + Number((match[2] ?? "0").padEnd(2, "0")) };
}

/** 12345 → "123.45"; whole pounds without pence: 12300 → "123". */
export function moneyText(pence: number | undefined): string {
  if (pence === undefined) return "";
  return pence % 100 === 0 ? String(pence / 100) : (pence / 100).toFixed(2);
}

export const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
export const pounds = (p: number) => formatPounds(p as Pence);

// Dates typed in three boxes: platform code, shared with the other features' pages.
export { dateFieldValues, dateValues, parseDateInput } from "#/platform/date-input.ts";

/** The error summary: one link per field, in page order, each to the field's first input. */
export function errorLinks(
  errors: FieldErrors,
  order: readonly string[],
  dateFields: readonly string[] = [],
): ErrorLink[] {
  const keys = [...order.filter((k) => errors[k]), ...Object.keys(errors).filter((k) => !order.includes(k))];
  return keys.map((k) => ({ text: errors[k]!, href: `#${dateFields.includes(k) ? `${k}-day` : k}` }));
}

/** Zod issues for a section, keyed by their first path part (the field), first message each. */
export function issuesByField(error: z.ZodError, rename: Record<string, string> = {}): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "");
    errors[rename[field] ?? field] ??= issue.message;
  }
  return errors;
}
