import { z } from "zod";
import { checkNhsNumber } from "#/features/people/nhs-number.calc.ts";
import { isCalendarDate } from "#/rules/index.ts";
import { CODED_PERSON_FIELDS, type CodedPersonField, type PersonFieldLists } from "#/rules/registry.ts";

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

export type NewPerson = z.output<typeof newPersonSchema> & Partial<PersonDetails>;
export type NewPersonInput = z.input<typeof newPersonSchema>;

/** What each coded question is called, for messages and pages. */
export const CODED_FIELD_NAMES: Record<CodedPersonField, string> = {
  sex: "sex",
  ethnicity: "ethnicity",
  accommodationStatus: "accommodation status",
  employmentStatus: "employment status",
  hasUnpaidCarer: "whether the person has an unpaid carer",
};

const optionalText = (max: number, name: string) =>
  optionalTrimmed.pipe(
    z
      .string()
      .max(max, { error: `The ${name} must be ${max} characters or fewer` })
      .optional(),
  );

/** The person's details besides name and date of birth, every coded answer taken from `lists`. */
function detailsShape(lists: PersonFieldLists) {
  const coded = (field: CodedPersonField) => {
    const codes = lists[field].options.map((o) => o.code);
    const name = CODED_FIELD_NAMES[field];
    const what = field === "hasUnpaidCarer" ? name : `the person's ${name}`;
    const message = `Choose ${what}: one of ${codes.join(", ")}`;
    return z
      .string({ error: message })
      .trim()
      .refine((c) => codes.includes(c), { error: message });
  };
  const needCodes = lists.communicationNeeds.options.map((o) => o.code);
  return {
    nhsNumber: optionalTrimmed.pipe(
      z
        .string()
        .transform((raw, ctx) => {
          const check = checkNhsNumber(raw);
          if (check.valid) return check.nhsNumber;
          ctx.addIssue({
            code: "custom",
            message:
              check.reason === "length"
                ? "Enter the NHS number as 10 digits, for example 943 476 5919"
                : "This is not a valid NHS number: check each digit (the last digit is a check on the others)",
          });
          return z.NEVER;
        })
        .optional(),
    ),
    addressLine1: optionalText(100, "first line of the address"),
    addressLine2: optionalText(100, "second line of the address"),
    town: optionalText(100, "town or city"),
    phone: optionalTrimmed.pipe(
      z
        .string()
        .max(30, { error: "The phone number must be 30 characters or fewer" })
        .regex(/^\+?[0-9 ()-]{6,}$/, {
          error: "Enter a phone number, like 01632 960 001 or +44 7700 900 982",
        })
        .optional(),
    ),
    email: optionalTrimmed.pipe(
      z
        .email({ error: "Enter an email address in the correct format, like name@example.com" })
        .max(254)
        .optional(),
    ),
    sex: coded("sex"),
    ethnicity: coded("ethnicity"),
    accommodationStatus: coded("accommodationStatus"),
    employmentStatus: coded("employmentStatus"),
    hasUnpaidCarer: coded("hasUnpaidCarer"),
    gpPracticeName: optionalText(100, "GP practice name"),
    gpPracticeCode: optionalTrimmed.pipe(
      z
        .string()
        .transform((s) => s.toUpperCase())
        .refine((s) => /^[A-Z][0-9]{5}$/.test(s), {
          error: "Enter the GP practice code as a letter and 5 digits, for example A81001",
        })
        .optional(),
    ),
    /** Accessible Information Standard needs; an empty list means the person has none. */
    communicationNeeds: z
      .array(
        z.string().refine((c) => needCodes.includes(c), {
          error: `Choose communication needs from: ${needCodes.join(", ")}`,
        }),
        { error: "Give the communication needs as a list (it may be empty)" },
      )
      .transform((a) => [...new Set(a)]),
    preferredLanguage: optionalText(60, "preferred language"),
  };
}

/** Adding a person (page, API, import): name, date of birth and every coded answer. */
export function addPersonSchema(lists: PersonFieldLists) {
  return newPersonSchema.extend(detailsShape(lists));
}

export type AddPerson = z.output<ReturnType<typeof addPersonSchema>>;
export type PersonDetails = Omit<AddPerson, keyof z.output<typeof newPersonSchema>> & {
  fieldListsId: string;
};

export { CODED_PERSON_FIELDS };

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
