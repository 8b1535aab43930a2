import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DataDirInUseError, lockFileFor } from "./data-dir-lock.ts";
import { openPglite } from "./database.ts";

/**
 * The embedded database's folder is opened by one process at a time (issue 12: `upfront payments run` while
 * `npm start` ran wrote to its own copy, which was then lost): a second is refused naming the first; a lock
 * left by a process that died is taken over; closing releases it.
 */
describe("the embedded database's folder lock", () => {
  const root = mkdtempSync(path.join(tmpdir(), "upfront-lock-"));
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) child.kill("SIGKILL");
    rmSync(root, { recursive: true, force: true });
  });

  /** A process that stays alive until killed, standing in for a running server. */
  function otherProcess(): ChildProcess {
    const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
    children.push(child);
    return child;
  }

  it("rule (issue 12): a folder another running process holds is refused, naming that process; nothing is opened", async () => {
    const dataDir = path.join(root, "held");
    const server = otherProcess();
    writeFileSync(lockFileFor(dataDir), `${server.pid}\nnode src/server.ts\n`);
    const refused = await openPglite(dataDir).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(DataDirInUseError);
    expect((refused as Error).message).toContain(`is open in process ${server.pid} (node src/server.ts)`);
    expect((refused as Error).message).toContain("DATABASE_URL");
    expect(existsSync(dataDir)).toBe(false);
    expect(readFileSync(lockFileFor(dataDir), "utf8")).toBe(`${server.pid}\nnode src/server.ts\n`);
  });

  it("rule (issue 12): a lock left by a process that has died is taken over, and closing the database releases it", async () => {
    const dataDir = path.join(root, "stale");
    const gone = otherProcess();
    const exited = new Promise((resolve) => gone.once("exit", resolve));
    gone.kill("SIGKILL");
    await exited;
    writeFileSync(lockFileFor(dataDir), `${gone.pid}\nnode src/server.ts\n`);
    const database = await openPglite(dataDir);
    expect(readFileSync(lockFileFor(dataDir), "utf8").split("\n")[0]).toBe(String(process.pid));
    // While it is open, even this process may not open the folder a second time.
    await expect(openPglite(dataDir)).rejects.toThrow(`is open in process ${process.pid}`);
    await database.close();
    expect(existsSync(lockFileFor(dataDir))).toBe(false);
    const again = await openPglite(dataDir);
    await again.close();
  });
});
