-- The council's provider and service directory, and its funding settings (Upfront issue 5).
--
-- DIRECTORY. Providers (organisations, user-led organisations, personal assistants), their services and the
-- locations services are offered at, shaped like Open Referral UK (src/features/directory/schemas.ts): ids are
-- the directory's own (text, as HSDS gives them; a provider added on a page gets a UUIDv7), so a re-import
-- updates the same records and a plan can name a provider by the id the council's other systems use. A
-- service's areas, prices and other classifications are jsonb in the directory model's own shape; its support
-- categories are a text[] so the directory can be searched by them. `position` keeps the order of the
-- directory as imported, so an export reads like the file it came from. One row of settings per tenant: may
-- a plan use providers that are not on the approved list.
--
-- FUNDING. Each change to the council's funding settings is a new, dated version, never changed or removed:
-- the funding streams (with their support categories, whether means-tested and the pot for each financial
-- year), the payer order per support category, the scheme of delegated authority for plans and the policy
-- for allocation overrides, validated together (src/features/funding/service.ts). The version in force on a
-- date is the one with the latest valid_from on or before it; of two from the same day, the later recorded
-- (the higher version number), so a correction replaces a mistake while both stay on record.
-- funding_streams lists every stream id a version has used: an id always means the same stream (its kind
-- cannot change), so budgets (a later issue) can refer to a stream by a foreign key.

CREATE TABLE directory_settings (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  allow_off_approved_list boolean NOT NULL,
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id)
);

CREATE TABLE directory_providers (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  provider_id text NOT NULL CHECK (provider_id ~ '^\S{1,100}$'),
  position integer NOT NULL CHECK (position >= 0),
  name text NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 500),
  description text,
  email text,
  website text,
  kind text NOT NULL CHECK (kind IN ('organisation', 'user_led_organisation', 'personal_assistant')),
  approved_list boolean NOT NULL,
  identifiers jsonb NOT NULL DEFAULT '[]'::jsonb,
  other_terms jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, provider_id)
);
CREATE INDEX directory_providers_name ON directory_providers (tenant_id, lower(name));

CREATE TABLE directory_locations (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  location_id text NOT NULL CHECK (location_id ~ '^\S{1,100}$'),
  position integer NOT NULL CHECK (position >= 0),
  name text,
  description text,
  latitude double precision CHECK (latitude BETWEEN -90 AND 90),
  longitude double precision CHECK (longitude BETWEEN -180 AND 180),
  addresses jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, location_id)
);

CREATE TABLE directory_services (
  tenant_id uuid NOT NULL,
  service_id text NOT NULL CHECK (service_id ~ '^\S{1,100}$'),
  provider_id text NOT NULL,
  position integer NOT NULL CHECK (position >= 0),
  name text NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 500),
  description text,
  url text,
  email text,
  status text NOT NULL CHECK (status IN ('active', 'inactive', 'defunct', 'temporarily closed')),
  categories text[] NOT NULL DEFAULT '{}',
  other_terms jsonb NOT NULL DEFAULT '[]'::jsonb,
  service_areas jsonb NOT NULL DEFAULT '[]'::jsonb,
  cost_options jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, service_id),
  FOREIGN KEY (tenant_id, provider_id) REFERENCES directory_providers (tenant_id, provider_id)
);
CREATE INDEX directory_services_provider ON directory_services (tenant_id, provider_id);

-- Where a service is offered (Open Referral's service_at_location), in the service's order.
CREATE TABLE directory_service_locations (
  tenant_id uuid NOT NULL,
  service_id text NOT NULL,
  link_id text NOT NULL CHECK (link_id ~ '^\S{1,100}$'),
  location_id text NOT NULL,
  position integer NOT NULL CHECK (position >= 0),
  PRIMARY KEY (tenant_id, service_id, link_id),
  FOREIGN KEY (tenant_id, service_id) REFERENCES directory_services (tenant_id, service_id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, location_id) REFERENCES directory_locations (tenant_id, location_id)
);
CREATE INDEX directory_service_locations_location ON directory_service_locations (tenant_id, location_id);

CREATE TABLE funding_streams (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  stream_id text NOT NULL CHECK (stream_id ~ '^[a-z][a-z0-9_-]{0,63}$'),
  kind text NOT NULL CHECK (kind IN ('adult_social_care', 'nhs_personal_health_budget', 'employment_support',
    'housing_related_support', 'disabled_facilities_grant', 'independent_living_fund', 'other')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, stream_id)
);

CREATE TABLE funding_settings_versions (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  settings_version_id uuid NOT NULL,
  version integer NOT NULL CHECK (version > 0),
  valid_from date NOT NULL,
  -- { streams, payerOrder, delegatedAuthority, allocationOverridePolicy }, as the service validated them.
  settings jsonb NOT NULL,
  reason text NOT NULL CHECK (length(trim(reason)) BETWEEN 1 AND 2000),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, settings_version_id),
  UNIQUE (tenant_id, version)
);
CREATE INDEX funding_settings_versions_in_force
  ON funding_settings_versions (tenant_id, valid_from DESC, version DESC);

-- A version is a record of what the council decided, from when: never changed or removed.
CREATE FUNCTION funding_settings_versions_are_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'funding settings version % cannot be changed or removed; add a new version',
    OLD.version USING ERRCODE = 'check_violation';
END
$$;
CREATE TRIGGER funding_settings_versions_final BEFORE UPDATE OR DELETE ON funding_settings_versions
  FOR EACH ROW EXECUTE FUNCTION funding_settings_versions_are_final();

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['directory_settings', 'directory_providers', 'directory_locations',
    'directory_services', 'directory_service_locations', 'funding_streams', 'funding_settings_versions'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I TO upfront_app
      USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())', t);
  END LOOP;
END
$$;

-- The directory is edited on pages and replaced or merged by an import; every change is audited by the service.
GRANT SELECT, INSERT, UPDATE ON directory_settings TO upfront_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON directory_providers TO upfront_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON directory_locations TO upfront_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON directory_services TO upfront_app;
GRANT SELECT, INSERT, DELETE ON directory_service_locations TO upfront_app;
-- Funding settings only grow.
GRANT SELECT, INSERT ON funding_streams TO upfront_app;
GRANT SELECT, INSERT ON funding_settings_versions TO upfront_app;
