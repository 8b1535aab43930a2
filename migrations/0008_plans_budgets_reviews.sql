-- Support planning with the person (issue 5): plans and their versions, who changed what, allocation overrides,
-- the live personal budget an approval creates (per funding stream and deployment), reviews, and people's
-- requests to look at a decision again.
--
-- Every key carries tenant_id; every table has RLS enabled and FORCEd with the tenant policy. Approved plan
-- versions and budgets are never edited in place: a trigger refuses it, so a change is always a new row.

-- A plan belongs to a person and answers one assessment's indicative allocation. The lead worker is the member of
-- staff whose caseload its reviews fall in.
CREATE TABLE support_plans (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  plan_id uuid NOT NULL,
  person_id uuid NOT NULL,
  assessment_id uuid NOT NULL,
  lead_worker_id uuid,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, plan_id),
  FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, person_id),
  FOREIGN KEY (tenant_id, assessment_id) REFERENCES assessments (tenant_id, assessment_id),
  FOREIGN KEY (tenant_id, lead_worker_id) REFERENCES staff_users (tenant_id, user_id)
);
CREATE INDEX support_plans_person ON support_plans (tenant_id, person_id);
CREATE INDEX support_plans_lead_worker ON support_plans (tenant_id, lead_worker_id);

-- One version of a plan. A draft is edited in place (every edit is a plan_changes row); submitting freezes the
-- content for approval; returned goes back to the writers, who change it (the same version) and submit again;
-- approved is final; a later version's approval marks the earlier one superseded.
CREATE TABLE plan_versions (
  tenant_id uuid NOT NULL,
  plan_id uuid NOT NULL,
  version integer NOT NULL CHECK (version > 0),
  status text NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'returned', 'superseded')),
  -- The plan as planning/schemas.ts describes it (a draft may be incomplete; submit validates it whole).
  content jsonb NOT NULL,
  -- The indicative weekly allocation the plan was costed against (after any approved override).
  indicative_weekly_pence bigint NOT NULL CHECK (indicative_weekly_pence >= 0),
  -- Set on submit: the costing, budget fit, apportionment across streams and the approver level it needs.
  costing jsonb,
  fit jsonb,
  apportionment jsonb,
  required_level text,
  submitted_by text,
  submitted_at timestamptz,
  -- Set when approved or returned: by whom, and the reasons (returned) the person can read.
  decided_by text,
  decided_at timestamptz,
  decision_reasons jsonb,
  approver_level text,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, plan_id, version),
  FOREIGN KEY (tenant_id, plan_id) REFERENCES support_plans (tenant_id, plan_id),
  CHECK ((submitted_at IS NULL) = (submitted_by IS NULL)),
  CHECK ((decided_at IS NULL) = (decided_by IS NULL))
);
-- At most one version of a plan is open (draft, submitted or returned) at a time.
CREATE UNIQUE INDEX plan_versions_one_open ON plan_versions (tenant_id, plan_id)
  WHERE status IN ('draft', 'submitted', 'returned');

CREATE FUNCTION plan_versions_approved_are_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND OLD.status IN ('approved', 'superseded') THEN
    RAISE EXCEPTION 'plan % version % is approved and cannot be deleted', OLD.plan_id, OLD.version
      USING ERRCODE = 'check_violation';
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.status = 'superseded' THEN
    RAISE EXCEPTION 'plan % version % is superseded and cannot be changed', OLD.plan_id, OLD.version
      USING ERRCODE = 'check_violation';
  END IF;
  -- An approved version may only become superseded; nothing else about it changes.
  IF TG_OP = 'UPDATE' AND OLD.status = 'approved' AND (NEW.status <> 'superseded'
      OR NEW.content IS DISTINCT FROM OLD.content OR NEW.costing IS DISTINCT FROM OLD.costing
      OR NEW.apportionment IS DISTINCT FROM OLD.apportionment OR NEW.decided_by IS DISTINCT FROM OLD.decided_by
      OR NEW.indicative_weekly_pence IS DISTINCT FROM OLD.indicative_weekly_pence) THEN
    RAISE EXCEPTION 'plan % version % is approved and cannot be changed; start a new version', OLD.plan_id,
      OLD.version USING ERRCODE = 'check_violation';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
CREATE TRIGGER plan_versions_final BEFORE UPDATE OR DELETE ON plan_versions
  FOR EACH ROW EXECUTE FUNCTION plan_versions_approved_are_final();

-- Who changed a plan version, and what: the person, their representative or a member of staff (attribution).
CREATE TABLE plan_changes (
  tenant_id uuid NOT NULL,
  change_id uuid NOT NULL,
  plan_id uuid NOT NULL,
  version integer NOT NULL,
  actor_kind text NOT NULL CHECK (actor_kind IN ('staff', 'person', 'representative')),
  -- A staff user id, or a person account id.
  actor_id text NOT NULL,
  actor_name text NOT NULL CHECK (length(actor_name) BETWEEN 1 AND 200),
  -- What changed, in plain words ("Added the support 'Swimming with a PA'").
  summary text NOT NULL CHECK (length(summary) BETWEEN 1 AND 2000),
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, change_id),
  FOREIGN KEY (tenant_id, plan_id, version) REFERENCES plan_versions (tenant_id, plan_id, version)
);
CREATE INDEX plan_changes_version ON plan_changes (tenant_id, plan_id, version, at);

-- A change to an indicative allocation by hand, with its reason. Above the council's threshold it waits for an
-- approver (pending), who approves or refuses it; below, it applies at once.
CREATE TABLE allocation_overrides (
  tenant_id uuid NOT NULL,
  override_id uuid NOT NULL,
  allocation_id uuid NOT NULL,
  from_weekly_pence bigint NOT NULL CHECK (from_weekly_pence >= 0),
  to_weekly_pence bigint NOT NULL CHECK (to_weekly_pence >= 0),
  reason text NOT NULL CHECK (length(trim(reason)) BETWEEN 1 AND 2000),
  status text NOT NULL CHECK (status IN ('applied', 'pending', 'approved', 'refused')),
  requested_by text NOT NULL,
  requested_at timestamptz NOT NULL DEFAULT now(),
  decided_by text,
  decided_at timestamptz,
  decision_note text CHECK (length(decision_note) <= 2000),
  PRIMARY KEY (tenant_id, override_id),
  FOREIGN KEY (tenant_id, allocation_id) REFERENCES allocations (tenant_id, allocation_id),
  CHECK ((decided_at IS NULL) = (decided_by IS NULL))
);
CREATE INDEX allocation_overrides_allocation ON allocation_overrides (tenant_id, allocation_id, requested_at);

-- The live personal budget an approved plan version makes: weekly amounts per funding stream and deployment, the
-- person's weekly contribution (from their financial assessment, where one exists), from a start date. A later
-- approval replaces it from its own start date (end_date set, status replaced). The money (ledger, payments)
-- reads these rows; first_payment_date is set by the payments feature and moves the direct-payment review dates.
CREATE TABLE personal_budgets (
  tenant_id uuid NOT NULL,
  budget_id uuid NOT NULL,
  person_id uuid NOT NULL,
  plan_id uuid NOT NULL,
  plan_version integer NOT NULL,
  start_date date NOT NULL,
  end_date date CHECK (end_date >= start_date - 1),
  status text NOT NULL CHECK (status IN ('live', 'replaced', 'ended')),
  end_reason text CHECK (end_reason IN ('replaced', 'support_ended', 'died', 'moved_away', 'other')),
  replaced_by_budget_id uuid,
  -- The weekly cost the budget funds (every stream), and one-off costs in the plan.
  weekly_pence bigint NOT NULL CHECK (weekly_pence >= 0),
  one_off_pence bigint NOT NULL CHECK (one_off_pence >= 0),
  -- What the person pays towards it each week, charged only to means-tested streams.
  contribution_weekly_pence bigint NOT NULL DEFAULT 0 CHECK (contribution_weekly_pence >= 0),
  financial_assessment_id uuid,
  first_payment_date date,
  approved_by text NOT NULL,
  approved_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, budget_id),
  UNIQUE (tenant_id, plan_id, plan_version),
  FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, person_id),
  FOREIGN KEY (tenant_id, plan_id, plan_version) REFERENCES plan_versions (tenant_id, plan_id, version),
  FOREIGN KEY (tenant_id, financial_assessment_id)
    REFERENCES financial_assessments (tenant_id, financial_assessment_id),
  FOREIGN KEY (tenant_id, replaced_by_budget_id) REFERENCES personal_budgets (tenant_id, budget_id),
  CHECK ((status = 'live') = (end_reason IS NULL))
);
CREATE INDEX personal_budgets_person ON personal_budgets (tenant_id, person_id, start_date);
-- A person has one live budget at a time.
CREATE UNIQUE INDEX personal_budgets_one_live ON personal_budgets (tenant_id, person_id) WHERE status = 'live';

-- How a budget's weekly amount splits: one row per plan support line, funding stream and deployment.
CREATE TABLE personal_budget_lines (
  tenant_id uuid NOT NULL,
  budget_id uuid NOT NULL,
  line_no integer NOT NULL CHECK (line_no > 0),
  support_id text NOT NULL,
  support_name text NOT NULL,
  category text NOT NULL,
  deployment text NOT NULL CHECK (deployment IN ('direct_payment', 'council_managed', 'individual_service_fund',
    'council_arranged')),
  stream_id text NOT NULL,
  means_tested boolean NOT NULL,
  weekly_pence bigint NOT NULL CHECK (weekly_pence >= 0),
  one_off_pence bigint NOT NULL CHECK (one_off_pence >= 0),
  -- Who is paid for it, where the plan names them (a directory provider id, or a name).
  provider_id text,
  payee_name text,
  PRIMARY KEY (tenant_id, budget_id, line_no),
  FOREIGN KEY (tenant_id, budget_id) REFERENCES personal_budgets (tenant_id, budget_id),
  FOREIGN KEY (tenant_id, stream_id) REFERENCES funding_streams (tenant_id, stream_id)
);

-- A review held with the person: each outcome rated in their words, what is and is not working, and what it
-- leads to. Which reviews are due is computed (reviews/review-dates.calc.ts) from budgets and these rows.
CREATE TABLE reviews (
  tenant_id uuid NOT NULL,
  review_id uuid NOT NULL,
  person_id uuid NOT NULL,
  plan_id uuid NOT NULL,
  plan_version integer NOT NULL,
  budget_id uuid,
  -- Which due reviews this one satisfies: the plan review, the direct payment review, or both.
  kinds text[] NOT NULL CHECK (kinds <@ ARRAY['plan', 'direct_payment']::text[] AND cardinality(kinds) > 0),
  held_on date NOT NULL,
  record jsonb NOT NULL,
  result text NOT NULL CHECK (result IN ('no_change', 'new_plan_version', 'new_assessment')),
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, review_id),
  FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, person_id),
  FOREIGN KEY (tenant_id, plan_id, plan_version) REFERENCES plan_versions (tenant_id, plan_id, version),
  FOREIGN KEY (tenant_id, budget_id) REFERENCES personal_budgets (tenant_id, budget_id)
);
CREATE INDEX reviews_person ON reviews (tenant_id, person_id, held_on);

-- A person (or their representative) asks for a decision to be looked at again: recorded, with a due date by
-- which the council answers, visible to the team manager.
CREATE TABLE look_again_requests (
  tenant_id uuid NOT NULL,
  request_id uuid NOT NULL,
  person_id uuid NOT NULL,
  decision_kind text NOT NULL CHECK (decision_kind IN ('eligibility', 'allocation', 'plan', 'financial_assessment',
    'review', 'other')),
  -- The record the decision is on (an assessment, plan version, financial assessment or review id), if known.
  decision_ref text CHECK (length(decision_ref) <= 100),
  what_is_wrong text NOT NULL CHECK (length(trim(what_is_wrong)) BETWEEN 1 AND 4000),
  asked_by_kind text NOT NULL CHECK (asked_by_kind IN ('person', 'representative', 'staff')),
  asked_by_id text NOT NULL,
  asked_by_name text NOT NULL,
  asked_at timestamptz NOT NULL DEFAULT now(),
  due_on date NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'answered')),
  answer text CHECK (length(answer) <= 4000),
  answered_by text,
  answered_at timestamptz,
  PRIMARY KEY (tenant_id, request_id),
  FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, person_id),
  CHECK ((status = 'answered') = (answered_at IS NOT NULL AND answered_by IS NOT NULL AND answer IS NOT NULL))
);
CREATE INDEX look_again_requests_open ON look_again_requests (tenant_id, status, due_on);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['support_plans', 'plan_versions', 'plan_changes', 'allocation_overrides',
    'personal_budgets', 'personal_budget_lines', 'reviews', 'look_again_requests'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I TO upfront_app
      USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())', t);
  END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE (lead_worker_id) ON support_plans TO upfront_app;
GRANT SELECT, INSERT, UPDATE ON plan_versions TO upfront_app;
GRANT SELECT, INSERT ON plan_changes TO upfront_app;
GRANT SELECT, INSERT, UPDATE (status, decided_by, decided_at, decision_note) ON allocation_overrides TO upfront_app;
GRANT SELECT, INSERT, UPDATE (end_date, status, end_reason, replaced_by_budget_id, first_payment_date)
  ON personal_budgets TO upfront_app;
GRANT SELECT, INSERT ON personal_budget_lines TO upfront_app;
GRANT SELECT, INSERT ON reviews TO upfront_app;
GRANT SELECT, INSERT, UPDATE (status, answer, answered_by, answered_at) ON look_again_requests TO upfront_app;
