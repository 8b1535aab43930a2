/**
 * The shape of sign-in throttling (issue 13), pure: how long an account or address waits after its failures, and
 * how that is said. The figures come from configuration (SIGN_IN_*), never from here.
 */

export type ThrottlePolicy = {
  /** Failures for one account before each further attempt waits. */
  accountFailures: number;
  /** Failures from one address (any accounts) before each further attempt waits. */
  addressFailures: number;
  /** A count is forgotten after this many quiet minutes following its last wait. */
  windowMinutes: number;
  /** The first wait, in seconds; each further failure doubles it. */
  firstWaitSeconds: number;
  /** The wait doubles up to this many minutes, never more: a delay, not a lock-out. */
  maxWaitMinutes: number;
};

/**
 * Milliseconds to wait after the nth failure when `free` failures are allowed without waiting: none below it, then
 * the first wait, doubling (2, 4, 8 … seconds with the default), capped.
 */
export function waitAfter(
  failures: number,
  free: number,
  policy: Pick<ThrottlePolicy, "firstWaitSeconds" | "maxWaitMinutes">,
): number {
  if (failures < free) return 0;
  const exponent = Math.min(failures - free, 30);
  return Math.min(2 ** exponent * policy.firstWaitSeconds * 1000, policy.maxWaitMinutes * 60_000);
}

/** "Wait 4 seconds" / "Wait 1 minute" / "Wait 15 minutes": rounded up, so the person never tries too soon. */
export function waitWords(ms: number): string {
  if (ms < 60_000) {
    const seconds = Math.max(1, Math.ceil(ms / 1000));
    return `Wait ${seconds} second${seconds === 1 ? "" : "s"} before trying again`;
  }
  const minutes = Math.ceil(ms / 60_000);
  return `Wait ${minutes} minute${minutes === 1 ? "" : "s"} before trying again`;
}
