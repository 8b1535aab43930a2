import { z } from "zod";
import { isCalendarDate } from "#/rules/index.ts";
import { REPRESENTATIVE_KINDS, SCOPES } from "./access.calc.ts";

/** What the account pages and services accept. Messages are GOV.UK style: what to do, in plain words. */

export const emailSchema = z
  .string({ error: "Enter your email address" })
  .trim()
  .toLowerCase()
  .min(1, "Enter your email address")
  .max(320, "Enter an email address of 320 characters or fewer")
  .email("Enter an email address in the correct format, like name@example.com");

/** NCSC's advice: length over complexity; no composition rules. */
export const newPasswordSchema = z
  .string({ error: "Enter a password" })
  .min(1, "Enter a password")
  .min(10, "Your password must be 10 characters or more")
  .max(256, "Your password must be 256 characters or fewer");

/** A claim code as people type it: case, spaces and hyphens do not matter; O and I read as 0 and 1. */
export function normaliseClaimCode(raw: string): string {
  return raw
    .toUpperCase()
    .replace(/[\s-]+/g, "")
    .replace(/O/g, "0")
    .replace(/[IL]/g, "1");
}

export const claimCodeSchema = z
  .string({ error: "Enter the code from the council" })
  .trim()
  .min(1, "Enter the code from the council")
  .transform(normaliseClaimCode)
  .refine((c) => /^[0-9A-HJKMNP-TV-Z]{16}$/.test(c), {
    error: "Enter the code exactly as it is written: 16 letters and numbers, like ABCD-EFGH-JKMN-PQRS",
  });

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string({ error: "Enter your password" }).min(1, "Enter your password"),
});

/** Claiming a code without an account yet: the code, and the new local account. */
export const claimWithNewAccountSchema = z
  .object({
    code: claimCodeSchema,
    email: emailSchema,
    password: newPasswordSchema,
    confirmPassword: z.string().optional(),
  })
  .refine((v) => v.password === v.confirmPassword, {
    path: ["confirmPassword"],
    error: "Enter the same password twice",
  });

const optionalText = (max: number, message: string) =>
  z
    .string()
    .trim()
    .max(max, message)
    .transform((s) => (s === "" ? null : s))
    .nullable()
    .optional()
    .transform((s) => s ?? null);

/** A representative as staff record one. Whether the kind allows the scopes is checked by access.calc.ts. */
export const newRepresentativeSchema = z.object({
  name: z
    .string({ error: "Enter the representative's name" })
    .trim()
    .min(1, "Enter the representative's name")
    .max(200, "The name must be 200 characters or fewer"),
  relationship: optionalText(200, "The relationship must be 200 characters or fewer"),
  kind: z.enum(REPRESENTATIVE_KINDS, { error: "Choose what kind of representative they are" }),
  authorityType: z
    .enum(["property_and_financial_affairs", "health_and_welfare", "personal_welfare"])
    .nullable()
    .optional()
    .transform((s) => s ?? null),
  authorityReference: optionalText(100, "The reference must be 100 characters or fewer"),
  scopes: z.array(z.enum(SCOPES, { error: "Choose what they may do from the list" })),
  endsOn: z
    .string()
    .trim()
    .refine(isCalendarDate, { error: "Enter the end date as a real date" })
    .nullable()
    .optional()
    .transform((s) => s ?? null),
  /** Family and friends only: how the person said yes, or null to ask them online. */
  consent: z
    .enum(["told_staff", "in_writing"])
    .nullable()
    .optional()
    .transform((s) => s ?? null),
});
export type NewRepresentative = z.output<typeof newRepresentativeSchema>;
export type NewRepresentativeInput = z.input<typeof newRepresentativeSchema>;

export const endRepresentativeSchema = z.object({
  reason: z
    .string({ error: "Enter why this representative no longer acts for the person" })
    .trim()
    .min(1, "Enter why this representative no longer acts for the person")
    .max(500, "The reason must be 500 characters or fewer"),
});

/** A council's One Login client, as an administrator sets it. The secret may be left blank to keep it. */
export const oneLoginSettingsSchema = z.object({
  issuerUrl: z
    .string({ error: "Enter the issuer URL" })
    .trim()
    .min(1, "Enter the issuer URL")
    .url("Enter the issuer URL in full, like https://oidc.account.gov.uk/")
    // https and a public address: the service checks that (one-login.ts issuerProblem), as it alone knows whether
    // this is a test run, where the local provider's loopback address is allowed.
    .refine((u) => /^https?:\/\//.test(u), { error: "The issuer URL must start with https://" }),
  clientId: z
    .string({ error: "Enter the client ID" })
    .trim()
    .min(1, "Enter the client ID")
    .max(255, "The client ID must be 255 characters or fewer"),
  clientAuth: z.enum(["private_key_jwt", "client_secret_post", "client_secret_basic"], {
    error: "Choose how Upfront proves it is the client",
  }),
  secret: z
    .string()
    .trim()
    .max(20_000, "The key or secret is too long")
    .optional()
    .transform((s) => (s ? s : undefined)),
  vtr: optionalText(100, "The vector of trust must be 100 characters or fewer"),
  enabled: z.boolean(),
});
export type OneLoginSettingsInput = z.input<typeof oneLoginSettingsSchema>;
