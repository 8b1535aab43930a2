-- Issue 15, direct-payment audit: recovery from future payments, and a move to a managed account.
--
-- payment_deductions (payments): money a person owes back that the council takes from their future direct
-- payments, as St Helens does when a repayment is not made ("otherwise future payments are reduced",
-- REPORTING.md §3). Raised by a DP audit's recovery decision for what the budget's surplus does not cover. Each
-- payment run takes what is still owed from each direct payment it makes (at most the payment), once per payment
-- (payment_deduction_takes, keyed by the payment), moving it from the budget's account back to the streams that
-- paid it, until nothing is owed. A deduction is never changed except its status (to_take → taken).
CREATE TABLE payment_deductions (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  deduction_id uuid NOT NULL,
  budget_id uuid NOT NULL,
  person_id uuid NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  status text NOT NULL CHECK (status IN ('to_take', 'taken')),
  -- What raised it: a direct-payment audit (dp_audits.audit_id; kept as an id, not a foreign key, across features).
  source_kind text NOT NULL CHECK (source_kind IN ('dp_audit')),
  source_id uuid NOT NULL,
  reason text NOT NULL CHECK (length(trim(reason)) BETWEEN 1 AND 500),
  created_by text NOT NULL,
  created_on date NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, deduction_id),
  UNIQUE (tenant_id, source_kind, source_id),
  FOREIGN KEY (tenant_id, budget_id) REFERENCES personal_budgets (tenant_id, budget_id)
);
CREATE INDEX payment_deductions_budget ON payment_deductions (tenant_id, budget_id) WHERE status = 'to_take';
CREATE INDEX payment_deductions_person ON payment_deductions (tenant_id, person_id);

-- What one payment took towards a deduction: once per (deduction, payment).
CREATE TABLE payment_deduction_takes (
  tenant_id uuid NOT NULL,
  deduction_id uuid NOT NULL,
  payment_id uuid NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  pay_date date NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, deduction_id, payment_id),
  FOREIGN KEY (tenant_id, deduction_id) REFERENCES payment_deductions (tenant_id, deduction_id),
  FOREIGN KEY (tenant_id, payment_id) REFERENCES payments (tenant_id, payment_id)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['payment_deductions', 'payment_deduction_takes'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I TO upfront_app
      USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())', t);
  END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE (status) ON payment_deductions TO upfront_app;
GRANT SELECT, INSERT ON payment_deduction_takes TO upfront_app;

-- dp_audits: the recovery's amount and how it is taken (the surplus recovery proposed through spending, the rest
-- as a deduction from future payments); the audit whose unpaid repayment request it follows up; the plan
-- version a move to a managed account proposes. Older recovery decisions (before amounts) keep these empty.
ALTER TABLE dp_audits
  ADD COLUMN recovery_pence integer CHECK (recovery_pence > 0),
  ADD COLUMN recovery_surplus_pence integer CHECK (recovery_surplus_pence >= 0),
  ADD COLUMN deduction_id uuid,
  ADD COLUMN follows_audit_id uuid,
  ADD COLUMN proposed_plan_id uuid,
  ADD COLUMN proposed_plan_version integer CHECK (proposed_plan_version > 0),
  ADD CONSTRAINT dp_audits_recovery_amounts CHECK (
    (recovery_pence IS NULL OR outcome = 'recovery')
    AND (recovery_surplus_pence IS NULL OR recovery_surplus_pence <= recovery_pence)
  ),
  ADD CONSTRAINT dp_audits_proposed_plan CHECK (
    (proposed_plan_id IS NULL) = (proposed_plan_version IS NULL)
    AND (proposed_plan_id IS NULL OR outcome = 'managed_account')
  );
-- A repayment request not paid by its due date is followed up by a new audit, decided as a recovery.
ALTER TABLE dp_audits DROP CONSTRAINT dp_audits_reason_check;
ALTER TABLE dp_audits ADD CONSTRAINT dp_audits_reason_check
  CHECK (reason IN ('risk', 'first_review', 'annual', 'unpaid_repayment'));
ALTER TABLE dp_audits ADD CONSTRAINT dp_audits_follow_up CHECK ((reason = 'unpaid_repayment') = (follows_audit_id IS NOT NULL));
-- One follow-up audit per unpaid repayment request.
CREATE UNIQUE INDEX dp_audits_one_follow_up ON dp_audits (tenant_id, follows_audit_id)
  WHERE follows_audit_id IS NOT NULL;

GRANT UPDATE (recovery_pence, recovery_surplus_pence, deduction_id, proposed_plan_id, proposed_plan_version)
  ON dp_audits TO upfront_app;
