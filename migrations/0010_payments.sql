-- Payment runs (issue 6, Payments): the council's dated payment settings, payees and their bank details
-- (maker-checker), runs for a pay date (reviewed by one finance officer, approved by another), each payment made
-- exactly once by its key per (budget, cycle, payee), contribution invoices, money owed back after an end date,
-- returned payments and the messages they give the person and finance. Money is moved in the ledger (0009).

-- Dated like funding and review settings: a version is never changed; a new one applies from its date.
CREATE TABLE payment_settings_versions (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  settings_version_id uuid NOT NULL,
  version integer NOT NULL CHECK (version > 0),
  valid_from date NOT NULL,
  -- { frequency, anchorDate, contributionCollection, whenNotBankingDay, bankHolidayRegion, originator,
  --   financeCodes }, as payments/service.ts checked them.
  settings jsonb NOT NULL,
  reason text NOT NULL CHECK (length(trim(reason)) BETWEEN 1 AND 2000),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, settings_version_id),
  UNIQUE (tenant_id, version)
);
CREATE INDEX payment_settings_versions_in_force
  ON payment_settings_versions (tenant_id, valid_from DESC, version DESC);

-- Who is paid: the person (their direct payment), a provider (an individual service fund or an invoice), or a
-- personal assistant. Each has a ledger account 'payee:<payee_id>'.
CREATE TABLE payees (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  payee_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('person', 'provider', 'personal_assistant')),
  person_id uuid,
  provider_id text,
  name text NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 200),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, payee_id),
  FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, person_id),
  CHECK ((kind = 'person') = (person_id IS NOT NULL AND provider_id IS NULL)),
  CHECK (kind <> 'provider' OR provider_id IS NOT NULL)
);
CREATE UNIQUE INDEX payees_person ON payees (tenant_id, person_id) WHERE kind = 'person';
CREATE UNIQUE INDEX payees_provider ON payees (tenant_id, provider_id) WHERE kind = 'provider';

-- A change of bank details is proposed by one member of staff and takes effect only when a second approves it.
CREATE TABLE payee_bank_details (
  tenant_id uuid NOT NULL,
  details_id uuid NOT NULL,
  payee_id uuid NOT NULL,
  account_name text NOT NULL CHECK (length(account_name) BETWEEN 1 AND 70),
  sort_code text NOT NULL CHECK (sort_code ~ '^\d{6}$'),
  account_number text NOT NULL CHECK (account_number ~ '^\d{8}$'),
  -- Payments on or after this date use these details once approved.
  effective_from date NOT NULL,
  status text NOT NULL CHECK (status IN ('proposed', 'approved', 'refused')),
  proposed_by text NOT NULL,
  proposed_at timestamptz NOT NULL DEFAULT now(),
  decided_by text,
  decided_at timestamptz,
  PRIMARY KEY (tenant_id, details_id),
  FOREIGN KEY (tenant_id, payee_id) REFERENCES payees (tenant_id, payee_id),
  CHECK ((status = 'proposed') = (decided_by IS NULL AND decided_at IS NULL)),
  -- Maker-checker, held by the database as well as the service.
  CHECK (decided_by IS NULL OR decided_by <> proposed_by)
);
CREATE INDEX payee_bank_details_in_force ON payee_bank_details (tenant_id, payee_id, status, effective_from);

-- A payment run for a pay date: prepared (payments made in the ledger), reviewed by one finance officer and
-- approved by a different one; only then are its files released.
CREATE TABLE payment_runs (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  run_id uuid NOT NULL,
  run_no integer NOT NULL CHECK (run_no > 0),
  pay_date date NOT NULL,
  status text NOT NULL CHECK (status IN ('prepared', 'reviewed', 'approved')),
  -- Payments the run could not make yet, and why (no approved bank details…): [{ key, budgetId, reason }].
  held jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  prepared_at timestamptz NOT NULL DEFAULT now(),
  reviewed_by text,
  reviewed_at timestamptz,
  approved_by text,
  approved_at timestamptz,
  PRIMARY KEY (tenant_id, run_id),
  UNIQUE (tenant_id, pay_date),
  UNIQUE (tenant_id, run_no),
  CHECK ((status IN ('reviewed', 'approved')) = (reviewed_by IS NOT NULL)),
  CHECK ((status = 'approved') = (approved_by IS NOT NULL)),
  CHECK (approved_by IS NULL OR approved_by <> reviewed_by)
);

CREATE TABLE payments (
  tenant_id uuid NOT NULL,
  payment_id uuid NOT NULL,
  -- schedule.calc.ts paymentKey: budget, cycle start, payee. The exactly-once guard.
  payment_key text NOT NULL CHECK (length(payment_key) <= 200),
  run_id uuid NOT NULL,
  budget_id uuid NOT NULL,
  person_id uuid NOT NULL,
  cycle_start date NOT NULL,
  cycle_end date NOT NULL,
  due_date date NOT NULL,
  pay_date date NOT NULL,
  -- bank: sent to a payee's bank account; funding: money put in a council-held budget account, nothing sent.
  kind text NOT NULL CHECK (kind IN ('bank', 'funding')),
  deployment text NOT NULL CHECK (deployment IN ('direct_payment', 'council_managed', 'individual_service_fund',
    'council_arranged')),
  payee_id uuid,
  amount bigint NOT NULL CHECK (amount >= 0),
  -- The schedule's parts: [{ kind, fundingStreamId?, deployment?, amount, description? }].
  parts jsonb NOT NULL,
  -- The bank details in force on the run date, as they were sent.
  bank_details_id uuid,
  account_name text,
  sort_code text,
  account_number text,
  status text NOT NULL CHECK (status IN ('made', 'returned')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, payment_id),
  UNIQUE (tenant_id, payment_key),
  FOREIGN KEY (tenant_id, run_id) REFERENCES payment_runs (tenant_id, run_id),
  FOREIGN KEY (tenant_id, budget_id) REFERENCES personal_budgets (tenant_id, budget_id),
  FOREIGN KEY (tenant_id, payee_id) REFERENCES payees (tenant_id, payee_id),
  FOREIGN KEY (tenant_id, bank_details_id) REFERENCES payee_bank_details (tenant_id, details_id),
  CHECK ((kind = 'bank') = (payee_id IS NOT NULL AND bank_details_id IS NOT NULL))
);
CREATE INDEX payments_run ON payments (tenant_id, run_id, payment_key);
CREATE INDEX payments_budget ON payments (tenant_id, budget_id, cycle_start);
CREATE INDEX payments_person ON payments (tenant_id, person_id);

-- The person's contribution invoiced for a cycle (where the council invoices instead of netting), once per cycle.
CREATE TABLE contribution_invoices (
  tenant_id uuid NOT NULL,
  invoice_id uuid NOT NULL,
  invoice_key text NOT NULL CHECK (length(invoice_key) <= 200),
  run_id uuid NOT NULL,
  budget_id uuid NOT NULL,
  person_id uuid NOT NULL,
  cycle_start date NOT NULL,
  cycle_end date NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  status text NOT NULL CHECK (status IN ('raised', 'paid')),
  paid_on date,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, invoice_id),
  UNIQUE (tenant_id, invoice_key),
  FOREIGN KEY (tenant_id, run_id) REFERENCES payment_runs (tenant_id, run_id),
  FOREIGN KEY (tenant_id, budget_id) REFERENCES personal_budgets (tenant_id, budget_id),
  CHECK ((status = 'paid') = (paid_on IS NOT NULL))
);
CREATE INDEX contribution_invoices_person ON contribution_invoices (tenant_id, person_id, cycle_start);

-- Money paid for days after a budget's end date, to be recovered (schedule.calc.ts reconcilePayments).
CREATE TABLE payment_debts (
  tenant_id uuid NOT NULL,
  debt_id uuid NOT NULL,
  payment_id uuid NOT NULL,
  budget_id uuid NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  status text NOT NULL CHECK (status IN ('to_recover', 'recovered', 'written_off')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, debt_id),
  UNIQUE (tenant_id, payment_id),
  FOREIGN KEY (tenant_id, payment_id) REFERENCES payments (tenant_id, payment_id),
  FOREIGN KEY (tenant_id, budget_id) REFERENCES personal_budgets (tenant_id, budget_id)
);

-- A payment the bank sent back, once per payment.
CREATE TABLE payment_returns (
  tenant_id uuid NOT NULL,
  return_id uuid NOT NULL,
  payment_id uuid NOT NULL,
  reason_code text NOT NULL CHECK (reason_code ~ '^[0-9A-Z]$'),
  returned_on date NOT NULL,
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, return_id),
  UNIQUE (tenant_id, payment_id),
  FOREIGN KEY (tenant_id, payment_id) REFERENCES payments (tenant_id, payment_id)
);

-- What the person and finance are told to do (shown on the person's record and the finance page; sent by GOV.UK
-- Notify in a later issue).
CREATE TABLE payment_messages (
  tenant_id uuid NOT NULL,
  message_id uuid NOT NULL,
  payment_id uuid NOT NULL,
  person_id uuid NOT NULL,
  audience text NOT NULL CHECK (audience IN ('person', 'finance')),
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, message_id),
  UNIQUE (tenant_id, payment_id, audience),
  FOREIGN KEY (tenant_id, payment_id) REFERENCES payments (tenant_id, payment_id)
);
CREATE INDEX payment_messages_person ON payment_messages (tenant_id, person_id, created_at);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['payment_settings_versions', 'payees', 'payee_bank_details', 'payment_runs', 'payments',
    'contribution_invoices', 'payment_debts', 'payment_returns', 'payment_messages'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I TO upfront_app
      USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())', t);
  END LOOP;
END
$$;

GRANT SELECT, INSERT ON payment_settings_versions, payees, payment_returns, payment_messages TO upfront_app;
GRANT SELECT, INSERT, UPDATE (status, decided_by, decided_at) ON payee_bank_details TO upfront_app;
GRANT SELECT, INSERT, UPDATE (status, held, prepared_at, reviewed_by, reviewed_at, approved_by, approved_at)
  ON payment_runs TO upfront_app;
GRANT SELECT, INSERT, UPDATE (status) ON payments TO upfront_app;
GRANT SELECT, INSERT, UPDATE (status, paid_on) ON contribution_invoices TO upfront_app;
GRANT SELECT, INSERT, UPDATE (status) ON payment_debts TO upfront_app;
