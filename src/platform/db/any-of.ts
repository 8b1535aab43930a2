import { type RawBuilder, sql } from "kysely";

/**
 * `column = ANY($1::uuid[])`: the whole list as ONE parameter. `column IN ($1, $2, …)` sends a parameter per id,
 * and PostgreSQL's protocol allows at most 65,535, so a payment run over 100,000 budgets failed with
 * "bind message has N parameter formats but 0 parameters". Use as `.where("budget_id", "=", anyUuid(ids))`.
 */
export function anyUuid(ids: Iterable<string>): RawBuilder<string> {
  return sql<string>`ANY(${[...ids]}::uuid[])`;
}

/** The same for a text column (for example a prepaid card's id, which is the card provider's, not ours). */
export function anyText(values: Iterable<string>): RawBuilder<string> {
  return sql<string>`ANY(${[...values]}::text[])`;
}

/**
 * The first and last of some uuids in PostgreSQL's order (bytewise, which lower-case hex text sorts the same as).
 * Added beside `= ANY(…)` as `BETWEEN first AND last`, it tells the planner how few rows a page of ids touches:
 * without it, 2,000 ids of 100,000 people were read by a sequential scan of the whole table for every page
 * (bench/reports.ts); with it, by the index, several times faster. Null for no ids.
 */
export function uuidBounds(ids: Iterable<string>): { first: string; last: string } | null {
  let first: string | null = null;
  let last: string | null = null;
  for (const id of ids) {
    const value = id.toLowerCase();
    if (first === null || value < first) first = value;
    if (last === null || value > last) last = value;
  }
  return first === null || last === null ? null : { first, last };
}
