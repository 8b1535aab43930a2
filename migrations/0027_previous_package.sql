-- The public fairness dashboard's "cover for cuts?" (issue 15): when a support plan replaces a council-arranged
-- package, the plan records what that package cost a week and the date of that cost, so the dashboard can set
-- the personal budget against it in the same year's prices. Both or neither; whole pence, never negative.
ALTER TABLE support_plans
  ADD COLUMN previous_package_weekly_pence bigint,
  ADD COLUMN previous_package_date date,
  ADD CONSTRAINT support_plans_previous_package CHECK (
    (previous_package_weekly_pence IS NULL) = (previous_package_date IS NULL)
    AND (previous_package_weekly_pence IS NULL OR previous_package_weekly_pence >= 0)
  );

GRANT UPDATE (previous_package_weekly_pence, previous_package_date) ON support_plans TO upfront_app;
