-- Issue 13: a surplus recovery takes money back from a person's budget, so like payment runs and bank details it
-- needs two people. The first finance officer's approval is recorded here and moves nothing; the money moves only
-- when a second, different officer approves (spending/service.ts decideRecovery). Either may refuse it instead.
ALTER TABLE surplus_recoveries
  ADD COLUMN first_approved_by text,
  ADD COLUMN first_approved_at timestamptz,
  ADD CONSTRAINT surplus_recoveries_two_people CHECK (
    status <> 'approved' OR (first_approved_by IS NOT NULL AND first_approved_by <> decided_by)
  ) NOT VALID;

GRANT UPDATE (first_approved_by, first_approved_at) ON surplus_recoveries TO upfront_app;
