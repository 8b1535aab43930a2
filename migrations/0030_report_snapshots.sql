-- Issue 15, "Scale and correctness": the dashboard pages' figures, materialised. One stored model per report and
-- parameter set (`parameters`: the page's own canonical key, e.g. '2026-04-01..2026-12-07' for a commissioner's
-- report, 'year=2026' for the measures, 'dashboard' for the public fairness dashboard), as the JSON the page, its
-- CSV and XLSX downloads and the API all read, with the data date it is "as at" and when it was worked out.
-- Written by features/reports (snapshot-service.ts): by the nightly job, a commissioner's "refresh now", the CLI,
-- or the first visit for parameters with no snapshot yet. `is_default`: the model the page shows when no
-- parameters are given, as at `as_at` (the page shows the latest such one until the job refreshes it).
CREATE TABLE report_snapshots (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  report text NOT NULL CHECK (report ~ '^[a-z][a-z0-9-]{0,39}$'),
  parameters text NOT NULL CHECK (length(parameters) BETWEEN 1 AND 200),
  is_default boolean NOT NULL DEFAULT false,
  as_at date NOT NULL,
  computed_at timestamptz NOT NULL,
  computed_by text NOT NULL,
  model jsonb NOT NULL,
  PRIMARY KEY (tenant_id, report, parameters)
);
CREATE INDEX report_snapshots_latest_default
  ON report_snapshots (tenant_id, report, as_at DESC, computed_at DESC) WHERE is_default;

ALTER TABLE report_snapshots ENABLE ROW LEVEL SECURITY;
ALTER TABLE report_snapshots FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON report_snapshots TO upfront_app
  USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());

GRANT SELECT, INSERT, UPDATE, DELETE ON report_snapshots TO upfront_app;
