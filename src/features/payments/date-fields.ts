import { parseDateInput } from "#/platform/date-input.ts";

/**
 * Dates on the payments pages are GOV.UK date inputs (platform/web/views/_date.njk); the services take YYYY-MM-DD
 * (as the API and the command line do). `formDate` reads the boxes for the service: the date, "" when the boxes
 * are empty (an optional date), or a value the service refuses when they are wrong, with the message the page shows
 * instead of the service's (which speaks of YYYY-MM-DD). So every other field's problem is still reported at once.
 */

export type FormDate = { iso: string; problem: string | undefined };

export function formDate(
  body: Record<string, unknown>,
  name: string,
  what: string,
  options: { required?: boolean } = {},
): FormDate {
  const parsed = parseDateInput(body, name, what);
  if (!parsed.ok) return { iso: "not a date", problem: parsed.message };
  if (parsed.date === undefined) return { iso: "", problem: options.required ? `Enter ${what}` : undefined };
  return { iso: parsed.date, problem: undefined };
}

/** Field errors with the page's own message on each date field that was typed wrong (or left empty). */
export function withDateProblems<E extends { path: string; message: string }>(
  fieldErrors: readonly E[],
  dates: Record<string, FormDate>,
): E[] {
  const out = fieldErrors.map((e) => {
    const problem = dates[e.path]?.problem;
    return problem ? { ...e, message: problem } : e;
  });
  for (const [path, d] of Object.entries(dates))
    if (d.problem && !out.some((e) => e.path === path)) out.push({ path, message: d.problem } as E);
  return out;
}
