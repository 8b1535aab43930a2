import type { z } from "zod";

import type { FieldError } from "#/vocabulary/field-error.ts";

// The word lives in vocabulary/ so pure calculations can use it; said here too for the forms and services.
export type { FieldError };

/** Renders a path as `outcomes.nutrition.items["nutrition.meal_preparation"]`. */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of segments) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (typeof segment === "string" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(segment)) {
      out += out === "" ? segment : `.${segment}`;
    } else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out === "" ? "(top level)" : out;
}

/** Turns Zod's issues into plain field errors. */
export function fieldErrorsFrom(error: z.ZodError, prefix: readonly PropertyKey[] = []): FieldError[] {
  const errors: FieldError[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      // Name each unknown field, so a typo is easy to find.
      for (const key of issue.keys) {
        errors.push({
          path: formatPath([...prefix, ...issue.path, key]),
          message: `"${key}" is not a field here: check the spelling, or remove it`,
        });
      }
      continue;
    }
    errors.push({ path: formatPath([...prefix, ...issue.path]), message: issue.message });
  }
  return errors;
}
