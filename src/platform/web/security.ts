import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerHookHandler } from "fastify";
import fp from "fastify-plugin";
import type { Kysely } from "kysely";
import { can, type Permission } from "#/platform/auth/permissions.ts";
import type { DB } from "#/platform/db/schema.ts";
import type { Actor, TenantScope } from "#/platform/db/tenant.ts";
import { identityFromApiToken, identityFromSession, type StaffIdentity } from "./identity.ts";
import type { IdentityLookups } from "./identity-lookups.ts";
// People and their representatives sign in too (features/accounts): their own session table and cookie.
import { identityFromPersonSession, PERSON_SESSION_COOKIE, type PersonIdentity } from "./person-session.ts";
import { isApiRequest, sendProblem } from "./problem.ts";
import { hmac, randomSecret, safeEqual } from "./secrets.ts";

export const SESSION_COOKIE = "upfront_session";
export const CSRF_COOKIE = "upfront_csrf";
export const CSRF_FIELD = "_csrf";
export const CSRF_HEADER = "x-csrf-token";

declare module "fastify" {
  interface FastifyRequest {
    staff: StaffIdentity | null;
    /** A signed-in person or representative (/my pages); never set together with a staff API token. */
    person: PersonIdentity | null;
    csrfToken: string;
  }
}

export type SecurityOptions = {
  db: Kysely<DB>;
  /** Who a session or token belongs to: answered by the features that own staff and people's accounts. */
  identity: IdentityLookups;
  secret: string;
  secureCookies: boolean;
  /** A session unused for this long has ended (SESSION_IDLE_MINUTES). */
  sessionIdleMinutes: number;
};

/**
 * Powerful browser features the service never uses are switched off for its pages and anything they embed, so a
 * script that got in could not turn them on (issue 13).
 */
export const PERMISSIONS_POLICY = [
  "accelerometer=()",
  "autoplay=()",
  "camera=()",
  "display-capture=()",
  "geolocation=()",
  "gyroscope=()",
  "magnetometer=()",
  "microphone=()",
  "midi=()",
  "payment=()",
  "publickey-credentials-get=()",
  "usb=()",
  "browsing-topics=()",
].join(", ");

/**
 * Who is asking, and is the request genuine: resolves the session cookie or a bearer API token, issues the
 * CSRF token every form carries, and refuses unsafe requests without it. Bearer-token clients send no cookies,
 * so cross-site forgery cannot ride on them and they skip the CSRF check.
 *
 * Sessions and CSRF stay hand-written (issue 13), and @fastify/session and @fastify/csrf-protection were removed
 * unused: a session here is a row found by its secret's SHA-256 (a database leak gives no working cookie), found
 * before the tenant is known only through migrations/0025's functions (the app role never reads a hash), deleted when a member of staff is deactivated, audited in the
 * council's trail, with a fixed and an idle limit, and there are two kinds (staff's, and people's on /my with its
 * own cookie path). @fastify/session would need a custom store for all of that and keep a data blob we do not
 * need; the CSRF check is one HMAC of a cookie seed, rotated at sign-in, and is tested as it is.
 */
export const securityPlugin = fp<SecurityOptions>(
  async (app: FastifyInstance, opts) => {
    const cookieOptions = {
      path: "/",
      httpOnly: true,
      secure: opts.secureCookies,
      sameSite: "lax" as const,
    };
    app.decorateRequest("staff", null);
    app.decorateRequest("person", null);
    app.decorateRequest("csrfToken", "");

    app.addHook("onRequest", async (request, reply) => {
      reply.header("permissions-policy", PERMISSIONS_POLICY);
      const authorization = request.headers.authorization;
      if (authorization?.startsWith("Bearer ")) {
        // A token is for programs using the API: never a page, a form or "Your account" (so it cannot make or
        // revoke tokens). The route matched, not just the address as sent, must be an /api/v1 one.
        if (!isTokenRoute(request)) {
          return sendProblem(reply, {
            status: 403,
            title: "Forbidden",
            detail: "API tokens work only on /api/v1. Sign in to use the pages.",
          });
        }
        request.staff = await identityFromApiToken(opts.db, opts.identity, authorization.slice(7).trim());
        if (!request.staff) {
          return sendProblem(reply, {
            status: 401,
            title: "Unauthorised",
            detail: "The API token is not valid, has expired or has been revoked.",
          });
        }
        return;
      }
      const sessionId = request.cookies[SESSION_COOKIE];
      if (sessionId)
        request.staff = await identityFromSession(opts.db, opts.identity, sessionId, opts.sessionIdleMinutes);
      // A person's session is resolved alongside, from its own cookie; it never sets request.staff.
      const personSessionId = request.cookies[PERSON_SESSION_COOKIE];
      if (personSessionId) {
        request.person = await identityFromPersonSession(
          opts.db,
          opts.identity,
          personSessionId,
          opts.sessionIdleMinutes,
        );
      }

      let seed = request.cookies[CSRF_COOKIE];
      if (!seed || seed.length < 32) {
        seed = randomSecret();
        reply.setCookie(CSRF_COOKIE, seed, cookieOptions);
        // The new seed is not in this request's cookies: a form posted now must fail, which is right.
        request.cookies[CSRF_COOKIE] = "";
      }
      request.csrfToken = hmac(opts.secret, `csrf:${seed}`);
    });

    app.addHook("preHandler", async (request, reply) => {
      if (["GET", "HEAD", "OPTIONS"].includes(request.method)) return;
      if (request.staff?.via.kind === "api_token") return;
      if (isCalculator(request)) return;
      const seed = request.cookies[CSRF_COOKIE];
      const sent =
        (request.headers[CSRF_HEADER] as string | undefined) ??
        ((request.body as Record<string, unknown> | undefined)?.[CSRF_FIELD] as string | undefined);
      const expected = seed ? hmac(opts.secret, `csrf:${seed}`) : "";
      if (!seed || typeof sent !== "string" || !safeEqual(sent, expected)) {
        if (isApiRequest(request.url)) {
          return sendProblem(reply, {
            status: request.staff ? 403 : 401,
            title: request.staff ? "Missing or invalid CSRF token" : "Unauthorised",
            detail: request.staff
              ? `Send the ${CSRF_HEADER} header with the token from the page.`
              : "Sign in, or send an API token as 'Authorization: Bearer upf_…'.",
          });
        }
        return reply.code(403).render("error.njk", {
          title: "Your form could not be sent",
          paragraphs: [
            "This can happen if the page was open for a long time, or cookies are turned off.",
            "Go back, refresh the page and try again.",
          ],
        });
      }
    });

    app.decorate("sessionCookie", cookieOptions);
  },
  { name: "security", dependencies: ["@fastify/cookie"] },
);

declare module "fastify" {
  interface FastifyInstance {
    sessionCookie: { path: string; httpOnly: boolean; secure: boolean; sameSite: "lax" };
  }
}

/** Where a bearer token may be used: the routes of /api/v1, and nothing else. */
const TOKEN_PREFIX = "/api/v1/";
const isTokenRoute = (request: FastifyRequest) =>
  request.url.startsWith(TOKEN_PREFIX) && (request.routeOptions.url ?? TOKEN_PREFIX).startsWith(TOKEN_PREFIX);

/** The public calculators take JSON from anyone and store nothing, so they need neither sign-in nor CSRF. */
const isCalculator = (request: FastifyRequest) => request.url.startsWith("/api/v1/calculate/");

/**
 * A route guard: signed in, and (optionally) holding a role with this permission; a request with an API token
 * also needs the permission among the token's scopes.
 */
export function requireStaff(permission?: Permission): preHandlerHookHandler {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.staff) {
      if (isApiRequest(request.url)) {
        return sendProblem(reply, {
          status: 401,
          title: "Unauthorised",
          detail: "Sign in, or send an API token as 'Authorization: Bearer upf_…'.",
        });
      }
      return reply.redirect(`/sign-in?returnTo=${encodeURIComponent(request.url)}`);
    }
    const via = request.staff.via;
    if (permission && via.kind === "api_token" && !via.scopes.includes(permission)) {
      return sendProblem(reply, {
        status: 403,
        title: "Forbidden",
        detail: `This API token does not have the ${permission} scope. Make a token with it under "Your account".`,
      });
    }
    if (permission && !can(request.staff.roles, permission)) {
      if (isApiRequest(request.url)) {
        return sendProblem(reply, {
          status: 403,
          title: "Forbidden",
          detail: "Your role does not allow this.",
        });
      }
      return reply.code(403).render("error.njk", {
        title: "You cannot see this page",
        paragraphs: [
          "Your role does not give you access to this page.",
          "If you need it for your work, ask your team manager or an administrator.",
        ],
        links: [{ href: "/", text: "Go to the start page" }],
      });
    }
  };
}

/** The tenant scope a signed-in request's services run under. */
export function scopeOf(request: FastifyRequest): TenantScope {
  const staff = request.staff;
  if (!staff) throw new Error("scopeOf called on a request with no signed-in staff");
  const actor: Actor =
    staff.via.kind === "api_token"
      ? { type: "api_token", id: staff.via.tokenId, name: staff.name }
      : { type: "staff", id: staff.userId, name: staff.name };
  return { tenantId: staff.tenantId, actor };
}
