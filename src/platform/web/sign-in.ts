import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import { z } from "zod";
import { hashPassword, verifyPassword } from "#/platform/auth/passwords.ts";
import type { SignInThrottle } from "#/platform/auth/throttle.ts";
import type { DB } from "#/platform/db/schema.ts";
import { auditFailedSignIn, createSession, endSession, findStaffForSignIn } from "./identity.ts";
import type { StaffLookups } from "./identity-lookups.ts";
import { randomSecret } from "./secrets.ts";
import { CSRF_COOKIE, SESSION_COOKIE } from "./security.ts";

const signInSchema = z.object({
  email: z
    .string()
    .trim()
    .min(1, "Enter your email address")
    .email("Enter an email address in the correct format, like name@example.com"),
  password: z.string().min(1, "Enter your password"),
});

const ORIGIN = "https://upfront.invalid";

/**
 * Only a path on this site may be a place to return to after sign-in; anything else goes to "/", which sends each
 * role to its own start (issue 13). Browsers quietly drop tabs and newlines from a URL, read a backslash as a
 * slash and decode some characters, so `/\t/evil.example` would become `//evil.example`, another site. So the path
 * must be plain printable ASCII (the app's own links are percent-encoded): no spaces of any kind, no control
 * characters, no backslash, no encoded slash, backslash or control character in the path, not starting `//`; and it must still
 * be on this origin once parsed the way a browser parses it (WHATWG URL).
 */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== "string" || value.length > 2000) return "/";
  if (!/^\/[\x21-\x7e]*$/.test(value) || value.startsWith("//") || value.includes("\\")) return "/";
  if (/%(2f|5c|[01][0-9a-f]|7f)/i.test(value.split(/[?#]/)[0]!)) return "/";
  try {
    const url = new URL(value, ORIGIN);
    if (url.origin !== ORIGIN || url.pathname.startsWith("//")) return "/";
  } catch {
    return "/";
  }
  return value;
}

/** Flood limits for forms that are not password guesses (a set-password link, the start of One Login). */
export const SIGN_IN_RATE_LIMIT = { max: 10, timeWindow: "5 minutes" };

export async function signInRoutes(
  app: FastifyInstance,
  opts: { db: Kysely<DB>; throttle: SignInThrottle; staff: StaffLookups },
) {
  // A real hash to verify against when no account matches, so a wrong email takes as long as a wrong password.
  const decoy = await hashPassword(randomSecret());

  app.get("/sign-in", async (request, reply) => {
    const { returnTo, passwordSet } = request.query as { returnTo?: string; passwordSet?: string };
    // A session cookie that no longer finds a session: it ended (deactivated, expired or signed out elsewhere).
    const sessionEnded = Boolean(request.cookies[SESSION_COOKIE]) && !request.staff;
    if (sessionEnded) reply.clearCookie(SESSION_COOKIE, { path: "/" });
    return reply.render("sign-in.njk", {
      title: "Sign in",
      returnTo: safeReturnTo(returnTo),
      values: {},
      sessionEnded,
      passwordSet: passwordSet === "1",
    });
  });

  // Throttled per account and per address in the database (platform/auth/throttle.ts), failures only.
  app.post("/sign-in", async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const returnTo = safeReturnTo(body.returnTo);
    const parsed = signInSchema.safeParse(body);
    const fail = (errors: Record<string, string>, status = 400) =>
      reply.code(status).render("sign-in.njk", {
        title: "Sign in",
        returnTo,
        values: { email: typeof body.email === "string" ? body.email : "" },
        errors,
        errorList: Object.entries(errors).map(([field, text]) => ({ text, href: `#${field}` })),
      });
    if (!parsed.success) {
      const errors: Record<string, string> = {};
      for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
      return fail(errors);
    }
    const check = await opts.throttle.begin("staff", parsed.data.email, request.ip);
    if (!check.allowed) return fail({ email: `Too many attempts. ${check.message}.` }, 429);
    const candidates = await findStaffForSignIn(opts.db, opts.staff, parsed.data.email);
    const candidate = candidates.length === 1 ? candidates[0] : undefined;
    const ok = await verifyPassword(candidate?.password_hash ?? decoy, parsed.data.password);
    if (candidate && !ok) await auditFailedSignIn(opts.db, candidate.tenant_id, candidate.user_id);
    if (!candidate || !ok) {
      return fail({ email: "Enter the email address and password for your account. They did not match." });
    }
    await opts.throttle.succeeded(check.attempt);
    // A sign-in in a browser that already had a session ends that one first: one session per browser.
    const previous = request.cookies[SESSION_COOKIE];
    if (previous) await endSession(opts.db, previous);
    const sessionId = randomSecret();
    await createSession(opts.db, candidate.tenant_id, candidate.user_id, sessionId);
    // A new session gets a new CSRF seed, so a token planted before sign-in is worthless after it.
    reply.setCookie(SESSION_COOKIE, sessionId, app.sessionCookie);
    reply.setCookie(CSRF_COOKIE, randomSecret(), app.sessionCookie);
    return reply.redirect(returnTo, 303);
  });

  app.post("/sign-out", async (request, reply) => {
    const sessionId = request.cookies[SESSION_COOKIE];
    if (sessionId) await endSession(opts.db, sessionId);
    reply.clearCookie(SESSION_COOKIE, { path: "/" });
    return reply.redirect("/sign-in?signedOut=1", 303);
  });
}
