/**
 * How long to wait before trying a message again after a retryable failure (GOV.UK Notify answering 429 or 5xx,
 * or not answering at all): exponential back-off with a ceiling and "equal jitter".
 *
 * The un-jittered delay doubles with each attempt, `baseMs × 2^(attempt − 1)`, until it reaches `capMs`. Half of it
 * is always waited and the other half is scaled by `random` (a number in [0, 1) the caller draws), so that many
 * messages failing together (Notify down for an hour) do not all come back in the same second and meet its
 * 3,000-a-minute limit again. Pure: the caller passes the random draw, so tests can fix it.
 *
 * The base delay and the ceiling are parameters: delivery passes its own (seconds to minutes), tests pass
 * milliseconds.
 */
export interface BackoffSettings {
  /** The delay before the first retry, before jitter; at least 0. */
  baseMs: number;
  /** No delay is longer than this; at least 0. */
  capMs: number;
}

/** A setting that is not a finite number of milliseconds at least 0 counts as 0 (retry at once), never NaN. */
function nonNegative(ms: number): number {
  return Number.isFinite(ms) && ms > 0 ? ms : 0;
}

/** The un-jittered delay before retry number `attempt` (1 for the first retry): doubling, capped. */
export function backoffCeilingMs(attempt: number, settings: BackoffSettings): number {
  const base = nonNegative(settings.baseMs);
  const cap = nonNegative(settings.capMs);
  const retry = Math.max(1, Math.floor(Number.isFinite(attempt) ? attempt : 1));
  // 2^1024 is Infinity in a double; Math.min with the cap keeps it finite. Stop doubling once past the cap.
  const exponent = Math.min(retry - 1, 1023);
  return Math.min(cap, base * 2 ** exponent);
}

/**
 * The delay in whole milliseconds before retry number `attempt`, given a random draw in [0, 1):
 * between half the ceiling and the ceiling.
 */
export function backoffDelayMs(attempt: number, settings: BackoffSettings, random: number): number {
  const ceiling = backoffCeilingMs(attempt, settings);
  const draw = Number.isFinite(random) ? Math.min(Math.max(random, 0), 1) : 0;
  return Math.floor(ceiling / 2 + (ceiling / 2) * draw);
}
