-- Referrals (requests for support), the public self-referral form's flood counts, and the one staff task list
-- (issue 11). Every key carries tenant_id; every table has RLS enabled and FORCEd with the tenant policy.

-- A request for support recorded against a person: when it came in, its route of access and who made it (ids from
-- the dated coded lists in src/rules/england/referral-lists.ts), and, once closed, its outcome from the CLD
-- Release 2 event outcome list. These are the Request events of the statutory return. A self-referral also keeps
-- what the form said (how to contact the person, who filled it in, what support is wanted) in `details`.
CREATE TABLE referrals (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  referral_id uuid NOT NULL,
  -- What the person is told and quotes when they phone: unique within the council.
  reference text NOT NULL CHECK (reference ~ '^[A-Z0-9-]{6,20}$'),
  person_id uuid NOT NULL,
  received_on date NOT NULL,
  route_of_access text NOT NULL CHECK (length(route_of_access) BETWEEN 1 AND 100),
  request_source text NOT NULL CHECK (length(request_source) BETWEEN 1 AND 100),
  details jsonb,
  status text NOT NULL CHECK (status IN ('open', 'closed')),
  outcome text CHECK (length(outcome) BETWEEN 1 AND 100),
  closed_on date,
  closed_by text,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, referral_id),
  UNIQUE (tenant_id, reference),
  FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, person_id),
  -- Closed means an outcome, a date and who closed it; open means none of them.
  CHECK ((status = 'closed') = (outcome IS NOT NULL)),
  CHECK ((outcome IS NULL) = (closed_on IS NULL)),
  CHECK ((outcome IS NULL) = (closed_by IS NULL)),
  CHECK (closed_on IS NULL OR closed_on >= received_on)
);
CREATE INDEX referrals_person ON referrals (tenant_id, person_id, received_on);

-- One row per self-referral accepted from the public form, so the limits against flooding (per client address per
-- day, per council per day) are counted in the database and hold across every app instance. The address is kept
-- only as a keyed one-way hash, never as typed, and only until the day after.
CREATE TABLE self_referral_submissions (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  submission_id uuid NOT NULL,
  submitted_on date NOT NULL,
  client_hash text NOT NULL CHECK (client_hash ~ '^[0-9a-f]{64}$'),
  referral_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, submission_id),
  FOREIGN KEY (tenant_id, referral_id) REFERENCES referrals (tenant_id, referral_id)
);
CREATE INDEX self_referral_submissions_day ON self_referral_submissions (tenant_id, submitted_on, client_hash);

-- The staff task list ("work tray"): one row per piece of work a feature raised. A task is for a named officer
-- (assigned_user_id), or for a role group (for_roles: anyone holding one of these roles sees it), or, once teams
-- exist, for a team (team_id: no foreign key yet, so it can point at the teams table when that lands).
CREATE TABLE tasks (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  task_id uuid NOT NULL,
  kind text NOT NULL CHECK (length(kind) BETWEEN 1 AND 60),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  person_id uuid,
  assigned_user_id uuid,
  for_roles text[] NOT NULL DEFAULT '{}' CHECK (for_roles <@ ARRAY['social_worker', 'support_planner',
    'team_manager', 'funding_panel_member', 'finance_officer', 'commissioner', 'administrator']::text[]),
  team_id uuid,
  due_on date NOT NULL,
  -- Where the work is done: a path inside the app.
  link text NOT NULL CHECK (link ~ '^/[^/]'),
  -- What raised it (e.g. 'referral' and its id), so finishing that work can finish the task.
  source_type text NOT NULL CHECK (length(source_type) BETWEEN 1 AND 60),
  source_id text NOT NULL CHECK (length(source_id) BETWEEN 1 AND 100),
  status text NOT NULL CHECK (status IN ('open', 'done')),
  done_by text,
  done_at timestamptz,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, task_id),
  FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, person_id),
  FOREIGN KEY (tenant_id, assigned_user_id) REFERENCES staff_users (tenant_id, user_id),
  CHECK (assigned_user_id IS NOT NULL OR cardinality(for_roles) > 0 OR team_id IS NOT NULL),
  CHECK ((status = 'done') = (done_at IS NOT NULL)),
  CHECK ((done_at IS NULL) = (done_by IS NULL))
);
CREATE INDEX tasks_open ON tasks (tenant_id, status, due_on);
CREATE INDEX tasks_source ON tasks (tenant_id, source_type, source_id);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['referrals', 'self_referral_submissions', 'tasks'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I TO upfront_app
      USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())', t);
  END LOOP;
END
$$;

-- Records are kept, not deleted: a referral is only closed, a task only marked done. The flood counts are deleted
-- once their day is over (the referral service does it), so no address hash outlives the day after.
GRANT SELECT, INSERT, UPDATE (status, outcome, closed_on, closed_by) ON referrals TO upfront_app;
GRANT SELECT, INSERT, DELETE ON self_referral_submissions TO upfront_app;
GRANT SELECT, INSERT, UPDATE (status, done_by, done_at) ON tasks TO upfront_app;
