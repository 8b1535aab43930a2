-- Issue 13 (security): API tokens get scopes and an expiry; callers' idempotency keys live apart from the system's.

-- ---- API tokens: scopes and expiry -----------------------------------------------------------------------
-- A token may do only what its scopes name (permission strings, src/platform/auth/permissions.ts), and only
-- while its creator's roles still allow it; it stops working at expires_at. user_id is its creator: tokens are
-- made only from that member of staff's signed-in session (a token cannot make a token).
ALTER TABLE api_tokens ADD COLUMN scopes text[];
ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz;

-- Tokens made before today could do whatever their creator's roles allow: they keep that, as scopes, and
-- expire 90 days from now. The role -> permission table lives in TypeScript (permissions.ts), so this is a copy
-- of it as it is today (tokenScopesFor: every permission but api_tokens:own), written out here once: a
-- migration is a snapshot and must not change when the table does. test/api-token-scopes.test.ts checks no
-- token gets more than its creator's roles allow.
WITH role_permissions (role, permissions) AS (VALUES
  ('social_worker', ARRAY['people:read', 'people:write', 'assessment:read', 'assessment:write',
    'charging:read', 'directory:read', 'funding:read', 'portal:manage', 'plans:read', 'plans:write',
    'plans:approve', 'allocation:override', 'reviews:read', 'reviews:write', 'budgets:read', 'tasks:read',
    'referrals:read', 'referrals:write']),
  ('support_planner', ARRAY['people:read', 'people:write', 'assessment:read', 'charging:read',
    'directory:read', 'funding:read', 'portal:manage', 'plans:read', 'plans:write', 'plans:approve',
    'reviews:read', 'reviews:write', 'budgets:read', 'tasks:read', 'referrals:read']),
  ('team_manager', ARRAY['people:read', 'people:write', 'assessment:read', 'assessment:write',
    'charging:read', 'charging:write', 'directory:read', 'funding:read', 'portal:manage', 'plans:read',
    'plans:write', 'plans:approve', 'allocation:override', 'reviews:read', 'reviews:write', 'budgets:read',
    'budgets:end', 'tasks:read', 'referrals:read', 'referrals:write']),
  ('funding_panel_member', ARRAY['people:read', 'assessment:read', 'charging:read', 'directory:read',
    'funding:read', 'plans:read', 'plans:approve', 'reviews:read', 'budgets:read', 'budgets:end',
    'tasks:read', 'referrals:read']),
  ('finance_officer', ARRAY['people:read', 'charging:read', 'charging:write', 'charging:settings',
    'directory:read', 'funding:read', 'plans:read', 'plans:approve', 'budgets:read', 'ledger:read',
    'payments:run', 'payments:approve', 'bank_details:manage', 'spending:manage', 'surplus:approve',
    'debts:manage', 'tasks:read']),
  ('commissioner', ARRAY['directory:read', 'funding:read', 'tasks:read']),
  ('administrator', ARRAY['people:read', 'people:write', 'assessment:read', 'ras:calibrate', 'charging:read',
    'charging:settings', 'directory:read', 'directory:manage', 'funding:read', 'funding:settings',
    'portal:manage', 'portal:configure', 'plans:read', 'plans:approve', 'reviews:read', 'budgets:read',
    'ledger:read', 'staff:manage', 'tasks:read', 'referrals:read'])
), scopes AS (
  SELECT k.tenant_id, k.token_id, array_agg(DISTINCT p ORDER BY p) AS scopes
  FROM api_tokens k
  JOIN staff_users u ON u.tenant_id = k.tenant_id AND u.user_id = k.user_id
  JOIN role_permissions rp ON rp.role = ANY (u.roles)
  CROSS JOIN LATERAL unnest(rp.permissions) AS p
  GROUP BY k.tenant_id, k.token_id
)
UPDATE api_tokens k SET scopes = s.scopes
FROM scopes s WHERE s.tenant_id = k.tenant_id AND s.token_id = k.token_id;
-- A creator with no roles left gets a token that can do nothing: revoke it rather than give it an empty scope.
UPDATE api_tokens SET scopes = ARRAY['directory:read'], revoked_at = coalesce(revoked_at, now())
  WHERE scopes IS NULL;
UPDATE api_tokens SET expires_at = now() + interval '90 days';

ALTER TABLE api_tokens ALTER COLUMN scopes SET NOT NULL;
ALTER TABLE api_tokens ALTER COLUMN expires_at SET NOT NULL;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_scopes CHECK (cardinality(scopes) >= 1);
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_expiry CHECK (expires_at > created_at);

-- ---- Ledger: callers' idempotency keys apart from the system's ---------------------------------------------
-- A key the system makes (a payment run's "payment:<budget>:<cycle>:<payee>:pay", a card feed's, an invoice's)
-- has key_user_id NULL. A key a caller sends (the Idempotency-Key header of /api/v1) is stored with the member
-- of staff who sent it (key_user_id; whichever of their tokens or their session they used), so whatever string a
-- caller sends, it can never take, or replay, a key of the system's or of another member of staff.
ALTER TABLE ledger_transfers ADD COLUMN key_user_id uuid;
ALTER TABLE ledger_transfers ADD CONSTRAINT ledger_transfers_key_user
  FOREIGN KEY (tenant_id, key_user_id) REFERENCES staff_users (tenant_id, user_id);
ALTER TABLE ledger_transfers DROP CONSTRAINT ledger_transfers_tenant_id_idempotency_key_key;
-- NULLS NOT DISTINCT: the system's keys (NULL) are unique among themselves too.
ALTER TABLE ledger_transfers ADD CONSTRAINT ledger_transfers_key
  UNIQUE NULLS NOT DISTINCT (tenant_id, key_user_id, idempotency_key);

-- Existing transfers: until now every key was in one namespace, and a key alone does not say who made it.
-- They stay the system's, except a key shaped like a payment run's or a contribution invoice's that no payment
-- or invoice owns (the transfer does not reference the payment or invoice whose key it starts with): that is a
-- caller's key taking the place of a run's (the squatting this fixes). It moves to the namespace of the member
-- of staff whose session or token wrote it, found from its audit event, so the run it blocked can now be made.
-- Transfers are otherwise unchangeable (ledger_transfers_final), so the trigger is off for this one update.
ALTER TABLE ledger_transfers DISABLE TRIGGER ledger_transfers_final;
WITH squatted AS (
  SELECT t.tenant_id, t.transfer_id
  FROM ledger_transfers t
  WHERE (t.idempotency_key LIKE 'payment:%' AND NOT EXISTS (
      SELECT 1 FROM payments p
      WHERE p.tenant_id = t.tenant_id AND t.ref_kind = 'payment' AND t.ref_id = p.payment_id::text
        AND left(t.idempotency_key, length(p.payment_key) + 1) = p.payment_key || ':'))
    OR (t.idempotency_key LIKE 'contribution:%' AND NOT EXISTS (
      SELECT 1 FROM contribution_invoices i
      WHERE i.tenant_id = t.tenant_id AND t.ref_kind = 'contribution_invoice' AND t.ref_id = i.invoice_id::text
        AND (t.idempotency_key = i.invoice_key OR left(t.idempotency_key, length(i.invoice_key) + 1) = i.invoice_key || ':')))
), writers AS (
  SELECT DISTINCT ON (s.tenant_id, s.transfer_id) s.tenant_id, s.transfer_id,
    CASE e.actor_type WHEN 'staff' THEN e.actor_id::uuid ELSE k.user_id END AS user_id
  FROM squatted s
  JOIN audit_events e ON e.tenant_id = s.tenant_id AND e.action = 'ledger.transfer'
    AND (e.record_id = s.transfer_id::text OR coalesce(e.changes -> 'transferIds', '[]'::jsonb) ? s.transfer_id::text)
  LEFT JOIN api_tokens k ON e.actor_type = 'api_token' AND k.tenant_id = e.tenant_id AND k.token_id::text = e.actor_id
  WHERE e.actor_type IN ('staff', 'api_token')
  ORDER BY s.tenant_id, s.transfer_id, e.occurred_at
)
UPDATE ledger_transfers t SET key_user_id = w.user_id
FROM writers w
WHERE t.tenant_id = w.tenant_id AND t.transfer_id = w.transfer_id AND w.user_id IS NOT NULL;
ALTER TABLE ledger_transfers ENABLE TRIGGER ledger_transfers_final;
