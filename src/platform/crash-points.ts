import { processSettings } from "#/config.ts";

/**
 * Named crash points for kill -9 trials (issue 13): `crashPoint("payments.batch")` in the code, and
 * UPFRONT_CRASH_AT=payments.batch:3 in the environment, make the process kill itself with SIGKILL the third time
 * it reaches that point — no clean-up, no `finally`, the connection dropped mid-transaction if one is open —
 * so a test or bench/crash-trials.ts can check that running the command again finishes the job exactly once.
 *
 * The variable is read once, when this module loads (through config.ts processSettings, which never refuses the
 * environment over it); without it (and always when NODE_ENV is production) a crash point is one comparison. It
 * is a test hook, not a setting an operator uses.
 *
 * The points (grep `crashPoint(` for where they are):
 *   payments.batch            a payment run, after each batch of budgets has committed
 *   payments.batch.inserted   a payment run, inside a batch's transaction: payments inserted, no money moved yet
 *   card-feed.transfers       a card-feed import, inside its one transaction: transfers made, no spend records yet
 *   card-feed.imported        `upfront card-feed import`, after the import has committed, before it reports
 */

export const CRASH_POINTS = [
  "payments.batch",
  "payments.batch.inserted",
  "card-feed.transfers",
  "card-feed.imported",
] as const;
export type CrashPointName = (typeof CRASH_POINTS)[number];

export type CrashSpec = { point: CrashPointName; at: number };

/** UPFRONT_CRASH_AT's value → the point and the time it is reached to crash at (1 when no `:N` is given). */
export function parseCrashAt(value: string | undefined): CrashSpec | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const m = /^([a-z][a-z.-]*)(?::([1-9]\d{0,8}))?$/.exec(value.trim());
  const point = CRASH_POINTS.find((p) => p === m?.[1]);
  if (!m || !point)
    throw new Error(
      `UPFRONT_CRASH_AT must be a crash point and how many times it is reached first, like payments.batch:3; the points are ${CRASH_POINTS.join(", ")}`,
    );
  return { point, at: m[2] ? Number(m[2]) : 1 };
}

const settings = processSettings();
const armed = settings.nodeEnv === "production" ? undefined : parseCrashAt(settings.crashAt);
let reached = 0;

/** Kills this process with SIGKILL when UPFRONT_CRASH_AT names this point and it has now been reached N times. */
export function crashPoint(name: CrashPointName): void {
  if (armed === undefined || armed.point !== name) return;
  reached++;
  if (reached < armed.at) return;
  process.kill(process.pid, "SIGKILL");
  // SIGKILL cannot be caught; this only makes sure no more JavaScript runs while the kernel ends the process.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10_000);
}
