-- The Client Level Data return's events, kept by the reports feature (issue 15, "Scale and correctness"): one row
-- per CLD event row, keyed by the Upfront record it comes from (its kind and id, and which part: a budget line
-- with a weekly and a one-off amount gives two rows), derived by the same code as the return itself
-- (cld-facts.ts, cld-events.calc.ts, cld-quality.calc.ts) and refreshed person by person by a pg-boss job
-- (cld-refresh.ts). It holds what does not depend on the requested period: the row's cells already written as
-- CSV, the first six sort fields (the file's order), the dates the period filter reads, and each field's
-- data-quality result; the period's columns, the primary support reason and funding status in force at the
-- period's end, and the checks that read them are applied when the return is exported (cld-export.ts).
-- Derived data: a row is deleted and written again whenever its person's records change, never updated.
CREATE TABLE cld_events (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  source_kind text NOT NULL CHECK (
    source_kind IN ('referral', 'assessment', 'financial_assessment', 'budget_line', 'review')
  ),
  source_id text NOT NULL,
  part smallint NOT NULL CHECK (part >= 0),
  person_id uuid NOT NULL,
  -- The file's first six sort fields as written (null when blank), compared by code point like the return's
  -- own comparison (cld-period.calc.ts compareCldRows), blanks first.
  sort_person text COLLATE "C",
  sort_nhs text COLLATE "C",
  sort_start text COLLATE "C",
  sort_type text COLLATE "C",
  sort_reference text COLLATE "C",
  sort_end text COLLATE "C",
  -- What the period filter (REPORTING.md §1.12) reads: real dates only (placeable is false when the start is
  -- not a real date, or the end is given and is not), the end already a date of death inside the event.
  starts_on date,
  ends_on date,
  placeable boolean NOT NULL,
  service boolean NOT NULL,
  -- Whether the row has a person identifier the return can send (REPORTING.md §1.11); why not, when not.
  sendable boolean NOT NULL,
  -- The rest, as one JSON document (cld-store.ts CldStoredRow): the CSV text of the cells, the choices that
  -- depend on the period's end, and the data-quality results.
  payload text NOT NULL,
  PRIMARY KEY (tenant_id, source_kind, source_id, part)
);
CREATE INDEX cld_events_person ON cld_events (tenant_id, person_id);
CREATE INDEX cld_events_file_order ON cld_events (
  tenant_id,
  sort_person NULLS FIRST,
  sort_nhs NULLS FIRST,
  sort_start NULLS FIRST,
  sort_type NULLS FIRST,
  sort_reference NULLS FIRST,
  sort_end NULLS FIRST
);

ALTER TABLE cld_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE cld_events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON cld_events TO upfront_app
  USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());

GRANT SELECT, INSERT, DELETE ON cld_events TO upfront_app;

-- Each refresh of cld_events: a full rebuild (nightly) or a catch-up of the people whose records changed, what
-- it read up to (audit events before `records_read_to` are in the table), how many people and rows, how long,
-- and the rules and council code the rows were derived with (a change to either makes the next export rebuild).
CREATE TABLE cld_refreshes (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  refresh_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('full', 'catch_up')),
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL,
  records_read_to timestamptz NOT NULL,
  people integer NOT NULL CHECK (people >= 0),
  rows_written integer NOT NULL CHECK (rows_written >= 0),
  milliseconds integer NOT NULL CHECK (milliseconds >= 0),
  rules_key text NOT NULL,
  la_code text,
  PRIMARY KEY (tenant_id, refresh_id)
);
CREATE INDEX cld_refreshes_latest ON cld_refreshes (tenant_id, finished_at);

ALTER TABLE cld_refreshes ENABLE ROW LEVEL SECURITY;
ALTER TABLE cld_refreshes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON cld_refreshes TO upfront_app
  USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());

GRANT SELECT, INSERT ON cld_refreshes TO upfront_app;

-- The catch-up reads the audit trail since its last run (records written or changed since, cld-refresh.ts):
-- by time, so it reads what happened since rather than every event of the records' types.
CREATE INDEX audit_events_occurred ON audit_events (tenant_id, occurred_at);
