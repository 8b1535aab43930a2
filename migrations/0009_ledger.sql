-- The double-entry budget ledger (issue 6), after TigerBeetle's model: accounts hold four running sums
-- (debits/credits, pending/posted); a transfer moves pence from one account's debits to another's credits, posted
-- at once or pending first (two-phase: a later post or void transfer resolves it). The sum of every account's
-- credits less debits is zero per tenant and currency. Accounts flagged must_not_go_below_zero keep
-- credits_posted - debits_posted - debits_pending >= 0 (TigerBeetle's debits_must_not_exceed_credits); the CHECK
-- below holds that even if a statement forgot to, and the service's row locks make it hold under concurrency.
--
-- Balances change only in the ledger service's statements, in the transaction that writes their transfer; the app
-- role may update the four sums and a pending transfer's state, nothing else, and `upfront ledger verify`
-- recomputes every balance from the transfers.

CREATE TABLE ledger_accounts (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  account_id uuid NOT NULL,
  -- The key other features find an account by, e.g. 'budget:<budgetId>:direct_payment', 'stream:<streamId>'.
  code text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]*(:[A-Za-z0-9_.-]+)*$' AND length(code) <= 200),
  kind text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_]{0,39}$'),
  currency text NOT NULL DEFAULT 'GBP' CHECK (currency ~ '^[A-Z]{3}$'),
  name text CHECK (length(name) <= 200),
  budget_id uuid,
  stream_id text,
  deployment text CHECK (length(deployment) <= 60),
  person_id uuid,
  must_not_go_below_zero boolean NOT NULL DEFAULT false,
  debits_pending bigint NOT NULL DEFAULT 0 CHECK (debits_pending >= 0),
  debits_posted bigint NOT NULL DEFAULT 0 CHECK (debits_posted >= 0),
  credits_pending bigint NOT NULL DEFAULT 0 CHECK (credits_pending >= 0),
  credits_posted bigint NOT NULL DEFAULT 0 CHECK (credits_posted >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, account_id),
  UNIQUE (tenant_id, code),
  FOREIGN KEY (tenant_id, budget_id) REFERENCES personal_budgets (tenant_id, budget_id),
  FOREIGN KEY (tenant_id, stream_id) REFERENCES funding_streams (tenant_id, stream_id),
  FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, person_id),
  CONSTRAINT ledger_accounts_not_below_zero
    CHECK (NOT must_not_go_below_zero OR credits_posted - debits_posted - debits_pending >= 0)
);
CREATE INDEX ledger_accounts_budget ON ledger_accounts (tenant_id, budget_id) WHERE budget_id IS NOT NULL;
CREATE INDEX ledger_accounts_person ON ledger_accounts (tenant_id, person_id) WHERE person_id IS NOT NULL;

CREATE TABLE ledger_transfers (
  -- No foreign key to tenants of its own: the (tenant_id, account) keys below already need the tenant, and each
  -- foreign key is a lookup per row on the ledger's hottest insert.
  tenant_id uuid NOT NULL,
  transfer_id uuid NOT NULL,
  -- Insertion order within the database: statements list transfers in the order they were written.
  seq bigint GENERATED ALWAYS AS IDENTITY,
  -- Given by the client; the same key twice is one transfer (request_fingerprint tells a replay from a clash).
  idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
  request_fingerprint text NOT NULL,
  debit_account_id uuid NOT NULL,
  credit_account_id uuid NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  -- Why the money moved: payment, spend, topup, contribution, recovery, return, pool_share, funding, …
  code text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]{0,39}$'),
  -- The business record it belongs to (a payment, a spend, a top-up), for tracing a penny back.
  ref_kind text CHECK (ref_kind ~ '^[a-z][a-z0-9_]{0,39}$'),
  ref_id text CHECK (length(ref_id) <= 200),
  -- true: the first phase of a two-phase transfer (counts in the *_pending sums while state = 'pending').
  pending boolean NOT NULL DEFAULT false,
  -- A post or void transfer names the pending transfer it resolves.
  pending_of uuid,
  state text NOT NULL CHECK (state IN ('pending', 'posted', 'voided')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, transfer_id),
  UNIQUE (tenant_id, idempotency_key),
  FOREIGN KEY (tenant_id, debit_account_id) REFERENCES ledger_accounts (tenant_id, account_id),
  FOREIGN KEY (tenant_id, credit_account_id) REFERENCES ledger_accounts (tenant_id, account_id),
  FOREIGN KEY (tenant_id, pending_of) REFERENCES ledger_transfers (tenant_id, transfer_id),
  CHECK (debit_account_id <> credit_account_id),
  -- A pending transfer starts pending; a plain one is posted; a resolution is posted (post) or voided (void).
  CHECK (NOT (pending AND pending_of IS NOT NULL)),
  CHECK (pending OR state <> 'pending'),
  CHECK (pending OR pending_of IS NOT NULL OR state = 'posted')
);
-- A pending transfer is resolved once: one post or one void.
CREATE UNIQUE INDEX ledger_transfers_one_resolution ON ledger_transfers (tenant_id, pending_of)
  WHERE pending_of IS NOT NULL;
CREATE INDEX ledger_transfers_debit ON ledger_transfers (tenant_id, debit_account_id, seq);
CREATE INDEX ledger_transfers_credit ON ledger_transfers (tenant_id, credit_account_id, seq);
CREATE INDEX ledger_transfers_ref ON ledger_transfers (tenant_id, ref_kind, ref_id) WHERE ref_id IS NOT NULL;

-- Transfers are facts: never deleted, never changed, except a pending one becoming posted or voided once.
CREATE FUNCTION ledger_transfers_are_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'ledger transfer % cannot be deleted; write a reversing transfer', OLD.transfer_id
      USING ERRCODE = 'check_violation';
  END IF;
  IF NOT (OLD.pending AND OLD.state = 'pending' AND NEW.state IN ('posted', 'voided'))
      OR (to_jsonb(NEW) - 'state') IS DISTINCT FROM (to_jsonb(OLD) - 'state') THEN
    RAISE EXCEPTION 'ledger transfer % cannot be changed; only a pending transfer is posted or voided, once',
      OLD.transfer_id USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER ledger_transfers_final BEFORE UPDATE OR DELETE ON ledger_transfers
  FOR EACH ROW EXECUTE FUNCTION ledger_transfers_are_final();

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['ledger_accounts', 'ledger_transfers'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I TO upfront_app
      USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())', t);
  END LOOP;
END
$$;

-- Only what the ledger service's statements need: an account's sums (never its identity or flag), a pending
-- transfer's state (the trigger allows nothing else), no DELETE anywhere.
GRANT SELECT, INSERT, UPDATE (debits_pending, debits_posted, credits_pending, credits_posted)
  ON ledger_accounts TO upfront_app;
GRANT SELECT, INSERT, UPDATE (state) ON ledger_transfers TO upfront_app;
