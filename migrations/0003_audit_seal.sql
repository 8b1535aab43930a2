-- The audit hash chain. A background job (src/platform/audit/seal.ts) seals each tenant's new audit events, in
-- batches, into the next link of that tenant's chain of seals; verification recomputes the chain. Writers never
-- wait for one another: an event is just inserted, and sealed minutes later.
--
-- Which seal holds an event is marked on the event itself (sealed_in), once, by the sealing job. Not a range of
-- timestamps or sequence numbers: a stamp (clock_timestamp() or a sequence's nextval) is taken when the row is
-- inserted, but the row only becomes visible when its transaction commits, so a transaction that commits after a
-- seal can add an event with a stamp inside the range already sealed. Marking membership means such an event
-- is simply unsealed until the next run, which seals it into the next seal, whatever its timestamp.
--
-- The sealing job runs as the connecting (owner) user, like migrations: it must read every tenant and mark
-- events, and upfront_app may do neither. upfront_app may read its own tenant's seals, never write them.

ALTER TABLE audit_events ADD COLUMN sealed_in bigint;

-- The app role inserts an event's own columns only: it cannot pre-mark an event as sealed.
REVOKE INSERT ON audit_events FROM upfront_app;
GRANT INSERT (tenant_id, event_id, occurred_at, actor_type, actor_id, action, record_type, record_id, changes)
  ON audit_events TO upfront_app;

CREATE TABLE audit_seals (
  tenant_id uuid NOT NULL REFERENCES tenants (tenant_id),
  seal_no bigint NOT NULL CHECK (seal_no > 0),
  -- How the events were serialised and hashed (1: see seal.ts), so the scheme can change without rewriting.
  hash_version smallint NOT NULL DEFAULT 1,
  event_count integer NOT NULL CHECK (event_count > 0),
  -- The first and last event in seal order (occurred_at, event_id), for people reading the chain.
  first_event_id uuid NOT NULL,
  last_event_id uuid NOT NULL,
  events_hash text NOT NULL CHECK (events_hash ~ '^[0-9a-f]{64}$'),
  previous_seal_hash text NOT NULL CHECK (previous_seal_hash ~ '^[0-9a-f]{64}$'),
  seal_hash text NOT NULL CHECK (seal_hash ~ '^[0-9a-f]{64}$'),
  sealed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, seal_no)
);
ALTER TABLE audit_seals ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_seals FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_read ON audit_seals FOR SELECT TO upfront_app USING (tenant_id = app_tenant_id());
GRANT SELECT ON audit_seals TO upfront_app;

ALTER TABLE audit_events ADD FOREIGN KEY (tenant_id, sealed_in) REFERENCES audit_seals (tenant_id, seal_no);
-- One index answers both questions: a tenant's unsealed events in seal order (sealed_in IS NULL), and one
-- seal's events in seal order, for verification.
CREATE INDEX audit_events_seal ON audit_events (tenant_id, sealed_in, occurred_at, event_id);

-- Belt and braces for the owner, who is not held by grants: an audit event may change only by being marked
-- sealed (NULL to a seal number, nothing else altered); seals never change. Deliberate tampering by the owner
-- can still disable this, and is what the hash chain is there to show.
CREATE FUNCTION audit_append_only() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  -- Nested, not one AND: OLD and NEW are unassigned in a statement-level (TRUNCATE) trigger.
  IF TG_TABLE_NAME = 'audit_events' AND TG_OP = 'UPDATE' THEN
    IF OLD.sealed_in IS NULL AND NEW.sealed_in IS NOT NULL
       AND ROW(NEW.tenant_id, NEW.event_id, NEW.occurred_at, NEW.actor_type, NEW.actor_id, NEW.action,
               NEW.record_type, NEW.record_id, NEW.changes)
           IS NOT DISTINCT FROM
           ROW(OLD.tenant_id, OLD.event_id, OLD.occurred_at, OLD.actor_type, OLD.actor_id, OLD.action,
               OLD.record_type, OLD.record_id, OLD.changes) THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING HINT = 'Audit events are only ever inserted, then marked sealed by the sealing job.';
END
$$;
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_seals_append_only BEFORE UPDATE OR DELETE ON audit_seals
  FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_seals_no_truncate BEFORE TRUNCATE ON audit_seals
  FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
