import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ApportionInput,
  type ApportionLineInput,
  type ApportionStreamInput,
  apportion,
} from "#/features/funding/apportion.calc.ts";
import { pence } from "#/platform/money/pence.ts";
import { DEPLOYMENTS } from "#/vocabulary/deployments.ts";

/**
 * Properties of apportionment (Upfront issue 5: "property test that apportionment never exceeds a stream's pot or
 * pays a line from a stream that may not pay for it"), over random councils: a few categories, up to six
 * streams with random restrictions and pots (often short), payer orders that may list streams that may not pay
 * or do not exist, random weekly and one-off lines, periods from 1 to 53 weeks, and random contributions.
 */

const CATEGORIES = ["personal_care", "household", "employment", "housing_support", "equipment"] as const;

const streamArb = (id: string) =>
  fc.record({
    id: fc.constant(id),
    name: fc.constant(`Stream ${id}`),
    categories: fc.subarray([...CATEGORIES], { minLength: 1 }),
    meansTested: fc.boolean(),
    // Pots from nothing to plenty, so they are often short.
    availablePence: fc.integer({ min: 0, max: 5_000_000 }).map(pence),
  }) satisfies fc.Arbitrary<ApportionStreamInput>;

const inputArb: fc.Arbitrary<ApportionInput> = fc
  .uniqueArray(fc.constantFrom("a", "b", "c", "d", "e", "f"), { minLength: 0, maxLength: 6 })
  .chain((ids) =>
    fc.record({
      streams: ids.length === 0 ? fc.constant([]) : fc.tuple(...ids.map(streamArb)),
      payerOrder: fc.dictionary(
        fc.constantFrom(...CATEGORIES),
        fc.array(fc.constantFrom(...ids, "zz"), { minLength: 1, maxLength: 5 }),
        { maxKeys: CATEGORIES.length },
      ),
      lines: fc
        .array(
          fc.record({
            category: fc.constantFrom(...CATEGORIES, "unpayable"),
            deployment: fc.constantFrom(...DEPLOYMENTS, null),
            basis: fc.constantFrom("weekly" as const, "one_off" as const),
            amountPence: fc.integer({ min: 0, max: 200_000 }).map(pence),
          }),
          { maxLength: 10 },
        )
        .map((lines) => lines.map((l, i): ApportionLineInput => ({ ...l, supportId: `line-${i}` }))),
      periodWeeks: fc.integer({ min: 1, max: 53 }),
      contributionWeeklyPence: fc.integer({ min: 0, max: 100_000 }).map(pence),
    }),
  );

describe("apportionment properties", () => {
  it("never takes more from a stream's pot than it has (weekly × period + one-off ≤ available)", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const result = apportion(input);
        for (const stream of input.streams) {
          let used = 0;
          for (const line of result.lines) {
            for (const share of line.shares) {
              if (share.streamId !== stream.id) continue;
              used += line.basis === "weekly" ? share.grossPence * input.periodWeeks : share.grossPence;
            }
          }
          expect(used).toBeLessThanOrEqual(stream.availablePence);
          const summary = result.streams.find((s) => s.streamId === stream.id)!;
          expect(summary.potUsedPence).toBe(used);
          expect(summary.potLeftPence).toBe(stream.availablePence - used);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("never pays a line from a stream that may not pay for its category, nor from one the payer order leaves out", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const result = apportion(input);
        for (const line of result.lines) {
          const order = Object.hasOwn(input.payerOrder, line.category)
            ? input.payerOrder[line.category]
            : undefined;
          for (const share of line.shares) {
            const stream = input.streams.find((s) => s.id === share.streamId)!;
            expect(stream.categories).toContain(line.category);
            if (order) expect(order).toContain(share.streamId);
            expect(share.grossPence).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it("for every line, what the streams pay + what is unfunded = the line's cost; and so for the totals", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const result = apportion(input);
        for (const line of result.lines) {
          const paid = line.shares.reduce((sum, s) => sum + s.grossPence, 0);
          expect(paid + line.unfundedPence).toBe(line.amountPence);
          expect(line.unfundedReason === null).toBe(line.unfundedPence === 0);
        }
        const t = result.totals;
        expect(t.weeklyFundedPence + t.weeklyUnfundedPence).toBe(t.weeklyCostPence);
        expect(t.oneOffFundedPence + t.oneOffUnfundedPence).toBe(t.oneOffCostPence);
        const streamWeekly = result.streams.reduce((sum, s) => sum + s.grossWeeklyPence, 0);
        expect(streamWeekly).toBe(t.weeklyFundedPence);
      }),
      { numRuns: 500 },
    );
  });

  it("the contribution reduces only means-tested weekly shares, by exactly min(contribution, their total)", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const result = apportion(input);
        let meansTested = 0;
        let reduced = 0;
        for (const line of result.lines) {
          for (const share of line.shares) {
            if (!share.meansTested || line.basis === "one_off") expect(share.contributionPence).toBe(0);
            else meansTested += share.grossPence;
            expect(share.contributionPence).toBeGreaterThanOrEqual(0);
            expect(share.contributionPence).toBeLessThanOrEqual(share.grossPence);
            expect(share.netPence).toBe(share.grossPence - share.contributionPence);
            reduced += share.contributionPence;
          }
        }
        const applied = Math.min(input.contributionWeeklyPence, meansTested);
        expect(reduced).toBe(applied);
        expect(result.contribution.appliedWeeklyPence).toBe(applied);
        expect(result.contribution.notAppliedWeeklyPence).toBe(input.contributionWeeklyPence - applied);
      }),
      { numRuns: 500 },
    );
  });

  it("is deterministic: the same input (a deep copy) gives the same output, and the order streams are listed in does not matter", () => {
    fc.assert(
      fc.property(inputArb, fc.integer(), (input, seed) => {
        const result = apportion(input);
        expect(apportion(structuredClone(input))).toEqual(result);
        // Streams listed in another order: who pays is decided by the payer order and ids, never by list order.
        const shuffled = [...input.streams].sort(
          (a, b) => ((a.id.charCodeAt(0) * 31 + seed) % 7) - ((b.id.charCodeAt(0) * 31 + seed) % 7),
        );
        expect(apportion({ ...input, streams: shuffled })).toEqual(result);
      }),
      { numRuns: 300 },
    );
  });
});
