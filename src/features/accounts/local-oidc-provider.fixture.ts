import { generateKeyPairSync } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

/**
 * A local OpenID provider for the One Login tests (only tests import this file): oidc-provider on a loopback
 * port, with one client that authenticates by private_key_jwt, as GOV.UK One Login's clients do, and requires
 * PKCE. Whoever `nextUser` names signs in at once (no login page), with an email claim. Never the internet.
 */
export type LocalProvider = {
  issuer: string;
  clientId: string;
  /** The client's private key, PEM: what a council pastes into the One Login settings. */
  privateKeyPem: string;
  /** The subject the next sign-in is for. */
  nextUser: { sub: string };
  /** The authorization requests the provider received, as their query parameters. */
  requests: URLSearchParams[];
  /** Follows the provider's redirects from the authorization URL to the app's callback, as a browser would. */
  roundTrip(authorizationUrl: string): Promise<URL>;
  close(): Promise<void>;
};

export async function startLocalProvider(redirectUri: string): Promise<LocalProvider> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const signing = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  const clientId = "upfront-test-client";
  const nextUser = { sub: "one-login-user-1" };
  const requests: URLSearchParams[] = [];

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        redirect_uris: [redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "private_key_jwt",
        token_endpoint_auth_signing_alg: "RS256",
        jwks: {
          keys: [{ ...publicKey.export({ format: "jwk" }), kid: "client-key-1", use: "sig", alg: "RS256" }],
        },
      },
    ],
    pkce: { required: () => true },
    claims: { openid: ["sub"], email: ["email", "email_verified"] },
    findAccount: async (_ctx: unknown, sub: string) => ({
      accountId: sub,
      claims: async () => ({ sub, email: `${sub}@one-login.test`, email_verified: true }),
    }),
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    features: { devInteractions: { enabled: false } },
    cookies: { keys: ["local-provider-cookie-key"] },
    jwks: {
      keys: [{ ...signing.export({ format: "jwk" }), kid: "provider-key-1", use: "sig", alg: "RS256" }],
    },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      Grant: 600,
      IdToken: 600,
      Interaction: 600,
      Session: 600,
    },
  });

  server.on("request", async (req, res) => {
    const url = new URL(req.url ?? "/", issuer);
    if (url.pathname === "/auth" && url.searchParams.has("client_id")) requests.push(url.searchParams);
    if (url.pathname.startsWith("/interaction/")) {
      // Sign in and consent at once, for whoever the test named.
      const details = await provider.interactionDetails(req, res);
      const grant = new provider.Grant({
        accountId: nextUser.sub,
        clientId: String(details.params.client_id),
      });
      grant.addOIDCScope(String(details.params.scope ?? "openid"));
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: nextUser.sub }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    provider.callback()(req, res);
  });

  async function roundTrip(authorizationUrl: string): Promise<URL> {
    const jar = new Map<string, string>();
    let url = authorizationUrl;
    for (let hop = 0; hop < 10; hop++) {
      const res = await fetch(url, {
        redirect: "manual",
        headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; ") },
      });
      for (const header of res.headers.getSetCookie()) {
        const [pair] = header.split(";");
        const at = pair!.indexOf("=");
        jar.set(pair!.slice(0, at), pair!.slice(at + 1));
      }
      const location = res.headers.get("location");
      if (!location) throw new Error(`The provider stopped at ${url}: ${res.status} ${await res.text()}`);
      const next = new URL(location, url);
      if (next.href.startsWith(redirectUri)) return next;
      url = next.href;
    }
    throw new Error("Too many redirects at the provider");
  }

  return {
    issuer,
    clientId,
    privateKeyPem: privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
    nextUser,
    requests,
    roundTrip,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
