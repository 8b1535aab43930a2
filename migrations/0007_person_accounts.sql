-- People sign in too: accounts for budget holders and their representatives, their sessions, the one-time
-- codes staff give them to link an account to a person's record, representatives with their kind, authority
-- and scope, and each council's GOV.UK One Login (OpenID Connect) settings.
--
-- Every key carries tenant_id (primary, foreign and unique), every table has RLS enabled and FORCEd. Like staff
-- sessions, person sessions and claim codes are found by a secret's hash before the tenant is known, so that
-- look-up is the owner connection's; an index on the hash alone serves it, while the unique keys keep tenant_id.

-- An account is how someone signs in: a local one (email and argon2id password) or a One Login one (the
-- provider's stable subject identifier), never both. It may be linked to the person's own record (person_id)
-- and may represent other people (representatives.account_id); until a code is claimed it can see nothing.
CREATE TABLE person_accounts (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  account_id uuid NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  email text CHECK (email = lower(email) AND length(email) <= 320),
  password_hash text,
  one_login_sub text CHECK (length(one_login_sub) BETWEEN 1 AND 255),
  person_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz,
  PRIMARY KEY (tenant_id, account_id),
  -- A person has at most one account linked to their record.
  UNIQUE (tenant_id, person_id),
  UNIQUE (tenant_id, one_login_sub),
  FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, person_id),
  CHECK ((password_hash IS NULL) <> (one_login_sub IS NULL)),
  CHECK (password_hash IS NULL OR email IS NOT NULL)
);
-- Local accounts sign in by email: unique within a council, looked up across councils by the owner connection.
CREATE UNIQUE INDEX person_accounts_local_email ON person_accounts (tenant_id, email)
  WHERE password_hash IS NOT NULL;
CREATE INDEX person_accounts_email_lookup ON person_accounts (email) WHERE password_hash IS NOT NULL;

-- Owner only, as staff sessions are: the app role has no grant at all.
CREATE TABLE person_sessions (
  tenant_id uuid NOT NULL,
  session_hash text NOT NULL,
  account_id uuid NOT NULL,
  method text NOT NULL CHECK (method IN ('local', 'one_login')),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, session_hash),
  FOREIGN KEY (tenant_id, account_id) REFERENCES person_accounts (tenant_id, account_id)
);
CREATE INDEX person_sessions_hash ON person_sessions (session_hash);

-- Someone who acts for a person, of one kind, within a scope. The kinds:
--   family_or_friend          chosen by the person, only with the person's consent, which they can withdraw
--   independent_advocate      Care Act 2014 s67, for people who would otherwise have substantial difficulty
--                             being involved; the person may say they do not want one
--   lasting_power_of_attorney registered with the Office of the Public Guardian; the type says what it covers
--   deputy                    appointed by the Court of Protection; the type says what it covers
--   suitable_person           receives and manages a direct payment for someone who lacks capacity (s32)
-- A representative with no account yet (account_id NULL) can be given a code to claim. Rows are never deleted:
-- an ended or withdrawn one stays as the record of who could act, and when.
CREATE TABLE representatives (
  tenant_id uuid NOT NULL,
  representative_id uuid NOT NULL,
  person_id uuid NOT NULL,
  account_id uuid,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  relationship text CHECK (length(relationship) <= 200),
  kind text NOT NULL CHECK (kind IN ('family_or_friend', 'independent_advocate', 'lasting_power_of_attorney',
    'deputy', 'suitable_person')),
  authority_type text CHECK (authority_type IN ('property_and_financial_affairs', 'health_and_welfare',
    'personal_welfare')),
  authority_reference text CHECK (length(authority_reference) BETWEEN 1 AND 100),
  scopes text[] NOT NULL CHECK (scopes <@ ARRAY['view', 'edit_plan', 'manage_money', 'ask_for_review']::text[]
    AND 'view' = ANY (scopes)),
  starts_on date NOT NULL,
  ends_on date CHECK (ends_on >= starts_on),
  consent_given_at timestamptz,
  consent_given_how text CHECK (consent_given_how IN ('online', 'told_staff', 'in_writing')),
  consent_withdrawn_at timestamptz,
  ended_at timestamptz,
  ended_by text,
  ended_reason text CHECK (length(ended_reason) BETWEEN 1 AND 500),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, representative_id),
  FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, person_id),
  FOREIGN KEY (tenant_id, account_id) REFERENCES person_accounts (tenant_id, account_id),
  -- The authority is recorded, with its type, exactly for attorneys and deputies; and only the types each has.
  CHECK ((kind IN ('lasting_power_of_attorney', 'deputy')) = (authority_type IS NOT NULL AND authority_reference IS NOT NULL)),
  CHECK (kind <> 'lasting_power_of_attorney' OR authority_type IN ('property_and_financial_affairs', 'health_and_welfare')),
  CHECK (kind <> 'deputy' OR authority_type IN ('property_and_financial_affairs', 'personal_welfare')),
  -- Only a friend or family member the person nominated, a suitable person, or an attorney or deputy for
  -- property and financial affairs may manage money (access.calc.ts says the same; this is the hard line).
  CHECK (NOT ('manage_money' = ANY (scopes)) OR (kind IN ('family_or_friend', 'suitable_person')
    OR authority_type = 'property_and_financial_affairs')),
  CHECK ((consent_given_at IS NULL) = (consent_given_how IS NULL)),
  CHECK ((ended_at IS NULL) = (ended_by IS NULL))
);
CREATE INDEX representatives_person ON representatives (tenant_id, person_id);
CREATE INDEX representatives_account ON representatives (tenant_id, account_id) WHERE account_id IS NOT NULL;
-- An account represents a person through one current record at a time.
CREATE UNIQUE INDEX representatives_one_current ON representatives (tenant_id, person_id, account_id)
  WHERE account_id IS NOT NULL AND ended_at IS NULL AND consent_withdrawn_at IS NULL;

-- A code a member of staff gives a person (or their representative) to link an account to the record. Stored
-- only as its SHA-256; one-time (used_at) and expiring; a new code for the same target revokes the old one.
CREATE TABLE person_claim_codes (
  tenant_id uuid NOT NULL,
  claim_id uuid NOT NULL,
  person_id uuid NOT NULL,
  representative_id uuid,
  code_hash text NOT NULL,
  expires_at timestamptz NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  used_at timestamptz,
  used_by_account_id uuid,
  revoked_at timestamptz,
  PRIMARY KEY (tenant_id, claim_id),
  UNIQUE (tenant_id, code_hash),
  FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, person_id),
  FOREIGN KEY (tenant_id, representative_id) REFERENCES representatives (tenant_id, representative_id),
  FOREIGN KEY (tenant_id, used_by_account_id) REFERENCES person_accounts (tenant_id, account_id),
  CHECK ((used_at IS NULL) = (used_by_account_id IS NULL))
);
CREATE INDEX person_claim_codes_hash ON person_claim_codes (code_hash);
CREATE INDEX person_claim_codes_person ON person_claim_codes (tenant_id, person_id);

-- GOV.UK One Login (or another OpenID provider) for one council. The secret (a client secret, or the private
-- key in PEM for private_key_jwt, which One Login uses) is written by the app role but read only by the owner
-- connection, at sign-in: the app role's SELECT grant leaves that column out.
CREATE TABLE one_login_settings (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  issuer_url text NOT NULL CHECK (issuer_url ~ '^https?://[^\s]+$'),
  client_id text NOT NULL CHECK (length(client_id) BETWEEN 1 AND 255),
  client_auth text NOT NULL CHECK (client_auth IN ('private_key_jwt', 'client_secret_post',
    'client_secret_basic')),
  client_secret text NOT NULL,
  -- One Login's vector of trust, e.g. ["Cl.Cm"]; NULL sends none (another provider).
  vtr text CHECK (length(vtr) <= 100),
  enabled boolean NOT NULL DEFAULT true,
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['person_accounts', 'representatives', 'person_claim_codes',
    'one_login_settings'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I TO upfront_app
      USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())', t);
  END LOOP;
END
$$;
-- No policy and no grant: only the owner connection reads or writes person sessions.
ALTER TABLE person_sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE person_sessions FORCE ROW LEVEL SECURITY;

-- The app role never reads a password hash (sign-in is the owner connection's); it sets one when a code is
-- claimed with a new local account.
GRANT SELECT (tenant_id, account_id, name, email, one_login_sub, person_id, created_at, disabled_at),
  INSERT, UPDATE (person_id, disabled_at) ON person_accounts TO upfront_app;
GRANT SELECT, INSERT, UPDATE (account_id, consent_given_at, consent_given_how, consent_withdrawn_at, ended_at,
  ended_by, ended_reason) ON representatives TO upfront_app;
GRANT SELECT, INSERT, UPDATE (used_at, used_by_account_id, revoked_at) ON person_claim_codes TO upfront_app;
GRANT SELECT (tenant_id, issuer_url, client_id, client_auth, vtr, enabled, updated_by, updated_at),
  INSERT, UPDATE ON one_login_settings TO upfront_app;
