import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";

/**
 * The embedded database (PGlite) keeps its data in a folder that only one process may have open: two processes
 * writing it would each keep their own copy in memory and the last to close would lose the other's work (the
 * CLI's payment run was silently lost while `npm start` ran). So opening it takes a lock file beside the folder,
 * holding the process id; a second process is refused, naming the first; a lock left by a process that has died
 * is taken over. PostgreSQL servers need none of this: set DATABASE_URL to share one database between processes.
 */

export class DataDirInUseError extends Error {
  readonly pid: number;
  constructor(dataDir: string, pid: number, command: string) {
    super(
      `The embedded database in ${dataDir} is open in process ${pid}${command ? ` (${command})` : ""}. ` +
        "Stop that process first, or set DATABASE_URL to a PostgreSQL server, which several processes can share.",
    );
    this.name = "DataDirInUseError";
    this.pid = pid;
  }
}

/** The lock file for a data folder: `<folder>.lock`, beside it in the same parent folder. */
export const lockFileFor = (dataDir: string) => `${path.resolve(dataDir)}.lock`;

/** Whether a process with this id is running (EPERM: running, as another user). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function describeThisProcess(): string {
  return `${process.pid}\n${process.argv.slice(1).join(" ")}\n`;
}

/** Takes the lock for a data folder, or throws DataDirInUseError. Returns the function that releases it. */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const file = lockFileFor(dataDir);
  await mkdir(path.dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(file, "wx");
      await handle.writeFile(describeThisProcess());
      await handle.close();
      return releaser(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const [pidLine = "", command = ""] = (await readFile(file, "utf8").catch(() => "")).split("\n");
    const pid = Number(pidLine);
    if (Number.isInteger(pid) && pid > 0 && isRunning(pid))
      throw new DataDirInUseError(dataDir, pid, command);
    // Left by a process that died: take it over. Written aside and renamed, so a reader never sees half of it;
    // then read back, since another process may have been taking it over at the same moment.
    const aside = `${file}.${process.pid}`;
    writeFileSync(aside, describeThisProcess());
    await rename(aside, file);
    if (Number(readFileSync(file, "utf8").split("\n")[0]) === process.pid) return releaser(file);
  }
  throw new Error(`Could not take the lock ${file}: another process keeps changing it`);
}

function releaser(file: string): () => Promise<void> {
  let released = false;
  // A process that exits without closing (Ctrl-C before the shutdown hook) still leaves no lock behind.
  const onExit = () => {
    if (!released && ownedBy(file, process.pid)) rmSync(file, { force: true });
  };
  process.once("exit", onExit);
  return async () => {
    if (released) return;
    released = true;
    process.removeListener("exit", onExit);
    if (ownedBy(file, process.pid)) await rm(file, { force: true });
  };
}

function ownedBy(file: string, pid: number): boolean {
  try {
    return Number(readFileSync(file, "utf8").split("\n")[0]) === pid;
  } catch {
    return false;
  }
}
