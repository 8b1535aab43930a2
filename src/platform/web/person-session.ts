import type { FastifyReply, FastifyRequest, preHandlerHookHandler } from "fastify";
import { type Kysely, sql } from "kysely";
import { SECURITY_DEFAULTS } from "#/config.ts";
import { audit } from "#/platform/audit/audit.ts";
import type { DB } from "#/platform/db/schema.ts";
import { dropToTenant, type TenantScope, withoutTenant, withTenant } from "#/platform/db/tenant.ts";
import { SESSION_HOURS, SESSION_TOUCH_MS } from "./identity.ts";
import type { ActivePersonAccount, PersonAccountLookups } from "./identity-lookups.ts";
import { sha256 } from "./secrets.ts";

/**
 * Sessions for people and their representatives, kept apart from staff's: their own table (found by its hash
 * only through migrations/0025's functions), their own cookie, sent only to /my. A person's session sets `request.person` and
 * never `request.staff`, so it can never satisfy requireStaff.
 */

export const PERSON_SESSION_COOKIE = "upfront_my_session";
export const PERSON_COOKIE_PATH = "/my";

/** The signed-in person or representative a request acts for. */
export type PersonIdentity = ActivePersonAccount & { method: "local" | "one_login" };

export async function identityFromPersonSession(
  db: Kysely<DB>,
  accounts: PersonAccountLookups,
  sessionId: string,
  idleMinutes: number = SECURITY_DEFAULTS.sessionIdleMinutes,
): Promise<PersonIdentity | null> {
  const hash = sha256(sessionId);
  return withoutTenant(db, async (trx) => {
    const now = Date.now();
    // Found by its hash through migrations/0025's function (no council is known yet), then read in its council.
    const { rows } = await sql<{
      tenant_id: string;
      account_id: string;
      method: "local" | "one_login";
      last_seen_at: Date;
    }>`
      SELECT * FROM person_session_find(${hash}, ${new Date(now)}, ${new Date(now - idleMinutes * 60_000)})`.execute(
      trx,
    );
    const session = rows[0];
    if (!session) return null;
    const tx = await dropToTenant(trx, {
      tenantId: session.tenant_id,
      actor: { type: "person", id: session.account_id },
    });
    const row = await accounts.activePersonAccountIn(tx, session.account_id);
    if (!row) return null;
    if (now - new Date(session.last_seen_at).getTime() > SESSION_TOUCH_MS)
      await sql`SELECT person_session_touch(${hash}, ${new Date(now)})`.execute(tx);
    return { ...row, method: session.method };
  });
}

/** Stores the session (the app role may insert one, never read it back) and audits the sign-in, in one transaction. */
export async function createPersonSession(
  db: Kysely<DB>,
  account: { tenantId: string; accountId: string },
  sessionId: string,
  method: "local" | "one_login",
): Promise<void> {
  await withTenant(
    db,
    { tenantId: account.tenantId, actor: { type: "person", id: account.accountId } },
    async (tx) => {
      await tx
        .insertInto("person_sessions")
        .values({
          tenant_id: account.tenantId,
          account_id: account.accountId,
          session_hash: sha256(sessionId),
          method,
          expires_at: new Date(Date.now() + SESSION_HOURS * 3600_000),
        })
        .execute();
      await audit(tx, {
        action: "sign_in",
        recordType: "person_account",
        recordId: account.accountId,
        changes: { method },
      });
    },
  );
}

export async function endPersonSession(db: Kysely<DB>, sessionId: string): Promise<void> {
  await withoutTenant(db, async (trx) => {
    const { rows } = await sql<{ tenant_id: string; account_id: string }>`
      SELECT * FROM person_session_end(${sha256(sessionId)})`.execute(trx);
    const ended = rows[0];
    if (!ended) return;
    const tx = await dropToTenant(trx, {
      tenantId: ended.tenant_id,
      actor: { type: "person", id: ended.account_id },
    });
    await audit(tx, { action: "sign_out", recordType: "person_account", recordId: ended.account_id });
  });
}

/** The tenant scope a person's request runs its services under: the account is the actor. */
export function personScopeOf(request: FastifyRequest): TenantScope {
  const person = request.person;
  if (!person) throw new Error("personScopeOf called on a request with no signed-in person");
  return { tenantId: person.tenantId, actor: { type: "person", id: person.accountId, name: person.name } };
}

/** A route guard for /my pages: a person (or representative) must be signed in. */
export function requirePerson(): preHandlerHookHandler {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.person) return reply.redirect(`/my/sign-in?returnTo=${encodeURIComponent(request.url)}`);
  };
}

/** What every /my page adds to the page locals: the signed-in account and the council's name. */
export function personPageLocals(request: FastifyRequest): Record<string, unknown> {
  const person = request.person;
  return { portalUser: person, serviceTitle: person ? `Upfront – ${person.tenantName}` : "Upfront" };
}
