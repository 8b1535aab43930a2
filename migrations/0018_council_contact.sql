-- The council's contact details (issue 11): phone, email, postal address and opening hours, shown on every
-- decision page, estimator result and the council's public pages. One current row per council, not dated
-- versions: unlike a rule or a policy, no decision is made "under" a phone number, and a letter reread later
-- should tell the person how to reach the council now. Each change is an audit event holding the old and
-- new details, so the history is still there.
CREATE TABLE council_contact_details (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  phone text NOT NULL CHECK (length(trim(phone)) BETWEEN 1 AND 40),
  email text NOT NULL CHECK (length(trim(email)) BETWEEN 3 AND 254),
  address_line_1 text NOT NULL CHECK (length(trim(address_line_1)) BETWEEN 1 AND 200),
  address_line_2 text CHECK (length(trim(address_line_2)) BETWEEN 1 AND 200),
  town text NOT NULL CHECK (length(trim(town)) BETWEEN 1 AND 100),
  county text CHECK (length(trim(county)) BETWEEN 1 AND 100),
  postcode text NOT NULL CHECK (length(trim(postcode)) BETWEEN 5 AND 8),
  opening_hours text NOT NULL CHECK (length(trim(opening_hours)) BETWEEN 1 AND 500),
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id)
);

ALTER TABLE council_contact_details ENABLE ROW LEVEL SECURITY;
ALTER TABLE council_contact_details FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON council_contact_details TO upfront_app
  USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());

-- Set and changed by administrators; never removed (a council always needs a way to be reached).
GRANT SELECT, INSERT, UPDATE ON council_contact_details TO upfront_app;
