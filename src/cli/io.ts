import { readFile } from "node:fs/promises";
import { userInfo } from "node:os";
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
