import { z } from "zod";

/**
 * What a staff password must be, following the GOV.UK Service Manual and NCSC password guidance: long enough,
 * not one of the passwords people use most, and nothing else (no rules about symbols or capitals, no expiry).
 * Kept simple and stated on the page, so people know what to fix.
 */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

export const PASSWORD_HINT = `Use at least ${PASSWORD_MIN_LENGTH} characters. Three random words together work well. Do not use a commonly used password like "password123".`;

// A short deny-list of the most used passwords of 10 or more characters (from the NCSC's list of passwords seen in
// breaches). Anything shorter is already refused by the length rule.
const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  "1234567890",
  "0123456789",
  "0987654321",
  "1111111111",
  "0000000000",
  "1q2w3e4r5t",
  "qwertyuiop",
  "1qaz2wsx3edc",
  "password123",
  "password1234",
  "password12",
  "passw0rd123",
  "iloveyou123",
  "qwerty1234",
  "qwerty12345",
  "qwerty123456",
  "abcdefghij",
  "abc1234567",
  "letmein123",
  "welcome123",
  "administrator",
  "changeme123",
  "football123",
  "monkey12345",
  "sunshine123",
  "princess123",
  "1234qwerty",
  "123456789a",
  "a123456789",
  "1234567890a",
  "12345678910",
  "123123123123",
  "upfront123",
  "upfrontupfront",
]);

/** A new password: refuses too short, too long and common ones, with a message saying what to do. */
export const newPasswordSchema = z
  .string({ error: "Enter a new password" })
  .min(1, { error: "Enter a new password" })
  .min(PASSWORD_MIN_LENGTH, { error: `Your password must be at least ${PASSWORD_MIN_LENGTH} characters` })
  .max(PASSWORD_MAX_LENGTH, { error: `Your password must be ${PASSWORD_MAX_LENGTH} characters or fewer` })
  .refine((p) => !COMMON_PASSWORDS.has(p.toLowerCase()), {
    error: "That password is too common: choose one that is harder to guess, such as three random words",
  });
