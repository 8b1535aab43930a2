-- Sign-in throttling and idle sessions (issue 13).
--
-- Failed sign-in attempts are counted per account (a keyed hash of the email, lower-cased, or of the account a
-- code is claimed for) and per client address, in the database, so a restart or a second server does not reset
-- them. Only failures count: a successful sign-in forgets its account's count. After a few failures each further
-- attempt waits a growing delay (capped), never a lock-out. A row is forgotten once quiet for a window after its
-- wait, and deleted on a later write.
--
-- Sign-in comes before a council is known (an email may have accounts in several councils), so like sessions this
-- table is not a tenant's: it has no tenant_id, and only the owner connection reads or writes it (RLS enabled and
-- forced, no policy, no grant). It holds no email or address, only their HMAC with the app's secret.
CREATE TABLE sign_in_throttles (
  kind text NOT NULL CHECK (kind IN ('account', 'address')),
  key_hash text NOT NULL CHECK (length(key_hash) BETWEEN 16 AND 100),
  failures integer NOT NULL CHECK (failures >= 0),
  wait_until timestamptz NOT NULL,
  forget_at timestamptz NOT NULL,
  PRIMARY KEY (kind, key_hash)
);
CREATE INDEX sign_in_throttles_forget ON sign_in_throttles (forget_at);
ALTER TABLE sign_in_throttles ENABLE ROW LEVEL SECURITY;
ALTER TABLE sign_in_throttles FORCE ROW LEVEL SECURITY;

-- Sessions end after a time without use (SESSION_IDLE_MINUTES) as well as at their fixed limit.
ALTER TABLE sessions ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE person_sessions ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now();
