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
