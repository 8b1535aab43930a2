/**
 * How a person's letters are written and sent (issue 16): pure rules over what is recorded.
 *
 * Accessible Information Standard (DCB1605): identify, record, flag, share and meet a person's information and
 * communication needs. A letter format the person has not chosen follows the needs recorded: braille, then Easy
 * Read, then large print (the first that is recorded, in that order, since braille cannot be read any other way
 * and Easy Read is already in large type), else standard.
 */

export const LETTER_CHANNELS = ["post", "email", "post_and_email"] as const;
export type LetterChannel = (typeof LETTER_CHANNELS)[number];

export const LETTER_FORMATS = ["standard", "large_print", "easy_read", "braille"] as const;
export type LetterFormat = (typeof LETTER_FORMATS)[number];

export const CORRESPONDENCE_LANGUAGES = ["en", "cy"] as const;
export type CorrespondenceLanguage = (typeof CORRESPONDENCE_LANGUAGES)[number];

export const LETTER_CHANNEL_TEXT: Record<LetterChannel, string> = {
  post: "By post",
  email: "By email",
  post_and_email: "By post and by email",
};

export const LETTER_FORMAT_TEXT: Record<LetterFormat, string> = {
  standard: "Standard print",
  large_print: "Large print",
  easy_read: "Easy Read",
  braille: "Braille",
};

export const LANGUAGE_TEXT: Record<CorrespondenceLanguage, string> = { en: "English", cy: "Welsh (Cymraeg)" };

/** The communication-need codes (src/rules/england/person-fields.ts) that call for a letter format, in priority order. */
const FORMAT_FOR_NEED: readonly [string, LetterFormat][] = [
  ["braille", "braille"],
  ["easy-read", "easy_read"],
  ["large-print", "large_print"],
];

/** The letter format the recorded communication needs call for, when the person has not chosen one. */
export function defaultLetterFormat(needs: readonly string[] | null): LetterFormat {
  for (const [need, format] of FORMAT_FOR_NEED) if (needs?.includes(need)) return format;
  return "standard";
}

export const isLetterChannel = (v: string): v is LetterChannel =>
  (LETTER_CHANNELS as readonly string[]).includes(v);
export const isLetterFormat = (v: string): v is LetterFormat =>
  (LETTER_FORMATS as readonly string[]).includes(v);
export const isCorrespondenceLanguage = (v: string): v is CorrespondenceLanguage =>
  (CORRESPONDENCE_LANGUAGES as readonly string[]).includes(v);

/** The preferences as a person's record carries them; null: not asked yet. */
export type CorrespondenceFields = {
  letterChannel: LetterChannel | null;
  textsAllowed: boolean | null;
  /** What was chosen; null: not chosen, so letters follow the communication needs (`defaultLetterFormat`). */
  letterFormat: LetterFormat | null;
  correspondenceLanguage: CorrespondenceLanguage | null;
};

type CorrespondenceColumns = {
  letter_channel: string | null;
  texts_allowed: boolean | null;
  letter_format: string | null;
  correspondence_language: string | null;
};

/** The columns as the record's fields; the database's CHECKs hold them to the lists above. */
export function correspondenceFieldsOf(row: CorrespondenceColumns): CorrespondenceFields {
  return {
    letterChannel:
      row.letter_channel !== null && isLetterChannel(row.letter_channel) ? row.letter_channel : null,
    textsAllowed: row.texts_allowed,
    letterFormat: row.letter_format !== null && isLetterFormat(row.letter_format) ? row.letter_format : null,
    correspondenceLanguage:
      row.correspondence_language !== null && isCorrespondenceLanguage(row.correspondence_language)
        ? row.correspondence_language
        : null,
  };
}
