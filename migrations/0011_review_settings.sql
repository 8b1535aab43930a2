-- The council's review settings (issue 5): when it holds the first plan review after sign-off and later ones
-- (never later than the statutory limits: reviews/review-dates.calc.ts takes the earlier date), how many days
-- ahead a review counts as "due soon" on the caseload, and how many days it gives itself to answer a request to
-- look at a decision again (a council's own target: the complaints regulations set none). Versioned by the date
-- each applies from, like funding_settings_versions; a version is never changed or removed.
CREATE TABLE review_settings_versions (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  settings_version_id uuid NOT NULL,
  version integer NOT NULL CHECK (version > 0),
  valid_from date NOT NULL,
  -- { planReview: { firstReview?, thenWithinMonths? }, dueSoonDays, lookAgainAnswerDays }, as the service checked.
  settings jsonb NOT NULL,
  reason text NOT NULL CHECK (length(trim(reason)) BETWEEN 1 AND 2000),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, settings_version_id),
  UNIQUE (tenant_id, version)
);
CREATE INDEX review_settings_versions_in_force
  ON review_settings_versions (tenant_id, valid_from DESC, version DESC);

CREATE FUNCTION review_settings_versions_are_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'review settings version % cannot be changed or removed; add a new version',
    OLD.version USING ERRCODE = 'check_violation';
END
$$;
CREATE TRIGGER review_settings_versions_final BEFORE UPDATE OR DELETE ON review_settings_versions
  FOR EACH ROW EXECUTE FUNCTION review_settings_versions_are_final();

ALTER TABLE review_settings_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE review_settings_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON review_settings_versions TO upfront_app
  USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());

GRANT SELECT, INSERT ON review_settings_versions TO upfront_app;
