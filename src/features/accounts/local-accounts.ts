import { audit } from "#/platform/audit/audit.ts";
import { hashPassword } from "#/platform/auth/passwords.ts";
import type { TxContext } from "#/platform/context.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import { insertAccount, linkAccountToPerson, updateRepresentative } from "./repository.ts";

export type NewLocalAccount = { name: string; email: string; password: string };

/**
 * An account with a local password, made by the council rather than claimed with a code (a demo or training
 * council): linked to the person it is for, or to no one yet for a representative. Audited as a claim is.
 */
export async function createLocalAccountIn(
  { tx }: TxContext,
  account: NewLocalAccount,
  personId: string | null,
): Promise<string> {
  const accountId = uuidv7();
  await insertAccount(tx, {
    account_id: accountId,
    name: account.name,
    email: account.email,
    password_hash: await hashPassword(account.password),
    one_login_sub: null,
  });
  await audit(tx, {
    action: "create",
    recordType: "person_account",
    recordId: accountId,
    changes: { method: "local" },
  });
  if (personId) {
    await linkAccountToPerson(tx, accountId, personId);
    await audit(tx, { action: "link", recordType: "person", recordId: personId, changes: { accountId } });
  }
  return accountId;
}

/** Gives a representative the account they sign in with (made by createLocalAccountIn). */
export async function linkRepresentativeAccountIn(
  { tx }: TxContext,
  representativeId: string,
  accountId: string,
  personId: string,
): Promise<void> {
  await updateRepresentative(tx, representativeId, { account_id: accountId });
  await audit(tx, {
    action: "link",
    recordType: "representative",
    recordId: representativeId,
    changes: { accountId, personId },
  });
}
