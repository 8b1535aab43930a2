-- Issue 15: the risk-based direct-payment audit (features/dp-audits).
--
-- The council's audit settings are dated versions, like review_settings_versions (0011): a change adds a version
-- that applies from a date and is never changed or removed, so an audit re-read later shows the rules of its day.
CREATE TABLE dp_audit_settings_versions (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  settings_version_id uuid NOT NULL,
  version integer NOT NULL CHECK (version > 0),
  valid_from date NOT NULL,
  -- { surplusAboveWeeks, surplusWarnBelowWeeks, blockedMccs, cashMccs, noEvidenceWeeks, … }, as the service checked.
  settings jsonb NOT NULL,
  reason text NOT NULL CHECK (length(trim(reason)) BETWEEN 1 AND 2000),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, settings_version_id),
  UNIQUE (tenant_id, version)
);
CREATE INDEX dp_audit_settings_versions_in_force
  ON dp_audit_settings_versions (tenant_id, valid_from DESC, version DESC);

CREATE FUNCTION dp_audit_settings_versions_are_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'direct-payment audit settings version % cannot be changed or removed; add a new version',
    OLD.version USING ERRCODE = 'check_violation';
END
$$;
CREATE TRIGGER dp_audit_settings_versions_final BEFORE UPDATE OR DELETE ON dp_audit_settings_versions
  FOR EACH ROW EXECUTE FUNCTION dp_audit_settings_versions_are_final();

ALTER TABLE dp_audit_settings_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE dp_audit_settings_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON dp_audit_settings_versions TO upfront_app
  USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());

GRANT SELECT, INSERT ON dp_audit_settings_versions TO upfront_app;

-- One audit of one direct-payment budget: opened by a finance officer (from the risk queue, or because the first
-- review or annual audit is due) with the findings as they stood that day, then decided once: the outcome, the
-- person's explanation as the officer heard it, and what follows (a repayment request with its due date, the
-- surplus recovery proposed through spending, the planner's task for a move to a managed account). The person
-- may then reply once from /my to advice or a repayment request. Budgets and people belong to their features:
-- their ids are kept here, not foreign keys into their tables (as reviews keep budget_id).
CREATE TABLE dp_audits (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  audit_id uuid NOT NULL,
  budget_id uuid NOT NULL,
  person_id uuid NOT NULL,
  reason text NOT NULL CHECK (reason IN ('risk', 'first_review', 'annual')),
  opened_on date NOT NULL,
  opened_by text NOT NULL,
  settings_version integer,
  findings jsonb NOT NULL,
  risk_score integer NOT NULL CHECK (risk_score >= 0),
  status text NOT NULL CHECK (status IN ('open', 'decided')),
  outcome text CHECK (outcome IN ('no_action', 'advice', 'repayment_request', 'recovery', 'managed_account')),
  explanation text CHECK (length(explanation) <= 5000),
  note text CHECK (length(note) <= 5000),
  repayment_pence integer CHECK (repayment_pence > 0),
  repayment_due_on date,
  recovery_id uuid,
  task_id uuid,
  decided_by text,
  decided_on date,
  decided_at timestamptz,
  person_reply text CHECK (length(person_reply) BETWEEN 1 AND 5000),
  replied_by_kind text CHECK (replied_by_kind IN ('person', 'representative')),
  replied_by_name text,
  replied_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, audit_id),
  CHECK ((status = 'decided') = (outcome IS NOT NULL)),
  CHECK ((outcome IS NULL) = (decided_at IS NULL)),
  CHECK ((outcome = 'repayment_request') = (repayment_pence IS NOT NULL AND repayment_due_on IS NOT NULL)),
  CHECK ((person_reply IS NULL) = (replied_at IS NULL)),
  CHECK (person_reply IS NULL OR outcome IN ('advice', 'repayment_request'))
);
-- At most one open audit per budget.
CREATE UNIQUE INDEX dp_audits_one_open ON dp_audits (tenant_id, budget_id) WHERE status = 'open';
CREATE INDEX dp_audits_budget ON dp_audits (tenant_id, budget_id, opened_on);
CREATE INDEX dp_audits_person ON dp_audits (tenant_id, person_id);

ALTER TABLE dp_audits ENABLE ROW LEVEL SECURITY;
ALTER TABLE dp_audits FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON dp_audits TO upfront_app
  USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());

GRANT SELECT, INSERT ON dp_audits TO upfront_app;
GRANT UPDATE (status, outcome, explanation, note, repayment_pence, repayment_due_on, recovery_id, task_id,
  decided_by, decided_on, decided_at, person_reply, replied_by_kind, replied_by_name, replied_at)
  ON dp_audits TO upfront_app;
