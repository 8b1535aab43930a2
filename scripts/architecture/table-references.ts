/**
 * Where the code names a database table: Kysely calls (selectFrom("x"), insertInto("x"), updateTable("x"),
 * deleteFrom("x"), innerJoin/leftJoin/rightJoin/fullJoin("x …")) and raw SQL in sql`…` templates
 * (from x, join x, update x, insert into x, delete from x). Only names of known tables count, so English
 * words in comments ("from people who…") are not taken for SQL.
 */

export type Access = "read" | "write";

export interface TableReference {
  table: string;
  access: Access;
  line: number;
}

const KYSELY =
  /\b(selectFrom|insertInto|updateTable|deleteFrom|mergeInto|innerJoin|leftJoin|rightJoin|fullJoin)\(\s*["'`]([a-z_][a-z0-9_]*)/g;
const KYSELY_WRITES = new Set(["insertInto", "updateTable", "deleteFrom", "mergeInto"]);
const SQL_TEMPLATE = /\bsql(?:<[^`]*?>)?`([^`]*)`/g;
const RAW = /\b(insert\s+into|delete\s+from|update|from|join)\s+(?:only\s+)?([a-z_][a-z0-9_]*)\b/gi;

function lineAt(source: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (source.charCodeAt(i) === 10) line++;
  return line;
}

export function tableReferences(source: string, tables: ReadonlySet<string>): TableReference[] {
  const found: TableReference[] = [];
  for (const match of source.matchAll(KYSELY)) {
    const table = match[2]!;
    if (!tables.has(table)) continue;
    found.push({
      table,
      access: KYSELY_WRITES.has(match[1]!) ? "write" : "read",
      line: lineAt(source, match.index),
    });
  }
  for (const template of source.matchAll(SQL_TEMPLATE)) {
    for (const match of template[1]!.matchAll(RAW)) {
      const table = match[2]!.toLowerCase();
      if (!tables.has(table)) continue;
      const keyword = match[1]!.toLowerCase().replace(/\s+/g, " ");
      const access = keyword === "from" || keyword === "join" ? "read" : "write";
      found.push({ table, access, line: lineAt(source, template.index + 4 + match.index) });
    }
  }
  return found;
}
