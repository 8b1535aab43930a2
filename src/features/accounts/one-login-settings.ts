import type { Kysely } from "kysely";
import { audit } from "#/platform/audit/audit.ts";
import { actorRef, inTenant, type ServiceContext } from "#/platform/context.ts";
import type { DB } from "#/platform/db/schema.ts";
import { withoutTenant } from "#/platform/db/tenant.ts";
import { ValidationError } from "#/platform/errors.ts";
import { parseInput } from "#/platform/parse-input.ts";
import { type IssuerPolicy, issuerProblem, type OneLoginClientSettings } from "./one-login.ts";
import * as repo from "./repository.ts";
import { type OneLoginSettingsInput, oneLoginSettingsSchema } from "./schemas.ts";

// ---- One Login settings -----------------------------------------------------------------------------------------

export type OneLoginSettingsView = {
  issuerUrl: string;
  clientId: string;
  clientAuth: "private_key_jwt" | "client_secret_post" | "client_secret_basic";
  vtr: string | null;
  enabled: boolean;
  updatedBy: string;
  updatedAt: Date;
};

export async function getOneLoginSettings(ctx: ServiceContext): Promise<OneLoginSettingsView | null> {
  return inTenant(ctx, async ({ tx }) => {
    const row = await repo.findOneLoginSettings(tx);
    if (!row) return null;
    return {
      issuerUrl: row.issuer_url,
      clientId: row.client_id,
      clientAuth: row.client_auth,
      vtr: row.vtr,
      enabled: row.enabled,
      updatedBy: row.updated_by,
      updatedAt: row.updated_at,
    };
  });
}

/** An administrator sets the council's One Login client. The secret is written, never read back or audited. */
export async function saveOneLoginSettings(
  ctx: ServiceContext,
  input: OneLoginSettingsInput,
  policy: IssuerPolicy = { allowLoopback: false },
): Promise<void> {
  const v = parseInput(oneLoginSettingsSchema, input);
  const issuer = issuerProblem(v.issuerUrl, policy.allowLoopback);
  if (issuer) throw new ValidationError([{ path: "issuerUrl", message: issuer }]);
  await inTenant(ctx, async ({ tx }) => {
    const existing = await repo.findOneLoginSettings(tx);
    if (!existing && !v.secret) {
      throw new ValidationError([{ path: "secret", message: "Enter the private key or client secret" }]);
    }
    if (v.secret && v.clientAuth === "private_key_jwt" && !v.secret.includes("PRIVATE KEY")) {
      throw new ValidationError([
        {
          path: "secret",
          message: "Paste the private key in PEM form, starting -----BEGIN PRIVATE KEY-----",
        },
      ]);
    }
    const outcome = await repo.saveOneLoginSettings(tx, {
      issuer_url: v.issuerUrl,
      client_id: v.clientId,
      client_auth: v.clientAuth,
      ...(v.secret ? { client_secret: v.secret } : {}),
      vtr: v.vtr,
      enabled: v.enabled,
      updated_by: actorRef(tx.scope.actor),
    });
    await audit(tx, {
      action: outcome === "created" ? "create" : "update",
      recordType: "one_login_settings",
      recordId: tx.scope.tenantId,
      changes: {
        issuerUrl: v.issuerUrl,
        clientId: v.clientId,
        clientAuth: v.clientAuth,
        vtr: v.vtr,
        enabled: v.enabled,
        secretChanged: v.secret !== undefined,
      },
    });
  });
}

/** The settings with the secret, for signing in (one_login_client, migrations/0025): null when none is enabled. */
export async function oneLoginClientFor(
  db: Kysely<DB>,
  tenantId: string,
): Promise<OneLoginClientSettings | null> {
  const row = await withoutTenant(db, (trx) => repo.findOneLoginSettingsWithSecret(trx, tenantId));
  if (!row) return null;
  return {
    issuerUrl: row.issuer_url,
    clientId: row.client_id,
    clientAuth: row.client_auth,
    secret: row.client_secret,
    vtr: row.vtr,
  };
}

export async function councilsWithOneLogin(
  db: Kysely<DB>,
): Promise<{ tenantId: string; slug: string; name: string }[]> {
  const rows = await withoutTenant(db, (trx) => repo.listOneLoginCouncils(trx));
  return rows.map((r) => ({ tenantId: r.tenant_id, slug: r.slug, name: r.name }));
}
