import { readFile } from "node:fs/promises";
import { userInfo } from "node:os";
import { findTenantBySlug, type Tenant } from "#/features/tenants/service.ts";
import type { Database } from "#/platform/db/database.ts";
import type { Actor } from "#/platform/db/tenant.ts";

/**
 * What a command reads and writes, passed in so tests run a command's run… function with no terminal or files:
 * the process's own (console and the file system) by default.
 */
export type FileIo = {
  readText(path: string): Promise<string>;
  out(line: string): void;
  err(line: string): void;
};

export const processIo: FileIo = {
  readText: (path) => readFile(path, "utf8"),
  out: (line) => console.log(line),
  err: (line) => console.error(line),
};

/** The operator at the terminal: recorded on the audit events as "cli:<user>". */
export function cliActor(): Actor {
  let user = "operator";
  try {
    user = userInfo().username || user;
  } catch {
    // No user database (some containers): keep "operator".
  }
  return { type: "system", id: `cli:${user}` };
}

/**
 * The exit codes every `upfront` command uses (README.md, "The `upfront` command", lists them):
 * 0 done; 1 the command ran but refused its input or found a problem (a bad field or row in a file, a ledger or
 * audit chain that does not verify, a payment run that failed), with nothing half-written; 2 the command was
 * used wrongly (an unknown command, a missing or bad option, a council short name or id that does not exist, a
 * file that cannot be read); 3 the database cannot be used (it cannot be reached, DATABASE_URL is not valid, it
 * is not migrated, or another process has the embedded database open).
 */
export const EXIT = { done: 0, refused: 1, usage: 2, database: 3 } as const;

/** The one wording for a --tenant that names no council. */
export function noSuchCouncil(shortName: string): string {
  return `There is no council with the short name "${shortName}".`;
}

/**
 * The council a file import is for (--tenant) and the file's text (--file), each refused in one line with exit
 * code 2 (EXIT.usage) when it cannot be had: what `people import` and `card-feed import` start with.
 */
export async function councilAndFile(
  database: Database,
  opts: { tenant: string; file: string },
  io: FileIo,
): Promise<{ ok: true; tenant: Tenant; text: string } | { ok: false; code: number }> {
  const tenant = await findTenantBySlug(database.db, opts.tenant);
  if (!tenant) {
    io.err(`--tenant: ${noSuchCouncil(opts.tenant)}`);
    return { ok: false, code: EXIT.usage };
  }
  try {
    return { ok: true, tenant, text: await io.readText(opts.file) };
  } catch (error) {
    io.err(`--file: Cannot read ${opts.file}: ${(error as Error).message}`);
    return { ok: false, code: EXIT.usage };
  }
}
