-- Spending (issue 6): prepaid cards and the people they belong to, card-feed imports, spends (card transactions,
-- invoices, pool shares), provider invoices, receipts, top-ups, the council's surplus limit and recoveries, and
-- pooled arrangements. Money itself moves only in the ledger (0009): these tables are the business records its
-- transfers point back to (ledger_transfers.ref_kind / ref_id).

-- A prepaid card and whose budget it spends: the card feed names cards, not people.
CREATE TABLE spending_cards (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  provider text NOT NULL CHECK (provider ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
  card_id text NOT NULL CHECK (length(card_id) BETWEEN 1 AND 100),
  -- The card follows the person: each transaction is charged to their budget live on its date.
  person_id uuid NOT NULL,
  cash_withdrawals_permitted boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, provider, card_id),
  FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, person_id)
);

CREATE TABLE card_feed_imports (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  import_id uuid NOT NULL,
  file_name text NOT NULL CHECK (length(file_name) <= 300),
  file_sha256 text NOT NULL,
  layout text NOT NULL,
  provider text NOT NULL,
  transactions integer NOT NULL CHECK (transactions >= 0),
  new_count integer NOT NULL CHECK (new_count >= 0),
  already_count integer NOT NULL CHECK (already_count >= 0),
  imported_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, import_id)
);

CREATE TABLE provider_invoices (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  invoice_id uuid NOT NULL,
  budget_id uuid NOT NULL,
  person_id uuid NOT NULL,
  -- invoice:<provider>:<number> (invoice.calc.ts): the same invoice twice is one invoice.
  idempotency_key text NOT NULL,
  provider_id text,
  provider_name text NOT NULL,
  invoice_number text NOT NULL,
  issue_date date NOT NULL,
  service_from date NOT NULL,
  service_to date NOT NULL,
  total_pence bigint NOT NULL CHECK (total_pence > 0),
  -- The lines as received (description, support line or category, dates, amount): part of the document.
  lines jsonb NOT NULL,
  status text NOT NULL CHECK (status IN ('received', 'paid', 'rejected')),
  reject_reason text CHECK (length(reject_reason) <= 1000),
  pending_transfer_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  decided_at timestamptz,
  PRIMARY KEY (tenant_id, invoice_id),
  UNIQUE (tenant_id, idempotency_key),
  FOREIGN KEY (tenant_id, budget_id) REFERENCES personal_budgets (tenant_id, budget_id),
  FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, person_id)
);

-- One row per thing charged to a budget: a card transaction (all its stages), an invoice, a member's pool share.
CREATE TABLE spends (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  spend_id uuid NOT NULL,
  budget_id uuid NOT NULL,
  person_id uuid NOT NULL,
  deployment text NOT NULL,
  source text NOT NULL CHECK (source IN ('card', 'invoice', 'pool')),
  -- card: provider:transaction id (the same for every stage); invoice: its key; pool: pool cost and budget.
  source_key text NOT NULL CHECK (length(source_key) BETWEEN 1 AND 250),
  state text NOT NULL CHECK (state IN ('pending', 'posted', 'voided')),
  direction text NOT NULL CHECK (direction IN ('out', 'in')),
  amount_pence bigint NOT NULL CHECK (amount_pence > 0),
  spend_date date NOT NULL,
  payee_name text NOT NULL CHECK (length(payee_name) <= 300),
  card_type text,
  mcc text,
  category text,
  support_id text,
  match_how text,
  match_explanation text NOT NULL DEFAULT '',
  flags jsonb NOT NULL DEFAULT '[]',
  -- The latest transfer (the hold while pending, then the posting); pending_transfer_id stays for the trail.
  transfer_id uuid NOT NULL,
  pending_transfer_id uuid,
  import_id uuid,
  invoice_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, spend_id),
  UNIQUE (tenant_id, source, source_key),
  FOREIGN KEY (tenant_id, budget_id) REFERENCES personal_budgets (tenant_id, budget_id),
  FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, person_id),
  FOREIGN KEY (tenant_id, import_id) REFERENCES card_feed_imports (tenant_id, import_id),
  FOREIGN KEY (tenant_id, invoice_id) REFERENCES provider_invoices (tenant_id, invoice_id)
);
CREATE INDEX spends_budget ON spends (tenant_id, budget_id, spend_date);
CREATE INDEX spends_person ON spends (tenant_id, person_id, spend_date);

CREATE TABLE receipts (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  receipt_id uuid NOT NULL,
  spend_id uuid NOT NULL,
  person_id uuid NOT NULL,
  file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
  media_type text NOT NULL CHECK (media_type IN ('application/pdf', 'image/jpeg', 'image/png')),
  size_bytes integer NOT NULL CHECK (size_bytes BETWEEN 1 AND 10485760),
  sha256 text NOT NULL,
  content bytea NOT NULL,
  uploaded_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, receipt_id),
  FOREIGN KEY (tenant_id, spend_id) REFERENCES spends (tenant_id, spend_id),
  FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, person_id)
);
CREATE INDEX receipts_spend ON receipts (tenant_id, spend_id);

-- The person's (or family's) own money added to a budget: its own ledger account, never council money.
CREATE TABLE top_ups (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  top_up_id uuid NOT NULL,
  budget_id uuid NOT NULL,
  person_id uuid NOT NULL,
  amount_pence bigint NOT NULL CHECK (amount_pence > 0),
  received_on date NOT NULL,
  from_whom text NOT NULL CHECK (length(from_whom) BETWEEN 1 AND 200),
  transfer_id uuid NOT NULL,
  recorded_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, top_up_id),
  FOREIGN KEY (tenant_id, budget_id) REFERENCES personal_budgets (tenant_id, budget_id),
  FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, person_id)
);

-- The council's surplus limit, dated: a new version applies from its date, never back.
CREATE TABLE surplus_settings (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  valid_from date NOT NULL,
  weeks integer NOT NULL CHECK (weeks BETWEEN 0 AND 52),
  source text NOT NULL CHECK (length(source) BETWEEN 1 AND 300),
  minimum_recovery_pence bigint NOT NULL DEFAULT 0 CHECK (minimum_recovery_pence >= 0),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, valid_from)
);

CREATE TABLE surplus_recoveries (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  recovery_id uuid NOT NULL,
  budget_id uuid NOT NULL,
  person_id uuid NOT NULL,
  amount_pence bigint NOT NULL CHECK (amount_pence > 0),
  limit_pence bigint NOT NULL,
  limit_source text NOT NULL,
  -- What the person is told, sentence by sentence (surplus.calc.ts).
  explanation jsonb NOT NULL,
  status text NOT NULL CHECK (status IN ('proposed', 'approved', 'rejected')),
  proposed_on date NOT NULL,
  proposed_by text NOT NULL,
  decided_by text,
  decided_at timestamptz,
  decision_note text CHECK (length(decision_note) <= 1000),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, recovery_id),
  FOREIGN KEY (tenant_id, budget_id) REFERENCES personal_budgets (tenant_id, budget_id),
  FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, person_id)
);
-- At most one open proposal per budget.
CREATE UNIQUE INDEX surplus_recoveries_open ON surplus_recoveries (tenant_id, budget_id) WHERE status = 'proposed';

CREATE TABLE pools (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  pool_id uuid NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, pool_id)
);

CREATE TABLE pool_members (
  tenant_id uuid NOT NULL,
  pool_id uuid NOT NULL,
  budget_id uuid NOT NULL,
  share_kind text NOT NULL CHECK (share_kind IN ('fraction', 'fixed')),
  numerator integer CHECK (numerator >= 1),
  denominator integer CHECK (denominator >= 1),
  fixed_pence bigint CHECK (fixed_pence >= 0),
  PRIMARY KEY (tenant_id, pool_id, budget_id),
  FOREIGN KEY (tenant_id, pool_id) REFERENCES pools (tenant_id, pool_id),
  FOREIGN KEY (tenant_id, budget_id) REFERENCES personal_budgets (tenant_id, budget_id),
  CHECK ((share_kind = 'fraction' AND numerator IS NOT NULL AND denominator IS NOT NULL AND fixed_pence IS NULL)
      OR (share_kind = 'fixed' AND fixed_pence IS NOT NULL AND numerator IS NULL AND denominator IS NULL))
);

-- What the pool paid its provider; each member's share is a spend (source 'pool').
CREATE TABLE pool_costs (
  tenant_id uuid NOT NULL,
  pool_cost_id uuid NOT NULL,
  pool_id uuid NOT NULL,
  payee_name text NOT NULL CHECK (length(payee_name) BETWEEN 1 AND 300),
  period text NOT NULL CHECK (length(period) BETWEEN 1 AND 200),
  cost_pence bigint NOT NULL CHECK (cost_pence > 0),
  paid_on date NOT NULL,
  transfer_id uuid NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, pool_cost_id),
  FOREIGN KEY (tenant_id, pool_id) REFERENCES pools (tenant_id, pool_id)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['spending_cards', 'card_feed_imports', 'provider_invoices', 'spends', 'receipts',
                           'top_ups', 'surplus_settings', 'surplus_recoveries', 'pools', 'pool_members',
                           'pool_costs'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I TO upfront_app
      USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())', t);
  END LOOP;
END
$$;

-- Records are kept, not deleted; only their states move on.
GRANT SELECT, INSERT, UPDATE ON spending_cards TO upfront_app;
GRANT SELECT, INSERT ON card_feed_imports, receipts, top_ups, surplus_settings, pools, pool_members, pool_costs
  TO upfront_app;
GRANT SELECT, INSERT, UPDATE (status, reject_reason, decided_at) ON provider_invoices TO upfront_app;
GRANT SELECT, INSERT, UPDATE (state, transfer_id, amount_pence, updated_at) ON spends TO upfront_app;
GRANT SELECT, INSERT, UPDATE (status, decided_by, decided_at, decision_note) ON surplus_recoveries TO upfront_app;
