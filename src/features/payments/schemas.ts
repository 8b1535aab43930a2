import { z } from "zod";
import { CONTRIBUTION_COLLECTIONS, PAYMENT_FREQUENCIES } from "#/rules/payment-types.ts";
import { BANK_HOLIDAY_REGIONS } from "#/rules/registry.ts";

/**
 * Payment settings, bank details, finance codes and a run request, as pages, API and CLI take them. The calcs
 * check again (a calc never trusts its caller), but these give the person filling a form a message per field.
 */

const whenMissing = (message: string) => ({
  error: (issue: { code?: string }) => (issue.code === "invalid_type" ? message : undefined),
});

const isoDate = (label: string) =>
  z
    .string(whenMissing(`Give the ${label}`))
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: `Write the ${label} as YYYY-MM-DD, for example 2026-04-06` })
    .refine((value) => {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return true; // the pattern's own message says what to fix
      const d = new Date(`${value}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
    }, `The ${label} must be a real date`);

/** 6 digits; "12-34-56" and "12 34 56" are accepted and stored as "123456". */
export const sortCodeSchema = z
  .string(whenMissing("Give the sort code"))
  .trim()
  .regex(/^(\d{6}|\d{2}-\d{2}-\d{2}|\d{2} \d{2} \d{2})$/, { error: "Enter a sort code like 12-34-56" })
  .transform((value) => value.replace(/[-\s]/g, ""));

export const accountNumberSchema = z
  .string(whenMissing("Give the account number"))
  .trim()
  .regex(/^\d{8}$/, {
    error: "Enter an account number of 8 digits; ask the bank for the 8-digit form of a shorter one",
  });

/** Names on bank accounts: what Bacs can carry after capitals, accents and apostrophes are dropped. */
export const bankAccountNameSchema = z
  .string(whenMissing("Give the name on the account"))
  .trim()
  .min(1, { error: "Give the name on the account" })
  .max(70, { error: "The name on the account must be 70 characters or fewer" })
  .refine(
    (value) =>
      /^[A-Z0-9.&/\- ]+$/.test(
        value
          .normalize("NFD")
          .replace(/\p{M}/gu, "")
          .replace(/['’‘`]/g, "")
          .toUpperCase(),
      ),
    "The name on the account may only use letters, digits, spaces, apostrophes and . & / -",
  );

export const bankDetailsSchema = z.strictObject({
  accountName: bankAccountNameSchema,
  sortCode: sortCodeSchema,
  accountNumber: accountNumberSchema,
});
export type BankDetails = z.infer<typeof bankDetailsSchema>;

/** The council's own account payments are made from, and its Bacs service user number. */
export const originatorSchema = bankDetailsSchema.extend({
  serviceUserNumber: z
    .string(whenMissing("Give the Bacs service user number"))
    .trim()
    .regex(/^\d{6}$/, { error: "The Bacs service user number (SUN) is 6 digits" }),
});
export type Originator = z.infer<typeof originatorSchema>;

/** A council's payment settings (a dated per-tenant setting; the rule pack gives the defaults). */
export const paymentSettingsSchema = z.strictObject({
  frequency: z.enum(PAYMENT_FREQUENCIES, { error: "Choose weekly, every 4 weeks or monthly" }),
  anchorDate: isoDate("first day of a payment cycle"),
  contributionCollection: z.enum(CONTRIBUTION_COLLECTIONS, {
    error: "Say whether contributions are taken off the direct payment or invoiced",
  }),
  whenNotBankingDay: z.enum(["before", "after"], {
    error: "Say whether a payment due on a weekend or bank holiday is made the banking day before or after",
  }),
  bankHolidayRegion: z.enum(BANK_HOLIDAY_REGIONS, {
    error: "Choose England and Wales, Scotland or Northern Ireland",
  }),
});
export type PaymentSettings = z.infer<typeof paymentSettingsSchema>;

const ledgerCode = (label: string) =>
  z
    .string(whenMissing(`Give the ${label}`))
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,31}$/, {
      error: `The ${label} is up to 32 letters, digits, . _ / or -, starting with a letter or digit`,
    });

export const ledgerCodesSchema = z.strictObject({
  glCode: ledgerCode("general-ledger code"),
  costCentre: ledgerCode("cost centre"),
});

/** General-ledger code and cost centre per funding stream, and for contribution income. */
export const financeCodeMappingSchema = z.strictObject({
  streams: z.record(z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/), ledgerCodesSchema),
  contribution: ledgerCodesSchema,
});

/** `upfront payments run --date …`, the admin page and the API: the day the run is for. */
export const paymentRunRequestSchema = z.strictObject({
  date: isoDate("date of the payment run"),
});

/** Writing off money owed back after a budget ends: the reason auditors read. */
export const writeOffSchema = z.strictObject({
  reason: z
    .string({ error: "Say why this money will not be recovered" })
    .trim()
    .min(1, { error: "Say why this money will not be recovered" })
    .max(2000, { error: "Keep the reason to 2,000 characters or fewer" }),
});
