-- The public fairness dashboard's settings, per council and dated (issue 15): figures about fewer people than
-- `suppress_fewer_than` are hidden, and a group is named when its budget per need point differs from everyone's
-- by more than `margin_percent`. Until a council sets its own, the rules' defaults apply (10 people, 10%).
-- Kept, never changed: a new setting is a new row from its date, with who set it and why.
CREATE TABLE fairness_settings (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  valid_from date NOT NULL,
  suppress_fewer_than integer NOT NULL CHECK (suppress_fewer_than BETWEEN 2 AND 1000),
  margin_percent integer NOT NULL CHECK (margin_percent BETWEEN 1 AND 100),
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, valid_from)
);

ALTER TABLE fairness_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE fairness_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON fairness_settings TO upfront_app
  USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());

GRANT SELECT, INSERT ON fairness_settings TO upfront_app;
