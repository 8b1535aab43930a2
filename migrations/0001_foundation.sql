-- Foundation: tenants, the app role, staff, sessions, API tokens and the audit trail.
--
-- Row-level security: every tenant-owned table has tenant_id in every key, RLS enabled and FORCEd, and a
-- policy on the per-transaction setting app.tenant_id. Each request transaction runs SET LOCAL ROLE
-- upfront_app, a role that owns nothing and cannot bypass RLS, because the connecting user (PGlite's, and
-- ours on PostgreSQL) is a superuser and a superuser skips RLS.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'upfront_app') THEN
    CREATE ROLE upfront_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
  -- A managed server's connecting user is not a superuser: it needs membership to SET ROLE.
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    EXECUTE format('GRANT upfront_app TO %I', current_user);
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO upfront_app;

-- The tenant the current transaction acts for, or NULL when none is set (then every policy hides all rows).
CREATE OR REPLACE FUNCTION app_tenant_id() RETURNS uuid
  LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;

CREATE TABLE tenants (
  tenant_id uuid PRIMARY KEY,
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9-]{2,40}$'),
  name text NOT NULL,
  jurisdiction text NOT NULL CHECK (jurisdiction IN ('england', 'wales', 'scotland', 'ndis')),
  created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants TO upfront_app
  USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
GRANT SELECT ON tenants TO upfront_app;

CREATE TABLE staff_users (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  user_id uuid NOT NULL,
  email text NOT NULL CHECK (email = lower(email)),
  name text NOT NULL,
  password_hash text NOT NULL,
  roles text[] NOT NULL CHECK (roles <@ ARRAY['social_worker', 'support_planner', 'team_manager',
    'funding_panel_member', 'finance_officer', 'commissioner', 'administrator']::text[]),
  created_at timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz,
  PRIMARY KEY (tenant_id, user_id),
  UNIQUE (tenant_id, email)
);
-- Sign-in looks a user up by email before any tenant is known (the system connection does it).
CREATE INDEX staff_users_email ON staff_users (email);
ALTER TABLE staff_users ENABLE ROW LEVEL SECURITY;
ALTER TABLE staff_users FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON staff_users TO upfront_app
  USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
GRANT SELECT, INSERT, UPDATE ON staff_users TO upfront_app;

-- Sessions and API tokens are found by a secret's hash before the tenant is known, so only the system
-- connection reads them; the app role has no grant at all.
CREATE TABLE sessions (
  tenant_id uuid NOT NULL,
  session_hash text NOT NULL,
  user_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, session_hash),
  FOREIGN KEY (tenant_id, user_id) REFERENCES staff_users (tenant_id, user_id)
);
CREATE UNIQUE INDEX sessions_hash ON sessions (session_hash);
ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE sessions FORCE ROW LEVEL SECURITY;

CREATE TABLE api_tokens (
  tenant_id uuid NOT NULL,
  token_id uuid NOT NULL,
  user_id uuid NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  token_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  PRIMARY KEY (tenant_id, token_id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES staff_users (tenant_id, user_id)
);
CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (token_hash);
ALTER TABLE api_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON api_tokens TO upfront_app
  USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
-- Staff list and revoke their own tokens inside their tenant; creation happens there too.
GRANT SELECT, INSERT, UPDATE (revoked_at) ON api_tokens TO upfront_app;

-- Append-only: the app role may insert and read, never update or delete.
CREATE TABLE audit_events (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  event_id uuid NOT NULL,
  occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  actor_type text NOT NULL CHECK (actor_type IN ('staff', 'person', 'api_token', 'system')),
  actor_id text,
  action text NOT NULL,
  record_type text NOT NULL,
  record_id text NOT NULL,
  changes jsonb,
  PRIMARY KEY (tenant_id, event_id)
);
CREATE INDEX audit_events_record ON audit_events (tenant_id, record_type, record_id);
ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_read ON audit_events FOR SELECT TO upfront_app USING (tenant_id = app_tenant_id());
CREATE POLICY tenant_append ON audit_events FOR INSERT TO upfront_app WITH CHECK (tenant_id = app_tenant_id());
GRANT SELECT, INSERT ON audit_events TO upfront_app;
