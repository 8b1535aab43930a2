import { type AliasableExpression, type Selectable, sql, type Transaction } from "kysely";
import type { DB } from "#/platform/db/schema.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";

/**
 * SQL for person accounts, representatives, claim codes and One Login settings. Functions taking a TenantTx
 * run as the app role inside the caller's tenant transaction; those taking a plain Transaction are the owner
 * connection's (look-ups by a secret's hash or an email before the tenant is known, and reading a secret).
 */

export type RepresentativeRow = Selectable<DB["representatives"]>;
export type ClaimCodeRow = Selectable<DB["person_claim_codes"]>;

/** The account columns the app role may read (never the password hash). */
const ACCOUNT_COLUMNS = [
  "account_id",
  "name",
  "email",
  "one_login_sub",
  "person_id",
  "created_at",
  "disabled_at",
] as const;

export type AccountRow = Pick<Selectable<DB["person_accounts"]>, (typeof ACCOUNT_COLUMNS)[number]>;

export async function findAccount(tx: TenantTx, accountId: string): Promise<AccountRow | undefined> {
  return tx
    .selectFrom("person_accounts")
    .select(ACCOUNT_COLUMNS)
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("account_id", "=", accountId)
    .executeTakeFirst();
}

/**
 * An account that is not disabled, with `council` (the tenants feature's subquery) selected in the same
 * statement: a person's session is checked this way on every /my request, so it stays one round trip.
 */
export async function findActiveAccountWith<C>(
  tx: TenantTx,
  accountId: string,
  council: AliasableExpression<C>,
) {
  return tx
    .selectFrom("person_accounts")
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("account_id", "=", accountId)
    .where("disabled_at", "is", null)
    .select(["account_id", "name", "email", "person_id", council.as("council")])
    .executeTakeFirst();
}

export async function findAccountForPerson(tx: TenantTx, personId: string): Promise<AccountRow | undefined> {
  return tx
    .selectFrom("person_accounts")
    .select(ACCOUNT_COLUMNS)
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("person_id", "=", personId)
    .executeTakeFirst();
}

export async function insertAccount(
  tx: TenantTx,
  row: {
    account_id: string;
    name: string;
    email: string | null;
    password_hash: string | null;
    one_login_sub: string | null;
  },
): Promise<void> {
  await tx
    .insertInto("person_accounts")
    .values({ ...row, tenant_id: tx.scope.tenantId })
    .execute();
}

export async function linkAccountToPerson(
  tx: TenantTx,
  accountId: string,
  personId: string | null,
): Promise<void> {
  await tx
    .updateTable("person_accounts")
    .set({ person_id: personId })
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("account_id", "=", accountId)
    .execute();
}

// ---- representatives ------------------------------------------------------------------------------------

export async function insertRepresentative(
  tx: TenantTx,
  row: Omit<RepresentativeRow, "tenant_id" | "created_at">,
): Promise<RepresentativeRow> {
  return tx
    .insertInto("representatives")
    .values({ ...row, tenant_id: tx.scope.tenantId })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findRepresentative(
  tx: TenantTx,
  representativeId: string,
  opts: { forUpdate?: boolean } = {},
): Promise<RepresentativeRow | undefined> {
  let q = tx
    .selectFrom("representatives")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("representative_id", "=", representativeId);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** A person's representatives, current ones first then newest first. */
export async function listRepresentativesOf(tx: TenantTx, personId: string): Promise<RepresentativeRow[]> {
  return tx
    .selectFrom("representatives")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("person_id", "=", personId)
    .orderBy("created_at", "desc")
    .orderBy("representative_id", "desc")
    .execute();
}

/** Everyone this account represents (or did); the service adds their names and puts them in name order. */
export async function listRepresentationsBy(tx: TenantTx, accountId: string): Promise<RepresentativeRow[]> {
  return tx
    .selectFrom("representatives")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("account_id", "=", accountId)
    .orderBy("created_at")
    .orderBy("representative_id")
    .execute();
}

export async function updateRepresentative(
  tx: TenantTx,
  representativeId: string,
  set: Partial<
    Pick<
      RepresentativeRow,
      | "account_id"
      | "consent_given_at"
      | "consent_given_how"
      | "consent_withdrawn_at"
      | "ended_at"
      | "ended_by"
      | "ended_reason"
    >
  >,
): Promise<void> {
  await tx
    .updateTable("representatives")
    .set(set)
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("representative_id", "=", representativeId)
    .execute();
}

// ---- claim codes ------------------------------------------------------------------------------------------

export async function insertClaimCode(
  tx: TenantTx,
  row: Pick<
    ClaimCodeRow,
    "claim_id" | "person_id" | "representative_id" | "code_hash" | "expires_at" | "created_by"
  >,
): Promise<void> {
  await tx
    .insertInto("person_claim_codes")
    .values({ ...row, tenant_id: tx.scope.tenantId })
    .execute();
}

/** Revokes the live codes for one target (the person, or one of their representatives). */
export async function revokeLiveCodes(
  tx: TenantTx,
  target: { personId: string; representativeId: string | null },
  now: Date,
): Promise<string[]> {
  let q = tx
    .updateTable("person_claim_codes")
    .set({ revoked_at: now })
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("person_id", "=", target.personId)
    .where("used_at", "is", null)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", now);
  q =
    target.representativeId === null
      ? q.where("representative_id", "is", null)
      : q.where("representative_id", "=", target.representativeId);
  return (await q.returning("claim_id").execute()).map((r) => r.claim_id);
}

export async function revokeClaimCode(
  tx: TenantTx,
  personId: string,
  claimId: string,
  now: Date,
): Promise<boolean> {
  const rows = await tx
    .updateTable("person_claim_codes")
    .set({ revoked_at: now })
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("person_id", "=", personId)
    .where("claim_id", "=", claimId)
    .where("used_at", "is", null)
    .where("revoked_at", "is", null)
    .returning("claim_id")
    .execute();
  return rows.length > 0;
}

/** A person's codes that can still be used. */
export async function listLiveCodes(tx: TenantTx, personId: string, now: Date): Promise<ClaimCodeRow[]> {
  return tx
    .selectFrom("person_claim_codes")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("person_id", "=", personId)
    .where("used_at", "is", null)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", now)
    .orderBy("created_at", "desc")
    .execute();
}

export async function markCodeUsed(
  tx: TenantTx,
  claimId: string,
  accountId: string,
  now: Date,
): Promise<void> {
  await tx
    .updateTable("person_claim_codes")
    .set({ used_at: now, used_by_account_id: accountId })
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("claim_id", "=", claimId)
    .execute();
}

// ---- before the tenant is known: migrations/0025's functions, or in the council found ---------------------

/** The council a claim code belongs to, found by its hash before any council is known (migrations/0025). */
export async function claimCodeTenant(trx: Transaction<DB>, codeHash: string): Promise<string | undefined> {
  return (await sql<{ tenant_id: string }>`SELECT * FROM person_claim_code_tenant(${codeHash})`.execute(trx))
    .rows[0]?.tenant_id;
}

/** The code's row in the transaction's council, locked so it is used once. */
export async function lockCodeByHash(tx: TenantTx, codeHash: string): Promise<ClaimCodeRow | undefined> {
  return tx
    .selectFrom("person_claim_codes")
    .selectAll()
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("code_hash", "=", codeHash)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Local accounts with this email, in every council (an email is unique only within one), with their hashes for
 * the password check: migrations/0025's function, the app role's only way to read a person's hash.
 */
export async function findLocalAccountsByEmail(trx: Transaction<DB>, email: string) {
  return (
    await sql<{ tenant_id: string; account_id: string; password_hash: string | null }>`
      SELECT * FROM person_sign_in_candidates(${email})`.execute(trx)
  ).rows;
}

export async function localEmailTaken(
  trx: Transaction<DB>,
  tenantId: string,
  email: string,
): Promise<boolean> {
  const row = await trx
    .selectFrom("person_accounts")
    .select("account_id")
    .where("tenant_id", "=", tenantId)
    .where("email", "=", email)
    // A local account is one without a One Login subject (the table's CHECK): the app role never reads a hash.
    .where("one_login_sub", "is", null)
    .executeTakeFirst();
  return row !== undefined;
}

export async function findOneLoginAccount(trx: Transaction<DB>, tenantId: string, sub: string) {
  return trx
    .selectFrom("person_accounts")
    .select(["account_id", "email", "disabled_at"])
    .where("tenant_id", "=", tenantId)
    .where("one_login_sub", "=", sub)
    .executeTakeFirst();
}

/** A council's enabled settings with the secret, for signing in (migrations/0025's function). */
export async function findOneLoginSettingsWithSecret(trx: Transaction<DB>, tenantId: string) {
  return (
    await sql<
      Selectable<DB["one_login_settings"]>
    >`SELECT * FROM one_login_client(${tenantId}::uuid)`.execute(trx)
  ).rows[0];
}

/** Councils offering One Login, for the sign-in page (migrations/0025's function). */
export async function listOneLoginCouncils(trx: Transaction<DB>) {
  return (
    await sql<{ tenant_id: string; slug: string; name: string }>`SELECT * FROM one_login_councils()`.execute(
      trx,
    )
  ).rows;
}

// ---- One Login settings, as the app role (never the secret) -------------------------------------------------

const SETTINGS_COLUMNS = [
  "issuer_url",
  "client_id",
  "client_auth",
  "vtr",
  "enabled",
  "updated_by",
  "updated_at",
] as const;

export async function findOneLoginSettings(tx: TenantTx) {
  return tx
    .selectFrom("one_login_settings")
    .select(SETTINGS_COLUMNS)
    .where("tenant_id", "=", tx.scope.tenantId)
    .executeTakeFirst();
}

export async function saveOneLoginSettings(
  tx: TenantTx,
  row: {
    issuer_url: string;
    client_id: string;
    client_auth: DB["one_login_settings"]["client_auth"];
    client_secret?: string;
    vtr: string | null;
    enabled: boolean;
    updated_by: string;
  },
): Promise<"created" | "updated"> {
  // Update, then insert: ON CONFLICT DO UPDATE would need to read the secret column, which the app role cannot.
  const updated = await tx
    .updateTable("one_login_settings")
    .set({ ...row, updated_at: new Date() })
    .where("tenant_id", "=", tx.scope.tenantId)
    .returning("tenant_id")
    .execute();
  if (updated.length > 0) return "updated";
  if (row.client_secret === undefined) throw new Error("A new One Login setting needs its secret");
  await tx
    .insertInto("one_login_settings")
    .values({ ...row, client_secret: row.client_secret, tenant_id: tx.scope.tenantId })
    .execute();
  return "created";
}
