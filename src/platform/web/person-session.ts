import type { FastifyReply, FastifyRequest, preHandlerHookHandler } from "fastify";
import type { Kysely } from "kysely";
import { SECURITY_DEFAULTS } from "#/config.ts";
import { audit } from "#/platform/audit/audit.ts";
import type { DB } from "#/platform/db/schema.ts";
import { dropToTenant, type TenantScope, withSystem } from "#/platform/db/tenant.ts";
import { SESSION_HOURS, SESSION_TOUCH_MS } from "./identity.ts";
import { sha256 } from "./secrets.ts";

/**
 * Sessions for people and their representatives, kept apart from staff's: their own table (which only the
 * owner connection reads), their own cookie, sent only to /my. A person's session sets `request.person` and
 * never `request.staff`, so it can never satisfy requireStaff.
 */

export const PERSON_SESSION_COOKIE = "upfront_my_session";
export const PERSON_COOKIE_PATH = "/my";

/** The signed-in person or representative a request acts for. */
export type PersonIdentity = {
  tenantId: string;
  tenantSlug: string;
  tenantName: string;
  accountId: string;
  name: string;
  email: string | null;
  /** The record this account belongs to, once a code has linked it; null for a representative only. */
  personId: string | null;
  method: "local" | "one_login";
};

export async function identityFromPersonSession(
  db: Kysely<DB>,
  sessionId: string,
  idleMinutes: number = SECURITY_DEFAULTS.sessionIdleMinutes,
): Promise<PersonIdentity | null> {
  return withSystem(db, async (trx) => {
    const now = Date.now();
    const row = await trx
      .selectFrom("person_sessions as s")
      .innerJoin("person_accounts as a", (j) =>
        j.onRef("a.tenant_id", "=", "s.tenant_id").onRef("a.account_id", "=", "s.account_id"),
      )
      .innerJoin("tenants as t", "t.tenant_id", "a.tenant_id")
      .where("s.session_hash", "=", sha256(sessionId))
      .where("s.expires_at", ">", new Date(now))
      .where("s.last_seen_at", ">", new Date(now - idleMinutes * 60_000))
      .where("a.disabled_at", "is", null)
      .select([
        "a.tenant_id as tenantId",
        "t.slug as tenantSlug",
        "t.name as tenantName",
        "a.account_id as accountId",
        "a.name",
        "a.email",
        "a.person_id as personId",
        "s.method",
        "s.last_seen_at as lastSeenAt",
      ])
      .executeTakeFirst();
    if (!row) return null;
    const { lastSeenAt, ...identity } = row;
    if (now - lastSeenAt.getTime() > SESSION_TOUCH_MS) {
      await trx
        .updateTable("person_sessions")
        .set({ last_seen_at: new Date(now) })
        .where("tenant_id", "=", identity.tenantId)
        .where("session_hash", "=", sha256(sessionId))
        .execute();
    }
    return identity;
  });
}

/** Stores the session (owner only) and audits the sign-in with the person as actor, in one transaction. */
export async function createPersonSession(
  db: Kysely<DB>,
  account: { tenantId: string; accountId: string },
  sessionId: string,
  method: "local" | "one_login",
): Promise<void> {
  await withSystem(db, async (trx) => {
    await trx
      .insertInto("person_sessions")
      .values({
        tenant_id: account.tenantId,
        account_id: account.accountId,
        session_hash: sha256(sessionId),
        method,
        expires_at: new Date(Date.now() + SESSION_HOURS * 3600_000),
      })
      .execute();
    const tx = await dropToTenant(trx, {
      tenantId: account.tenantId,
      actor: { type: "person", id: account.accountId },
    });
    await audit(tx, {
      action: "sign_in",
      recordType: "person_account",
      recordId: account.accountId,
      changes: { method },
    });
  });
}

export async function endPersonSession(db: Kysely<DB>, sessionId: string): Promise<void> {
  await withSystem(db, async (trx) => {
    const ended = await trx
      .deleteFrom("person_sessions")
      .where("session_hash", "=", sha256(sessionId))
      .returning(["tenant_id", "account_id"])
      .executeTakeFirst();
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
