import { z } from "zod";
import { formatPounds, type Pence } from "#/platform/money/pence.ts";

/**
 * Helpers for the Zod schemas that define the shared words: the messages say what to fix, in plain English.
 */

// Only the "missing or wrong type" message is replaced; any other issue keeps its own message.
export const whenMissing = (message: string) => ({
  error: (issue: { code?: string }) => (issue.code === "invalid_type" ? message : undefined),
});

export const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
export const pounds = (p: number) => formatPounds(p as Pence);

export const text = (what: string, max: number) =>
  z
    .string(whenMissing(`Write ${what}`))
    .trim()
    .min(1, { error: `Write ${what}` })
    .max(max, { error: `Keep ${what} to ${max} characters` });

export const optionalText = (what: string, max: number) =>
  z
    .string(whenMissing(`${capitalise(what)} must be text`))
    .trim()
    .max(max, { error: `Keep ${what} to ${max} characters` })
    .transform((s) => (s === "" ? undefined : s))
    .optional();

/** Adds an issue for every id used twice in a list (outcomes, supports, risks, approver levels). */
export function duplicateIds(ids: readonly string[], path: string, what: string, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id)) {
      ctx.addIssue({
        code: "custom",
        path: [path, i, "id"],
        message: `Another ${what} already has the id "${id}": each ${what} needs its own id`,
      });
    }
    seen.add(id);
  });
}
