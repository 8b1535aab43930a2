import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PAYMENT_RUN_JOB, prepareScheduledRuns, registerPaymentRunJob } from "#/features/payments/jobs.ts";
import {
  type PaymentsTenant,
  paymentsTenant,
  personWithBudget,
} from "#/features/payments/payments.fixture.ts";
import { startJobs } from "#/platform/jobs/jobs.ts";
import { databaseFor, enginesUnderTest, type TestDatabase } from "../../../test/databases.ts";

/**
 * The daily payment schedule (issue 6: "on schedule through pg-boss"): on Wednesday 8 April 2026 a file sent
 * today reaches accounts two banking days on, Friday 10 April; the job prepares that run for each council with
 * settings, makes nothing when nothing is due, and running it twice pays nothing twice.
 */
describe.each(enginesUnderTest())("scheduled payment runs on %s", (engine) => {
  let database: TestDatabase;
  let tenant: PaymentsTenant;

  beforeAll(async () => {
    database = await databaseFor(engine, "migrated");
    tenant = await paymentsTenant(database);
    // Starts on Friday 10 April (inside the cycle 6 Apr – 3 May): its first part cycle is due on its start day.
    await personWithBudget(database, tenant, {
      startDate: "2026-04-10",
      approvedOn: "2026-04-01",
      directWeekly: 7_000,
    });
  }, 60_000);
  afterAll(() => database?.drop());

  it("prepares the run for the pay date two banking days on, once", async () => {
    const mine = (r: Awaited<ReturnType<typeof prepareScheduledRuns>>) =>
      r.find((x) => x.slug === tenant.slug)!;
    const first = mine(await prepareScheduledRuns(database, "2026-04-08"));
    expect(first.payDate).toBe("2026-04-10");
    expect(first.outcome).toMatchObject({ made: 1 });
    const again = mine(await prepareScheduledRuns(database, "2026-04-08"));
    expect(again.outcome).toMatchObject({ made: 0, alreadyMade: 1 });
    const quiet = mine(await prepareScheduledRuns(database, "2026-04-13"));
    expect(quiet.outcome).toMatchObject({ runId: null, made: 0 });
  });

  it("a scheduled run that paid anything calls afterPayments (the server sends the reports' snapshot job), one that paid nothing does not", async () => {
    const jobs = await startJobs(database, { schedule: false });
    const called: string[] = [];
    const today = "2026-05-06"; // a Wednesday: the next cycle's payments are due by Friday 8 May
    try {
      await registerPaymentRunJob(jobs, {
        today: () => today,
        afterPayments: async () => {
          called.push(today);
        },
      });
      const finished = async (id: string | null) => {
        const deadline = Date.now() + 60_000;
        for (;;) {
          const job = await jobs.boss.getJobById(PAYMENT_RUN_JOB, id!);
          if (job?.state === "completed") return;
          if (job?.state === "failed" || Date.now() > deadline) throw new Error(`payment job ${job?.state}`);
          await new Promise((r) => setTimeout(r, 100));
        }
      };
      await finished(await jobs.send(PAYMENT_RUN_JOB, {}));
      expect(called).toEqual([today]); // paid the cycle from 4 May
      await finished(await jobs.send(PAYMENT_RUN_JOB, {}));
      expect(called).toEqual([today]); // the same run again pays nothing
    } finally {
      await jobs.stop();
    }
  }, 120_000);
});
