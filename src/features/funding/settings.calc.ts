/**
 * Pure helpers for the council's funding settings: the financial year a date falls in and the weeks left in
 * it (the period a stream's yearly pot covers when a plan is apportioned), keeping the payer order in step
 * when streams change, and short ids made from names. No I/O, no clock.
 */

const DAY_MS = 86_400_000;

export type FinancialYear = {
  /** 1 April, YYYY-MM-DD. */
  readonly start: string;
  /** 31 March the year after, YYYY-MM-DD. */
  readonly end: string;
  /** "2026 to 2027", as GOV.UK writes a financial year. */
  readonly label: string;
};

/**
 * The UK local authority financial year (1 April to 31 March) that a date falls in. `date` is YYYY-MM-DD and
 * must be a real date (the caller checks).
 */
export function financialYearOf(date: string): FinancialYear {
  const year = Number(date.slice(0, 4));
  const first = date.slice(5) >= "04-01" ? year : year - 1;
  return { start: `${first}-04-01`, end: `${first + 1}-03-31`, label: `${first} to ${first + 1}` };
}

/** Days from `from` to `to`, counting both (1 when they are the same day). */
export function daysInclusive(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

/**
 * The whole weeks from `date` to the end of its financial year, counting a part week as a week (rounded up):
 * a weekly payment falls in a part week too, so rounding up never lets a stream promise more than its pot.
 * 1 April gives 53 (365 days), 31 March gives 1.
 */
export function weeksLeftInFinancialYear(date: string): number {
  return Math.ceil(daysInclusive(date, financialYearOf(date).end) / 7);
}

type StreamLike = { readonly id: string; readonly categories: readonly string[] };

export type PrunedEntry = { readonly category: string; readonly streamId: string };

/**
 * The payer order with every entry taken out that no longer makes sense: a stream that no longer exists, or
 * one that may no longer pay for the category. A category left with no streams is left out (then every stream
 * that may pay for it does, in id order: apportion.calc.ts rule 1). Returns what was taken out, in order.
 */
export function prunePayerOrder(
  streams: readonly StreamLike[],
  payerOrder: Readonly<Record<string, readonly string[]>>,
): { payerOrder: Record<string, string[]>; removed: PrunedEntry[] } {
  const byId = new Map(streams.map((s) => [s.id, s]));
  const out: Record<string, string[]> = {};
  const removed: PrunedEntry[] = [];
  for (const [category, ids] of Object.entries(payerOrder)) {
    const kept: string[] = [];
    for (const id of ids) {
      if (byId.get(id)?.categories.includes(category)) kept.push(id);
      else removed.push({ category, streamId: id });
    }
    if (kept.length > 0) out[category] = kept;
  }
  return { payerOrder: out, removed };
}

/**
 * A short id from a name: lower case, words joined by `_`, at most `max` characters, starting with a letter
 * ("Adult social care" → adult_social_care), made unique against `taken` by adding _2, _3 …
 */
export function idFromName(name: string, taken: ReadonlySet<string>, fallback = "item", max = 40): string {
  let base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, max)
    .replace(/_+$/, "");
  if (!/^[a-z]/.test(base)) base = base === "" ? fallback : `${fallback}_${base}`.slice(0, max);
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base.slice(0, max - String(n).length - 1)}_${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}
