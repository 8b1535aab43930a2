import type { FieldError } from "#/platform/errors.ts";

export type PageErrors = { errors: Record<string, string>; errorList: { text: string; href: string }[] };

/**
 * Field errors as a GOV.UK page shows them: the first message per field beside it, and the error summary's
 * links in the order given, or in the order of the page's fields when `order` lists them (fields it does not list
 * come last). `fieldOf` maps an error's path to the form field's id where the two differ.
 */
export function pageErrors(
  fieldErrors: readonly FieldError[],
  fieldOf: (path: string) => string = (path) => path,
  order?: readonly string[],
): PageErrors {
  const errors: Record<string, string> = {};
  const errorList: { text: string; href: string }[] = [];
  for (const e of fieldErrors) {
    const field = fieldOf(e.path);
    if (errors[field] !== undefined) continue;
    errors[field] = e.message;
    errorList.push({ text: e.message, href: `#${field}` });
  }
  if (order) {
    const rank = (href: string) => {
      const at = order.indexOf(href.slice(1));
      return at === -1 ? order.length : at;
    };
    errorList.sort((a, b) => rank(a.href) - rank(b.href));
  }
  return { errors, errorList };
}
