import { z } from "zod";

/**
 * The forms kit: what every feature's GOV.UK pages need to read a posted (urlencoded) form and check it with
 * Zod, and the shapes of what a page shows again (values, errors by field id, the error summary's links).
 */

/** What @fastify/formbody gives: a string, or an array of strings for a repeated name (checkboxes). */
export type FormBody = Record<string, unknown>;
/** A page's values, as the templates show them again. */
export type FormValues = Record<string, string | string[]>;
/** Field id → message, for each field's error message. */
export type FieldErrors = Record<string, string>;
/** One line of the GOV.UK error summary. */
export type ErrorLink = { text: string; href: string };

/** One value from a form body: the first if the name was repeated; "" if absent or not text. */
export function one(body: FormBody, name: string): string {
  const raw = body[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === "string" ? value : "";
}

/** Every value for a repeated name (checkboxes), leaving out empty ones. */
export function many(body: FormBody, name: string): string[] {
  const raw = body[name];
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.filter((v): v is string => typeof v === "string" && v !== "");
}

/** `one` without the spaces around it: for boxes where spaces typed by mistake mean nothing. */
export const oneTrimmed = (body: FormBody, name: string): string => one(body, name).trim();

/** `many`, each value trimmed, leaving out the blank ones. */
export const manyTrimmed = (body: FormBody, name: string): string[] =>
  many(body, name)
    .map((value) => value.trim())
    .filter((value) => value !== "");

// ---- checking a page's values with Zod ------------------------------------------------------------------

/** The longest free text a page accepts in one box. */
export const MAX_TEXT = 10_000;

/** One of the given ids, or `message`. */
export const choice = <T extends string>(ids: readonly T[], message: string) =>
  z.string().refine((v): v is T => (ids as readonly string[]).includes(v), { error: message });

/** A yes/no radio as a boolean. */
export const yesNo = (message: string) => choice(["yes", "no"], message).transform((v) => v === "yes");

export const optionalText = (what: string) =>
  z
    .string()
    .trim()
    .max(MAX_TEXT, { error: `${what} must be ${MAX_TEXT.toLocaleString("en-GB")} characters or fewer` });

export const requiredText = (message: string, what: string) => optionalText(what).min(1, { error: message });

/** "" → undefined, so an emptied box clears what was saved. */
export const orUndefined = (s: string) => (s === "" ? undefined : s);
