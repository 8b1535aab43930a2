import { audit } from "#/platform/audit/audit.ts";
import { isPermission, type Permission, tokenScopesFor } from "#/platform/auth/permissions.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";
import { ForbiddenError, NotFoundError, ValidationError } from "#/platform/errors.ts";
import type { FieldError } from "#/platform/validation.ts";
import type { StaffLookups } from "./identity-lookups.ts";
import { randomSecret, sha256 } from "./secrets.ts";

/** How long a new token works unless its creator chooses otherwise, and the choices "Your account" offers. */
export const DEFAULT_TOKEN_DAYS = 90;
export const TOKEN_DAYS_CHOICES: readonly number[] = [7, 30, 90, 180, 365];
const MAX_TOKEN_DAYS = 366;

export type NewTokenOptions = {
  /** What the token may do: permission strings its creator holds. All of them (but owning tokens) if left out. */
  scopes?: readonly string[];
  /** Whole days until it stops working; DEFAULT_TOKEN_DAYS if left out. */
  days?: number;
  now?: Date;
};

/**
 * Personal API tokens: shown once, stored as a hash, revocable; each belongs to the member of staff who made it
 * from their signed-in session (user_id, its creator). A token may do only what its scopes name, never more
 * than its creator's roles allow when it is made (checked here) or when it is used (requireStaff), and only
 * until it expires. Revoking one token ends that token alone.
 */
export async function createApiToken(
  tx: TenantTx,
  staff: Pick<StaffLookups, "rolesOfActiveStaffIn">,
  userId: string,
  name: string,
  options: NewTokenOptions = {},
) {
  const roles = await staff.rolesOfActiveStaffIn(tx, userId);
  if (!roles) throw new ForbiddenError("Only an active member of staff can make an API token");
  const allowed = tokenScopesFor(roles);
  const errors: FieldError[] = [];
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 100) {
    errors.push({ path: "name", message: "Enter a name for the token, up to 100 characters" });
  }
  const asked = options.scopes ?? allowed;
  const scopes = allowed.filter((p) => asked.includes(p));
  const notYours = asked.filter((s) => !isPermission(s) || !allowed.includes(s));
  if (notYours.length) {
    errors.push({
      path: "scopes",
      message: `Your roles do not allow ${notYours.join(", ")}: choose only from the list`,
    });
  } else if (scopes.length === 0) {
    errors.push({ path: "scopes", message: "Choose at least one thing the token may do" });
  }
  const days = options.days ?? DEFAULT_TOKEN_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS) {
    errors.push({ path: "days", message: `Choose how long the token works, up to ${MAX_TOKEN_DAYS} days` });
  }
  if (errors.length) throw new ValidationError(errors, "The API token could not be made");

  const token = `upf_${randomSecret()}`;
  const tokenId = uuidv7();
  const now = options.now ?? new Date();
  const expiresAt = new Date(now.getTime() + days * 86_400_000);
  await tx
    .insertInto("api_tokens")
    .values({
      tenant_id: tx.scope.tenantId,
      token_id: tokenId,
      user_id: userId,
      name: trimmed,
      token_hash: sha256(token),
      scopes,
      created_at: now,
      expires_at: expiresAt,
    })
    .execute();
  await audit(tx, {
    action: "create",
    recordType: "api_token",
    recordId: tokenId,
    changes: { name: trimmed, scopes, expiresAt: expiresAt.toISOString() },
  });
  return { tokenId, token, scopes: scopes as Permission[], expiresAt };
}

export async function listApiTokens(tx: TenantTx, userId: string) {
  return tx
    .selectFrom("api_tokens")
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("user_id", "=", userId)
    .select(["token_id", "name", "scopes", "created_at", "expires_at", "last_used_at", "revoked_at"])
    .orderBy("created_at", "desc")
    .execute();
}

export async function revokeApiToken(tx: TenantTx, userId: string, tokenId: string) {
  const token = await tx
    .selectFrom("api_tokens")
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("token_id", "=", tokenId)
    .select(["user_id", "revoked_at"])
    .executeTakeFirst();
  if (!token) throw new NotFoundError("The API token");
  if (token.user_id !== userId) throw new ForbiddenError("You can only revoke your own API tokens");
  if (token.revoked_at) return;
  await tx
    .updateTable("api_tokens")
    .set({ revoked_at: new Date() })
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("token_id", "=", tokenId)
    .execute();
  await audit(tx, { action: "revoke", recordType: "api_token", recordId: tokenId });
}

/** The member of staff an API token acts for (not revoked), or undefined. */
export async function userOfApiToken(tx: TenantTx, tokenId: string): Promise<string | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(tokenId)) return undefined;
  const row = await tx
    .selectFrom("api_tokens")
    .select("user_id")
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("token_id", "=", tokenId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return row?.user_id;
}

/** Revokes every token of one member of staff not yet revoked (deactivating them); returns how many. */
export async function revokeAllApiTokensIn(tx: TenantTx, userId: string, at: Date): Promise<number> {
  const result = await tx
    .updateTable("api_tokens")
    .set({ revoked_at: at })
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
