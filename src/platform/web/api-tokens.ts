import { audit } from "#/platform/audit/audit.ts";
import { uuidv7 } from "#/platform/db/ids.ts";
import type { TenantTx } from "#/platform/db/tenant.ts";
import { ForbiddenError, NotFoundError, ValidationError } from "#/platform/errors.ts";
import { randomSecret, sha256 } from "./secrets.ts";

/** Personal API tokens: shown once, stored as a hash, revocable; each belongs to one member of staff. */
export async function createApiToken(tx: TenantTx, userId: string, name: string) {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 100) {
    throw new ValidationError([
      { path: "name", message: "Enter a name for the token, up to 100 characters" },
    ]);
  }
  const token = `upf_${randomSecret()}`;
  const tokenId = uuidv7();
  await tx
    .insertInto("api_tokens")
    .values({
      tenant_id: tx.scope.tenantId,
      token_id: tokenId,
      user_id: userId,
      name: trimmed,
      token_hash: sha256(token),
    })
    .execute();
  await audit(tx, {
    action: "create",
    recordType: "api_token",
    recordId: tokenId,
    changes: { name: trimmed },
  });
  return { tokenId, token };
}

export async function listApiTokens(tx: TenantTx, userId: string) {
  return tx
    .selectFrom("api_tokens")
    .where("tenant_id", "=", tx.scope.tenantId)
    .where("user_id", "=", userId)
    .select(["token_id", "name", "created_at", "last_used_at", "revoked_at"])
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
