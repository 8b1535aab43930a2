-- Issue 16, how each person wants to be told: correspondence preferences on the person (people feature).
--
-- letter_channel: how letters go (post, email, or both); texts_allowed: whether text messages may be sent to the
-- mobile number already recorded (people.phone); letter_format: standard, large print, Easy Read or braille
-- (Accessible Information Standard: meet the recorded need); correspondence_language: en or cy (Welsh Language
-- Standards: ask, record, and use the answer from then on). NULL in all four means "not asked yet": letters then
-- go by post, in the format the communication needs call for, in the council's default language.
--
-- The people table already has row-level security by tenant (0001, 0025); new columns are covered by it.
ALTER TABLE people
  ADD COLUMN letter_channel text CHECK (letter_channel IN ('post', 'email', 'post_and_email')),
  ADD COLUMN texts_allowed boolean,
  ADD COLUMN letter_format text CHECK (letter_format IN ('standard', 'large_print', 'easy_read', 'braille')),
  ADD COLUMN correspondence_language text CHECK (correspondence_language IN ('en', 'cy')),
  -- An email channel needs an email address: the service refuses it with a message, and the database agrees.
  ADD CONSTRAINT people_letter_channel_email CHECK (letter_channel IS NULL OR letter_channel = 'post' OR email IS NOT NULL);

-- Representatives (accounts feature): a receive_letters scope, so a representative who holds it gets a copy of every
-- letter the person gets (issue 16, "Letters"). Every kind may hold it (src/features/accounts/access.calc.ts).
ALTER TABLE representatives DROP CONSTRAINT representatives_scopes_check;
ALTER TABLE representatives ADD CONSTRAINT representatives_scopes_check
  CHECK (scopes <@ ARRAY['view', 'edit_plan', 'manage_money', 'ask_for_review', 'receive_letters']::text[]
    AND 'view' = ANY (scopes));
