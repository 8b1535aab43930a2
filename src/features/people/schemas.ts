import { z } from "zod";
import { isCalendarDate } from "#/rules/index.ts";

/** People: what pages, the API and the CLI accept when a person's record is created or searched. */

/** UK postcode shape (not a check that it exists), e.g. "SW1A 1AA" or "ZX4 7QP". */
const POSTCODE = /^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$/;

/** Upper case with one space before the inward code, as Royal Mail writes it. */
export function normalisePostcode(raw: string): string {
  const compact = raw.replace(/\s+/g, "").toUpperCase();
  return compact.length > 3 ? `${compact.slice(0, -3)} ${compact.slice(-3)}` : compact;
}

const optionalTrimmed = z
  .string()
  .trim()
  .transform((s) => (s === "" ? undefined : s))
  .optional();

export const newPersonSchema = z.strictObject({
  /** The council's own reference; one is made up when left out. */
  reference: optionalTrimmed.pipe(
    z
      .string()
      .max(40, { error: "The reference must be 40 characters or fewer" })
      .regex(/^[A-Za-z0-9-/]+$/, { error: "Use only letters, numbers, hyphens and slashes in the reference" })
      .optional(),
  ),
  givenName: z
    .string({ error: "Enter the person's first name" })
    .trim()
    .min(1, { error: "Enter the person's first name" })
    .max(100, { error: "The first name must be 100 characters or fewer" }),
  familyName: z
    .string({ error: "Enter the person's last name" })
    .trim()
    .min(1, { error: "Enter the person's last name" })
    .max(100, { error: "The last name must be 100 characters or fewer" }),
  dateOfBirth: z
    .string({ error: "Enter the person's date of birth" })
    .trim()
    .refine(isCalendarDate, { error: "Enter the date of birth as a real date, for example 1970-03-27" }),
  postcode: optionalTrimmed.pipe(
    z
      .string()
      .transform(normalisePostcode)
      .refine((p) => POSTCODE.test(p), { error: "Enter a postcode, for example SW1A 1AA" })
      .optional(),
  ),
});

export type NewPerson = z.output<typeof newPersonSchema>;
export type NewPersonInput = z.input<typeof newPersonSchema>;

export const MAX_PAGE_SIZE = 100;

export const listPeopleSchema = z.strictObject({
  search: optionalTrimmed.pipe(
    z.string().max(100, { error: "Search for 100 characters or fewer" }).optional(),
  ),
  page: z.coerce.number().int().min(1, { error: "The page must be 1 or more" }).default(1),
  pageSize: z.coerce
    .number()
    .int()
    .min(1, { error: "Show at least 1 person a page" })
    .max(MAX_PAGE_SIZE, { error: `Show at most ${MAX_PAGE_SIZE} people a page` })
    .default(25),
});

export type ListPeopleQuery = z.input<typeof listPeopleSchema>;
