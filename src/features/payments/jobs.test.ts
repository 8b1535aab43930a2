import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareScheduledRuns } from "#/features/payments/jobs.ts";
import {
  type PaymentsTenant,
  paymentsTenant,
  personWithBudget,
} from "#/features/payments/payments.fixture.ts";
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
});
