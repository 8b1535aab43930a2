-- RAS calibration: a fit of the tenant's resource allocation model to past package costs, with its report.
--
-- A calibration is proposed when an administrator (or an operator, from the CLI) uploads a file of past
-- packages; it becomes a new RAS model version only when an administrator adopts it, with a reason. The
-- file itself is not kept: only a summary of it (its SHA-256, rows, columns), the fitted model and the report
-- (which holds, per person, the pseudonymous reference, the groups used for the equity tests and the amounts).
-- Once adopted, a calibration never changes; a proposed one changes only by being adopted.

CREATE TABLE ras_calibrations (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  calibration_id uuid NOT NULL,
  status text NOT NULL CHECK (status IN ('proposed', 'adopted')),
  -- The model current when the calibration was made: the report compares the fitted model with it.
  based_on_ras_model_id uuid NOT NULL,
  input_summary jsonb NOT NULL,
  fitted_model jsonb NOT NULL,
  report jsonb NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  adopted_ras_model_id uuid,
  adopted_by text,
  adopted_at timestamptz,
  adoption_reason text CHECK (length(trim(adoption_reason)) > 0),
  PRIMARY KEY (tenant_id, calibration_id),
  UNIQUE (tenant_id, adopted_ras_model_id),
  FOREIGN KEY (tenant_id, based_on_ras_model_id) REFERENCES ras_models (tenant_id, ras_model_id),
  FOREIGN KEY (tenant_id, adopted_ras_model_id) REFERENCES ras_models (tenant_id, ras_model_id),
  CHECK (
    (status = 'proposed' AND adopted_ras_model_id IS NULL AND adopted_by IS NULL AND adopted_at IS NULL
      AND adoption_reason IS NULL)
    OR (status = 'adopted' AND adopted_ras_model_id IS NOT NULL AND adopted_by IS NOT NULL
      AND adopted_at IS NOT NULL AND adoption_reason IS NOT NULL)
  )
);
CREATE INDEX ras_calibrations_created ON ras_calibrations (tenant_id, created_at DESC);

-- Only proposed → adopted, and nothing but the adoption columns may change on the way; never deleted.
CREATE FUNCTION ras_calibrations_only_adopt() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.status = 'proposed' AND NEW.status = 'adopted'
     AND ROW(NEW.tenant_id, NEW.calibration_id, NEW.based_on_ras_model_id, NEW.input_summary, NEW.fitted_model,
             NEW.report, NEW.created_by, NEW.created_at)
         IS NOT DISTINCT FROM
         ROW(OLD.tenant_id, OLD.calibration_id, OLD.based_on_ras_model_id, OLD.input_summary, OLD.fitted_model,
             OLD.report, OLD.created_by, OLD.created_at) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'calibration % can only be adopted, once; % refused', OLD.calibration_id, TG_OP
    USING ERRCODE = 'check_violation';
END
$$;
CREATE TRIGGER ras_calibrations_final BEFORE UPDATE OR DELETE ON ras_calibrations
  FOR EACH ROW EXECUTE FUNCTION ras_calibrations_only_adopt();

ALTER TABLE ras_calibrations ENABLE ROW LEVEL SECURITY;
ALTER TABLE ras_calibrations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ras_calibrations TO upfront_app
  USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());

GRANT SELECT, INSERT ON ras_calibrations TO upfront_app;
GRANT UPDATE (status, adopted_ras_model_id, adopted_by, adopted_at, adoption_reason) ON ras_calibrations
  TO upfront_app;
