import { formatPounds, type Pence, pence } from "#/platform/money/pence.ts";

/**
 * Pools: several budgets contribute agreed shares to one pooled arrangement (a shared support worker, a
 * peer-support network); the pool's account pays the provider, and each member's statement shows their share
 * (Upfront issue 6, "Pools"). Pure.
 *
 * Splitting a cost: members with a fixed share pay exactly that; what is left is split between the members with a
 * fraction, whose fractions must add up to exactly 1. Fractions rarely give whole pence, so the split uses the
 * largest-remainder method: each member first gets the whole pence below their exact share, then the pennies
 * left over (fewer than the number of members) go one each to the members whose exact shares lost the most,
 * ties broken by budget id, so the same inputs always give the same split, whatever order the members come in.
 * The shares always add up to the cost exactly; no member is more than a penny from their exact share.
 */

export type PoolShare =
  | { readonly kind: "fraction"; readonly numerator: number; readonly denominator: number }
  | { readonly kind: "fixed"; readonly pence: Pence };

export type PoolMember = { readonly budgetId: string; readonly share: PoolShare };

export type PoolCost = {
  readonly poolName: string;
  /** What the cost is for, in words: "4 weeks from 1 April 2025". */
  readonly period: string;
  /** What the pool paid (a refund is split the same way by the caller and credited). */
  readonly costPence: Pence;
  readonly members: readonly PoolMember[];
};

export type PoolStatementLine = {
  readonly budgetId: string;
  readonly sharePence: Pence;
  /** For the member's statement, e.g. "Your share of Shared support worker for …: 1/3 of £100.00 = £33.34". */
  readonly description: string;
};

export type PoolSplit =
  | { readonly ok: true; readonly lines: readonly PoolStatementLine[] }
  | { readonly ok: false; readonly problems: readonly string[] };

const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));

/** Problems with the members' agreed shares, before any cost is split. */
export function poolShareProblems(members: readonly PoolMember[]): string[] {
  const problems: string[] = [];
  if (members.length < 2) problems.push("A pool is shared by at least 2 budgets");
  const ids = new Set<string>();
  for (const m of members) {
    if (ids.has(m.budgetId))
      problems.push(`Budget ${m.budgetId} is in the pool twice: list each budget once`);
    ids.add(m.budgetId);
    if (m.share.kind === "fraction") {
      const { numerator: n, denominator: d } = m.share;
      if (!Number.isSafeInteger(n) || !Number.isSafeInteger(d) || n < 1 || d < 1 || n > d) {
        problems.push(
          `Budget ${m.budgetId}'s share must be a fraction like 1/3: whole numbers, more than 0, at most 1`,
        );
      }
    } else if (!Number.isSafeInteger(m.share.pence) || m.share.pence < 0) {
      problems.push(`Budget ${m.budgetId}'s fixed share must be a whole number of pence, not negative`);
    }
  }
  const fractions = members.flatMap((m) => (m.share.kind === "fraction" ? [m.share] : []));
  if (problems.length === 0 && fractions.length > 0) {
    // Σ n/d = 1 exactly, in integers: Σ n × (L/d) = L for L the product of the denominators.
    const l = fractions.reduce((acc, f) => acc * BigInt(f.denominator), 1n);
    const sum = fractions.reduce((acc, f) => acc + (BigInt(f.numerator) * l) / BigInt(f.denominator), 0n);
    if (sum !== l) {
      const g = gcd(sum, l);
      problems.push(
        `The fractional shares add up to ${sum / g}/${l / g}: they must add up to exactly 1 (the whole of what fixed shares leave)`,
      );
    }
  }
  return problems;
}

/** Splits one cost of the pool between its members; see the module comment for the method. */
export function splitPoolCost(cost: PoolCost): PoolSplit {
  const problems = poolShareProblems(cost.members);
  if (!Number.isSafeInteger(cost.costPence) || cost.costPence < 0) {
    problems.push("The cost must be a whole number of pence, not negative");
  }
  const fixedTotal = cost.members.reduce((t, m) => t + (m.share.kind === "fixed" ? m.share.pence : 0), 0);
  const fractionMembers = cost.members.filter((m) => m.share.kind === "fraction");
  if (problems.length === 0) {
    if (fixedTotal > cost.costPence) {
      problems.push(
        `The fixed shares add up to ${formatPounds(pence(fixedTotal))}, more than the cost of ${formatPounds(cost.costPence)}`,
      );
    } else if (fractionMembers.length === 0 && fixedTotal !== cost.costPence) {
      problems.push(
        `The fixed shares add up to ${formatPounds(pence(fixedTotal))} but the cost is ${formatPounds(cost.costPence)}: with no fractional shares they must be equal`,
      );
    }
  }
  if (problems.length > 0) return { ok: false, problems };

  const remainder = BigInt(cost.costPence - fixedTotal);
  // Exact shares as remainder × n / d, brought to one denominator so their fractional parts compare exactly.
  const l = fractionMembers.reduce(
    (acc, m) => (m.share.kind === "fraction" ? acc * BigInt(m.share.denominator) : acc),
    1n,
  );
  const exact = fractionMembers.map((m) => {
    const s = m.share as Extract<PoolShare, { kind: "fraction" }>;
    const scaled = remainder * ((BigInt(s.numerator) * l) / BigInt(s.denominator)); // exact share × l
    return { budgetId: m.budgetId, floor: scaled / l, lost: scaled % l };
  });
  let leftover = remainder - exact.reduce((t, e) => t + e.floor, 0n);
  const extra = new Set<string>();
  for (const e of [...exact].sort((a, b) =>
    a.lost === b.lost ? (a.budgetId < b.budgetId ? -1 : 1) : a.lost > b.lost ? -1 : 1,
  )) {
    if (leftover === 0n) break;
    extra.add(e.budgetId);
    leftover--;
  }

  const of = `Your share of ${cost.poolName} for ${cost.period}`;
  const lines = cost.members.map((m): PoolStatementLine => {
    if (m.share.kind === "fixed") {
      return {
        budgetId: m.budgetId,
        sharePence: m.share.pence,
        description: `${of}: your agreed fixed share, ${formatPounds(m.share.pence)}`,
      };
    }
    const e = exact.find((x) => x.budgetId === m.budgetId)!;
    const share = pence(Number(e.floor) + (extra.has(m.budgetId) ? 1 : 0));
    const base =
      fixedTotal > 0
        ? `${formatPounds(pence(Number(remainder)))} left after fixed shares of ${formatPounds(pence(fixedTotal))}`
        : formatPounds(cost.costPence);
    const rounding = e.lost === 0n ? "" : extra.has(m.budgetId) ? " (rounded up a penny)" : " (rounded down)";
    return {
      budgetId: m.budgetId,
      sharePence: share,
      description: `${of}: ${m.share.numerator}/${m.share.denominator} of ${base} = ${formatPounds(share)}${rounding}`,
    };
  });
  return { ok: true, lines };
}
