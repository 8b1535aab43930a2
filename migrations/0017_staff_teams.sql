-- Staff administration and teams (issue 11): administrators add staff, who set their own password through a
-- one-time link; each member of staff belongs to one team, so caseloads and reports can be by team; and
-- deactivating someone ends their sessions at once.
--
-- Every key carries tenant_id; every new table has RLS enabled and FORCEd with the tenant policy.

-- A team: a name, unique within the council.
CREATE TABLE teams (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  team_id uuid NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, team_id),
  UNIQUE (tenant_id, name)
);

-- Each member of staff is in at most one team (none until an administrator chooses one).
ALTER TABLE staff_users ADD COLUMN team_id uuid;
ALTER TABLE staff_users ADD CONSTRAINT staff_users_team
  FOREIGN KEY (tenant_id, team_id) REFERENCES teams (tenant_id, team_id);
CREATE INDEX staff_users_team ON staff_users (tenant_id, team_id);
-- Someone just added has no password until they set one with their link: nothing can sign in as them.
ALTER TABLE staff_users ALTER COLUMN password_hash DROP NOT NULL;

-- A one-time link to set a password. Stored only as the SHA-256 of its secret; single use (used_at) and
-- expiring; a newer link for the same person revokes the older one. Found by the hash before the tenant is
-- known (the owner connection does that look-up), then used inside the tenant's transaction.
CREATE TABLE staff_password_links (
  tenant_id uuid NOT NULL,
  link_id uuid NOT NULL,
  user_id uuid NOT NULL,
  token_hash text NOT NULL,
  expires_at timestamptz NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  used_at timestamptz,
  revoked_at timestamptz,
  PRIMARY KEY (tenant_id, link_id),
  UNIQUE (tenant_id, token_hash),
  FOREIGN KEY (tenant_id, user_id) REFERENCES staff_users (tenant_id, user_id)
);
CREATE INDEX staff_password_links_hash ON staff_password_links (token_hash);
CREATE INDEX staff_password_links_user ON staff_password_links (tenant_id, user_id);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['teams', 'staff_password_links'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I TO upfront_app
      USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())', t);
  END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE (name) ON teams TO upfront_app;
GRANT SELECT, INSERT, UPDATE (used_at, revoked_at) ON staff_password_links TO upfront_app;

-- Deactivating a member of staff deletes their sessions in the same tenant transaction. The app role may see
-- whose a session is and delete it, within its tenant, but never read the hash (sessions are still found by
-- their hash only through the owner connection).
CREATE POLICY tenant_isolation ON sessions TO upfront_app
  USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
GRANT SELECT (tenant_id, user_id), DELETE ON sessions TO upfront_app;

-- A council's ONS (GSS) code, given when it is created from the command line (`upfront tenant create`): E06–E10
-- for English councils, W06 Welsh, S12 Scottish, then six digits (src/rules/uk/councils.ts). Unique: one
-- council, one tenant. Null for councils made before this (the demo).
ALTER TABLE tenants ADD COLUMN ons_code text UNIQUE CHECK (ons_code ~ '^(E0[6-9]|E10|W06|S12)[0-9]{6}$');
