import { z } from "zod";
import { isCalendarDate } from "#/rules/index.ts";

/** Zod schemas for referrals, shared by the staff pages, the public form and (later) the API and CLI. */

const date = (what: string, example = "2026-12-01") =>
  z
    .string({ error: `Give ${what}` })
    .min(1, { error: `Give ${what}` })
    .refine(isCalendarDate, { error: `Give ${what} as a real date, for example ${example}` });

const code = (what: string) => z.string({ error: `Choose ${what}` }).min(1, { error: `Choose ${what}` });

export const newReferralSchema = z.strictObject({
  personId: z.uuid({ error: "Give the person as their record id" }),
  receivedOn: date("the date the request was made"),
  routeOfAccess: code("the route of access"),
  requestSource: code("who made the request"),
});
export type NewReferral = z.infer<typeof newReferralSchema>;

export const closeReferralSchema = z.strictObject({
  referralId: z.uuid({ error: "Give the referral as its id" }),
  /** When given (the person's page), the referral must be that person's. */
  personId: z.uuid({ error: "Give the person as their id" }).optional(),
  outcome: code("the outcome"),
  closedOn: date("the date the request was closed"),
});

const text = (what: string, max: number) =>
  z
    .string({ error: `Enter ${what}` })
    .trim()
    .min(1, { error: `Enter ${what}` })
    .max(max, { error: `${what[0]!.toUpperCase()}${what.slice(1)} must be ${max} characters or fewer` });

const optionalText = (what: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: `${what} must be ${max} characters or fewer` })
    .optional()
    .transform((v) => (v ? v : undefined));

/** The public self-referral form, as the service checks it (the page turns its fields into this). */
export const selfReferralSchema = z.strictObject({
  givenName: text("their first name", 100),
  familyName: text("their last name", 100),
  dateOfBirth: date("their date of birth", "27 3 1950"),
  postcode: optionalText("Postcode", 10),
  phone: optionalText("Phone number", 30).refine((v) => v === undefined || /^[0-9 +()-]{6,30}$/.test(v), {
    error: "Enter a phone number, like 01632 960 001 or 07700 900 982",
  }),
  email: optionalText("Email address", 200).refine(
    (v) => v === undefined || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v),
    {
      error: "Enter an email address in the correct format, like name@example.com",
    },
  ),
  who: z.enum(["self", "on_behalf"], { error: "Select who is filling in this form" }),
  yourName: optionalText("Your name", 200),
  relationship: optionalText("Your relationship to them", 100),
  personKnows: z.enum(["yes", "no"]).optional(),
  supportWanted: text("what help they would like", 2000),
  confirm: z.literal("yes", {
    error: "Confirm you have read the privacy notice and the details are correct",
  }),
});

/**
 * The checks across fields, on the raw form, so they are named alongside every other problem (Zod skips a
 * refinement of an object whose fields already failed).
 */
export function selfReferralCrossFieldErrors(
  raw: Record<string, unknown>,
): { path: string; message: string }[] {
  const filled = (k: string) => typeof raw[k] === "string" && (raw[k] as string).trim() !== "";
  const errors: { path: string; message: string }[] = [];
  if (!filled("phone") && !filled("email")) {
    errors.push({ path: "phone", message: "Enter a phone number or an email address" });
  }
  if (raw.who === "on_behalf") {
    if (!filled("yourName")) errors.push({ path: "yourName", message: "Enter your name" });
    if (!filled("relationship"))
      errors.push({ path: "relationship", message: "Enter your relationship to them" });
    if (raw.personKnows !== "yes" && raw.personKnows !== "no") {
      errors.push({
        path: "personKnows",
        message: "Select whether they know you are asking for help for them",
      });
    }
  }
  return errors;
}
export type SelfReferral = z.infer<typeof selfReferralSchema>;
