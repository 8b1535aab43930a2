import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { protect, type Relation } from "#/features/reports/fairness-protect.calc.ts";

/**
 * Small-number suppression across linked figures (fairness-protect.calc.ts, issue 15): the public fairness
 * dashboard hides figures about fewer people than the setting, and no hidden figure may be worked out from the
 * figures shown: not from a table's total, not from another panel of the same people split another way (equal
 * totals), not from a total over time, not from a table's row and column totals.
 */

/**
 * The attacker, written independently of the calc: every figure shown is known; a relation (total = sum of
 * parts) with one unknown left gives it by subtraction; two panels with the same total give "the parts of one
 * add up to the parts of the other", which is subtracted the same way. Repeated until nothing more is learnt.
 * Returns the hidden cells it recovered.
 */
function recoveredBySubtraction(relations: readonly Relation[], hidden: readonly boolean[]): number[] {
  type Equation = { cell: number; sign: number }[];
  const equations: Equation[] = relations.map((r) => [
    { cell: r.total, sign: 1 },
    ...r.parts.map((cell) => ({ cell, sign: -1 })),
  ]);
  for (const a of relations) {
    for (const b of relations) {
      if (a !== b && a.total === b.total) {
        equations.push([
          ...a.parts.map((cell) => ({ cell, sign: 1 })),
          ...b.parts.map((cell) => ({ cell, sign: -1 })),
        ]);
      }
    }
  }
  const known = hidden.map((h) => !h);
  const recovered: number[] = [];
  for (let learnt = true; learnt; ) {
    learnt = false;
    for (const equation of equations) {
      const unknown = [...new Set(equation.filter((t) => !known[t.cell]).map((t) => t.cell))];
      if (unknown.length !== 1) continue;
      // The net coefficient of the one unknown: zero when it sits on both sides and cancels out.
      const net = equation.filter((t) => t.cell === unknown[0]).reduce((s, t) => s + t.sign, 0);
      if (net === 0) continue;
      known[unknown[0]!] = true;
      recovered.push(unknown[0]!);
      learnt = true;
    }
  }
  return recovered;
}

/** In a relation whose total is shown, hidden parts come two or more at a time and together are not small. */
function hiddenPartsProtected(
  sizes: readonly number[],
  r: Relation,
  hidden: readonly boolean[],
  fewerThan: number,
) {
  if (hidden[r.total]) return true;
  const parts = r.parts.filter((i) => hidden[i]);
  const sum = parts.reduce((s, i) => s + sizes[i]!, 0);
  return parts.length === 0 || (parts.length >= 2 && sum >= fewerThan && sum > parts.length);
}

function expectProtected(sizes: readonly number[], relations: readonly Relation[], fewerThan: number) {
  const hidden = protect(sizes, relations, fewerThan);
  sizes.forEach((n, i) => {
    if (n > 0 && n < fewerThan) expect(hidden[i], `cell ${i} of ${n} people`).toBe(true);
  });
  expect(recoveredBySubtraction(relations, hidden)).toEqual([]);
  for (const r of relations) expect(hiddenPartsProtected(sizes, r, hidden, fewerThan)).toBe(true);
  return hidden;
}

const threshold = fc.integer({ min: 2, max: 12 });

/** People split several ways (panels): each panel's groups add up to everyone (cell 0). */
const panels = fc
  .record({
    people: fc.integer({ min: 1, max: 80 }),
    ways: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 2, maxLength: 5 }),
    seed: fc.array(fc.nat(), { minLength: 400, maxLength: 400 }),
  })
  .map(({ people, ways, seed }) => {
    const sizes = [people];
    const relations: Relation[] = ways.map((groups, w) => {
      const counts = new Array<number>(groups).fill(0);
      for (let p = 0; p < people; p++) counts[seed[(p * 5 + w) % seed.length]! % groups]! += 1;
      // Only groups with someone in them are listed, as on the page.
      return { total: 0, parts: counts.filter((n) => n > 0).map((n) => sizes.push(n) - 1) };
    });
    return { sizes, relations };
  });

/** A table with row totals, column totals and the grand total. */
const table = fc
  .record({
    rows: fc.integer({ min: 2, max: 4 }),
    columns: fc.integer({ min: 2, max: 4 }),
    cells: fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 16, maxLength: 16 }),
  })
  .map(({ rows, columns, cells }) => {
    const at = (r: number, c: number) => r * columns + c;
    const sizes = Array.from({ length: rows * columns }, (_, i) => cells[i]!);
    const rowTotals = Array.from(
      { length: rows },
      (_, r) =>
        sizes.push(Array.from({ length: columns }, (_, c) => sizes[at(r, c)]!).reduce((s, n) => s + n, 0)) -
        1,
    );
    const columnTotals = Array.from(
      { length: columns },
      (_, c) =>
        sizes.push(Array.from({ length: rows }, (_, r) => sizes[at(r, c)]!).reduce((s, n) => s + n, 0)) - 1,
    );
    const grand = sizes.push(sizes.slice(0, rows * columns).reduce((s, n) => s + n, 0)) - 1;
    const relations: Relation[] = [
      ...rowTotals.map((total, r) => ({ total, parts: Array.from({ length: columns }, (_, c) => at(r, c)) })),
      ...columnTotals.map((total, c) => ({ total, parts: Array.from({ length: rows }, (_, r) => at(r, c)) })),
      { total: grand, parts: rowTotals },
      { total: grand, parts: columnTotals },
    ];
    return { sizes, relations };
  });

describe("suppression across linked figures", () => {
  it("a hidden group cannot be worked out from another panel of the same people", () => {
    // Everyone: 20, shown. By sex 12 and 8: 8 is hidden, so 12 goes too (else 20 − 12). By area 15 and 5: 5 is
    // hidden, so 15 goes too. Each panel's hidden groups add up to 20 together: nothing to subtract.
    const hidden = protect(
      [20, 12, 8, 15, 5],
      [
        { total: 0, parts: [1, 2] },
        { total: 0, parts: [3, 4] },
      ],
      10,
    );
    expect(hidden).toEqual([false, true, true, true, true]);
  });

  it("with the total hidden, a fully shown panel would give it back: the other panel is protected too", () => {
    // Everyone 9 (< 10, hidden). By sex 4 and 5, by area one group of 9: every figure is about fewer than 10,
    // so all are hidden, and the area panel cannot give the total back.
    const sizes = [9, 4, 5, 9];
    const relations = [
      { total: 0, parts: [1, 2] },
      { total: 0, parts: [3] },
    ];
    expect(protect(sizes, relations, 10)).toEqual([true, true, true, true]);
  });

  it("a quarter hidden for its few people: the total over time is hidden rather than another quarter", () => {
    // Over time 40; quarters 5, 18, 30, 35. The 5 is hidden; 40 − 18 − 30 − 35 … would give its money back, so
    // the total over time goes (preferred), not the 18.
    const sizes = [40, 5, 18, 30, 35];
    const relation = { total: 0, parts: [1, 2, 3, 4] };
    expect(protect(sizes, [relation], 10, { preferred: [0] })).toEqual([true, true, false, false, false]);
    // Without a preference, the next-smallest quarter goes instead.
    expect(protect(sizes, [relation], 10)).toEqual([false, true, true, false, false]);
  });

  it("in a table with row and column totals, one hidden cell needs three more (a rectangle)", () => {
    // 2 × 2: [3, 20 / 25, 30]; rows 23, 55; columns 28, 50; grand 78. The 3 alone is its row total less 20,
    // and its column total less 25; hiding 20 and 25 leaves 30 = 55 − 25 recovering 25, so 30 goes too.
    const sizes = [3, 20, 25, 30, 23, 55, 28, 50, 78];
    const relations = [
      { total: 4, parts: [0, 1] },
      { total: 5, parts: [2, 3] },
      { total: 6, parts: [0, 2] },
      { total: 7, parts: [1, 3] },
      { total: 8, parts: [4, 5] },
      { total: 8, parts: [6, 7] },
    ];
    expect(expectProtected(sizes, relations, 10).slice(0, 4)).toEqual([true, true, true, true]);
  });

  it("property: panels of the same people (equal totals) — nothing hidden is derivable by subtraction", () => {
    fc.assert(
      fc.property(panels, threshold, ({ sizes, relations }, fewerThan) => {
        expectProtected(sizes, relations, fewerThan);
      }),
    );
  });

  it("property: tables with row, column and grand totals — nothing hidden is derivable by subtraction", () => {
    fc.assert(
      fc.property(table, threshold, ({ sizes, relations }, fewerThan) => {
        expectProtected(sizes, relations, fewerThan);
      }),
    );
  });

  it("property: a series over time and its total — nothing hidden is derivable, quarters kept where they can be", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 40 }),
        threshold,
        (quarters, extra, fewerThan) => {
          // People over time: at least the largest quarter, at most all the quarters' people added up.
          const most = Math.max(...quarters);
          const sum = quarters.reduce((s, n) => s + n, 0);
          const sizes = [most + Math.min(extra, sum - most), ...quarters];
          const relation = { total: 0, parts: quarters.map((_, i) => i + 1) };
          const hidden = protect(sizes, [relation], fewerThan, { preferred: [0] });
          expect(recoveredBySubtraction([relation], hidden)).toEqual([]);
          // Only small quarters are hidden: the total over time protects them.
          quarters.forEach((n, i) => {
            expect(hidden[i + 1]).toBe(n > 0 && n < fewerThan);
          });
        },
      ),
    );
  });
});
