-- People, the one assessment, its eligibility decision and the indicative allocation (RAS).

CREATE TABLE people (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  person_id uuid NOT NULL,
  reference text NOT NULL CHECK (length(reference) BETWEEN 1 AND 40),
  given_name text NOT NULL,
  family_name text NOT NULL,
  date_of_birth date NOT NULL,
  postcode text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, person_id),
  UNIQUE (tenant_id, reference)
);
CREATE INDEX people_name ON people (tenant_id, family_name, given_name);

-- A RAS model is versioned data per tenant; allocations keep the version they were made under.
CREATE TABLE ras_models (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  ras_model_id uuid NOT NULL,
  version integer NOT NULL CHECK (version > 0),
  model jsonb NOT NULL,
  adopted_at timestamptz NOT NULL DEFAULT now(),
  adopted_by text NOT NULL,
  reason text NOT NULL,
  PRIMARY KEY (tenant_id, ras_model_id),
  UNIQUE (tenant_id, version)
);

CREATE TABLE assessments (
  tenant_id uuid NOT NULL,
  assessment_id uuid NOT NULL,
  person_id uuid NOT NULL,
  version integer NOT NULL CHECK (version > 0),
  previous_assessment_id uuid,
  questionnaire_id text NOT NULL,
  status text NOT NULL CHECK (status IN ('draft', 'submitted')),
  answers jsonb NOT NULL DEFAULT '{}'::jsonb,
  decision_date date,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  submitted_by text,
  submitted_at timestamptz,
  PRIMARY KEY (tenant_id, assessment_id),
  UNIQUE (tenant_id, person_id, version),
  FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, person_id),
  FOREIGN KEY (tenant_id, previous_assessment_id) REFERENCES assessments (tenant_id, assessment_id),
  CHECK ((status = 'submitted') = (submitted_at IS NOT NULL))
);
CREATE INDEX assessments_person ON assessments (tenant_id, person_id);

-- A submitted assessment is a record of what was decided on: it is never changed or removed.
CREATE FUNCTION assessments_submitted_are_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'submitted' THEN
    RAISE EXCEPTION 'assessment % is submitted and cannot be changed; start a new version', OLD.assessment_id
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
CREATE TRIGGER assessments_final BEFORE UPDATE OR DELETE ON assessments
  FOR EACH ROW EXECUTE FUNCTION assessments_submitted_are_final();

CREATE TABLE eligibility_decisions (
  tenant_id uuid NOT NULL,
  decision_id uuid NOT NULL,
  assessment_id uuid NOT NULL,
  eligible boolean NOT NULL,
  rule_id text NOT NULL,
  decision jsonb NOT NULL,
  decided_by text NOT NULL,
  decided_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, decision_id),
  UNIQUE (tenant_id, assessment_id),
  FOREIGN KEY (tenant_id, assessment_id) REFERENCES assessments (tenant_id, assessment_id)
);

CREATE TABLE allocations (
  tenant_id uuid NOT NULL,
  allocation_id uuid NOT NULL,
  assessment_id uuid NOT NULL,
  ras_model_id uuid NOT NULL,
  weekly_pence bigint NOT NULL CHECK (weekly_pence >= 0),
  annual_pence bigint NOT NULL CHECK (annual_pence >= 0),
  working jsonb NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, allocation_id),
  UNIQUE (tenant_id, assessment_id),
  FOREIGN KEY (tenant_id, assessment_id) REFERENCES assessments (tenant_id, assessment_id),
  FOREIGN KEY (tenant_id, ras_model_id) REFERENCES ras_models (tenant_id, ras_model_id)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['people', 'ras_models', 'assessments', 'eligibility_decisions', 'allocations'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I TO upfront_app
      USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())', t);
  END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE ON people TO upfront_app;
GRANT SELECT, INSERT ON ras_models TO upfront_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON assessments TO upfront_app;
GRANT SELECT, INSERT ON eligibility_decisions TO upfront_app;
GRANT SELECT, INSERT ON allocations TO upfront_app;
