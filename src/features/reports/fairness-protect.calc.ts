/**
 * Small-number suppression across linked figures (issue 15, the public fairness dashboard). fairness-suppression
 * .calc.ts protects one table against its own total; published figures are also linked to each other:
 *   - panels showing the same people split different ways (by age, by sex, by area…) all add up to the same
 *     total, so a panel's groups are tied to every other panel's through it, shown or not;
 *   - a series over time adds up to its total over time, so a hidden quarter is the total less the others;
 *   - a table with row and column totals ties each cell to its row and its column.
 * Each link is a relation: a total cell equals the sum of its part cells. Every figure is a cell, totals too.
 *
 * A hidden cell is recoverable when the shown cells and the relations fix its value: when its unit vector lies
 * in the span of the relations over the hidden cells (exact integer elimination below). That covers
 * subtracting the shown parts from a shown total, chains of such subtractions, and subtracting one panel from
 * another. So:
 *   - primary: a cell about more than none and fewer than `fewerThan` people is hidden;
 *   - secondary, per relation with its total shown (as fairness-suppression.calc.ts does for one table): while
 *     exactly one part is hidden, or the hidden parts together hold fewer than `fewerThan` people (or only one
 *     each), the smallest shown part is hidden too, or the total when every part is hidden already;
 *   - secondary, across relations: while some hidden cell is recoverable, the smallest shown cell in a relation
 *     it is in is hidden too.
 * Cells about nobody (0) are shown and never chosen: they hide nothing. Ties go to the later cell. Pure.
 */

export type Relation = { readonly total: number; readonly parts: readonly number[] };

/** Which cells (by index) are hidden: the primary ones, and the fewest more this method finds to protect them. */
export function protect(
  sizes: readonly number[],
  relations: readonly Relation[],
  fewerThan: number,
  options: { preferred?: readonly number[] } = {},
): boolean[] {
  const hidden = sizes.map((n) => n > 0 && n < fewerThan);
  const pick = (cells: readonly number[]) => smallestShown(sizes, hidden, cells, options.preferred ?? []);
  for (;;) {
    const next =
      exposedRelationCell(sizes, relations, hidden, fewerThan, pick, options.preferred ?? []) ??
      recoverableCell(relations, hidden, pick);
    if (next === undefined) return hidden;
    hidden[next] = true;
  }
}

type Pick = (cells: readonly number[]) => number | undefined;

/**
 * The cell to hide next among the given: a preferred one shown, if any (a total over time rather than a quarter),
 * else the smallest shown cell about someone, or undefined (ties: the later one).
 */
function smallestShown(
  sizes: readonly number[],
  hidden: readonly boolean[],
  cells: readonly number[],
  preferred: readonly number[],
) {
  const first = preferred.find((i) => cells.includes(i) && !hidden[i] && sizes[i] !== 0);
  if (first !== undefined) return first;
  let best: number | undefined;
  for (const i of cells) {
    if (hidden[i] || sizes[i] === 0) continue;
    if (best === undefined || sizes[i]! < sizes[best]! || (sizes[i] === sizes[best] && i > best)) best = i;
  }
  return best;
}

/** A cell to hide because a relation with its total shown leaves one hidden part, or small hidden parts. */
function exposedRelationCell(
  sizes: readonly number[],
  relations: readonly Relation[],
  hidden: readonly boolean[],
  fewerThan: number,
  pick: Pick,
  preferred: readonly number[],
): number | undefined {
  for (const r of relations) {
    if (hidden[r.total]) continue;
    const hiddenParts = r.parts.filter((i) => hidden[i]);
    if (hiddenParts.length === 0) continue;
    const sum = hiddenParts.reduce((s, i) => s + sizes[i]!, 0);
    if (hiddenParts.length === 1 || sum < fewerThan || sum <= hiddenParts.length) {
      // A preferred total is hidden instead of another part: then nothing subtracts from it.
      // With every part hidden already, the total itself goes (2 people, 1 and 1: the total tells all).
      const next =
        pick([r.total, ...r.parts].filter((i) => i !== r.total || preferred.includes(i))) ?? pick([r.total]);
      if (next !== undefined) return next;
    }
  }
  return undefined;
}

/** A cell to hide because some hidden cell is fixed by the shown cells and the relations. */
function recoverableCell(
  relations: readonly Relation[],
  hidden: readonly boolean[],
  pick: Pick,
): number | undefined {
  for (const i of recoverable(relations, hidden)) {
    const around = relations.filter((r) => r.total === i || r.parts.includes(i));
    const next = pick(around.flatMap((r) => [r.total, ...r.parts]));
    if (next !== undefined) return next;
  }
  return undefined;
}

const gcd = (a: number, b: number): number => (b === 0 ? Math.abs(a) : gcd(b, a % b));

/**
 * The hidden cells whose value the relations and the shown cells fix. Each relation is a row over the hidden
 * cells (total +1, parts −1; shown cells are known, so they drop out); a hidden cell is fixed exactly when its
 * unit vector reduces to nothing against the rows in echelon form. Integer arithmetic, kept small by dividing
 * each row by its common factor: exact, whatever the sizes.
 */
export function recoverable(relations: readonly Relation[], hidden: readonly boolean[]): number[] {
  const unknowns = hidden.flatMap((h, i) => (h ? [i] : []));
  const column = new Map(unknowns.map((cell, j) => [cell, j]));
  const rows: number[][] = [];
  for (const r of relations) {
    const row = new Array<number>(unknowns.length).fill(0);
    const add = (cell: number, by: number) => {
      const j = column.get(cell);
      if (j !== undefined) row[j]! += by;
    };
    add(r.total, 1);
    for (const p of r.parts) add(p, -1);
    if (row.some((x) => x !== 0)) rows.push(row);
  }
  const echelon = echelonForm(rows);
  return unknowns.filter((cell) => {
    const unit = new Array<number>(unknowns.length).fill(0);
    unit[column.get(cell)!] = 1;
    return reduce(unit, echelon).every((x) => x === 0);
  });
}

type Pivoted = { readonly row: readonly number[]; readonly pivot: number };

function normalised(row: number[]): number[] {
  const g = row.reduce((acc, x) => gcd(acc, x), 0);
  return g > 1 ? row.map((x) => x / g) : row;
}

/** Eliminates the pivots' columns from a row, in pivot order. */
function reduce(row: readonly number[], echelon: readonly Pivoted[]): number[] {
  let out = [...row];
  for (const { row: p, pivot } of echelon) {
    const a = out[pivot]!;
    if (a === 0) continue;
    const b = p[pivot]!;
    out = normalised(out.map((x, j) => x * b - p[j]! * a));
  }
  return out;
}

function echelonForm(rows: readonly number[][]): Pivoted[] {
  const echelon: Pivoted[] = [];
  for (const row of rows) {
    const reduced = reduce(row, echelon);
    const pivot = reduced.findIndex((x) => x !== 0);
    if (pivot >= 0) echelon.push({ row: reduced, pivot });
  }
  return echelon;
}
