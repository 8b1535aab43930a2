import { isIP } from "node:net";
import { type Kysely, sql } from "kysely";
import type { DB } from "#/platform/db/schema.ts";
import { withSystem } from "#/platform/db/tenant.ts";
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
      return withSystem(db, async (trx) => {
        const { now } = (await sql<{ now: Date }>`SELECT now() AS now`.execute(trx)).rows[0]!;
        const at = now.getTime();
        // Every server takes the same rows in the same order (account before address), so none deadlock.
        await trx
          .insertInto("sign_in_throttles")
          .values(
            keys.map((k) => ({
              kind: k.kind,
              key_hash: k.hash,
              failures: 0,
              wait_until: now,
              forget_at: now,
            })),
          )
          .onConflict((oc) => oc.columns(["kind", "key_hash"]).doNothing())
          .execute();
        const rows = await trx
          .selectFrom("sign_in_throttles")
          .selectAll()
          .where((eb) =>
            eb.or(keys.map((k) => eb.and([eb("kind", "=", k.kind), eb("key_hash", "=", k.hash)]))),
          )
          .orderBy("kind")
          .orderBy("key_hash")
          .forUpdate()
          .execute();
        const live = rows.map((r) => ({ ...r, failures: r.forget_at.getTime() <= at ? 0 : r.failures }));
        const waitMs = Math.max(0, ...live.map((r) => (r.failures > 0 ? r.wait_until.getTime() - at : 0)));
        if (waitMs > 0) return { allowed: false as const, waitMs, message: waitWords(waitMs) };
        for (const r of live) {
          const failures = r.failures + 1;
          const waitUntil = at + waitAfter(failures, free(r.kind), policy.maxWaitMinutes);
          await trx
            .updateTable("sign_in_throttles")
            .set({
              failures,
              wait_until: new Date(waitUntil),
              forget_at: new Date(waitUntil + policy.windowMinutes * 60_000),
            })
            .where("kind", "=", r.kind)
            .where("key_hash", "=", r.key_hash)
            .execute();
        }
        // Old counts are deleted as new ones are written: the table stays small without a job.
        await trx.deleteFrom("sign_in_throttles").where("forget_at", "<", now).execute();
        return { allowed: true as const, attempt: { keys } };
      });
    },

    async succeeded(attempt) {
      await withSystem(db, async (trx) => {
        for (const k of attempt.keys) {
          if (k.kind === "account") {
            await trx
              .deleteFrom("sign_in_throttles")
              .where("kind", "=", "account")
              .where("key_hash", "=", k.hash)
              .execute();
          } else {
            // The address keeps its wait: signing in to one's own account must not clear a spray of guesses.
            await trx
              .updateTable("sign_in_throttles")
              .set({ failures: sql`greatest(failures - 1, 0)` })
              .where("kind", "=", "address")
              .where("key_hash", "=", k.hash)
              .execute();
          }
        }
      });
    },
  };
}
