import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CRASH_POINTS, parseCrashAt } from "#/platform/crash-points.ts";

/** Named crash points for kill -9 trials (issue 13): UPFRONT_CRASH_AT=point:N kills the process there. */

const MODULE = fileURLToPath(new URL("./crash-points.ts", import.meta.url));

/** A process that reaches payments.batch five times, printing before each; its output and how it ended. */
function reachFiveTimes(env: Record<string, string>) {
  const script = `const { crashPoint } = await import(${JSON.stringify(MODULE)});
    for (let i = 1; i <= 5; i++) { process.stdout.write("reached " + i + "\\n"); crashPoint("payments.batch"); }
    process.stdout.write("finished\\n");`;
  const { UPFRONT_CRASH_AT: _, ...rest } = process.env;
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    env: { ...rest, ...env },
    encoding: "utf8",
  });
  return { out: result.stdout.trim().split("\n"), signal: result.signal, status: result.status };
}

describe("crash points", () => {
  it("rule: UPFRONT_CRASH_AT=point:N kills the process with SIGKILL the Nth time it reaches that point", () => {
    const run = reachFiveTimes({ UPFRONT_CRASH_AT: "payments.batch:3", NODE_ENV: "test" });
    expect(run.signal).toBe("SIGKILL");
    expect(run.out).toEqual(["reached 1", "reached 2", "reached 3"]);
  });

  it("rule: without UPFRONT_CRASH_AT, naming another point, or in production, a crash point does nothing", () => {
    for (const env of [
      { NODE_ENV: "test" } as Record<string, string>,
      { UPFRONT_CRASH_AT: "card-feed.imported:1", NODE_ENV: "test" },
      { UPFRONT_CRASH_AT: "payments.batch:1", NODE_ENV: "production" },
    ]) {
      const run = reachFiveTimes(env);
      expect(run.signal, JSON.stringify(env)).toBeNull();
      expect(run.status).toBe(0);
      expect(run.out.at(-1)).toBe("finished");
    }
  });

  it("rule: UPFRONT_CRASH_AT names a known point and a count from 1 (1 when left out); anything else is refused", () => {
    expect(parseCrashAt(undefined)).toBeUndefined();
    expect(parseCrashAt("")).toBeUndefined();
    expect(parseCrashAt("payments.batch:3")).toEqual({ point: "payments.batch", at: 3 });
    expect(parseCrashAt("card-feed.transfers")).toEqual({ point: "card-feed.transfers", at: 1 });
    for (const bad of ["payments.batch:0", "payments.batch:x", "payments.bach:2", "PAYMENTS.BATCH"])
      expect(() => parseCrashAt(bad), bad).toThrow(/UPFRONT_CRASH_AT must be a crash point/);
    for (const point of CRASH_POINTS) expect(parseCrashAt(`${point}:2`)).toEqual({ point, at: 2 });
  });
});
