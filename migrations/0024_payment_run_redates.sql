-- A later pay date for an approved payment run whose Bacs file was not sent in time (issue 12: money paths cannot
-- dead-end). The run's payments are already made, once, in the ledger; only the date the Bacs file pays on moves.
-- One finance officer proposes the new date with the reason; a DIFFERENT one approves it (maker-checker, like the
-- run itself), and from then the run's Bacs file and finance CSV use it. A proposal not approved can be replaced by
-- a newer one (when its date has become too soon). Nothing is changed or deleted: every re-date is kept.
CREATE TABLE payment_run_redates (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  redate_id uuid NOT NULL,
  run_id uuid NOT NULL,
  -- The date the run's file paid on before (the run's own date, or the last approved re-date's).
  from_pay_date date NOT NULL,
  pay_date date NOT NULL,
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
  status text NOT NULL CHECK (status IN ('proposed', 'approved', 'replaced')),
  proposed_by text NOT NULL,
  proposed_at timestamptz NOT NULL DEFAULT now(),
  decided_by text,
  decided_at timestamptz,
  PRIMARY KEY (tenant_id, redate_id),
  FOREIGN KEY (tenant_id, run_id) REFERENCES payment_runs (tenant_id, run_id),
  CHECK (pay_date > from_pay_date),
  CHECK ((status = 'proposed') = (decided_at IS NULL)),
  CHECK ((decided_at IS NULL) = (decided_by IS NULL)),
  CHECK (status <> 'approved' OR decided_by <> proposed_by)
);
-- At most one proposal waiting per run.
CREATE UNIQUE INDEX payment_run_redates_waiting ON payment_run_redates (tenant_id, run_id) WHERE status = 'proposed';
CREATE INDEX payment_run_redates_run ON payment_run_redates (tenant_id, run_id, proposed_at);

ALTER TABLE payment_run_redates ENABLE ROW LEVEL SECURITY;
ALTER TABLE payment_run_redates FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON payment_run_redates TO upfront_app
  USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());

GRANT SELECT, INSERT, UPDATE (status, decided_by, decided_at) ON payment_run_redates TO upfront_app;
