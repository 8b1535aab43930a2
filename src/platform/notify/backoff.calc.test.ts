import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backoffCeilingMs, backoffDelayMs } from "#/platform/notify/backoff.calc.ts";

// Issue 16: messages Notify answers with 429 or 5xx are retried "with exponential back-off", within Notify's
// 3,000 requests a minute (EMPLOYMENT-NOTIFY-LANGUAGE.md §3); the base delay is a setting so tests can shorten it.

const settings = fc
  .record({ baseMs: fc.integer({ min: 0, max: 600_000 }), capMs: fc.integer({ min: 0, max: 86_400_000 }) })
  .map((s) => ({ baseMs: s.baseMs, capMs: s.capMs }));
const attempt = fc.integer({ min: 1, max: 2_000 });
const draw = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

describe("retry back-off (issue 16: exponential, with a ceiling and jitter)", () => {
  it("doubles from the base delay until the ceiling: 1 s, 2 s, 4 s, … capped at 60 s", () => {
    const s = { baseMs: 1_000, capMs: 60_000 };
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffCeilingMs(n, s))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000,
    ]);
  });

  it("jitter keeps the delay between half the ceiling and the ceiling", () => {
    const s = { baseMs: 1_000, capMs: 60_000 };
    expect(backoffDelayMs(3, s, 0)).toBe(2_000);
    expect(backoffDelayMs(3, s, 0.5)).toBe(3_000);
    expect(backoffDelayMs(3, s, 0.999_999)).toBe(3_999); // rounded down to the whole millisecond
  });

  it("grows: for the same draw, a later attempt never waits less (property)", () => {
    fc.assert(
      fc.property(settings, attempt, draw, (s, n, r) => {
        expect(backoffDelayMs(n + 1, s, r)).toBeGreaterThanOrEqual(backoffDelayMs(n, s, r));
        expect(backoffCeilingMs(n + 1, s)).toBeGreaterThanOrEqual(backoffCeilingMs(n, s));
      }),
    );
  });

  it("grows strictly while under the ceiling (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 20 }), (base, n) => {
        const s = { baseMs: base, capMs: Number.MAX_SAFE_INTEGER };
        expect(backoffCeilingMs(n + 1, s)).toBe(2 * backoffCeilingMs(n, s));
      }),
    );
  });

  it("is capped: never longer than the ceiling, however many attempts (property)", () => {
    fc.assert(
      fc.property(settings, attempt, draw, (s, n, r) => {
        expect(backoffDelayMs(n, s, r)).toBeLessThanOrEqual(s.capMs);
      }),
    );
  });

  it("is never negative, and a whole number of milliseconds, even for nonsense input (property)", () => {
    fc.assert(
      fc.property(
        fc.record({ baseMs: fc.double(), capMs: fc.double() }),
        fc.oneof(fc.integer(), fc.double()),
        fc.double(),
        (s, n, r) => {
          const delay = backoffDelayMs(n, s, r);
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });
});
