-- Money owed back after a budget ends (payment_debts, 0010): what finance decided about each debt, once. A debt is
-- recovered (the money came back: a ledger transfer to its funding streams, keyed by the debt) or written off
-- (with the reason, as the council's auditors expect). Kept apart from payment_debts so the decision, who made it
-- and why are written once and never changed; payment_debts.status follows it in the same transaction.
CREATE TABLE payment_debt_decisions (
  tenant_id uuid NOT NULL,
  debt_id uuid NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('recovered', 'written_off')),
  reason text CHECK (reason IS NULL OR length(trim(reason)) BETWEEN 1 AND 2000),
  decided_by text NOT NULL,
  decided_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, debt_id),
  FOREIGN KEY (tenant_id, debt_id) REFERENCES payment_debts (tenant_id, debt_id),
  CHECK (outcome <> 'written_off' OR reason IS NOT NULL)
);

ALTER TABLE payment_debt_decisions ENABLE ROW LEVEL SECURITY;
ALTER TABLE payment_debt_decisions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON payment_debt_decisions TO upfront_app
  USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());

GRANT SELECT, INSERT ON payment_debt_decisions TO upfront_app;
