import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";
import { JOBS_SCHEMA, type Jobs, startJobs } from "./jobs.ts";

async function stateOf(jobs: Jobs, name: string, id: string): Promise<string | undefined> {
  return (await jobs.boss.findJobs(name, { id }))[0]?.state;
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 50));
  }
}

// One database and one pg-boss per engine: pg-boss installs its schema on start, which takes seconds on PGlite.
describe.each(enginesUnderTest())("jobs on %s", (engine) => {
  let database: TestDatabase;
  let jobs: Jobs;
  beforeAll(async () => {
    database = await databaseFor(engine, "migrated");
    jobs = await startJobs(database, { schedule: true });
  });
  afterAll(async () => {
    await jobs?.stop();
    await database?.drop();
  });

  it("a job sent is handled exactly once, with its data", async () => {
    const seen: { data: { n: number }; id: string }[] = [];
    await jobs.register<{ n: number }>(
      "test-once",
      async (data, job) => {
        seen.push({ data, id: job.id });
      },
      { pollingIntervalSeconds: 0.5 },
    );
    const id = await jobs.send("test-once", { n: 42 });
    expect(id).toBeTruthy();
    await until(() => seen.length > 0);
    // Leave time for further polls (and any redelivery) to run it again.
    await new Promise((r) => setTimeout(r, 1500));
    expect(seen).toEqual([{ data: { n: 42 }, id }]);
    expect(await stateOf(jobs, "test-once", id!)).toBe("completed");
  });

  it("pg-boss keeps its tables in its own schema, none in public", async () => {
    const { rows } = await sql<{ schema: string }>`
      SELECT DISTINCT table_schema AS schema FROM information_schema.tables
      WHERE table_name IN ('job', 'queue', 'schedule', 'version')`.execute(database.db);
    expect(rows.map((r) => r.schema)).toEqual([JOBS_SCHEMA]);
  });

  it("a handler that throws is retried, while the app keeps using the database", async () => {
    let attempts = 0;
    await jobs.register(
      "test-retry",
      async () => {
        attempts++;
        if (attempts === 1) throw new Error("first attempt fails");
      },
      { pollingIntervalSeconds: 0.5, retryLimit: 2 },
    );
    const id = await jobs.send("test-retry", {});
    // On PGlite this is the same single connection pg-boss uses; the transactions must not interleave.
    for (let i = 0; i < 5; i++) {
      const n = await database.db.transaction().execute(async (trx) => {
        const r = await sql<{ n: number }>`SELECT ${i}::int AS n`.execute(trx);
        return r.rows[0]?.n;
      });
      expect(n).toBe(i);
    }
    await until(async () => (await stateOf(jobs, "test-retry", id!)) === "completed");
    expect(attempts).toBe(2);
  });

  it("an exclusive queue holds at most one pending job", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let runs = 0;
    await jobs.register(
      "test-exclusive",
      async () => {
        runs++;
        await gate;
      },
      { policy: "exclusive", pollingIntervalSeconds: 0.5 },
    );
    const first = await jobs.send("test-exclusive", {});
    expect(first).toBeTruthy();
    await until(() => runs === 1);
    expect(await jobs.send("test-exclusive", {})).toBeNull();
    release();
    await until(async () => (await stateOf(jobs, "test-exclusive", first!)) === "completed");
  });

  it("schedule stores one cron schedule per name, updated when called again", async () => {
    await jobs.schedule("test-cron", "*/5 * * * *", { why: "test" });
    await jobs.schedule("test-cron", "*/10 * * * *", { why: "test" });
    const schedules = await jobs.boss.getSchedules("test-cron");
    expect(schedules.map((s) => [s.name, s.cron, s.timezone])).toEqual([
      ["test-cron", "*/10 * * * *", "UTC"],
    ]);
  });
});
