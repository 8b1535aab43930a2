-- Financial assessments (charging for care outside a care home) and the council's charging settings.
--
-- A financial assessment is versioned like an assessment: a draft is filled in page by page; completing it
-- runs the charging calculator and stores, with it, the calculator's input, the council-supplied figures in
-- force and the result (which names every rule pack it used). A completed one is never changed or removed; a
-- change is a new version. Money in the result is whole pence (jsonb numbers); the headline contribution is a
-- column for listing.
--
-- Charging settings are per tenant and dated: versions of the council's charging policy (the calculator's
-- CouncilPolicyVersion shape), and figures the council supplies for figures a rule pack marks unsupported, each
-- with the source it cites. A completed assessment keeps its own copy of the settings it was worked out with,
-- so changing the settings never changes a past result.

CREATE TABLE financial_assessments (
  tenant_id uuid NOT NULL,
  financial_assessment_id uuid NOT NULL,
  person_id uuid NOT NULL,
  version integer NOT NULL CHECK (version > 0),
  previous_financial_assessment_id uuid,
  status text NOT NULL CHECK (status IN ('draft', 'completed')),
  -- The pages' answers so far (a draft), or as completed.
  answers jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- Set on completion: exactly what the calculator was given, and what it said.
  calculator_input jsonb,
  supplied_figures jsonb,
  result jsonb,
  rule_pack_ids text[],
  assessment_kind text CHECK (assessment_kind IN ('full', 'light_touch', 'nothing_to_charge')),
  applies_from date,
  applies_to date,
  weekly_contribution_pence bigint CHECK (weekly_contribution_pence >= 0),
  cost_of_care_weekly_pence bigint CHECK (cost_of_care_weekly_pence >= 0),
  cost_of_care_basis text CHECK (cost_of_care_basis IN ('agreed_plan', 'indicative_budget', 'estimate')),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  completed_by text,
  completed_at timestamptz,
  PRIMARY KEY (tenant_id, financial_assessment_id),
  UNIQUE (tenant_id, person_id, version),
  FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, person_id),
  FOREIGN KEY (tenant_id, previous_financial_assessment_id)
    REFERENCES financial_assessments (tenant_id, financial_assessment_id),
  CHECK (applies_to IS NULL OR applies_to >= applies_from),
  CHECK (
    (status = 'draft' AND completed_at IS NULL AND completed_by IS NULL AND result IS NULL
      AND calculator_input IS NULL)
    OR (status = 'completed' AND completed_at IS NOT NULL AND completed_by IS NOT NULL AND result IS NOT NULL
      AND calculator_input IS NOT NULL AND supplied_figures IS NOT NULL AND rule_pack_ids IS NOT NULL
      AND assessment_kind IS NOT NULL AND applies_from IS NOT NULL AND weekly_contribution_pence IS NOT NULL
      AND cost_of_care_weekly_pence IS NOT NULL AND cost_of_care_basis IS NOT NULL)
  )
);
CREATE INDEX financial_assessments_person ON financial_assessments (tenant_id, person_id, version DESC);
-- At most one draft per person at a time.
CREATE UNIQUE INDEX financial_assessments_one_draft ON financial_assessments (tenant_id, person_id)
  WHERE status = 'draft';

-- A completed financial assessment is a record of what the person was told they pay: never changed or removed.
CREATE FUNCTION financial_assessments_completed_are_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'completed' THEN
    RAISE EXCEPTION 'financial assessment % is completed and cannot be changed; start a new version',
      OLD.financial_assessment_id USING ERRCODE = 'check_violation';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
CREATE TRIGGER financial_assessments_final BEFORE UPDATE OR DELETE ON financial_assessments
  FOR EACH ROW EXECUTE FUNCTION financial_assessments_completed_are_final();

-- One dated version of the council's charging policy. Overlaps are refused by the service (under a lock on
-- the tenant's settings); no btree_gist exclusion, so the same SQL runs on PGlite.
CREATE TABLE charging_policy_versions (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  policy_version_id uuid NOT NULL,
  valid_from date NOT NULL,
  valid_to date,
  -- The calculator's CouncilPolicyVersion (validFrom/validTo repeated inside, kept equal by the service).
  policy jsonb NOT NULL,
  -- Where the council decided it (a cabinet decision, a published policy), in its own words.
  reference text NOT NULL CHECK (length(trim(reference)) BETWEEN 1 AND 500),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, policy_version_id),
  UNIQUE (tenant_id, valid_from),
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);

-- A figure the council supplies for one a rule pack marks unsupported, dated, with the source it cites.
CREATE TABLE charging_supplied_figures (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  supplied_figure_id uuid NOT NULL,
  figure text NOT NULL CHECK (length(figure) BETWEEN 1 AND 80),
  valid_from date NOT NULL,
  valid_to date,
  pence bigint NOT NULL CHECK (pence >= 0),
  source text NOT NULL CHECK (length(trim(source)) BETWEEN 3 AND 500),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, supplied_figure_id),
  UNIQUE (tenant_id, figure, valid_from),
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['financial_assessments', 'charging_policy_versions', 'charging_supplied_figures'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I TO upfront_app
      USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())', t);
  END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE ON financial_assessments TO upfront_app;
-- Settings: a version may be ended (valid_to set) or withdrawn; every change is audited by the service.
GRANT SELECT, INSERT, DELETE ON charging_policy_versions TO upfront_app;
GRANT UPDATE (valid_to, policy) ON charging_policy_versions TO upfront_app;
GRANT SELECT, INSERT, DELETE ON charging_supplied_figures TO upfront_app;
GRANT UPDATE (valid_to) ON charging_supplied_figures TO upfront_app;
