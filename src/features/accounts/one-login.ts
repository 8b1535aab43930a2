import { createPrivateKey } from "node:crypto";
import { isIP } from "node:net";
import * as client from "openid-client";
import { isLoopbackName, isPublicAddress, resolvesToPublic } from "#/platform/web/addresses.ts";
import { hmac, safeEqual } from "#/platform/web/secrets.ts";

/**
 * GOV.UK One Login (or any OpenID provider a council names) by the authorization code flow with PKCE, state
 * and nonce, through openid-client. One Login authenticates clients with private_key_jwt; client secrets are
 * accepted for other providers. Nothing here reaches the network except the council's own issuer.
 */

export type OneLoginClientSettings = {
  issuerUrl: string;
  clientId: string;
  clientAuth: "private_key_jwt" | "client_secret_post" | "client_secret_basic";
  /** The client secret, or for private_key_jwt the private key in PEM (PKCS#8 or PKCS#1, RSA or P-256). */
  secret: string;
  /** One Login's vector of trust, e.g. '["Cl.Cm"]' (medium level of authentication); null sends none. */
  vtr: string | null;
};

/** What a finished sign-in tells us about the person: the stable subject, and the email the provider holds. */
export type OneLoginUser = { sub: string; email: string | null; emailVerified: boolean };

/** What must survive the round trip to the provider: kept in a signed cookie, checked on the way back. */
export type OneLoginFlow = {
  tenantId: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
  /** Unix milliseconds after which the flow is refused. */
  expires: number;
};

export const FLOW_COOKIE = "upfront_my_one_login";
export const FLOW_MINUTES = 10;

/**
 * Whether an issuer URL may be used (issue 13): https, and not a loopback, private or link-local address, since
 * the server fetches it and everything its discovery document names. A loopback issuer (http or https) is allowed
 * only when `allowLoopback` (NODE_ENV=test: the tests' local provider). Returns what is wrong, or null.
 */
export function issuerProblem(value: string, allowLoopback: boolean): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "Enter the issuer URL in full, like https://oidc.account.gov.uk/";
  }
  if (allowLoopback && isLoopbackName(url.hostname)) return null;
  if (url.protocol !== "https:") return "The issuer URL must start with https://";
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isLoopbackName(host) || (isIP(host) !== 0 && !isPublicAddress(host))) {
    return "The issuer URL must be a public address, not a loopback, private or link-local one";
  }
  return null;
}

/**
 * The fetch openid-client uses for discovery and every endpoint the discovery document names: each URL is checked
 * like the issuer, and its host must resolve only to public addresses, so a council's settings cannot make the
 * server call into its own network.
 */
function guardedFetch(allowLoopback: boolean): client.CustomFetch {
  return async (url, options) => {
    const target = new URL(url);
    const problem = issuerProblem(target.href, allowLoopback);
    if (problem) throw new Error(`Refused to fetch ${target.origin}: ${problem}`);
    if (!(allowLoopback && isLoopbackName(target.hostname)) && !(await resolvesToPublic(target.hostname))) {
      throw new Error(`Refused to fetch ${target.origin}: it does not resolve to a public address`);
    }
    return fetch(url, options as RequestInit);
  };
}

type SigningKey = Parameters<typeof client.PrivateKeyJwt>[0];

async function privateKeyFrom(pem: string): Promise<SigningKey> {
  const key = createPrivateKey(pem);
  const algorithm =
    key.asymmetricKeyType === "ec"
      ? { name: "ECDSA", namedCurve: "P-256" }
      : key.asymmetricKeyType === "rsa"
        ? { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }
        : null;
  if (!algorithm) throw new Error(`A ${key.asymmetricKeyType} private key cannot sign client assertions`);
  // Node's webcrypto CryptoKey and the DOM's differ only in the key usages they list.
  return key.toCryptoKey(algorithm, false, ["sign"]) as unknown as SigningKey;
}

async function clientAuthFor(settings: OneLoginClientSettings): Promise<client.ClientAuth> {
  switch (settings.clientAuth) {
    case "private_key_jwt":
      return client.PrivateKeyJwt(await privateKeyFrom(settings.secret));
    case "client_secret_post":
      return client.ClientSecretPost(settings.secret);
    case "client_secret_basic":
      return client.ClientSecretBasic(settings.secret);
  }
}

// Discovery is fetched once per council and settings version, and again after an hour.
const cache = new Map<string, { at: number; config: Promise<client.Configuration> }>();
const DISCOVERY_TTL_MS = 3600_000;

/** What the network may reach: loopback issuers only when NODE_ENV=test. */
export type IssuerPolicy = { allowLoopback: boolean };

async function configurationFor(
  settings: OneLoginClientSettings,
  policy: IssuerPolicy,
): Promise<client.Configuration> {
  const problem = issuerProblem(settings.issuerUrl, policy.allowLoopback);
  if (problem) throw new Error(`The council's One Login issuer cannot be used: ${problem}`);
  const key = JSON.stringify([
    settings.issuerUrl,
    settings.clientId,
    settings.clientAuth,
    settings.secret,
    policy.allowLoopback,
  ]);
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < DISCOVERY_TTL_MS) return hit.config;
  const issuer = new URL(settings.issuerUrl);
  const config = (async () =>
    client.discovery(
      issuer,
      settings.clientId,
      // One Login signs ID tokens with ES256 or RS256 and says which in its discovery document.
      undefined,
      await clientAuthFor(settings),
      {
        [client.customFetch]: guardedFetch(policy.allowLoopback),
        ...(issuer.protocol === "http:" ? { execute: [client.allowInsecureRequests] } : {}),
      },
    ))();
  cache.set(key, { at: Date.now(), config });
  // A failed discovery is not kept: the next sign-in tries again.
  config.catch(() => cache.delete(key));
  return config;
}

/** The provider's authorization URL for a new sign-in, and the flow to keep until it comes back. */
export async function beginOneLogin(
  settings: OneLoginClientSettings,
  opts: { tenantId: string; redirectUri: string; returnTo: string; now?: number } & IssuerPolicy,
): Promise<{ url: URL; flow: OneLoginFlow }> {
  const config = await configurationFor(settings, opts);
  const codeVerifier = client.randomPKCECodeVerifier();
  const flow: OneLoginFlow = {
    tenantId: opts.tenantId,
    state: client.randomState(),
    nonce: client.randomNonce(),
    codeVerifier,
    returnTo: opts.returnTo,
    expires: (opts.now ?? Date.now()) + FLOW_MINUTES * 60_000,
  };
  const parameters: Record<string, string> = {
    redirect_uri: opts.redirectUri,
    scope: "openid email",
    response_type: "code",
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    state: flow.state,
    nonce: flow.nonce,
    ui_locales: "en",
  };
  if (settings.vtr) parameters.vtr = settings.vtr;
  return { url: client.buildAuthorizationUrl(config, parameters), flow };
}

/**
 * Exchanges the code the provider sent back, checking the state, the PKCE verifier, the ID token (issuer,
 * audience, signature, expiry) and its nonce; then reads the email from the userinfo endpoint.
 */
export async function finishOneLogin(
  settings: OneLoginClientSettings,
  callbackUrl: URL,
  flow: OneLoginFlow,
  policy: IssuerPolicy,
): Promise<OneLoginUser> {
  const config = await configurationFor(settings, policy);
  const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
    pkceCodeVerifier: flow.codeVerifier,
    expectedState: flow.state,
    expectedNonce: flow.nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  if (!claims) throw new Error("The provider returned no ID token");
  const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  const email = typeof info.email === "string" ? info.email.trim().toLowerCase() : null;
  return { sub: claims.sub, email, emailVerified: info.email_verified === true };
}

/** The flow as a cookie value: base64url JSON and its HMAC, so it cannot be altered on the way. */
export function sealFlow(secret: string, flow: OneLoginFlow): string {
  const body = Buffer.from(JSON.stringify(flow)).toString("base64url");
  return `${body}.${hmac(secret, `one-login-flow:${body}`)}`;
}

/** The flow from its cookie, or null when it is missing, altered or expired. */
export function openFlow(
  secret: string,
  value: string | undefined,
  now: number = Date.now(),
): OneLoginFlow | null {
  if (!value) return null;
  const [body, mac] = value.split(".");
  if (!body || !mac || !safeEqual(mac, hmac(secret, `one-login-flow:${body}`))) return null;
  try {
    const flow = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as OneLoginFlow;
    return typeof flow.expires === "number" && flow.expires > now ? flow : null;
  } catch {
    return null;
  }
}
