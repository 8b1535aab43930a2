import { z } from "zod";
import {
  CORRESPONDENCE_LANGUAGES,
  type CorrespondenceFields,
  correspondenceFieldsOf,
  defaultLetterFormat,
  LETTER_CHANNELS,
  LETTER_FORMATS,
  type LetterFormat,
} from "#/features/people/correspondence.calc.ts";
import * as repo from "#/features/people/repository.ts";
import { audit } from "#/platform/audit/audit.ts";
import { inTenant, type ServiceContext } from "#/platform/context.ts";
import { NotFoundError, ValidationError } from "#/platform/errors.ts";
import { fieldErrorsFrom } from "#/platform/validation.ts";

/**
 * A person's correspondence preferences (issue 16): how letters go, whether texts may be sent, the letter format
 * and the language. Welsh Language Standards: ask, record, and use the answer from then on; Accessible Information
 * Standard: the format follows the recorded communication needs until the person chooses one.
 */

export type CorrespondencePreferences = CorrespondenceFields & {
  personId: string;
  /** The chosen format, or, until one is chosen, the one the communication needs call for. */
  effectiveLetterFormat: LetterFormat;
  /** The contact details as recorded on the person, which the channels use. */
  email: string | null;
  mobile: string | null;
  communicationNeeds: string[] | null;
};

export const correspondenceSchema = z
  .object({
    letterChannel: z.enum(LETTER_CHANNELS, { error: "Select how letters should be sent" }),
    textsAllowed: z.boolean({ error: "Select whether text messages may be sent" }),
    letterFormat: z.enum(LETTER_FORMATS, { error: "Select the letter format" }),
    correspondenceLanguage: z.enum(CORRESPONDENCE_LANGUAGES, {
      error: "Select the language for letters: English or Welsh",
    }),
  })
  .strict();

export type CorrespondenceInput = z.infer<typeof correspondenceSchema>;

function toPreferences(row: repo.PersonRow): CorrespondencePreferences {
  const fields = correspondenceFieldsOf(row);
  return {
    personId: row.person_id,
    ...fields,
    effectiveLetterFormat: fields.letterFormat ?? defaultLetterFormat(row.communication_needs),
    email: row.email,
    mobile: row.phone,
    communicationNeeds: row.communication_needs,
  };
}

/** A person's correspondence preferences, audited as a view of the record. */
export async function getCorrespondence(
  ctx: ServiceContext,
  personId: string,
): Promise<CorrespondencePreferences> {
  return inTenant(ctx, async ({ tx }) => {
    const row = await repo.findPerson(tx, personId);
    if (!row) throw new NotFoundError("No such person");
    await audit(tx, { action: "view", recordType: "person", recordId: row.person_id });
    return toPreferences(row);
  });
}

/**
 * Records the preferences, in one transaction with its audit event. Refused, saying what to fix: an email channel
 * when no email address is recorded, and texts when no phone number is recorded.
 */
export async function setCorrespondence(
  ctx: ServiceContext,
  personId: string,
  input: unknown,
): Promise<CorrespondencePreferences> {
  const parsed = correspondenceSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(fieldErrorsFrom(parsed.error));
  const prefs = parsed.data;
  return inTenant(ctx, async ({ tx }) => {
    const row = await repo.findPerson(tx, personId);
    if (!row) throw new NotFoundError("No such person");
    const problems = [];
    if (prefs.letterChannel !== "post" && !row.email) {
      problems.push({
        path: "letterChannel",
        message:
          "No email address is recorded for this person: choose By post, or record their email address first",
      });
    }
    if (prefs.textsAllowed && !row.phone) {
      problems.push({
        path: "textsAllowed",
        message: "No mobile number is recorded for this person: choose No, or record their number first",
      });
    }
    if (problems.length > 0) throw new ValidationError(problems);
    const values = {
      letter_channel: prefs.letterChannel,
      texts_allowed: prefs.textsAllowed,
      letter_format: prefs.letterFormat,
      correspondence_language: prefs.correspondenceLanguage,
    };
    await repo.updateCorrespondence(tx, personId, values);
    await audit(tx, {
      action: "update",
      recordType: "person",
      recordId: personId,
      changes: { correspondence: prefs },
    });
    return toPreferences({ ...row, ...values });
  });
}
