import type { Kysely } from "kysely";
import { sql } from "kysely";
import type { DB } from "#/platform/db/schema.ts";
import { withSystem } from "#/platform/db/tenant.ts";

/**
 * Real values for a route's path parameters in a demo database, so a walk over every route reaches records
 * rather than "not found": for `:personId` the given person; for any other id, a row of the table whose primary
 * key is that column (the person's own row where the table has a person_id), chosen among tables of the same key
 * by the route's other path words (`/ledger/accounts/:accountId` → ledger_accounts), a draft first where the
 * table has a status. An id with no row gets a UUID that names nothing.
 */
export const NO_SUCH_ID = "00000000-0000-7000-8000-000000000000";

type Candidate = { table: string; value: string };

export class RouteSamples {
  private readonly personId: string;
  private readonly byColumn: Map<string, Candidate[]>;
  private readonly overrides: Record<string, string>;
  private constructor(
    personId: string,
    byColumn: Map<string, Candidate[]>,
    overrides: Record<string, string>,
  ) {
    this.personId = personId;
    this.byColumn = byColumn;
    this.overrides = overrides;
  }

  /** `overrides` names the value of a parameter outright (e.g. `{ userId }`). */
  static async load(
    db: Kysely<DB>,
    tenantId: string,
    personId: string,
    overrides: Record<string, string> = {},
  ): Promise<RouteSamples> {
    const byColumn = new Map<string, Candidate[]>();
    await withSystem(db, async (trx) => {
      const keys = await sql<{ table: string; column: string; columns: number }>`
        SELECT k.table_name AS table, k.column_name AS column,
               count(*) OVER (PARTITION BY k.table_name)::int AS columns
        FROM information_schema.table_constraints c
        JOIN information_schema.key_column_usage k
          ON k.constraint_name = c.constraint_name AND k.table_schema = c.table_schema
        WHERE c.constraint_type = 'PRIMARY KEY' AND c.table_schema = 'public'`.execute(trx);
      const statusTables = new Set(
        (
          await sql<{ table: string }>`
            SELECT table_name AS table FROM information_schema.columns
            WHERE table_schema = 'public' AND column_name = 'status'`.execute(trx)
        ).rows.map((r) => r.table),
      );
      const personTables = new Set(
        (
          await sql<{ table: string }>`
            SELECT table_name AS table FROM information_schema.columns
            WHERE table_schema = 'public' AND column_name = 'person_id'`.execute(trx)
        ).rows.map((r) => r.table),
      );
      const tenantTables = new Set(
        (
          await sql<{ table: string }>`
            SELECT table_name AS table FROM information_schema.columns
            WHERE table_schema = 'public' AND column_name = 'tenant_id'`.execute(trx)
        ).rows.map((r) => r.table),
      );
      for (const { table, column } of keys.rows) {
        if (column === "tenant_id" || !column.endsWith("_id") || !tenantTables.has(table)) continue;
        const from = sql.table(table);
        const col = sql.ref(column);
        // A draft first where records have one: its pages carry the forms that change it.
        const order = statusTables.has(table) ? sql`(status = 'draft') DESC, 1` : sql`1`;
        let value: string | undefined;
        if (personTables.has(table)) {
          value = (
            await sql<{ v: string }>`SELECT ${col}::text AS v FROM ${from}
              WHERE tenant_id = ${tenantId} AND person_id = ${personId} ORDER BY ${order} LIMIT 1`.execute(
              trx,
            )
          ).rows[0]?.v;
        }
        value ??= (
          await sql<{ v: string }>`SELECT ${col}::text AS v FROM ${from}
            WHERE tenant_id = ${tenantId} ORDER BY ${order} LIMIT 1`.execute(trx)
        ).rows[0]?.v;
        if (value === undefined) continue;
        const list = byColumn.get(column) ?? [];
        list.push({ table, value });
        byColumn.set(column, list);
      }
    });
    return new RouteSamples(personId, byColumn, overrides);
  }

  /** The route's URL with every parameter filled in. */
  fill(url: string): string {
    const segments = url.split("/");
    return segments
      .map((segment, i) =>
        segment.startsWith(":") ? this.valueFor(segment.slice(1), segments.slice(0, i)) : segment,
      )
      .join("/");
  }

  /** Real ids for a field or parameter called `name` (`personId`, `budgetId`, …), for generated bodies. */
  idsFor(name: string): string[] {
    if (!/^[a-z][A-Za-z]*Id$/.test(name)) return [];
    if (name === "personId") return [this.personId];
    return (this.byColumn.get(columnOf(name)) ?? []).map((c) => c.value);
  }

  private valueFor(name: string, before: string[]): string {
    const given = this.overrides[name];
    if (given !== undefined) return given;
    if (name === "personId") return this.personId;
    if (name === "council") return "demo";
    if (name === "version") return "1";
    if (name === "index") return "0";
    if (name === "itemId") return "o1";
    if (name === "outcome") return "personal-hygiene";
    if (name === "token") return "no-such-token";
    const previous = before.at(-1) ?? "";
    const column =
      name === "id"
        ? previous === "people"
          ? "person_id"
          : `${previous.replace(/-/g, "_").replace(/s$/, "")}_id`
        : columnOf(name);
    if (column === "person_id") return this.personId;
    const candidates = this.byColumn.get(column) ?? [];
    const words = before.flatMap((s) => s.split("-")).filter((w) => w && !w.startsWith(":"));
    const score = (c: Candidate) => words.filter((w) => c.table.includes(w.replace(/s$/, ""))).length;
    const best = [...candidates].sort((a, b) => score(b) - score(a))[0];
    if (best) return best.value;
    return name === "providerId" || name === "serviceId" ? "no-such-provider" : NO_SUCH_ID;
  }
}

/** `budgetId` → `budget_id`. */
const columnOf = (name: string) => `${name.slice(0, -2).replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}_id`;
