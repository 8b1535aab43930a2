import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "#/app.ts";
import { withSystem } from "#/platform/db/tenant.ts";
import { PERSON_SESSION_COOKIE } from "#/platform/web/person-session.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { TODAY } from "../../../test/today.ts";
import { type LocalProvider, startLocalProvider } from "./local-oidc-provider.fixture.ts";
import { FLOW_COOKIE, openFlow, sealFlow } from "./one-login.ts";
import { Browser, type Council, location, makeCouncil, text } from "./portal.fixture.ts";
import { issueClaimCode } from "./service.ts";

/**
 * GOV.UK One Login's flow against a local OpenID provider (oidc-provider on a loopback port; never the
 * internet): an administrator sets the council's client with its private key; the person is sent to the
 * provider with state, nonce and PKCE; the callback checks them; an account is made on first sign-in and a
 * code links it. A wrong state, a wrong nonce or a lost flow is refused with no session.
 */

const SECRET = "o".repeat(40);
const HOST = "upfront.test";
const REDIRECT_URI = `http://${HOST}/my/sign-in/one-login/callback`;

describe.each(enginesUnderTest())(
  "signing in with GOV.UK One Login (local OpenID provider) on %s",
  (engine) => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let provider: LocalProvider;
    let council: Council;

    beforeAll(async () => {
      database = await databaseFor(engine, "migrated");
      council = await makeCouncil(database.db, "ol-one", TODAY, ["social_worker", "administrator"]);
      await makeCouncil(database.db, "ol-two", TODAY);
      provider = await startLocalProvider(REDIRECT_URI);
      app = await buildApp({
        config: {
          sessionSecret: SECRET,
          cookieSecure: false,
          logLevel: "silent",
          env: "test",
          publicUrl: `http://${HOST}`,
        },
        db: database.db,
        today: () => TODAY,
      });
      // An administrator sets the council's client, as they would for One Login.
      const admin = new Browser(app);
      await admin.signInStaff(council.staffEmail);
      await admin.get("/admin/one-login");
      const saved = await admin.post("/admin/one-login", {
        issuerUrl: provider.issuer,
        clientId: provider.clientId,
        clientAuth: "private_key_jwt",
        secret: provider.privateKeyPem,
        vtr: '["Cl.Cm"]',
        enabled: "yes",
      });
      expect(saved.statusCode).toBe(303);
    }, 120_000);
    afterAll(async () => {
      await app?.close();
      await provider?.close();
      await database?.drop();
    });

    const get = (url: string, cookie = "") =>
      app.inject({ method: "GET", url, headers: { host: HOST, cookie } });
    const cookieValue = (res: LightMyRequestResponse, name: string) =>
      res.cookies.find((c) => c.name === name)?.value;

    /** Starts a sign-in: the app's redirect to the provider, and the flow cookie it set. */
    async function begin() {
      const res = await get("/my/sign-in/one-login?council=ol-one");
      expect(res.statusCode).toBe(303);
      const flow = cookieValue(res, FLOW_COOKIE)!;
      expect(flow).toBeDefined();
      return { authorizationUrl: location(res), flow };
    }

    it("offers One Login on the sign-in page once a council has set it up, and not for a council without it", async () => {
      const page = await get("/my/sign-in");
      expect(page.body).toContain('href="/my/sign-in/one-login?council=ol-one&amp;returnTo=%2Fmy"');
      expect((await get("/my/sign-in/one-login?council=ol-two")).statusCode).toBe(404);
      // The key is stored for sign-in, and never shown on the settings page.
      const stored = await withSystem(database.db, (trx) =>
        trx.selectFrom("one_login_settings").select("client_secret").executeTakeFirstOrThrow(),
      );
      expect(stored.client_secret).toContain("PRIVATE KEY");
    });

    it("sends state, nonce and a PKCE challenge; makes an account on first sign-in; a code then links it", async () => {
      const { authorizationUrl, flow } = await begin();
      const sent = new URL(authorizationUrl);
      expect(sent.origin).toBe(provider.issuer);
      expect(sent.searchParams.get("redirect_uri")).toBe(REDIRECT_URI);
      expect(sent.searchParams.get("code_challenge_method")).toBe("S256");
      expect(sent.searchParams.get("vtr")).toBe('["Cl.Cm"]');
      const opened = openFlow(SECRET, flow)!;
      expect(sent.searchParams.get("state")).toBe(opened.state);
      expect(sent.searchParams.get("nonce")).toBe(opened.nonce);
      expect(sent.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);

      provider.nextUser.sub = "ann-one-login";
      const callback = await provider.roundTrip(authorizationUrl);
      const done = await get(`${callback.pathname}${callback.search}`, `${FLOW_COOKIE}=${flow}`);
      expect(done.statusCode).toBe(303);
      expect(location(done)).toBe("/my");
      const session = done.cookies.find((c) => c.name === PERSON_SESSION_COOKIE);
      expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/my" });

      const account = await withSystem(database.db, (trx) =>
        trx
          .selectFrom("person_accounts")
          .select(["account_id", "email", "password_hash", "person_id"])
          .where("one_login_sub", "=", "ann-one-login")
          .executeTakeFirstOrThrow(),
      );
      expect(account).toMatchObject({
        email: "ann-one-login@one-login.test",
        password_hash: null,
        person_id: null,
      });

      // Signed in but not linked: the home page asks for the code; the code links the record.
      const browser = new Browser(app);
      browser.jar[PERSON_SESSION_COOKIE] = session!.value;
      expect(text((await browser.get("/my")).body)).toContain(
        "Your account is not linked to any records yet",
      );
      const { code } = await issueClaimCode(council.staff, council.ann.personId);
      await browser.get("/my/claim");
      const claimed = await browser.post("/my/claim", { code });
      expect(claimed.statusCode).toBe(303);
      const home = await browser.get("/my");
      expect(text(home.body)).toContain("Your care and support");
      expect(text(home.body)).toContain("You are eligible for care and support");

      const signIns = await withSystem(database.db, (trx) =>
        trx
          .selectFrom("audit_events")
          .select(["actor_type", "actor_id", "changes"])
          .where("action", "=", "sign_in")
          .where("record_type", "=", "person_account")
          .execute(),
      );
      expect(signIns).toEqual([
        { actor_type: "person", actor_id: account.account_id, changes: { method: "one_login" } },
      ]);
    });

    it("signs the same One Login user in to the same account next time", async () => {
      const { authorizationUrl, flow } = await begin();
      provider.nextUser.sub = "ann-one-login";
      const callback = await provider.roundTrip(authorizationUrl);
      const done = await get(`${callback.pathname}${callback.search}`, `${FLOW_COOKIE}=${flow}`);
      expect(done.statusCode).toBe(303);
      const accounts = await withSystem(database.db, (trx) =>
        trx
          .selectFrom("person_accounts")
          .select("person_id")
          .where("one_login_sub", "=", "ann-one-login")
          .execute(),
      );
      expect(accounts).toEqual([{ person_id: council.ann.personId }]);
      const home = await get("/my", `${PERSON_SESSION_COOKIE}=${cookieValue(done, PERSON_SESSION_COOKIE)}`);
      expect(text(home.body)).toContain("Your care and support");
    });

    it("refuses a callback whose state is not the one sent, and makes no session", async () => {
      const { authorizationUrl, flow } = await begin();
      provider.nextUser.sub = "mallory";
      const callback = await provider.roundTrip(authorizationUrl);
      callback.searchParams.set("state", "not-the-state-we-sent");
      const res = await get(`${callback.pathname}${callback.search}`, `${FLOW_COOKIE}=${flow}`);
      expect(res.statusCode).toBe(400);
      expect(text(res.body)).toContain("You could not be signed in");
      expect(cookieValue(res, PERSON_SESSION_COOKIE)).toBeUndefined();
    });

    it("refuses an ID token whose nonce is not the one in this browser's flow", async () => {
      const { authorizationUrl, flow } = await begin();
      provider.nextUser.sub = "mallory";
      const callback = await provider.roundTrip(authorizationUrl);
      // A correctly signed flow with the right state and verifier, but another nonce.
      const opened = openFlow(SECRET, flow)!;
      const forged = sealFlow(SECRET, { ...opened, nonce: "another-nonce" });
      const res = await get(`${callback.pathname}${callback.search}`, `${FLOW_COOKIE}=${forged}`);
      expect(res.statusCode).toBe(400);
      expect(cookieValue(res, PERSON_SESSION_COOKIE)).toBeUndefined();
      const made = await withSystem(database.db, (trx) =>
        trx
          .selectFrom("person_accounts")
          .select("account_id")
          .where("one_login_sub", "=", "mallory")
          .execute(),
      );
      expect(made).toEqual([]);
      // The control: the same re-sealing with the nonce unchanged is accepted, so the nonce was the reason.
      const again = await begin();
      const back = await provider.roundTrip(again.authorizationUrl);
      const resealed = sealFlow(SECRET, openFlow(SECRET, again.flow)!);
      expect((await get(`${back.pathname}${back.search}`, `${FLOW_COOKIE}=${resealed}`)).statusCode).toBe(
        303,
      );
    });

    it("refuses a callback with no flow, or an altered one, and a flow that has expired", async () => {
      const { authorizationUrl, flow } = await begin();
      const callback = await provider.roundTrip(authorizationUrl);
      const path = `${callback.pathname}${callback.search}`;
      expect((await get(path)).statusCode).toBe(400);
      expect((await get(path, `${FLOW_COOKIE}=${flow.slice(0, -2)}xx`)).statusCode).toBe(400);
      const opened = openFlow(SECRET, flow)!;
      expect(openFlow(SECRET, sealFlow(SECRET, { ...opened, expires: Date.now() - 1 }))).toBeNull();
      // The person who was sent away and came back without signing in is told so.
      const cancelled = await get(
        "/my/sign-in/one-login/callback?error=access_denied",
        `${FLOW_COOKIE}=${flow}`,
      );
      expect(cancelled.statusCode).toBe(400);
      expect(text(cancelled.body)).toContain("You did not finish signing in");
    });

    it("issue 13 defect 7: the callback's redirect_uri comes from PUBLIC_URL, never from the request's Host or X-Forwarded-Host", async () => {
      const spoofed = {
        host: "upfront.internal",
        "x-forwarded-host": "evil.example",
        "x-forwarded-proto": "https",
      };
      const res = await app.inject({
        method: "GET",
        url: "/my/sign-in/one-login?council=ol-one",
        headers: spoofed,
      });
      expect(res.statusCode).toBe(303);
      const sent = new URL(location(res));
      expect(sent.searchParams.get("redirect_uri")).toBe(REDIRECT_URI);
      // The way back, whatever the headers say, is checked against the same registered address.
      provider.nextUser.sub = "ann-one-login";
      const callback = await provider.roundTrip(location(res));
      const done = await app.inject({
        method: "GET",
        url: `${callback.pathname}${callback.search}`,
        headers: { ...spoofed, cookie: `${FLOW_COOKIE}=${cookieValue(res, FLOW_COOKIE)}` },
      });
      expect(done.statusCode).toBe(303);
    });

    it("issue 13 defect 7: the issuer must be https and not a loopback, private or link-local address; a loopback issuer only under NODE_ENV=test", async () => {
      const settings = (issuerUrl: string) => ({
        issuerUrl,
        clientId: provider.clientId,
        clientAuth: "private_key_jwt",
        secret: "",
        vtr: '["Cl.Cm"]',
        enabled: "yes",
      });
      const admin = new Browser(app);
      await admin.signInStaff(council.staffEmail);
      await admin.get("/admin/one-login");
      for (const [issuer, message] of [
        ["http://oidc.example/", "The issuer URL must start with https://"],
        ["https://169.254.169.254/", "must be a public address"],
        ["https://10.0.0.1/", "must be a public address"],
        ["https://192.168.1.10:8443/", "must be a public address"],
        ["https://[fe80::1]/", "must be a public address"],
      ] as const) {
        const refused = await admin.post("/admin/one-login", settings(issuer));
        expect(refused.statusCode, issuer).toBe(400);
        expect(text(refused.body)).toContain(message);
      }

      // Outside tests the local provider's loopback address is refused, when saved and when used.
      const development = await buildApp({
        config: {
          sessionSecret: SECRET,
          cookieSecure: false,
          logLevel: "silent",
          env: "development",
          publicUrl: `http://${HOST}`,
        },
        db: database.db,
        today: () => TODAY,
      });
      try {
        const devAdmin = new Browser(development);
        await devAdmin.signInStaff(council.staffEmail);
        await devAdmin.get("/admin/one-login");
        const loopback = await devAdmin.post("/admin/one-login", settings(provider.issuer));
        expect(loopback.statusCode).toBe(400);
        expect(text(loopback.body)).toContain("The issuer URL must start with https://");
        const httpsLoopback = await devAdmin.post("/admin/one-login", settings("https://localhost:8443/"));
        expect(text(httpsLoopback.body)).toContain("must be a public address");
        const used = await development.inject({
          method: "GET",
          url: "/my/sign-in/one-login?council=ol-one",
          headers: { host: HOST },
        });
        expect(used.statusCode).toBe(400);
        expect(text(used.body)).toContain("GOV.UK One Login could not be reached");
      } finally {
        await development.close();
      }
    });
  },
);
