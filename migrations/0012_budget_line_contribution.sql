-- The part of the person's weekly contribution taken off each budget line (support × stream × deployment), so
-- the payments feature pays each stream's net amount without working the apportionment out again. Only a
-- means-tested stream's line ever carries a contribution (an NHS personal health budget is never charged).
ALTER TABLE personal_budget_lines
  ADD COLUMN contribution_weekly_pence bigint NOT NULL DEFAULT 0,
  ADD CONSTRAINT personal_budget_lines_contribution CHECK (
    contribution_weekly_pence >= 0 AND contribution_weekly_pence <= weekly_pence
    AND (means_tested OR contribution_weekly_pence = 0));
