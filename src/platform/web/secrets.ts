import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** 32 random bytes, URL-safe: session ids, API token secrets, CSRF seeds. */
export const randomSecret = (): string => randomBytes(32).toString("base64url");

/** Secrets are stored only as their SHA-256, so a database leak gives no working session or token. */
export const sha256 = (value: string): string => createHash("sha256").update(value).digest("hex");

export const hmac = (key: string, value: string): string =>
  createHmac("sha256", key).update(value).digest("base64url");

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
