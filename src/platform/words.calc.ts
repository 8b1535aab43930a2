/**
 * Counts in sentences, with the noun (and verb) agreeing: "1 payment is held", "2 payments are held",
 * "0 payments". One place for it, used by pages (the `countOf` filter, platform/web/views.ts), services and the
 * command line. English only: the plural is the noun with "s" unless given.
 */

/** The noun for this many: "payment" for 1, "payments" otherwise (0 included). */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return count === 1 ? singular : pluralForm;
}

/** The count and its noun: "1 payment", "3 payments", "0 people" (with `pluralForm` "people"). */
export function countOf(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${plural(count, singular, pluralForm)}`;
}

/** "is" for one, "are" otherwise: `${countOf(n, "payment")} ${isAre(n)} held`. */
export function isAre(count: number): "is" | "are" {
  return count === 1 ? "is" : "are";
}
