import type { Kysely } from "kysely";
import { audit } from "#/platform/audit/audit.ts";
import { hashPassword, verifyPassword } from "#/platform/auth/passwords.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import type { DB } from "#/platform/db/schema.ts";
import { withoutTenant, withTenant } from "#/platform/db/tenant.ts";
import { parseInput } from "#/platform/parse-input.ts";
import { randomSecret } from "#/platform/web/secrets.ts";
import type { OneLoginUser } from "./one-login.ts";
import * as repo from "./repository.ts";
import { signInSchema } from "./schemas.ts";

// ---- signing in -----------------------------------------------------------------------------------------------

let decoy: Promise<string> | undefined;

/**
 * Local sign-in. An email is unique within a council, not across them: the password is tried against each
 * account with that email, and exactly one must match. A wrong password for a real account is audited in its
 * council; a missing account takes as long as a wrong password (a decoy hash).
 */
/** The sign-in form checked before anything is looked up (or counted against the throttle): the email it names. */
export function parseSignIn(input: unknown): { email: string } {
  return { email: parseInput(signInSchema, input).email };
}

export async function signInLocal(
  db: Kysely<DB>,
  input: unknown,
): Promise<{ tenantId: string; accountId: string } | null> {
  const { email, password } = parseInput(signInSchema, input);
  decoy ??= hashPassword(randomSecret());
  const candidates = await withoutTenant(db, (trx) => repo.findLocalAccountsByEmail(trx, email));
  if (candidates.length === 0) {
    await verifyPassword(await decoy, password);
    return null;
  }
  const matched: { tenantId: string; accountId: string }[] = [];
  for (const c of candidates) {
    if (await verifyPassword(c.password_hash ?? "", password))
      matched.push({ tenantId: c.tenant_id, accountId: c.account_id });
    else {
      await withTenant(db, { tenantId: c.tenant_id, actor: { type: "system", id: null } }, (tx) =>
        audit(tx, { action: "sign_in_failed", recordType: "person_account", recordId: c.account_id }),
      );
    }
  }
  return matched.length === 1 ? matched[0]! : null;
}

/**
 * The account for a One Login user in this council: found by the provider's subject, or made on first sign-in
 * (it sees nothing until a code links it). The email is kept up to date from the provider.
 */
export async function accountForOneLogin(
  db: Kysely<DB>,
  tenantId: string,
  user: OneLoginUser,
): Promise<{ tenantId: string; accountId: string; created: boolean } | null> {
  const accountId = uuidv7();
  return withTenant(db, { tenantId, actor: { type: "person", id: accountId } }, async (tx) => {
    const found = await repo.findOneLoginAccount(tx, tenantId, user.sub);
    if (found?.disabled_at) return null;
    const email = user.emailVerified ? user.email : null;
    if (found) {
      if (email && email !== found.email) {
        await tx
          .updateTable("person_accounts")
          .set({ email })
          .where("tenant_id", "=", tenantId)
          .where("account_id", "=", found.account_id)
          .execute();
      }
      return { tenantId, accountId: found.account_id, created: false };
    }
    await repo.insertAccount(tx, {
      account_id: accountId,
      name: email ?? "GOV.UK One Login user",
      email,
      password_hash: null,
      one_login_sub: user.sub,
    });
    await audit(tx, {
      action: "create",
      recordType: "person_account",
      recordId: accountId,
      changes: { method: "one_login" },
    });
    return { tenantId, accountId, created: true };
  });
}
