import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { findTenantBySlug } from "#/features/tenants/service.ts";
import type { SignInThrottle, ThrottleCheck } from "#/platform/auth/throttle.ts";
import { ValidationError } from "#/platform/errors.ts";
import {
  createPersonSession,
  endPersonSession,
  PERSON_COOKIE_PATH,
  PERSON_SESSION_COOKIE,
  personPageLocals,
} from "#/platform/web/person-session.ts";
import type { RouteDeps } from "#/platform/web/routes.ts";
import { randomSecret } from "#/platform/web/secrets.ts";
import { CSRF_COOKIE } from "#/platform/web/security.ts";
import { SIGN_IN_RATE_LIMIT, safeReturnTo } from "#/platform/web/sign-in.ts";
import { beginOneLogin, FLOW_COOKIE, FLOW_MINUTES, finishOneLogin, openFlow, sealFlow } from "./one-login.ts";
import {
  accountForOneLogin,
  claimCode,
  councilsWithOneLogin,
  oneLoginClientFor,
  parseClaim,
  parseSignIn,
  signInLocal,
} from "./service.ts";

/**
 * Signing in for people and their representatives, apart from staff's: /my/sign-in (email and password),
 * /my/sign-in/one-login (GOV.UK One Login, where the council has set it up), /my/claim (a code from the
 * council links an account to a record, making a local account if need be) and /my/sign-out. Rate-limited
 * like staff sign-in; every form carries the CSRF token; the session cookie is staff's kind, but only sent to
 * /my.
 */

export type PersonSignInDeps = RouteDeps & {
  secret: string;
  throttle: SignInThrottle;
  /** PUBLIC_URL: One Login's redirect_uri is built from it, never from the request's Host or X-Forwarded-Host. */
  publicUrl: string | undefined;
  /** Only when NODE_ENV=test: the tests' local OpenID provider listens on a loopback address. */
  allowLoopbackIssuer: boolean;
};

const ONE_LOGIN_PATH = "/my/sign-in/one-login";

/** Where to go after signing in: a /my page only. */
export function myReturnTo(value: unknown): string {
  const path = safeReturnTo(value);
  return path === "/my" || path.startsWith("/my/") || path.startsWith("/my?") ? path : "/my";
}

type Errors = Record<string, string>;
const errorList = (errors: Errors) =>
  Object.entries(errors).map(([field, text]) => ({ text, href: `#${field}` }));

function errorsFrom(error: ValidationError): Errors {
  const errors: Errors = {};
  for (const e of error.fieldErrors) errors[e.path.split(".")[0]!] ??= e.message;
  return errors;
}

/** Renders a page in the person's layout. */
const page = (
  request: FastifyRequest,
  reply: FastifyReply,
  template: string,
  context: Record<string, unknown>,
) => reply.render(template, { ...personPageLocals(request), ...context });

/** A fresh session: the old one (if any) ends, and a new CSRF seed makes any token planted before worthless. */
async function startSession(
  app: FastifyInstance,
  deps: PersonSignInDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  account: { tenantId: string; accountId: string },
  method: "local" | "one_login",
) {
  const old = request.cookies[PERSON_SESSION_COOKIE];
  if (old) await endPersonSession(deps.db, old);
  const sessionId = randomSecret();
  await createPersonSession(deps.db, account, sessionId, method);
  reply.setCookie(PERSON_SESSION_COOKIE, sessionId, { ...app.sessionCookie, path: PERSON_COOKIE_PATH });
  reply.setCookie(CSRF_COOKIE, randomSecret(), app.sessionCookie);
}

export async function personSignInRoutes(app: FastifyInstance, deps: PersonSignInDeps) {
  signInAndOutRoutes(app, deps);
  claimCodeRoutes(app, deps);
  oneLoginRoutes(app, deps);
}

/** Routes: signing in and out. */
function signInAndOutRoutes(app: FastifyInstance, deps: PersonSignInDeps) {
  const signInPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Record<string, unknown> = {},
  ) => {
    const query = request.query as Record<string, unknown>;
    return page(request, reply, "accounts/views/sign-in.njk", {
      title: "Sign in to see your care and support",
      returnTo: myReturnTo(query.returnTo ?? (request.body as Record<string, unknown> | undefined)?.returnTo),
      oneLoginCouncils: await councilsWithOneLogin(deps.db),
      signedOut: query.signedOut === "1",
      values: {},
      ...extra,
    });
  };

  app.get("/my/sign-in", async (request, reply) => signInPage(request, reply));

  // Throttled per account and per address in the database (platform/auth/throttle.ts), failures only.
  app.post("/my/sign-in", async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = { email: typeof body.email === "string" ? body.email : "" };
    const refuse = (errors: Errors, status = 400) =>
      signInPage(request, reply.code(status), { values, errors, errorList: errorList(errors) });
    let account: Awaited<ReturnType<typeof signInLocal>>;
    let check: ThrottleCheck;
    try {
      const { email } = parseSignIn({ email: body.email, password: body.password });
      check = await deps.throttle.begin("person", email, request.ip);
      if (!check.allowed) return refuse({ email: `Too many attempts. ${check.message}.` }, 429);
      account = await signInLocal(deps.db, { email: body.email, password: body.password });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return refuse(errorsFrom(error));
    }
    if (!account) {
      return refuse({ email: "Enter the email address and password for your account. They did not match." });
    }
    await deps.throttle.succeeded(check.attempt);
    await startSession(app, deps, request, reply, account, "local");
    return reply.redirect(myReturnTo(body.returnTo), 303);
  });

  app.post("/my/sign-out", async (request, reply) => {
    const sessionId = request.cookies[PERSON_SESSION_COOKIE];
    if (sessionId) await endPersonSession(deps.db, sessionId);
    reply.clearCookie(PERSON_SESSION_COOKIE, { path: PERSON_COOKIE_PATH });
    return reply.redirect("/my/sign-in?signedOut=1", 303);
  });
}

/** Routes: a code from the council. */
function claimCodeRoutes(app: FastifyInstance, deps: PersonSignInDeps) {
  const claimPage = (request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) =>
    page(request, reply, "accounts/views/claim.njk", {
      title: "Enter the code from the council",
      signedIn: request.person !== null,
      values: {},
      ...extra,
    });

  app.get("/my/claim", async (request, reply) => claimPage(request, reply));

  // Codes are guessed like passwords: throttled per claimant (the signed-in account, or the new account's email)
  // and per address, failures only.
  app.post("/my/claim", async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const signedIn = request.person;
    const values = {
      code: typeof body.code === "string" ? body.code : "",
      email: typeof body.email === "string" ? body.email : "",
    };
    try {
      const claim = parseClaim(body, signedIn !== null);
      const claimant = signedIn ? `account:${signedIn.accountId}` : `email:${claim.account!.email}`;
      const check = await deps.throttle.begin("claim", claimant, request.ip);
      if (!check.allowed) {
        const errors = { code: `Too many attempts. ${check.message}.` };
        return claimPage(request, reply.code(429), { values, errors, errorList: errorList(errors) });
      }
      const result = await claimCode(
        deps.db,
        claim.code,
        signedIn
          ? { kind: "signed_in", tenantId: signedIn.tenantId, accountId: signedIn.accountId }
          : { kind: "new_local", email: claim.account!.email, password: claim.account!.password },
        deps.today(),
      );
      await deps.throttle.succeeded(check.attempt);
      if (result.newAccount) await startSession(app, deps, request, reply, result, "local");
      return reply.redirect("/my?linked=1", 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const errors = errorsFrom(error);
      return claimPage(request, reply.code(400), { values, errors, errorList: errorList(errors) });
    }
  });
}

/** Routes: GOV.UK One Login. */
function oneLoginRoutes(app: FastifyInstance, deps: PersonSignInDeps) {
  const cannotFinish = (request: FastifyRequest, reply: FastifyReply, paragraphs: string[]) =>
    page(request, reply.code(400), "person-error.njk", {
      title: "You could not be signed in",
      paragraphs,
      links: [{ href: "/my/sign-in", text: "Go back to sign in" }],
    });

  app.get(ONE_LOGIN_PATH, { config: { rateLimit: SIGN_IN_RATE_LIMIT } }, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const tenant =
      typeof query.council === "string" ? await findTenantBySlug(deps.db, query.council) : undefined;
    const settings = tenant ? await oneLoginClientFor(deps.db, tenant.tenantId) : null;
    if (!tenant || !settings) {
      return page(request, reply.code(404), "person-error.njk", {
        title: "Page not found",
        paragraphs: ["This council does not offer sign-in with GOV.UK One Login."],
        links: [{ href: "/my/sign-in", text: "Go back to sign in" }],
      });
    }
    let begun: Awaited<ReturnType<typeof beginOneLogin>>;
    try {
      if (!deps.publicUrl) throw new Error("PUBLIC_URL is not set: One Login needs it for its redirect_uri");
      begun = await beginOneLogin(settings, {
        tenantId: tenant.tenantId,
        redirectUri: `${deps.publicUrl}${ONE_LOGIN_PATH}/callback`,
        returnTo: myReturnTo(query.returnTo),
        allowLoopback: deps.allowLoopbackIssuer,
      });
    } catch (error) {
      request.log.warn({ err: error, tenant: tenant.slug }, "One Login discovery failed");
      return cannotFinish(request, reply, ["GOV.UK One Login could not be reached. Try again later."]);
    }
    reply.setCookie(FLOW_COOKIE, sealFlow(deps.secret, begun.flow), {
      ...app.sessionCookie,
      path: ONE_LOGIN_PATH,
      maxAge: FLOW_MINUTES * 60,
    });
    return reply.redirect(begun.url.href, 303);
  });

  app.get(`${ONE_LOGIN_PATH}/callback`, async (request, reply) => {
    const flow = openFlow(deps.secret, request.cookies[FLOW_COOKIE]);
    reply.clearCookie(FLOW_COOKIE, { path: ONE_LOGIN_PATH });
    const query = request.query as Record<string, unknown>;
    if (!flow) {
      return cannotFinish(request, reply, [
        "Signing in took too long, or was started in another browser.",
        "Go back and try again.",
      ]);
    }
    if (typeof query.error === "string") {
      return cannotFinish(request, reply, ["You did not finish signing in with GOV.UK One Login."]);
    }
    const settings = await oneLoginClientFor(deps.db, flow.tenantId);
    if (!settings)
      return cannotFinish(request, reply, ["This council no longer offers sign-in with GOV.UK One Login."]);
    let user: Awaited<ReturnType<typeof finishOneLogin>>;
    try {
      // The callback's address as registered (PUBLIC_URL), not as the request's headers claim it.
      if (!deps.publicUrl) throw new Error("PUBLIC_URL is not set: One Login needs it for its redirect_uri");
      user = await finishOneLogin(settings, new URL(request.url, deps.publicUrl), flow, {
        allowLoopback: deps.allowLoopbackIssuer,
      });
    } catch (error) {
      // A wrong state or nonce, a bad ID token, a refused code: the details are for the log, not the page.
      request.log.warn({ err: error }, "One Login sign-in refused");
      return cannotFinish(request, reply, [
        "Something went wrong while signing you in. Go back and try again.",
      ]);
    }
    const account = await accountForOneLogin(deps.db, flow.tenantId, user);
    if (!account) return cannotFinish(request, reply, ["This account has been closed. Contact the council."]);
    await startSession(app, deps, request, reply, account, "one_login");
    return reply.redirect(flow.returnTo, 303);
  });
}
