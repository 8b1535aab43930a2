-- Least privilege (issue 13, defect 5). On PostgreSQL the app connects as a login role that is only a member of
-- upfront_app (README.md, "Database roles"): no superuser, no BYPASSRLS, owns nothing. What used to run as the
-- connecting superuser before a tenant was known (a session or token found by its hash, sign-in by email, a
-- council by its short name) now goes through the small SECURITY DEFINER functions below: each does one
-- look-up or one write, owned by the migrating owner, with a fixed search_path, and only upfront_app may call
-- them. Operator work across councils (creating a council, the demo seed, `ledger verify`, the CLI) runs under
-- the owner's own connection (MIGRATION_DATABASE_URL).
--
-- Column privileges keep password hashes out of the app role's reach: it may write a new hash, never read one
-- back, except through the functions that check a password (staff and people signing in, a member of staff
-- changing their own). A member of staff's roles change only through staff_set_roles, and a ledger account's sums
-- only through the transfers written (a trigger), never by the app role's own UPDATE. pg-boss's schema is made by
-- the owner and granted to upfront_app (platform/jobs/jobs.ts prepareJobsSchema), not here.

-- ---- staff sessions -------------------------------------------------------------------------------------------

-- A live session by its hash: whose it is and when it was last used (the caller decides whether to touch it).
CREATE FUNCTION staff_session_find(p_hash text, p_now timestamptz, p_idle_since timestamptz)
  RETURNS TABLE (tenant_id uuid, user_id uuid, last_seen_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT s.tenant_id, s.user_id, s.last_seen_at FROM sessions s
    WHERE s.session_hash = p_hash AND s.expires_at > p_now AND s.last_seen_at > p_idle_since
  $$;

CREATE FUNCTION staff_session_touch(p_hash text, p_now timestamptz) RETURNS void
  LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ UPDATE sessions SET last_seen_at = p_now WHERE session_hash = p_hash $$;

-- Ends a session by its hash; whose it was, for the audit event (no row: there was none).
CREATE FUNCTION staff_session_end(p_hash text) RETURNS TABLE (tenant_id uuid, user_id uuid)
  LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ DELETE FROM sessions s WHERE s.session_hash = p_hash RETURNING s.tenant_id, s.user_id $$;

-- A session is created inside its tenant's transaction (RLS checks the tenant); the app still never reads a hash.
GRANT INSERT (tenant_id, session_hash, user_id, expires_at) ON sessions TO upfront_app;

-- ---- API tokens -----------------------------------------------------------------------------------------------

-- A usable token by its hash (not revoked, not expired, its member of staff active), marked as used.
CREATE FUNCTION api_token_use(p_hash text, p_now timestamptz)
  RETURNS TABLE (tenant_id uuid, user_id uuid, token_id uuid, scopes text[])
  LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    UPDATE api_tokens k SET last_used_at = p_now
    FROM staff_users u
    WHERE k.token_hash = p_hash AND k.revoked_at IS NULL AND k.expires_at > p_now
      AND u.tenant_id = k.tenant_id AND u.user_id = k.user_id AND u.disabled_at IS NULL
    RETURNING k.tenant_id, k.user_id, k.token_id, k.scopes
  $$;

-- ---- staff sign-in and passwords ------------------------------------------------------------------------------

-- Sign-in by email, before any council is known: the active accounts with that email and their hashes, for the
-- password check only.
CREATE FUNCTION staff_sign_in_candidates(p_email text)
  RETURNS TABLE (tenant_id uuid, user_id uuid, password_hash text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT u.tenant_id, u.user_id, u.password_hash FROM staff_users u
    WHERE u.email = p_email AND u.disabled_at IS NULL
  $$;

-- Changing one's own password checks the current one: the hash of one member of staff of the transaction's
-- council (app.tenant_id), never another council's.
CREATE FUNCTION staff_password_hash(p_user_id uuid) RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT u.password_hash FROM staff_users u WHERE u.tenant_id = app_tenant_id() AND u.user_id = p_user_id
  $$;

-- A set-password link by its hash: which council and member of staff it is for (its state is read in the tenant).
CREATE FUNCTION staff_password_link_find(p_hash text) RETURNS TABLE (tenant_id uuid, link_id uuid, user_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT l.tenant_id, l.link_id, l.user_id FROM staff_password_links l WHERE l.token_hash = p_hash
  $$;

-- Whether a password is set, readable without the hash.
ALTER TABLE staff_users ADD COLUMN has_password boolean GENERATED ALWAYS AS (password_hash IS NOT NULL) STORED;

REVOKE SELECT ON staff_users FROM upfront_app;
GRANT SELECT (tenant_id, user_id, email, name, roles, created_at, disabled_at, team_id, has_password)
  ON staff_users TO upfront_app;

-- Roles are changed only here: in the transaction's council, for an active member of staff, and never so that the
-- council is left without an active administrator. The app role may set a team, deactivate, or write a new hash.
CREATE FUNCTION staff_set_roles(p_user_id uuid, p_roles text[]) RETURNS boolean
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
  DECLARE
    v_tenant uuid := app_tenant_id();
    v_changed boolean;
  BEGIN
    IF v_tenant IS NULL THEN
      RAISE EXCEPTION 'staff_set_roles needs the council (app.tenant_id)';
    END IF;
    UPDATE staff_users SET roles = p_roles
      WHERE tenant_id = v_tenant AND user_id = p_user_id AND disabled_at IS NULL;
    v_changed := FOUND;
    IF NOT EXISTS (SELECT 1 FROM staff_users
        WHERE tenant_id = v_tenant AND disabled_at IS NULL AND 'administrator' = ANY (roles)) THEN
      RAISE EXCEPTION 'council % would be left without an active administrator', v_tenant
        USING ERRCODE = 'check_violation';
    END IF;
    RETURN v_changed;
  END
  $$;

REVOKE UPDATE ON staff_users FROM upfront_app;
GRANT UPDATE (team_id, disabled_at, password_hash) ON staff_users TO upfront_app;

-- ---- people's sessions and sign-in ----------------------------------------------------------------------------

CREATE FUNCTION person_session_find(p_hash text, p_now timestamptz, p_idle_since timestamptz)
  RETURNS TABLE (tenant_id uuid, account_id uuid, method text, last_seen_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT s.tenant_id, s.account_id, s.method, s.last_seen_at FROM person_sessions s
    WHERE s.session_hash = p_hash AND s.expires_at > p_now AND s.last_seen_at > p_idle_since
  $$;

CREATE FUNCTION person_session_touch(p_hash text, p_now timestamptz) RETURNS void
  LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ UPDATE person_sessions SET last_seen_at = p_now WHERE session_hash = p_hash $$;

CREATE FUNCTION person_session_end(p_hash text) RETURNS TABLE (tenant_id uuid, account_id uuid)
  LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ DELETE FROM person_sessions s WHERE s.session_hash = p_hash RETURNING s.tenant_id, s.account_id $$;

CREATE POLICY tenant_isolation ON person_sessions TO upfront_app
  USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
GRANT INSERT (tenant_id, session_hash, account_id, method, expires_at) ON person_sessions TO upfront_app;

CREATE FUNCTION person_sign_in_candidates(p_email text)
  RETURNS TABLE (tenant_id uuid, account_id uuid, password_hash text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT a.tenant_id, a.account_id, a.password_hash FROM person_accounts a
    WHERE a.email = p_email AND a.password_hash IS NOT NULL AND a.disabled_at IS NULL
  $$;

-- A claim code's council, by its hash; the code itself is then read and locked in that council.
CREATE FUNCTION person_claim_code_tenant(p_hash text) RETURNS TABLE (tenant_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT c.tenant_id FROM person_claim_codes c WHERE c.code_hash = p_hash $$;

-- A One Login account's email follows the provider's verified one (in its council's transaction).
GRANT UPDATE (email) ON person_accounts TO upfront_app;

-- One Login: a council's enabled settings with the secret, at sign-in only; and which councils offer it.
CREATE FUNCTION one_login_client(p_tenant_id uuid) RETURNS SETOF one_login_settings
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT * FROM one_login_settings WHERE tenant_id = p_tenant_id AND enabled $$;

CREATE FUNCTION one_login_councils() RETURNS TABLE (tenant_id uuid, slug text, name text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT t.tenant_id, t.slug, t.name FROM one_login_settings s JOIN tenants t ON t.tenant_id = s.tenant_id
    WHERE s.enabled ORDER BY t.name
  $$;

-- ---- councils -------------------------------------------------------------------------------------------------

-- A council's public details (short name, name, jurisdiction) before any council is known.
CREATE FUNCTION tenant_by_slug(p_slug text) RETURNS SETOF tenants
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT * FROM tenants WHERE slug = p_slug $$;

CREATE FUNCTION tenant_by_id(p_tenant_id uuid) RETURNS SETOF tenants
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT * FROM tenants WHERE tenant_id = p_tenant_id $$;

-- Every council's id, short name and name (the public estimator's list; background jobs that visit each council).
CREATE FUNCTION list_councils() RETURNS TABLE (tenant_id uuid, slug text, name text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT t.tenant_id, t.slug, t.name FROM tenants t ORDER BY t.name $$;

-- ---- ledger balances ------------------------------------------------------------------------------------------

-- An account's four sums follow its transfers and nothing else: a trigger adds each statement's transfers to
-- their accounts (TigerBeetle's effects, as features/ledger/ledger.calc.ts effectOf: a pending transfer adds to
-- the *_pending sums; a plain one to *_posted; a post or void releases its hold from *_pending and a post adds
-- its amount to *_posted). The app role may no longer write a sum at all, so no statement can give an account
-- money without a transfer to show for it. The table's CHECK still keeps flagged accounts from going below zero.
CREATE FUNCTION ledger_balances_follow_transfers() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
  BEGIN
    WITH moved AS (
      SELECT n.tenant_id, n.debit_account_id, n.credit_account_id,
        CASE WHEN n.pending THEN n.amount ELSE -coalesce(h.amount, 0) END AS pending_change,
        CASE WHEN NOT n.pending AND n.state = 'posted' THEN n.amount ELSE 0 END AS posted_change
      FROM new_transfers n
      LEFT JOIN ledger_transfers h ON h.tenant_id = n.tenant_id AND h.transfer_id = n.pending_of
    ), effects AS (
      SELECT tenant_id, debit_account_id AS account_id, pending_change AS dpe, posted_change AS dpo,
        0::bigint AS cpe, 0::bigint AS cpo FROM moved
      UNION ALL
      SELECT tenant_id, credit_account_id, 0, 0, pending_change, posted_change FROM moved
    ), sums AS (
      SELECT tenant_id, account_id, sum(dpe) AS dpe, sum(dpo) AS dpo, sum(cpe) AS cpe, sum(cpo) AS cpo
      FROM effects GROUP BY tenant_id, account_id
    )
    UPDATE ledger_accounts a SET
      debits_pending = a.debits_pending + s.dpe, debits_posted = a.debits_posted + s.dpo,
      credits_pending = a.credits_pending + s.cpe, credits_posted = a.credits_posted + s.cpo
    FROM sums s WHERE a.tenant_id = s.tenant_id AND a.account_id = s.account_id;
    RETURN NULL;
  END
  $$;
CREATE TRIGGER ledger_balances AFTER INSERT ON ledger_transfers
  REFERENCING NEW TABLE AS new_transfers FOR EACH STATEMENT EXECUTE FUNCTION ledger_balances_follow_transfers();
REVOKE EXECUTE ON FUNCTION ledger_balances_follow_transfers() FROM PUBLIC;

REVOKE INSERT, UPDATE ON ledger_accounts FROM upfront_app;
GRANT INSERT (tenant_id, account_id, code, kind, currency, name, budget_id, stream_id, deployment, person_id,
  must_not_go_below_zero) ON ledger_accounts TO upfront_app;
-- SELECT … FOR UPDATE (the ledger service locks the accounts it moves money between) needs UPDATE on a column;
-- the only one given is one nothing changes (created_at), so the app can lock an account but alter nothing.
GRANT UPDATE (created_at) ON ledger_accounts TO upfront_app;

-- ---- the audit seal ------------------------------------------------------------------------------------------

-- The sealing job reads a council's unsealed events in that council's transaction (the app role may read its
-- events and seals) and appends the next seal here: only the next number, chained to the last seal's hash, over
-- events not yet sealed. It cannot change an event or a seal; `upfront audit verify` recomputes the hashes.
CREATE FUNCTION audit_seal_append(p_seal_no bigint, p_hash_version smallint, p_event_ids uuid[],
    p_events_hash text, p_previous_seal_hash text, p_seal_hash text) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
  DECLARE
    v_tenant uuid := app_tenant_id();
    v_last audit_seals%ROWTYPE;
    v_marked integer;
  BEGIN
    IF v_tenant IS NULL THEN
      RAISE EXCEPTION 'audit_seal_append needs the council (app.tenant_id)';
    END IF;
    SELECT * INTO v_last FROM audit_seals WHERE tenant_id = v_tenant ORDER BY seal_no DESC LIMIT 1;
    IF p_seal_no <> coalesce(v_last.seal_no, 0) + 1
        OR (v_last.seal_no IS NOT NULL AND p_previous_seal_hash <> v_last.seal_hash)
        OR p_seal_hash <> encode(sha256(convert_to(p_previous_seal_hash || p_events_hash, 'UTF8')), 'hex') THEN
      RAISE EXCEPTION 'seal % does not follow the chain of council %', p_seal_no, v_tenant
        USING ERRCODE = 'check_violation';
    END IF;
    INSERT INTO audit_seals (tenant_id, seal_no, hash_version, event_count, first_event_id, last_event_id,
        events_hash, previous_seal_hash, seal_hash)
      VALUES (v_tenant, p_seal_no, p_hash_version, cardinality(p_event_ids), p_event_ids[1],
        p_event_ids[cardinality(p_event_ids)], p_events_hash, p_previous_seal_hash, p_seal_hash);
    UPDATE audit_events SET sealed_in = p_seal_no
      WHERE tenant_id = v_tenant AND event_id = ANY (p_event_ids) AND sealed_in IS NULL;
    GET DIAGNOSTICS v_marked = ROW_COUNT;
    RETURN v_marked;
  END
  $$;

-- ---- sign-in throttling ---------------------------------------------------------------------------------------

-- The counts stay unreadable to the app role (migrations/0021): it names the keys it has (keyed hashes it
-- computes) and gets back only those rows, locked for the rest of the transaction, made if new.
CREATE FUNCTION sign_in_throttle_lock(p_kinds text[], p_hashes text[])
  RETURNS TABLE (kind text, key_hash text, failures integer, wait_until timestamptz, forget_at timestamptz)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
  BEGIN
    INSERT INTO sign_in_throttles AS t (kind, key_hash, failures, wait_until, forget_at)
      SELECT k.kind, k.key_hash, 0, now(), now() FROM unnest(p_kinds, p_hashes) AS k(kind, key_hash)
      ON CONFLICT DO NOTHING;
    -- Every server takes the same rows in the same order (account before address), so none deadlock.
    RETURN QUERY
      SELECT t.kind, t.key_hash, t.failures, t.wait_until, t.forget_at FROM sign_in_throttles t
      JOIN unnest(p_kinds, p_hashes) AS k(kind, key_hash) ON k.kind = t.kind AND k.key_hash = t.key_hash
      ORDER BY t.kind, t.key_hash FOR UPDATE OF t;
  END
  $$;

-- One key's new count and wait (the rules are the caller's: platform/auth/throttle.calc.ts); old counts go.
CREATE FUNCTION sign_in_throttle_count(p_kind text, p_hash text, p_failures integer, p_wait_until timestamptz,
    p_forget_at timestamptz) RETURNS void
  LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    UPDATE sign_in_throttles SET failures = p_failures, wait_until = p_wait_until, forget_at = p_forget_at
    WHERE kind = p_kind AND key_hash = p_hash;
    DELETE FROM sign_in_throttles WHERE forget_at < now();
  $$;

-- The password was right: the account's count is forgotten; the address loses this one attempt.
CREATE FUNCTION sign_in_throttle_succeeded(p_kinds text[], p_hashes text[]) RETURNS void
  LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    DELETE FROM sign_in_throttles t USING unnest(p_kinds, p_hashes) AS k(kind, key_hash)
    WHERE t.kind = 'account' AND k.kind = 'account' AND t.key_hash = k.key_hash;
    UPDATE sign_in_throttles t SET failures = greatest(t.failures - 1, 0)
    FROM unnest(p_kinds, p_hashes) AS k(kind, key_hash)
    WHERE t.kind = 'address' AND k.kind = 'address' AND t.key_hash = k.key_hash;
  $$;

-- ---- migrations -----------------------------------------------------------------------------------------------

-- A server connecting as the app's login role checks that nothing is left to migrate (it cannot migrate itself).
GRANT SELECT ON schema_migrations TO upfront_app;

-- ---- who may call the functions -------------------------------------------------------------------------------

DO $$
DECLARE f text;
BEGIN
  FOREACH f IN ARRAY ARRAY[
    'staff_session_find(text, timestamptz, timestamptz)', 'staff_session_touch(text, timestamptz)',
    'staff_session_end(text)', 'api_token_use(text, timestamptz)', 'staff_sign_in_candidates(text)',
    'staff_password_hash(uuid)', 'staff_password_link_find(text)', 'staff_set_roles(uuid, text[])',
    'person_session_find(text, timestamptz, timestamptz)', 'person_session_touch(text, timestamptz)',
    'person_session_end(text)', 'person_sign_in_candidates(text)', 'person_claim_code_tenant(text)',
    'one_login_client(uuid)', 'one_login_councils()',
    'tenant_by_slug(text)', 'tenant_by_id(uuid)', 'list_councils()',
    'audit_seal_append(bigint, smallint, uuid[], text, text, text)', 'sign_in_throttle_lock(text[], text[])',
    'sign_in_throttle_count(text, text, integer, timestamptz, timestamptz)',
    'sign_in_throttle_succeeded(text[], text[])'
  ] LOOP
    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO upfront_app', f);
  END LOOP;
END
$$;
