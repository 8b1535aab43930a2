import { isIP } from "node:net";
import { type Kysely, sql } from "kysely";
import type { DB } from "#/platform/db/schema.ts";
import { withoutTenant } from "#/platform/db/tenant.ts";
import { hmac } from "#/platform/web/secrets.ts";
import { type ThrottlePolicy, waitAfter, waitWords } from "./throttle.calc.ts";

/**
 * Sign-in throttling (issue 13): failed attempts counted per account and per client address in the database
 * (migrations/0021), so a restart or a second server does not reset them. Each attempt is counted as a failure
 * *before* the password is checked, inside a locked transaction, so many attempts sent at once cannot all slip
 * through one gap; a success then takes its count back (the account's count is forgotten; the address's loses
 * this one attempt). While a wait is running, an attempt is refused without checking the password and is not
 * counted, so an attacker cannot make the real person's wait longer than the cap.
 */

declare module "#/platform/db/schema.ts" {
  interface DB {
    sign_in_throttles: {
      kind: "account" | "address";
      key_hash: string;
      failures: number;
      wait_until: Date;
      forget_at: Date;
    };
  }
}

/** Which sign-in: staff's (/sign-in), a person's (/my/sign-in) or a code (/my/claim). Accounts are kept apart. */
export type SignInPurpose = "staff" | "person" | "claim";

type Key = { kind: "account" | "address"; hash: string };
export type ThrottleAttempt = { keys: Key[] };
export type ThrottleCheck =
  | { allowed: true; attempt: ThrottleAttempt }
  | { allowed: false; waitMs: number; message: string };

export type SignInThrottle = {
  /** Before the password or code is checked: refused with how long to wait, or allowed (counted as a failure). */
  begin(purpose: SignInPurpose, account: string, address: string): Promise<ThrottleCheck>;
  /** The password or code was right: the attempt was not a failure after all. */
  succeeded(attempt: ThrottleAttempt): Promise<void>;
};

/**
 * The address as counted: IPv4 whole; IPv6 by its /64, since one household or server gets a whole /64 and could
 * otherwise use a fresh address for every guess. An IPv4 address mapped into IPv6 counts as itself.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (isIP(address) !== 6) return address;
  const [head = "", tail = ""] = address.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = address.includes("::")
    ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

export function signInThrottle(db: Kysely<DB>, secret: string, policy: ThrottlePolicy): SignInThrottle {
  const free = (kind: Key["kind"]) => (kind === "account" ? policy.accountFailures : policy.addressFailures);
  const keysFor = (purpose: SignInPurpose, account: string, address: string): Key[] =>
    [
      {
        kind: "account" as const,
        hash: hmac(secret, `sign-in-account:${purpose}:${account.trim().toLowerCase()}`),
      },
      { kind: "address" as const, hash: hmac(secret, `sign-in-address:${addressKey(address)}`) },
    ].sort((a, b) => (a.kind === b.kind ? (a.hash < b.hash ? -1 : 1) : a.kind < b.kind ? -1 : 1));

  return {
    async begin(purpose, account, address) {
      const keys = keysFor(purpose, account, address);
      return withoutTenant(db, async (trx) => {
        const { now } = (await sql<{ now: Date }>`SELECT now() AS now`.execute(trx)).rows[0]!;
        const at = now.getTime();
        // The app role cannot read the counts: migrations/0025's functions lock and return only these keys' rows.
        const { rows } = await sql<DB["sign_in_throttles"]>`
          SELECT * FROM sign_in_throttle_lock(${keys.map((k) => k.kind)}::text[], ${keys.map((k) => k.hash)}::text[])`.execute(
          trx,
        );
        const live = rows.map((r) => ({ ...r, failures: r.forget_at.getTime() <= at ? 0 : r.failures }));
        const waitMs = Math.max(0, ...live.map((r) => (r.failures > 0 ? r.wait_until.getTime() - at : 0)));
        if (waitMs > 0) return { allowed: false as const, waitMs, message: waitWords(waitMs) };
        for (const r of live) {
          const failures = r.failures + 1;
          const waitUntil = at + waitAfter(failures, free(r.kind), policy);
          await sql`SELECT sign_in_throttle_count(${r.kind}, ${r.key_hash}, ${failures}, ${new Date(waitUntil)},
            ${new Date(waitUntil + policy.windowMinutes * 60_000)})`.execute(trx);
        }
        // Old counts are deleted as new ones are written (in sign_in_throttle_count): no job keeps the table small.
        return { allowed: true as const, attempt: { keys } };
      });
    },

    async succeeded(attempt) {
      // The account's count is forgotten; the address keeps its wait (signing in to one's own account must not
      // clear a spray of guesses) and loses only this attempt.
      await withoutTenant(db, (trx) =>
        sql`SELECT sign_in_throttle_succeeded(${attempt.keys.map((k) => k.kind)}::text[],
          ${attempt.keys.map((k) => k.hash)}::text[])`.execute(trx),
      );
    },
  };
}
