import type { FieldError } from "#/platform/errors.ts";

export type PageErrors = { errors: Record<string, string>; errorList: { text: string; href: string }[] };

/**
 * Field errors as a GOV.UK page shows them: the first message per field beside it, and the error summary's
 * links in the order given. `fieldOf` maps an error's path to the form field's id where the two differ.
 */
export function pageErrors(
  fieldErrors: readonly FieldError[],
  fieldOf: (path: string) => string = (path) => path,
): PageErrors {
  const errors: Record<string, string> = {};
  const errorList: { text: string; href: string }[] = [];
  for (const e of fieldErrors) {
    const field = fieldOf(e.path);
    if (errors[field] !== undefined) continue;
    errors[field] = e.message;
    errorList.push({ text: e.message, href: `#${field}` });
  }
  return { errors, errorList };
}
