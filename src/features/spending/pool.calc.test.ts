import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type PoolMember, poolShareProblems, splitPoolCost } from "#/features/spending/pool.calc.ts";
import { pence } from "#/platform/money/pence.ts";

const third = (budgetId: string): PoolMember => ({
  budgetId,
  share: { kind: "fraction", numerator: 1, denominator: 3 },
});
const cost = (costPence: number, members: PoolMember[]) => ({
  poolName: "Shared support worker",
  period: "4 weeks from 1 April 2025",
  costPence: pence(costPence),
  members,
});

describe("pool splits (issue 6, Pools: each member's statement shows their share)", () => {
  it("splits £100.00 three ways by largest remainder: the lost penny goes to the first budget id", () => {
    const split = splitPoolCost(cost(10000, [third("c"), third("a"), third("b")]));
    if (!split.ok) throw new Error(split.problems.join());
    expect(split.lines.map((l) => [l.budgetId, l.sharePence])).toEqual([
      ["c", 3333],
      ["a", 3334],
      ["b", 3333],
    ]);
    expect(split.lines[1]!.description).toBe(
      "Your share of Shared support worker for 4 weeks from 1 April 2025: 1/3 of £100.00 = £33.34 (rounded up a penny)",
    );
  });

  it("gives fixed shares exactly and splits the rest by fraction", () => {
    const split = splitPoolCost(
      cost(10001, [
        { budgetId: "a", share: { kind: "fixed", pence: pence(3000) } },
        { budgetId: "b", share: { kind: "fraction", numerator: 1, denominator: 2 } },
        { budgetId: "c", share: { kind: "fraction", numerator: 1, denominator: 2 } },
      ]),
    );
    if (!split.ok) throw new Error(split.problems.join());
    expect(split.lines.map((l) => l.sharePence)).toEqual([3000, 3501, 3500]);
    expect(split.lines[0]!.description).toMatch(/your agreed fixed share, £30.00$/);
    expect(split.lines[2]!.description).toMatch(
      /1\/2 of £70.01 left after fixed shares of £30.00 = £35.00 \(rounded down\)$/,
    );
  });

  it("refuses shares that do not add up, saying by how much", () => {
    expect(poolShareProblems([third("a"), third("b")])).toEqual([
      "The fractional shares add up to 2/3: they must add up to exactly 1 (the whole of what fixed shares leave)",
    ]);
    expect(poolShareProblems([third("a")])).toContain("A pool is shared by at least 2 budgets");
    expect(poolShareProblems([third("a"), third("a"), third("b")])).toContain(
      "Budget a is in the pool twice: list each budget once",
    );
    const fixedOnly = splitPoolCost(
      cost(5000, [
        { budgetId: "a", share: { kind: "fixed", pence: pence(2000) } },
        { budgetId: "b", share: { kind: "fixed", pence: pence(2000) } },
      ]),
    );
    expect(fixedOnly).toEqual({
      ok: false,
      problems: [
        "The fixed shares add up to £40.00 but the cost is £50.00: with no fractional shares they must be equal",
      ],
    });
  });

  // Random pools: 2 to 12 members, random fractions that add up to 1 (random cuts of a random whole), sometimes
  // fixed shares; random costs up to £1,000,000.
  const poolArb = fc
    .record({
      parts: fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 2, maxLength: 12 }),
      fixed: fc.array(fc.integer({ min: 0, max: 50_000 }), { maxLength: 3 }),
      extra: fc.integer({ min: 0, max: 100_000_000 }),
    })
    .map(({ parts, fixed, extra }) => {
      const whole = parts.reduce((a, b) => a + b, 0);
      const members: PoolMember[] = [
        ...parts.map((p, i) => ({
          budgetId: `f${i}`,
          share: { kind: "fraction" as const, numerator: p, denominator: whole },
        })),
        ...fixed.map((p, i) => ({ budgetId: `x${i}`, share: { kind: "fixed" as const, pence: pence(p) } })),
      ];
      return {
        members,
        costPence: fixed.reduce((a, b) => a + b, 0) + extra,
        parts,
        whole,
        fixedTotal: fixed.reduce((a, b) => a + b, 0),
      };
    });

  it("always adds up to the cost exactly, and no member is a penny or more from their exact share (property)", () => {
    fc.assert(
      fc.property(poolArb, ({ members, costPence, parts, whole, fixedTotal }) => {
        const split = splitPoolCost(cost(costPence, members));
        if (!split.ok) throw new Error(split.problems.join());
        expect(split.lines.reduce((t, l) => t + l.sharePence, 0)).toBe(costPence);
        parts.forEach((p, i) => {
          const exactTimesWhole = BigInt(costPence - fixedTotal) * BigInt(p);
          const share = BigInt(split.lines[i]!.sharePence) * BigInt(whole);
          const diff = share > exactTimesWhole ? share - exactTimesWhole : exactTimesWhole - share;
          expect(diff < BigInt(whole)).toBe(true);
        });
      }),
    );
  });

  it("gives each budget the same share whatever order the members are listed in (property: deterministic)", () => {
    fc.assert(
      fc.property(poolArb, fc.integer(), ({ members, costPence }, seed) => {
        const shuffled = [...members].sort(
          (a, b) =>
            ((a.budgetId.charCodeAt(1) * 31 + seed) % 7) - ((b.budgetId.charCodeAt(1) * 31 + seed) % 7),
        );
        const a = splitPoolCost(cost(costPence, members));
        const b = splitPoolCost(cost(costPence, shuffled));
        if (!a.ok || !b.ok) throw new Error("refused");
        const byId = (lines: typeof a.lines) =>
          Object.fromEntries(lines.map((l) => [l.budgetId, l.sharePence]));
        expect(byId(b.lines)).toEqual(byId(a.lines));
      }),
    );
  });
});
